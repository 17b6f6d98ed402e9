"""model.rewrite against the real Traefik: each case's middlewares run in front of a Python
echo backend on loopback, and the backend must receive exactly the predicted path."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rewrite_cases import CASES

from traefik_doctor.loaders.project import load_project
from traefik_doctor.model.rewrite import rewrite
from traefik_lab import free_port, run_traefik, wait_for_api

pytestmark = pytest.mark.traefik


class _Echo(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = self.path.encode()
        self.send_response(200)
        self.send_header("X-Backend", "echo")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def echo() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _dynamic(backend: int) -> str:
    lines = ["http:", "  routers:"]
    for index, case in enumerate(CASES):
        names = ", ".join(f"c{index}-{name}" for name in case.names)
        lines += [
            f"    c{index}:",
            f'      rule: "Host(`c{index}.test`)"',
            "      entryPoints: [web]",
            f"      middlewares: [{names}]",
            "      service: echo",
        ]
    lines.append("  middlewares:")
    for index, case in enumerate(CASES):
        for name, body in case.middlewares.items():
            text = body
            for inner in case.middlewares:  # chains name their members with the case prefix
                text = text.replace(f"[{inner}, ", f"[c{index}-{inner}, ").replace(
                    f", {inner}]", f", c{index}-{inner}]"
                )
            lines.append(f"    c{index}-{name}: {text}")
    lines += [
        "  services:",
        f"    echo: {{loadBalancer: {{servers: [{{url: 'http://127.0.0.1:{backend}'}}]}}}}",
    ]
    return "\n".join(lines) + "\n"


def _get(port: int, host: str, path: str) -> tuple[int, str, bool]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        body = response.read().decode()
        return response.status, body, response.getheader("X-Backend") == "echo"
    finally:
        connection.close()


def test_backend_receives_the_predicted_path(tmp_path: Path, echo: int) -> None:
    web, api = free_port(), free_port()
    dyn = tmp_path / "dyn"
    dyn.mkdir()
    (dyn / "routes.yml").write_text(_dynamic(echo), encoding="utf-8")
    static = tmp_path / "traefik.yml"
    static.write_text(
        "global: {checkNewVersion: false, sendAnonymousUsage: false}\n"
        f"entryPoints:\n  web: {{address: '127.0.0.1:{web}'}}\n"
        f"  traefik: {{address: '127.0.0.1:{api}'}}\n"
        "api: {insecure: true}\n"
        f"providers:\n  file: {{directory: '{dyn}'}}\n",
        encoding="utf-8",
    )
    project = load_project(dyn / "routes.yml", go=False)
    with run_traefik(static, tmp_path, api) as running:
        assert wait_for_api(running), running.log()
        for _ in range(100):
            if len([r for r in running.routers() if r["provider"] == "file"]) == len(CASES):
                break
            threading.Event().wait(0.05)
        observed = {}
        for index, case in enumerate(CASES):
            router = project.dynamic.routers[f"http:c{index}@file"]
            predicted = rewrite(project, router, case.request)
            status, body, from_backend = _get(web, f"c{index}.test", case.request)
            observed[case.id] = (status, body if from_backend else None)
            if case.expected is None:
                assert not from_backend, (case.id, status, body)
                assert status == case.status, (case.id, status, body)
                assert predicted.ends is not None, case.id
            else:
                assert from_backend, (case.id, status, body)
                assert body == case.expected, (case.id, body)
                assert predicted.reaches_backend and predicted.path == body, (case.id, predicted)
