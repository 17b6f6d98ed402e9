"""Files ``fix`` wrote, loaded by the real Traefik 3.7: the routers it repaired are enabled,
with no error, and route the requests their v2 rules meant to a real backend."""

from __future__ import annotations

import shutil
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from traefik_doctor.cli import main
from traefik_lab import free_port, run_traefik, wait_for_api

FIXTURES = Path(__file__).parent.parent / "fixtures"


class _Backend(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"backend-ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def backend() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Backend)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def get(port: int, host: str, path: str = "/") -> tuple[int, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.traefik
def test_fixed_rtr003_and_rtr004_routers_are_enabled_and_route(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dynamic = tmp_path / "project" / "dynamic"
    dynamic.mkdir(parents=True)
    with backend() as url:
        for case, name in (
            ("RTR003/fail_multi_arg", "multi.yml"),
            ("RTR004/fail_placeholder", "ph.yml"),
        ):
            text = (FIXTURES / case / "dynamic" / "app.yml").read_text(encoding="utf-8")
            text = text.replace("http://127.0.0.1:9000", url)
            if name == "ph.yml":  # one file per case: the second one's names must differ
                text = text.replace("    app:\n", "    app2:\n").replace(
                    "service: app", "service: app2"
                )
            (dynamic / name).write_text(text, encoding="utf-8")
        shutil.copy(FIXTURES / "RTR003" / "fail_multi_arg" / "traefik.yml", tmp_path / "project")
        code = main(
            [
                "fix",
                str(tmp_path / "project"),
                "--select",
                "RTR003,RTR004",
                "--unsafe",
                "--no-backup",
            ]
        )
        out = capsys.readouterr().out
        assert code == 0, out
        assert "fixed 3 findings in 2 files" in out

        web, api = free_port(), free_port()
        static = tmp_path / "lab-traefik.yml"
        static.write_text(
            "global: {checkNewVersion: false, sendAnonymousUsage: false}\n"
            f"entryPoints:\n  web: {{address: '127.0.0.1:{web}'}}\n"
            f"  traefik: {{address: '127.0.0.1:{api}'}}\n"
            "api: {insecure: true}\n"
            f"log: {{level: DEBUG, noColor: true, filePath: '{tmp_path / 'traefik.log'}'}}\n"
            f"providers:\n  file: {{directory: '{dynamic}', watch: false}}\n",
            encoding="utf-8",
        )
        with run_traefik(static, tmp_path, api) as running:
            assert wait_for_api(running), running.log()[-3000:]
            wanted = {"multi@file", "sub@file", "user@file"}
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                routers = {r["name"]: r for r in running.routers()}
                if wanted <= set(routers):
                    break
                time.sleep(0.1)
            for name in wanted:
                assert routers[name]["status"] == "enabled", routers[name]
                assert not routers[name].get("error"), routers[name]
            # Each rule now matches what its v2 form meant, and only that.
            assert get(web, "a.test") == (200, b"backend-ok")
            assert get(web, "b.test") == (200, b"backend-ok")
            assert get(web, "shop.example.com") == (200, b"backend-ok")
            assert get(web, "pb.test", "/users/42") == (200, b"backend-ok")
            assert get(web, "pb.test", "/users/abc") == (404, b"404 page not found\n")


class _EchoHost(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"host={self.headers.get('Host')!r}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


MW001_APP = """\
http:
  routers:
    app:
      rule: Host(`app.test`)
      service: app
      middlewares: [fwd]
  middlewares:
    fwd:
      headers:
        customRequestHeaders:
          Host: "{{Host}}"
  services:
    app:
      loadBalancer:
        servers:
          - url: {url}
"""


@pytest.mark.traefik
def test_fixed_mw001_host_header_reaches_the_backend(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """MW001's fix is safe for `Host: "{Host}"`: with `Host: ""` the backend gets the
    request's own host, where the literal template gave it an empty one."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoHost)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        project = tmp_path / "project"
        (project / "dynamic").mkdir(parents=True)
        app = project / "dynamic" / "app.yml"
        app.write_text(MW001_APP.format(url=url), encoding="utf-8")
        web, api = free_port(), free_port()
        static = project / "traefik.yml"
        static.write_text(
            "global: {checkNewVersion: false, sendAnonymousUsage: false}\n"
            f"entryPoints:\n  web: {{address: '127.0.0.1:{web}'}}\n"
            f"  traefik: {{address: '127.0.0.1:{api}'}}\n"
            "api: {insecure: true}\n"
            f"providers:\n  file: {{directory: '{project / 'dynamic'}', watch: true}}\n",
            encoding="utf-8",
        )
        with run_traefik(static, tmp_path, api) as running:
            assert wait_for_api(running), running.log()[-3000:]
            assert _eventually(lambda: get(web, "app.test") == (200, b"host=''"))
            code = main(["fix", str(project), "--select", "MW001", "--no-backup"])
            assert code == 0, capsys.readouterr().out
            assert 'Host: ""' in app.read_text(encoding="utf-8")
            # The file provider watches the directory: the fixed file is picked up live.
            assert _eventually(lambda: get(web, "app.test") == (200, b"host='app.test'"))
    finally:
        server.shutdown()
        server.server_close()


def _eventually(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False
