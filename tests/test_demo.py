"""`traefik-doctor demo` end to end, as a user runs it: the real Traefik, the shop service
(built with Go, or the Python stand-in), doctor's report naming each injected fault with its
static cause, and nothing left behind (processes, ports), also when interrupted."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.traefik

# Each injected fault: the live code, the router (or service) it names, the static cause.
EXPECTED = [
    ("LIVE003", "admin@file", "RTR007"),
    ("LIVE004", "billing@file", "SVC003"),
    ("LIVE007", "status@file", None),
    ("LIVE018", "status@file", None),
    ("LIVE009", "report@file", "TMO002"),
    ("LIVE019", "users-v2@file", "RTR011"),
    ("LIVE002", "orders@file", "RTR004"),
    ("LIVE008", "users@file", "MW002"),
    ("LIVE017", "debug@file", "GO002"),
]


@pytest.fixture
def demos() -> Iterator[list[subprocess.Popen[str]]]:
    """Every demo a test starts; whatever a failing test leaves running is killed here."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def _demo(
    demos: list[subprocess.Popen[str]], tmp_path: Path, *args: str, sigint_ignored: bool = False
) -> subprocess.Popen[str]:
    argv = [sys.executable, "-m", "traefik_doctor", "demo", "--dir", str(tmp_path / "p"), *args]
    if sigint_ignored:  # as for a job a script starts with `&`: exec keeps SIGINT ignored
        argv = ["sh", "-c", 'trap "" INT; exec "$@"', "sh", *argv]
    process = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        start_new_session=True,  # its own group: the fixture can stop all it started
    )
    demos.append(process)
    return process


def _leftovers(project: Path) -> list[str]:
    """Processes whose command line or working directory is inside the demo's project."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        if str(project) in cmdline or cwd.startswith(str(project)):
            found.append(f"{proc.name}: {cmdline}")
    return found


def _closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _ports(text: str) -> list[int]:
    return [
        int(p)
        for p in re.findall(r"http://127\.0\.0\.1:(\d+)", text.split("Running", maxsplit=1)[0])
    ]


def _assert_report(text: str) -> None:
    verdict = text.split("Verdict:\n", 1)[1].split("\n\n", 1)[0]
    for code, name, cause in EXPECTED:
        line = next((ln for ln in verdict.splitlines() if code in ln and f"`{name}`" in ln), None)
        assert line is not None, f"{code} {name} not in the verdict:\n{verdict}"
        if cause is not None:
            assert f"static cause: {cause}" in line, line
    # Root cause first: the router Traefik disabled, then the backends.
    order = [code for code, _, _ in EXPECTED if code in verdict]
    assert verdict.index("LIVE003") < verdict.index("LIVE004") < verdict.index("LIVE008")
    assert order
    assert "= access-log: RouterName=users@file" in text  # evidence, not a guess
    assert text.rstrip().endswith(
        "Stopped Traefik and the shop service; the project stays in "
        + text.split("project: ", 1)[1].split(" ", 1)[0]
        + "."
    )


@pytest.mark.go
@pytest.mark.slow
def test_demo_with_go(tmp_path: Path, demos: list[subprocess.Popen[str]]) -> None:
    if shutil.which("go") is None:
        pytest.fail("go is not installed (.ci/run installs golang-go)")
    started = time.monotonic()
    demo = _demo(demos, tmp_path)
    out, _ = demo.communicate(timeout=60)
    assert demo.returncode == 0, out
    assert time.monotonic() - started < 60
    assert "built with Go" in out
    _assert_report(out)
    assert _leftovers(tmp_path / "p") == []
    assert all(_closed(port) for port in _ports(out))


@pytest.mark.slow
def test_demo_with_the_python_stand_in(tmp_path: Path, demos: list[subprocess.Popen[str]]) -> None:
    demo = _demo(demos, tmp_path, "--no-go")
    out, _ = demo.communicate(timeout=60)
    assert demo.returncode == 0, out
    assert "Python stand-in" in out
    _assert_report(out)
    assert _leftovers(tmp_path / "p") == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "ignored"),
    [(signal.SIGINT, False), (signal.SIGTERM, False), (signal.SIGINT, True)],
    ids=["sigint", "sigterm", "sigint-ignored-by-the-parent"],
)
def test_interrupted_demo_leaves_nothing_behind(
    tmp_path: Path, sig: signal.Signals, ignored: bool, demos: list[subprocess.Popen[str]]
) -> None:
    demo = _demo(demos, tmp_path, "--no-go", "--keep-running", sigint_ignored=ignored)
    assert demo.stdout is not None
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = demo.stdout.readline()
        lines.append(line)
        if not line or line.startswith("Ctrl-C stops everything"):
            break
    text = "".join(lines)
    ports = _ports(text)
    assert ports and not any(_closed(p) for p in ports[:2]), text  # up while kept running
    assert _leftovers(tmp_path / "p")
    demo.send_signal(sig)
    rest, _ = demo.communicate(timeout=20)
    assert demo.returncode == 0, text + rest
    assert "Stopped Traefik and the shop service" in rest
    assert _leftovers(tmp_path / "p") == []
    assert all(_closed(port) for port in ports)


def test_refuses_a_directory_that_is_not_empty(
    tmp_path: Path, demos: list[subprocess.Popen[str]]
) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "mine.txt").write_text("keep me")
    demo = _demo(demos, tmp_path)
    out, _ = demo.communicate(timeout=30)
    assert demo.returncode == 2
    assert out.count("\n") == 1 and "not empty" in out
    assert (tmp_path / "p" / "mine.txt").read_text() == "keep me"
