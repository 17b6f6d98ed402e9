"""SVC005 with real traffic: the health check asks for /healthz, the Go service serves only
/health. After about one interval (1 s) Traefik marks the server DOWN and every request gets
Traefik's 503 `no available server`; with the path fixed the server stays UP, Go logs the
probes, and requests get 200."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from golab import (
    HttpClient,
    copy_go_module,
    serve,
    session_build,
    static_findings,
    write_project,
)
from traefik_lab import Running, free_port

pytestmark = [pytest.mark.traefik, pytest.mark.go]

PROBE = "health probe GET /health"

DYNAMIC = """\
http:
  routers:
    hello:
      rule: PathPrefix(`/hello`)
      service: hello
  services:
    hello:
      loadBalancer:
        healthCheck:
          path: {path}
          interval: 1s
          timeout: 500ms
        servers:
          - url: http://127.0.0.1:{port}
"""


def server_status(traefik: Running, url: str) -> str | None:
    services = {s.get("name"): s for s in traefik.get("/api/http/services")}
    status: dict[str, str] = services.get("hello@file", {}).get("serverStatus", {})
    return status.get(url)


def run_variant(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, name: str, path: str
) -> tuple[str | None, float, list[tuple[int, str]], str, list[str]]:
    project, run_dir = tmp_path / name / "project", tmp_path / name / "run"
    port, web, api = free_port(), free_port(), free_port()
    url = f"http://127.0.0.1:{port}"
    src = copy_go_module(
        "healthapp", project / "healthapp", {"127.0.0.1:18480": f"127.0.0.1:{port}"}
    )
    static = write_project(project, DYNAMIC.format(path=path, port=port), web, api, run_dir=run_dir)
    binary = session_build(src, tmp_path_factory)
    with serve(
        binary,
        {"ADDR": f"127.0.0.1:{port}"},
        go_ready_url=f"{url}/hello",
        static=static,
        api=api,
        routers=["hello@file"],
        run_dir=run_dir,
    ) as (go, traefik):
        # The first check runs one interval after the config loads: wait (at most 2.5
        # intervals) until it marked the server DOWN or Go logged a probe it answered.
        start = time.monotonic()
        status = server_status(traefik, url)
        while time.monotonic() < start + 2.5 and status != "DOWN" and PROBE not in go.output():
            time.sleep(0.05)
            status = server_status(traefik, url)
        waited = time.monotonic() - start
        time.sleep(0.2)  # let a passing check settle, then read the status again
        status = server_status(traefik, url)
        with HttpClient(web, keep_alive=False, timeout=3) as client:
            replies = [(r.status, r.text) for r in (client.get("/hello") for _ in range(3))]
        go_log = go.output()
    return status, waited, replies, go_log, static_findings(project, "SVC005")


def test_svc005_unserved_healthcheck_path_gives_503(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    broken = run_variant(tmp_path, tmp_path_factory, "broken", "/healthz")
    fixed = run_variant(tmp_path, tmp_path_factory, "fixed", "/health")
    print(
        f"SVC005: DOWN after {broken[1]:.2f} s; "
        f"fixed: first probe after {fixed[1]:.2f} s, {fixed[0]}"
    )

    status, waited, replies, go_log, findings = broken
    assert status == "DOWN", f"server still {status} after {waited:.1f} s"
    assert replies == [(503, "no available server\n")] * 3
    assert PROBE not in go_log
    assert findings, "SVC005 must flag healthCheck.path /healthz that Go does not serve"

    status, waited, replies, go_log, findings = fixed
    assert status == "UP"
    assert 0.5 < waited < 2.5, f"no probe reached Go in {waited:.1f} s"
    assert replies == [(200, "hello from go\n")] * 3
    assert PROBE in go_log
    assert not findings, findings
