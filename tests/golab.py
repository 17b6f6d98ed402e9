"""Build and run real Go services (stdlib only, built offline) for tests that put them
behind the real Traefik on loopback.

* ``build_go`` compiles a module with ``GOPROXY=off GOTOOLCHAIN=local`` into a binary, cached
  for the session by a hash of the module's files.
* ``run_process`` starts a binary and always stops it (SIGTERM, then SIGKILL).
* ``wait_http`` polls a URL until anything answers over HTTP, with a hard deadline.
* ``HttpClient`` is a tiny client with explicit keep-alive control, so a test knows exactly
  which client connection carries which request.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from traefik_lab import Running, run_traefik, wait_for_api

GO_MISSING = (
    "Go is not installed (`go` is not on PATH): install it with `apt-get install golang-go`"
    " (CI installs it); these tests build and run real Go services"
)

_BUILT: dict[str, Path] = {}


def go_binary() -> str:
    """The ``go`` command, or ``RuntimeError`` with the install hint."""
    found = shutil.which("go")
    if found is None:
        raise RuntimeError(GO_MISSING)
    return found


def source_hash(src_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(src_dir.rglob("*")):
        if path.is_file() and (path.suffix == ".go" or path.name in ("go.mod", "go.sum")):
            digest.update(str(path.relative_to(src_dir)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:16]


def build_go(src_dir: Path, out_dir: Path, gocache: Path | None = None) -> Path:
    """Build the Go module in ``src_dir`` into ``out_dir``; return the binary.

    Offline and reproducible: ``GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local``; ``GOCACHE``
    (default ``out_dir/gocache``) and ``GOPATH`` live under ``out_dir``'s parent tree, never in
    the developer's home. Identical sources are built once per session."""
    key = source_hash(src_dir)
    cached = _BUILT.get(key)
    if cached is not None and cached.exists():
        return cached
    go = go_binary()
    out_dir.mkdir(parents=True, exist_ok=True)
    binary = out_dir / f"{src_dir.name}-{key}"
    env = {
        **os.environ,
        "GOFLAGS": "-mod=mod",
        "GOPROXY": "off",
        "GOTOOLCHAIN": "local",
        "GOCACHE": str(gocache or out_dir / "gocache"),
        "GOPATH": str(out_dir / "gopath"),
        "CGO_ENABLED": os.environ.get("CGO_ENABLED", "1"),
    }
    done = subprocess.run(
        [go, "build", "-o", str(binary), "."],
        cwd=src_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"go build failed in {src_dir}:\n{done.stdout}{done.stderr}")
    _BUILT[key] = binary
    return binary


@dataclass
class Proc:
    process: subprocess.Popen[bytes]
    output_path: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        if not self.output_path.exists():
            return ""
        return self.output_path.read_text(encoding="utf-8", errors="replace")


@contextmanager
def run_process(
    argv: list[str],
    output_path: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stop_grace: float = 1.0,
) -> Iterator[Proc]:
    """Start ``argv`` (stdout and stderr into ``output_path``); stop it on the way out:
    SIGTERM, then SIGKILL after ``stop_grace`` seconds."""
    full_env = {**os.environ, **(env or {})}
    with output_path.open("wb") as sink:
        process = subprocess.Popen(
            argv, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT, env=full_env
        )
    try:
        yield Proc(process, output_path)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=stop_grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class HttpClient:
    """HTTP/1.1 to ``127.0.0.1:port`` over one explicit connection.

    With ``keep_alive`` the same TCP connection carries every request (it is reopened only
    if the server closed it); without it each request gets its own connection and sends
    ``Connection: close``."""

    def __init__(self, port: int, keep_alive: bool = True, timeout: float = 5.0) -> None:
        self.port = port
        self.keep_alive = keep_alive
        self.timeout = timeout
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        return self._conn

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        sent = dict(headers or {})
        if not self.keep_alive:
            sent["Connection"] = "close"
        conn = self._connection()
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError):
            self.close()
            raise
        reply = Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        if not self.keep_alive or response.will_close:
            self.close()
        return reply

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, body: bytes, headers: Mapping[str, str] | None = None) -> Reply:
        return self.request("POST", path, body=body, headers=headers)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def http_get(port: int, path: str, timeout: float = 3.0) -> Reply:
    """One GET on a fresh connection."""
    with HttpClient(port, keep_alive=False, timeout=timeout) as client:
        return client.get(path)


def wait_http(url: str, deadline: float) -> bool:
    """Poll ``url`` (``http://127.0.0.1:PORT/path``) until anything answers over HTTP, or until
    ``deadline`` (a ``time.monotonic()`` value). True when it answered."""
    rest = url.removeprefix("http://")
    hostport, _, path = rest.partition("/")
    port = int(hostport.rsplit(":", 1)[1])
    while time.monotonic() < deadline:
        try:
            http_get(port, "/" + path, timeout=1.0)
            return True
        except (http.client.HTTPException, OSError):
            time.sleep(0.03)
    return False


# --- Scenario helpers: one project directory serves both the real run and the static check.

