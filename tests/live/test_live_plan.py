"""The probe plan from a project, without any network: entry point URLs, the request each
router's rule gets, backends, the access log and its X-Diag-Id field; and a run against a
system that is not there (every failure a finding, bounded in time)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from traefik_doctor.live.accesslog import read_access_log
from traefik_doctor.live.diagnose import diagnose
from traefik_doctor.live.plan import address_url, build_plan, parse_overrides
from traefik_doctor.live.run import run_plan
from traefik_doctor.loaders.project import load_project
from traefik_lab import free_port

STATIC = """\
entryPoints:
  web: {{address: ":{web}"}}
  websecure: {{address: "0.0.0.0:{secure}", http: {{tls: {{}}}}}}
  traefik: {{address: "127.0.0.1:{api}"}}
api: {{insecure: true}}
accessLog: {{filePath: logs/access.json, format: json}}
providers: {{file: {{directory: dyn}}}}
"""

DYNAMIC = """\
http:
  routers:
    a:
      rule: "Host(`a.test`) && PathPrefix(`/api`) && Method(`POST`) && Header(`X-K`, `v`)"
      service: s
      entryPoints: [web]
    b:
      rule: "(Host(`b.test`) || Host(`c.test`)) && Path(`/u/{id:[0-9]+}`) && Query(`q`, `1`)"
      service: s
      entryPoints: [websecure]
  services:
    s:
      loadBalancer:
        healthCheck: {path: /healthz}
        servers: [{url: "http://127.0.0.1:9"}]
"""


def _project(tmp_path: Path, web: int = 8000, secure: int = 8443, api: int = 8080) -> Path:
    (tmp_path / "dyn").mkdir()
    (tmp_path / "traefik.yml").write_text(
        STATIC.format(web=web, secure=secure, api=api), encoding="utf-8"
    )
    (tmp_path / "dyn" / "app.yml").write_text(DYNAMIC, encoding="utf-8")
    return tmp_path


def test_plan_from_project(tmp_path: Path) -> None:
    plan = build_plan(load_project(_project(tmp_path)), run_id="t")
    assert plan.api_url == "http://127.0.0.1:8080"
    assert plan.entry_points["web"] == "http://127.0.0.1:8000"
    assert plan.entry_points["websecure"] == "http://127.0.0.1:8443"
    probes = {p.router: p for p in plan.routers}
    a, b = probes["a@file"], probes["b@file"]
    assert (a.method, a.host, a.path, a.headers) == ("POST", "a.test", "/api", (("X-K", "v"),))
    assert a.url == "http://127.0.0.1:8000/api" and not a.tls
    assert (b.host, b.path, b.tls, b.exact) == ("b.test", "/u/1?q=1", True, False)
    assert b.url == "https://127.0.0.1:8443/u/1?q=1"
    assert len({a.diag_id, b.diag_id}) == 2
    assert [(t.url, t.health_path) for t in plan.backends] == [("http://127.0.0.1:9", "/healthz")]
    assert plan.access_log == tmp_path / "logs" / "access.json"
    assert not plan.access_log_keeps_id
    assert any("X-Diag-Id" in note for note in plan.notes)


def test_overrides_and_addresses() -> None:
    assert address_url(":80") == "http://127.0.0.1:80"
    assert address_url("[::1]:81/tcp") == "http://[::1]:81"
    assert parse_overrides(["web=http://h:1/"]) == {"web": "http://h:1"}
    with pytest.raises(ValueError, match="NAME=URL"):
        parse_overrides(["web"])


def test_access_log_tail_since_start(tmp_path: Path) -> None:
    path = tmp_path / "access.json"
    old = '{"StartUTC": "2000-01-01T00:00:00Z", "request_X-Diag-Id": "old"}'
    new = '{"StartUTC": "2100-01-01T00:00:00.123456789Z", "RouterName": "r@file",'
    new += ' "request_X-Diag-Id": "new"}'
    path.write_text(f"{old}\nnot json\n{new}\n", encoding="utf-8")
    log = read_access_log(path, since=time.time())
    assert set(log.by_id) == {"new"}
    assert log.find("new") == log.records[0]
    assert read_access_log(tmp_path / "missing", since=0).error


def test_nothing_running_is_findings_not_a_crash(tmp_path: Path) -> None:
    web, secure, api = free_port(), free_port(), free_port()
    plan = build_plan(load_project(_project(tmp_path, web, secure, api)))
    started = time.monotonic()
    evidence = run_plan(plan, timeout=1.0, deadline=5)
    assert time.monotonic() - started < 5
    codes = [d.code for d in diagnose(evidence)]
    assert set(codes) == {"LIVE001"} and len(codes) == 3  # web, websecure, traefik
