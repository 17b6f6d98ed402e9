"""MW002 with real traffic: the router matches PathPrefix(`/api`) and strips `/api`, but the
Go service registers the full path /api/users. Go receives /users and answers its own
`404 page not found`; the JSON access log proves the router matched and the 404 came from the
backend (RouterName set, OriginStatus 404). Without the middleware, 200."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from golab import (
    HttpClient,
    copy_go_module,
    serve,
    session_build,
    static_findings,
    write_project,
)
from traefik_lab import free_port

pytestmark = [pytest.mark.traefik, pytest.mark.go]

ROUTER = """\
http:
  routers:
    users:
      rule: PathPrefix(`/api`)
      service: users
{middlewares}  services:
    users:
      loadBalancer:
        servers:
          - url: http://127.0.0.1:{port}
"""
STRIP = """\
      middlewares: [strip-api]
  middlewares:
    strip-api:
      stripPrefix:
        prefixes: [/api]
"""


def access_records(path: Path, count: int, deadline: float) -> list[dict[str, Any]]:
    """The first ``count`` JSON access-log records (Traefik writes them after the reply)."""
    records: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            records = [json.loads(line) for line in lines if line.strip()]
            if len(records) >= count:
                return records
        time.sleep(0.05)
    return records


def run_variant(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, name: str, strip: bool
) -> tuple[tuple[int, str], dict[str, Any], list[str]]:
    project, run_dir = tmp_path / name / "project", tmp_path / name / "run"
    port, web, api = free_port(), free_port(), free_port()
    src = copy_go_module("users", project / "users", {"127.0.0.1:18480": f"127.0.0.1:{port}"})
    dynamic = ROUTER.format(middlewares=STRIP if strip else "", port=port)
    static = write_project(project, dynamic, web, api, run_dir=run_dir, access_log=True)
    binary = session_build(src, tmp_path_factory)
    with serve(
        binary,
        {"ADDR": f"127.0.0.1:{port}"},
        go_ready_url=f"http://127.0.0.1:{port}/api/users",
        static=static,
        api=api,
        routers=["users@file"],
        run_dir=run_dir,
    ):
        with HttpClient(web, keep_alive=False, timeout=3) as client:
            reply = client.get("/api/users")
            unrouted = client.get("/nothing")  # Traefik's own 404, for comparison
        records = access_records(run_dir / "access.log", 2, time.monotonic() + 5)
    assert len(records) == 2, records
    assert (unrouted.status, unrouted.text) == (404, "404 page not found\n")
    assert not records[1].get("RouterName"), records[1]
    assert not records[1].get("OriginStatus"), records[1]
    return (reply.status, reply.text), records[0], static_findings(project, "MW002")


def test_mw002_strip_prefix_gives_backend_404(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    broken, broken_log, broken_findings = run_variant(tmp_path, tmp_path_factory, "broken", True)
    fixed, fixed_log, fixed_findings = run_variant(tmp_path, tmp_path_factory, "fixed", False)

    assert broken == (404, "404 page not found\n")
    # Traefik's own 404 (no router) has no RouterName and no OriginStatus: this one is Go's.
    assert broken_log["RouterName"] == "users@file"
    assert broken_log["OriginStatus"] == 404
    assert broken_log["DownstreamStatus"] == 404
    assert broken_log["RequestPath"] == "/api/users"
    assert broken_findings, "MW002 must flag stripPrefix /api in front of Go's /api/users"

    assert fixed == (200, '["ada","linus"]\n')
    assert fixed_log["RouterName"] == "users@file"
    assert fixed_log["OriginStatus"] == 200
    assert not fixed_findings, fixed_findings