GO_MODULES = Path(__file__).parent / "realgo" / "go"


def require_go() -> str:
    """The ``go`` command; a missing toolchain FAILS the test (CI installs golang-go)."""
    found = shutil.which("go")
    if found is None:
        pytest.fail(GO_MISSING, pytrace=False)
    return found


def session_build(src_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``build_go`` into the session's base temp directory, sharing one GOCACHE per session."""
    require_go()
    base = tmp_path_factory.getbasetemp()
    return build_go(src_dir, base / "gobuild", gocache=base / "gocache")


def copy_go_module(name: str, dest: Path, replace: Mapping[str, str] | None = None) -> Path:
    """Copy ``realgo/go/<name>`` to ``dest``, applying literal ``replace`` edits (used to put
    the test's free ports into the source's default addresses, so the Go source the static
    check reads is exactly what runs). Every edit must apply."""
    src = GO_MODULES / name
    dest.mkdir(parents=True, exist_ok=True)
    pending = dict(replace or {})
    for path in sorted(src.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        for old, new in list(pending.items()):
            if old in text:
                text = text.replace(old, new)
                del pending[old]
        target = dest / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    if pending:
        raise AssertionError(f"edits not found in {src}: {sorted(pending)}")
    return dest


def static_config(
    web: int, api: int, log_path: Path, access_log: Path | None = None, level: str = "INFO"
) -> str:
    """Traefik's static configuration: ``web`` and the API on loopback, the file provider on
    ``dyn`` next to it (Traefik runs with the project as its working directory)."""
    lines = [
        "global: {checkNewVersion: false, sendAnonymousUsage: false}",
        "entryPoints:",
        f'  web: {{address: "127.0.0.1:{web}"}}',
        f'  traefik: {{address: "127.0.0.1:{api}"}}',
        "api: {insecure: true}",
        f"log: {{level: {level}, noColor: true, filePath: {log_path}}}",
        "providers:",
        "  file: {directory: dyn}",
    ]
    if access_log is not None:
        lines.append(f"accessLog: {{filePath: {access_log}, format: json}}")
    return "\n".join(lines) + "\n"


def write_project(
    project: Path,
    dynamic: str,
    web: int,
    api: int,
    *,
    run_dir: Path,
    access_log: bool = False,
) -> Path:
    """Write ``traefik.yml`` and ``dyn/dynamic.yml`` into ``project`` (logs go to
    ``run_dir``, outside the project); return the static file."""
    (project / "dyn").mkdir(parents=True, exist_ok=True)
    (project / "dyn" / "dynamic.yml").write_text(dynamic, encoding="utf-8")
    run_dir.mkdir(parents=True, exist_ok=True)
    static = project / "traefik.yml"
    static.write_text(
        static_config(
            web,
            api,
            run_dir / "traefik.log",
            run_dir / "access.log" if access_log else None,
        ),
        encoding="utf-8",
    )
    return static


def wait_routers(running: Running, names: list[str], deadline: float) -> bool:
    """Wait until Traefik's API lists every router in ``names`` (``r@file``) as enabled."""
    while time.monotonic() < deadline:
        try:
            routers = {r.get("name"): r for r in running.routers()}
        except (OSError, ValueError):
            routers = {}
        if all(routers.get(name, {}).get("status") == "enabled" for name in names):
            return True
        time.sleep(0.05)
    return False


def static_findings(project: Path, code: str) -> list[str]:
    """Run the static check with only ``code`` selected; return the findings' messages.
    Asserts first that the rule exists, so a missing rule fails loudly (never skips)."""
    from traefik_doctor.engine import run_check
    from traefik_doctor.rules.registry import BY_CODE
    from traefik_doctor.settings import Settings

    assert code in BY_CODE, f"rule {code} is not registered in traefik_doctor.rules.registry"
    result = run_check(project, Settings(select=[code]))
    assert not result.crashed, result.crashed
    return [
        f"{f.location.path}:{f.location.line} {f.message}"
        for f in result.findings
        if f.code == code
    ]


@contextmanager
def serve(
    binary: Path,
    go_env: Mapping[str, str],
    *,
    go_ready_url: str,
    static: Path,
    api: int,
    routers: list[str],
    run_dir: Path,
) -> Iterator[tuple[Proc, Running]]:
    """Run the Go service and Traefik (working directory: the project), wait until the Go
    service answers and Traefik's API shows ``routers`` enabled; stop both on the way out."""
    with (
        run_process([str(binary)], run_dir / "go.out", env=go_env) as go,
        run_traefik(static, run_dir, api, cwd=static.parent) as traefik,
    ):
        assert wait_http(go_ready_url, time.monotonic() + 10), f"Go never answered:\n{go.output()}"
        assert wait_for_api(traefik), f"Traefik API never came up:\n{traefik.log()}"
        assert wait_routers(traefik, routers, time.monotonic() + 10), (
            f"routers {routers} never enabled: {traefik.routers()}\n{traefik.log()}"
        )
        yield go, traefik
