"""GO002 with real traffic: `import _ "net/http/pprof"` registers /debug/pprof/ on
http.DefaultServeMux; a service that serves DefaultServeMux behind PathPrefix(`/`) hands the
profiler to anyone who can reach Traefik (200 with the pprof index). The fix keeps pprof on a
second listener bound to loopback and gives the application its own mux: the same request
through Traefik gets Go's 404, while pprof still answers on its private port."""

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

DYNAMIC = """\
http:
  routers:
    app:
      rule: PathPrefix(`/`)
      service: app
  services:
    app:
      loadBalancer:
        servers:
          - url: http://127.0.0.1:{port}
"""
PPROF_INDEX = "Types of profiles available"


def run_variant(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, module: str
) -> tuple[tuple[int, str], tuple[int, str], tuple[int, str] | None, list[str]]:
    project, run_dir = tmp_path / module / "project", tmp_path / module / "run"
    port, debug_port, web, api = free_port(), free_port(), free_port(), free_port()
    edits = {"127.0.0.1:18480": f"127.0.0.1:{port}"}
    env = {"ADDR": f"127.0.0.1:{port}"}
    if module == "pproflocal":
        edits["127.0.0.1:18481"] = f"127.0.0.1:{debug_port}"
        env["DEBUG_ADDR"] = f"127.0.0.1:{debug_port}"
    src = copy_go_module(module, project / module, edits)
    static = write_project(project, DYNAMIC.format(port=port), web, api, run_dir=run_dir)
    binary = session_build(src, tmp_path_factory)
    with serve(
        binary,
        env,
        go_ready_url=f"http://127.0.0.1:{port}/hello",
        static=static,
        api=api,
        routers=["app@file"],
        run_dir=run_dir,
    ):
        with HttpClient(web, keep_alive=False, timeout=3) as client:
            pprof = client.get("/debug/pprof/")
            hello = client.get("/hello")
        private = None
        if module == "pproflocal":
            direct = http_get(debug_port, "/debug/pprof/")
            private = (direct.status, direct.text)
    return (
        (pprof.status, pprof.text),
        (hello.status, hello.text),
        private,
        static_findings(project, "GO002"),
    )


def test_go002_pprof_reachable_through_traefik(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    pprof, hello, _, findings = run_variant(tmp_path, tmp_path_factory, "pprofexposed")
    assert pprof[0] == 200
    assert PPROF_INDEX in pprof[1]
    assert "goroutine" in pprof[1]
    assert hello == (200, "hello from go\n")
    assert findings, "GO002 must flag pprof on the listener Traefik routes to"

    pprof, hello, private, findings = run_variant(tmp_path, tmp_path_factory, "pproflocal")
    assert pprof == (404, "404 page not found\n")
    assert hello == (200, "hello from go\n")
    assert private is not None
    assert private[0] == 200
    assert PPROF_INDEX in private[1]
    assert not findings, findings
