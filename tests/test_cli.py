"""The command line as users and CI call it: exit codes, formats, selection, suppression,
settings and rule documentation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from traefik_doctor import __version__
from traefik_doctor.cli import main
from traefik_doctor.rules.registry import BY_CODE

EXAMPLES = Path(__file__).parent.parent / "examples"

STATIC = 'entryPoints:\n  web:\n    address: ":8000"\nproviders:\n  file:\n    directory: dynamic\n'


def project(tmp_path: Path, dynamic: str, static: str = STATIC, **files: str) -> Path:
    """A project with one dynamic file; ``files`` maps names (``__`` for ``.``) to text."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "traefik.yml").write_text(static, encoding="utf-8")
    (tmp_path / "dynamic").mkdir()
    (tmp_path / "dynamic" / "app.yml").write_text(dynamic, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name.replace("__", ".")).write_text(text, encoding="utf-8")
    return tmp_path


TYPO = """http:
  routers:
    api:
      entryPoints: [web]
      rule: Host(`a.test`)
      service: apii
  services:
    api:
      loadBalancer:
        healthCheck: {path: /healthz}
        servers:
          - url: http://127.0.0.1:9000
"""


def codes(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["check", *args, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    return code, [f["code"] for f in data["findings"]]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"traefik-doctor {__version__}"
    with pytest.raises(SystemExit) as exit_info:  # argparse's own --version, with options
        main(["--version", "--help"])
    assert exit_info.value.code == 0


def test_module_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "traefik_doctor", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and __version__ in done.stdout


def test_examples_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLES / "clean-app")]) == 0
    assert "No problems found." in capsys.readouterr().out
    assert main(["check", str(EXAMPLES / "broken-app")]) == 1
    out = capsys.readouterr().out
    assert "RTR007" in out and "CFG004" in out and "^" in out  # a code frame with a caret


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "/nonexistent/place"], "no such file or directory"),
        (["check", ".", "--format", "xml"], "unknown format `xml`"),
        (["check", ".", "--select", "NOPE1"], "unknown rule code or prefix `NOPE1`"),
        (["check", ".", "--output", "x.json"], "--output given without a --format"),
        (["rule", "XYZ999"], "unknown rule `XYZ999`"),
        (["check", "--profile", "staging"], "invalid choice"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_select_and_ignore_by_code_and_prefix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, TYPO)
    code, found = codes(capsys, str(root))
    assert code == 1 and "RTR007" in found
    assert codes(capsys, str(root), "--select", "RTR")[1] == ["RTR007"]
    code, found = codes(capsys, str(root), "--ignore", "RTR007,OPS")
    assert "RTR007" not in found and not any(c.startswith("OPS") for c in found)
    assert code == 0


def test_fail_on_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(
        tmp_path, TYPO.replace("apii", "api").replace("        healthCheck: {path: /healthz}\n", "")
    )
    code, found = codes(capsys, str(root), "--select", "SVC004")
    assert found == ["SVC004"] and code == 0
    code, _ = codes(capsys, str(root), "--select", "SVC004", "--fail-on", "warning")
    assert code == 1


def test_suppression_comments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    same_line = TYPO.replace(
        "service: apii", "service: apii  # traefik-doctor: ignore[RTR007] renamed soon"
    )
    assert "RTR007" not in codes(capsys, str(project(tmp_path / "a", same_line)))[1]
    line_above = TYPO.replace(
        "      service: apii", "      # traefik-doctor: ignore[RTR] migration\n      service: apii"
    )
    assert "RTR007" not in codes(capsys, str(project(tmp_path / "b", line_above)))[1]
    other_code = TYPO.replace("service: apii", "service: apii  # traefik-doctor: ignore[SVC004]")
    assert "RTR007" in codes(capsys, str(project(tmp_path / "c", other_code)))[1]


