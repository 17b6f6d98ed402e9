"""Hostile or broken input never crashes the checker: findings or a clean exit, in bounded time
and memory. Each case puts one bad file in the file-provider directory of a tiny project and
runs the real command line with ``--format json``."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from traefik_doctor.cli import main
from traefik_doctor.loaders.tomltree import load_toml
from traefik_doctor.loaders.yamltree import ParseFailure, load_yaml
from traefik_doctor.source import Source

STATIC = """entryPoints:
  web:
    address: ":8000"
providers:
  file:
    directory: dynamic
"""

GOOD = """http:
  routers:
    app:
      rule: Host(`app.test`)
      service: app
  services:
    app:
      loadBalancer:
        servers:
          - url: http://127.0.0.1:9000
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "traefik.yml").write_text(STATIC, encoding="utf-8")
    dynamic = tmp_path / "dynamic"
    dynamic.mkdir()
    (dynamic / "app.yml").write_text(GOOD, encoding="utf-8")
    return dynamic


def _check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> set[str]:
    """The codes of the findings in the bad files (the rest of the tiny project is not judged
    here: it lacks a health check, metrics...)."""
    code = main(["check", str(tmp_path), "--format", "json"])
    out = capsys.readouterr().out
    assert code in {0, 1}, out
    report = json.loads(out)
    return {
        finding["code"]
        for finding in report["findings"]
        if finding["location"]["path"].startswith("dynamic/")
        and finding["location"]["path"] != "dynamic/app.yml"
    }


def _billion_laughs(dynamic: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines.append("http: {routers: *a9}")
    (dynamic / "bomb.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _deep_flow(dynamic: Path) -> None:
    depth = 10_000
    (dynamic / "deep.yml").write_text("http: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")


def _deep_block_sequences(dynamic: Path) -> None:
    (dynamic / "deep.yml").write_text("- " * 10_000 + "x\n", encoding="utf-8")


def _deep_block_mappings(dynamic: Path) -> None:
    # One space per level: 5,000 levels is the deepest block nesting under the 16 MiB size
    # limit (10,000 levels need 50 MB and are refused by size, see test_huge_file).
    with (dynamic / "deep.yml").open("w", encoding="utf-8") as handle:
        for level in range(5_000):
            handle.write(" " * level + "k:\n")


def _huge(dynamic: Path) -> None:
    with (dynamic / "huge.yml").open("wb") as handle:
        handle.write(GOOD.encode())
        handle.seek(50 * 1024 * 1024)
        handle.write(b"\n")


def _symlink_loop(dynamic: Path) -> None:
    os.symlink("b.yml", dynamic / "a.yml")
    os.symlink("a.yml", dynamic / "b.yml")


def _write(name: str, data: bytes) -> Callable[[Path], None]:
    def write(dynamic: Path) -> None:
        (dynamic / name).write_bytes(data)

    return write


CASES: dict[str, tuple[Callable[[Path], None], set[str]]] = {
    "malformed-yaml": (_write("bad.yml", b"http:\n  routers: [\n    a: {\n"), {"CFG001"}),
    "malformed-toml": (_write("bad.toml", b"[http.routers\nrule = = 'x'\n"), {"CFG001"}),
    "binary": (_write("bin.yml", b"http:\n\x00\x01\x02\xff\xfe routers: {}\n"), {"CFG001"}),
    "non-utf8": (
        _write("latin1.yml", "http: {routers: {caf\u00e9: {}}}\n".encode("latin-1")),
        {"CFG001"},
    ),
    "alias-bomb": (_billion_laughs, {"CFG001"}),
    "deep-flow-sequences": (_deep_flow, {"CFG001"}),
    "deep-block-sequences": (_deep_block_sequences, {"CFG001"}),
    "deep-block-mappings": (_deep_block_mappings, {"CFG001"}),
    "huge-file": (_huge, {"CFG014"}),
    "symlink-loop": (_symlink_loop, {"CFG014"}),
    "empty-file": (_write("empty.yml", b""), set()),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gives_findings_not_crash(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, expected = CASES[name]
    make(_project(tmp_path))
    codes = _check(tmp_path, capsys)
    if expected:
        assert expected <= codes, f"{name}: got {sorted(codes)}"
    else:
        assert codes == set(), f"{name}: an empty file is valid, got {sorted(codes)}"


def test_alias_bomb_reports_excessive_aliasing(tmp_path: Path) -> None:
    dynamic = _project(tmp_path)
    _billion_laughs(dynamic)
    path = dynamic / "bomb.yml"
    result = load_yaml(Source(str(path), "bomb.yml", path.read_bytes()))
    assert isinstance(result, ParseFailure)
    assert "excessive aliasing" in result.message


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: chmod 000 does not deny reads to root, so the file stays readable",
)
def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dynamic = _project(tmp_path)
    locked = dynamic / "locked.yml"
    locked.write_text(GOOD, encoding="utf-8")
    locked.chmod(0)
    try:
        codes = _check(tmp_path, capsys)
    finally:
        locked.chmod(0o600)
    assert codes & {"CFG001", "CFG014"}


def test_fifo_named_like_a_config_file_does_not_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A named pipe `x.yml` would block a plain open() forever (readers wait for a writer);
    it is reported, not read. Unlike chmod 000, this denies reading even to root."""
    dynamic = _project(tmp_path)
    os.mkfifo(dynamic / "pipe.yml")
    assert "CFG014" in _check(tmp_path, capsys)


YAMLISH = st.text(
    alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#?,%@`\t\n \\0x\u00e9")), max_size=300
)


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(text=YAMLISH)
def test_load_yaml_never_raises(text: str) -> None:
    source = Source("fuzz.yml", "fuzz.yml", text.encode("utf-8"))
    load_yaml(source)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=200))
def test_load_yaml_never_raises_on_bytes(data: bytes) -> None:
    load_yaml(Source("fuzz.yml", "fuzz.yml", data))


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300))
def test_load_toml_never_raises(text: str) -> None:
    load_toml(Source("fuzz.toml", "fuzz.toml", text.encode("utf-8", "surrogatepass")))
