"""``traefik-doctor fix``: what it writes (golden files per rule), what it refuses, and that
the original survives every failure: a symbolic link out of the tree, a file changed during
the fix, a full disk, a denied write, a fix that makes the project worse."""

from __future__ import annotations

import difflib
import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from traefik_doctor.cli import main
from traefik_doctor.engine import run_check
from traefik_doctor.fix import apply
from traefik_doctor.fix.apply import FileWriter, Snapshot
from traefik_doctor.fix.run import FixOptions, fix_project
from traefik_doctor.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "fix" / "golden"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"

STATIC = 'entryPoints:\n  web:\n    address: ":8000"\nproviders:\n  file:\n    directory: dynamic\n'

PLACEHOLDER = """\
http:
  routers:
    user:  # the users API
      rule: Path(`/users/{id:[0-9]+}`)
      service: app
  services:
    app:
      loadBalancer:
        healthCheck: {path: /healthz}
        servers:
          - url: http://127.0.0.1:9000
"""
PLACEHOLDER_FIXED = PLACEHOLDER.replace(
    "Path(`/users/{id:[0-9]+}`)", "PathRegexp(`^/users/[0-9]+$`)"
)


def fix(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["fix", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def project(root: Path, dynamic: str = PLACEHOLDER, static: str = STATIC) -> Path:
    (root / "dynamic").mkdir(parents=True)
    (root / "traefik.yml").write_text(static, encoding="utf-8")
    (root / "dynamic" / "app.yml").write_text(dynamic, encoding="utf-8")
    return root


def listing(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (symbolic links as their target text) and its bytes."""
    out: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            out[path.relative_to(root).as_posix()] = f"-> {os.readlink(path)}".encode()
        elif path.is_file():
            out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


# -- what each rule's fix writes -------------------------------------------------------------

GOLDEN_CASES = [
    # fixture, options, findings of the rule left after the fix (they have no edit)
    ("RTR003/fail_multi_arg", ["--unsafe"], 1),
    ("RTR004/fail_placeholder", [], 0),
    ("RTR014/fail_no_entrypoints", ["--unsafe"], 0),
    ("CFG011/fail_middlewares", [], 2),
    ("CFG011/fail_tls_and_rule_syntax", [], 2),
    ("CFG011/fail_toml_ipwhitelist", [], 0),
    ("MW001/fail_templates", ["--unsafe"], 0),
    ("MW001/fail_toml", [], 0),
    ("SVC004/fail_go_health_route", [], 0),
    ("OPS001/fail_prod", ["--unsafe", "--profile", "prod"], 0),
    ("OPS002/fail_debug", [], 0),
    ("OPS002/fail_trace_toml", ["--profile", "prod"], 0),
    ("OPS003/fail_no_router_labels", [], 0),
    ("OPS003/fail_no_metrics_internal_entrypoint", [], 0),
    ("OPS004/fail_no_access_log", ["--profile", "prod"], 0),
    ("OPS005/fail_default_buckets", ["--unsafe"], 0),
    ("OPS005/fail_wide_step", ["--unsafe"], 0),
    ("OPS006/fail_default", ["--unsafe"], 0),
    ("OPS007/fail_watch_off", [], 0),
]


@pytest.mark.parametrize(
    ("case", "options", "left"), GOLDEN_CASES, ids=[c for c, _, _ in GOLDEN_CASES]
)
def test_fix_writes_the_golden_files(
    case: str, options: list[str], left: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--diff`` shows exactly the change and writes nothing; ``fix`` writes it, keeps the
    original as FILE.bak, and the rule's findings are gone (but those it has no edit for)."""
    code = case.split("/", maxsplit=1)[0]
    source = FIXTURES / case
    root = tmp_path / "project"
    shutil.copytree(source, root, symlinks=True)
    before = listing(root)

    status, diff, _ = fix(capsys, str(root), "--select", code, "--diff", *options)
    assert listing(root) == before, "--diff wrote something"
    assert status == 1 and diff

    status, out, err = fix(capsys, str(root), "--select", code, *options)
    assert status == 0, out + err
    after = listing(root)
    changed = {
        name: data
        for name, data in after.items()
        if not name.endswith(".bak") and before.get(name) != data
    }
    assert changed, out
    golden = GOLDEN / case
    if UPDATE:
        shutil.rmtree(golden, ignore_errors=True)
        for name, data in changed.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_bytes(data)
    expected = {
        p.relative_to(golden).as_posix(): p.read_bytes() for p in golden.rglob("*") if p.is_file()
    }
    assert changed == expected
    expected_diff = "".join(
        "".join(
            difflib.unified_diff(
                before[name].decode().splitlines(keepends=True),
                data.decode().splitlines(keepends=True),
                f"a/{name}",
                f"b/{name}",
            )
        )
        for name, data in sorted(changed.items())
    )
    assert diff == expected_diff
    for name in changed:  # the originals are kept
        assert after[f"{name}.bak"] == before[name]
    profile = "prod" if "prod" in options else "dev"
    remaining = run_check(root, Settings(select=[code], profile=profile)).findings
    assert len(remaining) == left, [str(f.location) + " " + f.message for f in remaining]


# -- rule rewrites ---------------------------------------------------------------------------

REWRITES = [
    # (rule as written, rule after `fix --unsafe --select RTR003,RTR004`)
    ("Host(`a.test`, `b.test`)", "Host(`a.test`) || Host(`b.test`)"),
    (
        "Host(`a.test`, `b.test`) && PathPrefix(`/api`)",
        "(Host(`a.test`) || Host(`b.test`)) && PathPrefix(`/api`)",
    ),
    (
        "PathPrefix(`/api`) && !Host(`a.test`, `b.test`)",
        "PathPrefix(`/api`) && !(Host(`a.test`) || Host(`b.test`))",
    ),
    (
        "(Host(`a.test`, `b.test`)) && Method(`GET`)",
        "(Host(`a.test`) || Host(`b.test`)) && Method(`GET`)",
    ),
    (
        "Method(`GET`) || Host(`a.test`, `b.test`)",
        "Method(`GET`) || Host(`a.test`) || Host(`b.test`)",
    ),
    (
        "Path(`/a/{x}`) || PathPrefix(`/b/{y:[0-9]+}/`)",
        "PathRegexp(`^/a/[^/]+$`) || PathRegexp(`^/b/[0-9]+/`)",
    ),
    (
        "Host(`{sub}.x.test`, `y.test`) && Path(`/u/{id}`)",
        "Host(`{sub}.x.test`, `y.test`) && PathRegexp(`^/u/[^/]+$`)",
    ),
]


@pytest.mark.parametrize(("rule", "fixed"), REWRITES, ids=[r for r, _ in REWRITES])
def test_rule_rewrites(
    rule: str, fixed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each call is replaced in place; `||` gets parentheses where `&&` or `!` applies to
    it; several fixes in one rule compose. A rewrite whose result would itself be wrong (a
    split `Host` with a v2 placeholder left in) is not made."""
    root = project(tmp_path, PLACEHOLDER.replace("Path(`/users/{id:[0-9]+}`)", rule))
    fix(capsys, str(root), "--select", "RTR003,RTR004", "--unsafe", "--no-backup")
    text = (root / "dynamic" / "app.yml").read_text(encoding="utf-8")
    assert f"      rule: {fixed}\n" in text


# -- command line --------------------------------------------------------------------------


def test_nothing_to_fix_exits_0_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, PLACEHOLDER_FIXED)
    status, out, _ = fix(capsys, str(root), "--select", "RTR", "--diff")
    assert (status, out) == (0, "")
    status, out, _ = fix(capsys, str(root), "--select", "RTR")
    assert status == 0
    assert out.splitlines()[-1] == "fixed 0 findings in 0 files"


def test_unsafe_fixes_wait_for_unsafe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    multi = PLACEHOLDER_FIXED.replace("PathRegexp(`^/users/[0-9]+$`)", "Host(`a.test`, `b.test`)")
    root = project(tmp_path, multi)
    status, out, _ = fix(capsys, str(root), "--select", "RTR003")
    assert status == 1
    assert "fixed 0 findings in 0 files (1 unsafe skipped: use --unsafe)" in out
    assert (root / "dynamic" / "app.yml").read_text(encoding="utf-8") == multi
    status, out, _ = fix(capsys, str(root), "--select", "RTR003", "--unsafe")
    assert status == 0
    assert "Host(`a.test`) || Host(`b.test`)" in (root / "dynamic" / "app.yml").read_text()


def test_select_and_ignore_choose_the_fixes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, static=STATIC + "log:\n  level: DEBUG\n")
    status, out, _ = fix(capsys, str(root), "--ignore", "RTR,OPS003,OPS004")
    assert status == 0
    assert "level: INFO" in (root / "traefik.yml").read_text()
    assert (root / "dynamic" / "app.yml").read_text() == PLACEHOLDER
    assert out.startswith("traefik.yml: fixed OPS002\n")


def test_no_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    status, out, _ = fix(capsys, str(root), "--select", "RTR004", "--no-backup")
    assert status == 0
    assert sorted(listing(root)) == ["dynamic/app.yml", "traefik.yml"]
    assert "originals kept" not in out


def test_backup_and_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    target = root / "dynamic" / "app.yml"
    target.chmod(0o640)
    status, out, _ = fix(capsys, str(root), "--select", "RTR004")
    assert status == 0
    assert target.read_text() == PLACEHOLDER_FIXED
    assert (root / "dynamic" / "app.yml.bak").read_text() == PLACEHOLDER
    assert target.stat().st_mode & 0o777 == 0o640
    assert "originals kept as dynamic/app.yml.bak" in out


def test_line_endings_and_byte_order_mark_are_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    target = root / "dynamic" / "app.yml"
    target.write_bytes(b"\xef\xbb\xbf" + PLACEHOLDER.replace("\n", "\r\n").encode())
    assert fix(capsys, str(root), "--select", "RTR004")[0] == 0
    assert target.read_bytes() == b"\xef\xbb\xbf" + PLACEHOLDER_FIXED.replace("\n", "\r\n").encode()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--select", "NOPE"], "unknown rule code or prefix `NOPE`"),
        (["--profile", "staging"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    status, _, err = fix(capsys, str(root), *args)
    assert status == 2 and message in err
    status, _, err = fix(capsys, str(tmp_path / "missing"))
    assert status == 2 and "no such file or directory" in err


def test_labels_and_flags_are_not_edited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "OPS006" / "fail_flag_true", root)
    before = listing(root)
    status, out, _ = fix(capsys, str(root), "--select", "OPS006", "--unsafe")
    assert status == 0
    assert listing(root) == before
    assert "(1 with no automatic fix, 1 in compose labels or flags)" in out


def test_fix_then_check_on_the_broken_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "broken-app"
    shutil.copytree(Path(__file__).parent.parent / "examples" / "broken-app", root)
    before = run_check(root, Settings()).findings
    status, out, _ = fix(capsys, str(root), "--unsafe", "--no-backup")
    assert "fixed" in out.splitlines()[-1]
    after = run_check(root, Settings()).findings
    assert len(after) < len(before)
    assert status == (1 if "rolled-back" in out or "not fixed" in out else 0)


def test_a_value_from_a_yaml_merge_key_is_left_for_a_human(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    merged = "x-common: &common\n  rule: Path(`/users/{id}`)\n" + PLACEHOLDER.replace(
        "      rule: Path(`/users/{id:[0-9]+}`)\n", "      <<: *common\n"
    )
    root = project(tmp_path, merged)
    status, out, _ = fix(capsys, str(root), "--select", "RTR004")
    assert status == 1
    assert "dynamic/app.yml: failed: none of its fixes could be applied" in out
    assert "RTR004 not fixed: `http.routers.user.rule` comes from a YAML merge key" in out
    assert sorted(listing(root)) == ["dynamic/app.yml", "traefik.yml"]


# -- the check after writing ---------------------------------------------------------------

TIE = """\
http:
  routers:
    multi:
      rule: Host(`a.test`, `b.test`)
      service: users
    other:
      rule: Host(`a.test`) || Host(`c.test`)
      service: legacy
  services:
    users:
      loadBalancer:
        healthCheck: {path: /healthz}
        servers:
          - url: http://127.0.0.1:9000
    legacy:
      loadBalancer:
        healthCheck: {path: /healthz}
        servers:
          - url: http://127.0.0.1:9001
"""


def test_a_fix_that_makes_things_worse_is_rolled_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Splitting `multi`'s hosts gives it the same priority (rule length) as `other`, and both
    match a.test: a new RTR012. The file goes back to what it was, without a backup."""
    root = project(tmp_path, TIE)
    (root / "dynamic" / "good.yml").write_text(
        "http:\n  routers:\n    item:\n      rule: Path(`/items/{id}`)\n      service: users\n",
        encoding="utf-8",
    )
    before = listing(root)
    status, out, _ = fix(capsys, str(root), "--select", "RTR", "--unsafe")
    assert status == 1
    assert "dynamic/app.yml: rolled-back: the fix made things worse" in out
    assert "new findings: dynamic/app.yml: RTR012 (warning)" in out
    assert "dynamic/good.yml: fixed RTR004" in out
    after = listing(root)
    assert after["dynamic/app.yml"] == before["dynamic/app.yml"]
    assert "dynamic/app.yml.bak" not in after
    assert b"PathRegexp(`^/items/[^/]+$`)" in after["dynamic/good.yml"]
    assert after["dynamic/good.yml.bak"] == before["dynamic/good.yml"]


# -- safety: files outside the tree, links, races, full disks, denied writes ----------------


def no_temp_files(*roots: Path) -> bool:
    return not any(p.name.endswith(apply.TEMP_SUFFIX) for root in roots for p in root.rglob("*"))


def test_a_symlink_out_of_the_tree_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ext.yml").write_text(PLACEHOLDER.replace("user:", "ext:"), encoding="utf-8")
    root = project(tmp_path / "project", PLACEHOLDER_FIXED)
    (root / "dynamic" / "ext.yml").symlink_to(outside / "ext.yml")
    before = listing(tmp_path)
    status, out, _ = fix(capsys, str(root), "--select", "RTR004")
    assert status == 1
    assert f"dynamic/ext.yml: refused: it resolves to `{outside / 'ext.yml'}`" in out
    assert "outside the checked directory; not touched" in out
    assert listing(tmp_path) == before


def test_a_symlink_inside_the_tree_is_followed_and_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, PLACEHOLDER_FIXED)
    (root / "shared").mkdir()
    (root / "shared" / "users.yml").write_text(PLACEHOLDER.replace("user:", "u2:"), "utf-8")
    (root / "dynamic" / "users.yml").symlink_to(Path("..") / "shared" / "users.yml")
    status, _, _ = fix(capsys, str(root), "--select", "RTR004")
    assert status == 0
    assert (root / "dynamic" / "users.yml").is_symlink()
    assert "PathRegexp" in (root / "shared" / "users.yml").read_text()
    assert (root / "shared" / "users.yml.bak").exists()


def test_a_static_file_outside_the_tree_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path / "project", PLACEHOLDER_FIXED)
    etc = tmp_path / "etc"
    etc.mkdir()
    static = STATIC.replace("dynamic", str(root / "dynamic")) + "log:\n  level: DEBUG\n"
    (etc / "traefik.yml").write_text(static, encoding="utf-8")
    status, out, _ = fix(
        capsys, str(root), "--static", str(etc / "traefik.yml"), "--select", "OPS002"
    )
    assert status == 1
    assert "outside the checked directory; not touched" in out
    assert (etc / "traefik.yml").read_text() == static
    assert sorted(p.name for p in etc.iterdir()) == ["traefik.yml"]


def test_a_hard_linked_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    os.link(root / "dynamic" / "app.yml", root / "app-copy.txt")
    status, out, _ = fix(capsys, str(root), "--select", "RTR004")
    assert status == 1
    assert "it has other hard links" in out
    assert (root / "app-copy.txt").read_text() == PLACEHOLDER


def _fix_in_process(root: Path, writer: FileWriter) -> tuple[str, str]:
    report = fix_project(root, Settings(go=False), FixOptions(select=("RTR004",)), writer)
    (result,) = report.files
    return result.status, result.message


def test_a_file_changed_during_the_fix_is_not_overwritten(tmp_path: Path) -> None:
    root = project(tmp_path)
    theirs = PLACEHOLDER.replace("the users API", "edited meanwhile")

    def edit_meanwhile(path: Path) -> None:
        path.write_text(theirs, encoding="utf-8")

    status, message = _fix_in_process(root, FileWriter(before_replace=edit_meanwhile))
    assert status == "changed"
    assert "changed while being fixed" in message
    assert (root / "dynamic" / "app.yml").read_text() == theirs
    assert sorted(listing(root)) == ["dynamic/app.yml", "traefik.yml"]


def test_a_file_changed_after_the_check_is_not_edited(tmp_path: Path) -> None:
    root = project(tmp_path)
    theirs = PLACEHOLDER + "# edited after the check\n"

    class EditedFirst(FileWriter):
        def snapshot(self, path: str, root: Path) -> Snapshot:
            Path(path).write_text(theirs, encoding="utf-8")
            return super().snapshot(path, root)

    status, message = _fix_in_process(root, EditedFirst())
    assert status == "changed"
    assert "changed since it was checked" in message
    assert (root / "dynamic" / "app.yml").read_text() == theirs
    assert no_temp_files(root)


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[None]:
    """A full disk, simulated: the fix module's write or fsync fails with ENOSPC. A mock is
    used only here, because a real full disk cannot be made safely in a test (the real
    OS-level failure of a too large write is in ``test_a_write_the_system_refuses``)."""

    def no_space(*_: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(apply, request.param, no_space)
    yield


@pytest.mark.parametrize("full_disk", ["_write", "_fsync"], indirect=True)
@pytest.mark.usefixtures("full_disk")
def test_a_full_disk_leaves_the_original_intact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    before = listing(root)
    status, out, _ = fix(capsys, str(root), "--select", "RTR004", "--no-go")
    assert status == 1
    assert "dynamic/app.yml: failed: cannot write it: no space left on device" in out
    assert "the file is unchanged" in out
    assert listing(root) == before


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _fix_command(root: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "traefik_doctor",
        "fix",
        str(root),
        "--select",
        "RTR004",
        "--no-go",
    ]


def _environment() -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("TRAEFIK_")}
    return {**keep, "PYTHONDONTWRITEBYTECODE": "1"}


def test_a_write_the_system_refuses(tmp_path: Path) -> None:
    """A real OS-level write failure, no mock: the fix runs with a file size limit
    (RLIMIT_FSIZE, 64 bytes) smaller than the file, so the kernel refuses the write (EFBIG)
    as it would a full disk (ENOSPC): the original must stay intact, with no stray file."""
    root = project(tmp_path)
    before = listing(root)
    done = subprocess.run(
        _fix_command(root),
        preexec_fn=_limit_file_size,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "dynamic/app.yml: failed: cannot write it: file too large" in done.stdout
    assert listing(root) == before


def test_permission_denied_leaves_the_original_intact(tmp_path: Path) -> None:
    """The provider directory is not writable (chmod 0o555), so creating the temporary file
    fails with a real EACCES from the OS. Root ignores permission bits through the
    CAP_DAC_OVERRIDE capability, so as root (CI containers) the fix runs with that
    capability dropped (util-linux `setpriv`), which makes the bits apply to root too."""
    root = project(tmp_path)
    before = listing(root)
    command = _fix_command(root)
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without util-linux `setpriv` to drop CAP_DAC_OVERRIDE")
        drop = "-dac_override,-dac_read_search"
        command = [setpriv, "--bounding-set", drop, "--", *command]
    (root / "dynamic").chmod(0o555)
    try:
        done = subprocess.run(
            command, env=_environment(), capture_output=True, text=True, timeout=120, check=False
        )
    finally:
        (root / "dynamic").chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert "dynamic/app.yml: failed: cannot write it: permission denied" in done.stdout
    assert listing(root) == before