def test_suppression_in_files_traefik_does_not_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Go file, and a finding pointing at a file the configuration does not load: their
    own comments still silence it."""
    import shutil

    fixture = Path(__file__).parent / "fixtures" / "GO002" / "fail_all_interfaces"
    root = tmp_path / "go"
    shutil.copytree(fixture, root)
    assert "GO002" in codes(capsys, str(root))[1]
    main_go = root / "main.go"
    main_go.write_text(
        main_go.read_text(encoding="utf-8").replace(
            "// expect: GO002", "// traefik-doctor: ignore[GO002] debug build only"
        ),
        encoding="utf-8",
    )
    assert "GO002" not in codes(capsys, str(root))[1]


def test_settings_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path / "one", TYPO, **{"__traefik-doctor__toml": 'ignore = ["RTR007"]\n'})
    assert "RTR007" not in codes(capsys, str(root))[1]
    pyproject = '[tool.traefik-doctor]\nselect = ["RTR"]\nprofile = "prod"\n'
    root = project(tmp_path / "two", TYPO, pyproject__toml=pyproject)
    assert codes(capsys, str(root))[1] == ["RTR007"]


def test_invalid_settings_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, TYPO, **{"__traefik-doctor__toml": "selct = ['RTR']\n"})
    assert main(["check", str(root)]) == 2
    assert "unknown setting `selct`" in capsys.readouterr().err


def test_prod_profile_raises_ops_severity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(
        tmp_path, TYPO.replace("apii", "api"), static=STATIC + "api:\n  insecure: true\n"
    )
    main(["check", str(root), "--select", "OPS001", "--format", "json"])
    dev = json.loads(capsys.readouterr().out)["findings"]
    main(["check", str(root), "--select", "OPS001", "--format", "json", "--profile", "prod"])
    prod = json.loads(capsys.readouterr().out)["findings"]
    assert [f["severity"] for f in dev] == ["warning"]
    assert [f["severity"] for f in prod] == ["error"]


def test_several_formats_in_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path / "p", TYPO)
    sarif, junit = tmp_path / "out.sarif", tmp_path / "out.xml"
    code = main(
        ["check", str(root), "--format", "text", "--format", f"sarif={sarif}",
         "--format", "junit", "--output", str(junit)]
    )  # fmt: skip
    assert code == 1
    assert "RTR007" in capsys.readouterr().out
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert junit.read_text().startswith("<?xml")


def test_colour(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, TYPO)
    main(["check", str(root), "--color", "always"])
    assert "\x1b[" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    main(["check", str(root)])
    assert "\x1b[" not in capsys.readouterr().out


def test_rule_and_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "rtr007"]) == 0
    doc = capsys.readouterr().out
    assert doc.startswith("# undefined-service (RTR007)") and "## Why is this bad?" in doc
    assert main(["rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {rule["code"] for rule in listed} == set(BY_CODE)
    assert all(rule["summary"].startswith("Checks for") for rule in listed)


def test_committed_rule_reference_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    """docs/rules.md is generated from the docstrings; regenerate it when a rule changes:
    `traefik-doctor rules --format markdown > docs/rules.md`."""
    assert main(["rules", "--format", "markdown"]) == 0
    committed = (Path(__file__).parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    assert capsys.readouterr().out == committed


def test_no_go_and_go_src(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = EXAMPLES / "broken-app"
    _, with_go = codes(capsys, str(broken))
    _, without_go = codes(capsys, str(broken), "--no-go")
    assert "TMO001" in with_go and "TMO001" not in without_go
    # The same configuration with the Go code kept elsewhere: --go-src brings it back.
    config = tmp_path / "config"
    config.mkdir()
    for name in ("traefik.yml", "dynamic"):
        source = broken / name
        if source.is_dir():
            (config / name).mkdir()
            for file in source.iterdir():
                (config / name / file.name).write_bytes(file.read_bytes())
        else:
            (config / name).write_bytes(source.read_bytes())
    assert "TMO001" not in codes(capsys, str(config))[1]
    assert "TMO001" in codes(capsys, str(config), "--go-src", str(broken))[1]
