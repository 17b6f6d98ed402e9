"""RTR011 / RTR012 fixtures against the real Traefik 3.7: what the findings claim happens.

Each ``fail_`` case of RTR011 and RTR012 lists requests in the ``[routing]`` table(s) of its
``case.toml``. The case runs in Traefik (entry points moved to loopback, JSON access log
keeping ``X-Diag-Id``); the access log's ``RouterName`` shows who served each request.

* RTR011: every listed request matches the shadowed router's rule, yet the shadowing
  router serves all of them and the shadowed one none.
* RTR012: every listed request is served by one of the tied routers, the same one within a
  process; over three starts the winners are recorded (they may differ; we do not assert
  randomness).

Our engine must say the same: ``RoutingTable.route`` names the shadowing router as winner
(RTR011), or reports the tied routers as ``ambiguous`` co-matches (RTR012).
"""

from __future__ import annotations

import http.client
import json
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from fixtures import Case, cases
from traefik_doctor.loaders.project import load_project
from traefik_doctor.routing import Request, RoutingTable
from traefik_lab import free_port, run_traefik, wait_for_api

CASES = [c for c in cases() if c.code in ("RTR011", "RTR012") and c.failing]


def _groups(case: Case) -> list[dict[str, Any]]:
    routing = case.settings.get("routing")
    if isinstance(routing, dict):
        return [routing]
    assert isinstance(routing, list), f"{case.id}: case.toml needs [routing]"
    return [g for g in routing if isinstance(g, dict)]


def _lab(case: Case, workdir: Path) -> tuple[Path, dict[str, int]]:
    project = workdir / "project"
    shutil.copytree(case.path, project)
    data = yaml.safe_load((project / "traefik.yml").read_text("utf-8"))
    ports = {name: free_port() for name in data["entryPoints"]}
    ports["traefik"] = free_port()
    for name, port in ports.items():
        data["entryPoints"].setdefault(name, {})["address"] = f"127.0.0.1:{port}"
    data["global"] = {"checkNewVersion": False, "sendAnonymousUsage": False}
    data["api"] = {"insecure": True}
    data["log"] = {"level": "ERROR", "filePath": str(workdir / "traefik.log")}
    data["accessLog"] = {
        "filePath": str(workdir / "access.json"),
        "format": "json",
        "fields": {"headers": {"defaultMode": "drop", "names": {"X-Diag-Id": "keep"}}},
    }
    data["providers"]["file"] = {"directory": str(project / "dynamic"), "watch": False}
    static = workdir / "lab.yml"
    static.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return static, ports


def _send(port: int, line: str, diag: str) -> None:
    method, url = line.split(" ", 1)
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", parts.netloc)
        conn.putheader("X-Diag-Id", diag)
        conn.putheader("Content-Length", "0")
        conn.endheaders()
        conn.getresponse().read()
    finally:
        conn.close()


def _served(case: Case, workdir: Path, lines: list[str]) -> list[str | None]:
    """Start Traefik on the case, send ``lines`` on ``web``, return each RouterName."""
    static, ports = _lab(case, workdir)
    routers = len(load_project(case.path, go=False).dynamic.routers)
    with run_traefik(static, workdir, ports["traefik"]) as running:
        assert wait_for_api(running), running.log()[-2000:]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if sum(1 for r in running.routers() if r.get("provider") == "file") >= routers:
                break
            time.sleep(0.05)
        time.sleep(0.15)
        for index, line in enumerate(lines):
            _send(ports["web"], line, f"q{index}")
        log = workdir / "access.json"
        records: dict[str, dict[str, Any]] = {}
        deadline = time.monotonic() + 5
        while len(records) < len(lines) and time.monotonic() < deadline:
            time.sleep(0.05)
            if log.exists():
                for raw in log.read_text("utf-8").splitlines():
                    record = json.loads(raw)
                    records[record.get("request_X-Diag-Id", "")] = record
    return [records.get(f"q{i}", {}).get("RouterName") for i in range(len(lines))]


def _ours(case: Case, line: str) -> tuple[str | None, set[str]]:
    table = RoutingTable(load_project(case.path, go=False))
    method, url = line.split(" ", 1)
    result = table.route(Request.from_url(method, url), "web")
    winner = result.winner.qualified if result.winner else None
    return winner, {r.qualified for r in result.ambiguous}


@pytest.mark.traefik
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_findings_hold_in_traefik(case: Case, tmp_path: Path) -> None:
    for group_index, group in enumerate(_groups(case)):
        lines = list(group["requests"])
        if case.code == "RTR011":
            served = _served(case, tmp_path / f"g{group_index}", lines)
            assert group["shadowed"] not in served, served
            assert served == [group["by"]] * len(lines), served
            for line in lines:
                assert _ours(case, line) == (group["by"], set()), line
            continue
        tied = set(group["tied"])
        winners = []
        for start in range(3):
            served = _served(case, tmp_path / f"g{group_index}-s{start}", lines)
            assert set(served) <= tied and len(set(served)) == 1, served
            winners.append(served[0])
        print(f"{case.id}: winners over 3 starts: {winners}")
        for line in lines:
            winner, others = _ours(case, line)
            assert {winner} | others == tied, (line, winner, others)
