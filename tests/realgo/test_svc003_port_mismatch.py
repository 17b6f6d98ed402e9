"""SVC003 with real traffic: the server URL's port is not the port the Go service listens
on. Every request through Traefik gets 502 (connection refused) while the Go service answers
on its own port; with the URL fixed, 200."""

from __future__ import annotations

from pathlib import Path

import pytest

from golab import (
    HttpClient,
    copy_go_module,
    http_get,
    serve,
    session_build,
    static_findings,
    write_project,
)
from traefik_lab import free_port

pytestmark = [pytest.mark.traefik, pytest.mark.go]

REQUESTS = 5

DYNAMIC = """\
http:
  routers:
    hello:
      rule: PathPrefix(`/`)
      service: hello
  services:
    hello:
      loadBalancer:
        servers:
          - url: http://127.0.0.1:{url_port}
"""


def run_variant(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, name: str, wrong_port: bool
) -> tuple[list[tuple[int, str]], tuple[int, str], list[str]]:
    project, run_dir = tmp_path / name / "project", tmp_path / name / "run"
    port, web, api = free_port(), free_port(), free_port()
    url_port = port
    if wrong_port:
        url_port = free_port()  # nothing listens there
        assert url_port != port
    src = copy_go_module("hello", project / "hello", {"127.0.0.1:18480": f"127.0.0.1:{port}"})
    static = write_project(project, DYNAMIC.format(url_port=url_port), web, api, run_dir=run_dir)
    binary = session_build(src, tmp_path_factory)
    with serve(
        binary,
        {"ADDR": f"127.0.0.1:{port}"},
        go_ready_url=f"http://127.0.0.1:{port}/",
        static=static,
        api=api,
        routers=["hello@file"],
        run_dir=run_dir,
    ):
        with HttpClient(web, keep_alive=False, timeout=3) as client:
            through = [(r.status, r.text) for r in (client.get("/") for _ in range(REQUESTS))]
        direct = http_get(port, "/")
    return through, (direct.status, direct.text), static_findings(project, "SVC003")


def test_svc003_wrong_port_gives_502_while_go_answers(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    broken, broken_direct, broken_findings = run_variant(tmp_path, tmp_path_factory, "broken", True)
    fixed, fixed_direct, fixed_findings = run_variant(tmp_path, tmp_path_factory, "fixed", False)

    assert broken == [(502, "Bad Gateway")] * REQUESTS
    assert broken_direct == (200, "hello from go\n")
    assert fixed == [(200, "hello from go\n")] * REQUESTS
    assert fixed_direct == (200, "hello from go\n")

    assert broken_findings, "SVC003 must flag the server URL port no Go listener binds"
    assert not fixed_findings, fixed_findings
