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


SECURE_API = """\
entryPoints:
  web: {address: "127.0.0.1:8000"}
  traefik: {address: "127.0.0.1:8080"}
api: {dashboard: true}
metrics: {prometheus: {addRoutersLabels: true}}
providers: {file: {directory: dyn}}
"""

SECURE_API_DYNAMIC = """\
http:
  routers:
    dash:
      rule: "PathPrefix(`/api`) || PathPrefix(`/dashboard`)"
      service: api@internal
      entryPoints: [traefik]
"""


def test_api_behind_a_router_and_the_pages_it_serves(tmp_path: Path) -> None:
    """No api.insecure: the router to api@internal is the API; `/api` itself is a 404 there,
    so its request asks a page the API serves."""
    (tmp_path / "dyn").mkdir()
    (tmp_path / "traefik.yml").write_text(SECURE_API, encoding="utf-8")
    (tmp_path / "dyn" / "api.yml").write_text(SECURE_API_DYNAMIC, encoding="utf-8")
    plan = build_plan(load_project(tmp_path), run_id="t")
    assert plan.api_url == "http://127.0.0.1:8080"
    assert [p.path for p in plan.routers] == ["/api/version"]
    assert plan.metrics_url == "http://127.0.0.1:8080/metrics"
    hosted = SECURE_API_DYNAMIC.replace('"PathPrefix', '"Host(`t.test`) && (PathPrefix').replace(
        '`/dashboard`)"', '`/dashboard`))"'
    )
    (tmp_path / "dyn" / "api.yml").write_text(hosted, encoding="utf-8")
    plan = build_plan(load_project(tmp_path), run_id="t")
    assert plan.api_url is None
    assert any("needs a Host" in note for note in plan.notes)


def test_metrics_and_pprof_targets(tmp_path: Path) -> None:
    project = _project(tmp_path)
    plan = build_plan(load_project(project), run_id="t")
    assert plan.metrics_url is None
    assert any("no Prometheus metrics" in note for note in plan.notes)
    assert plan.pprof == []
    plan = build_plan(
        load_project(project),
        metrics="http://127.0.0.1:9100/metrics/",
        pprof=["127.0.0.1:6060", "http://127.0.0.1:6061/debug/pprof/heap"],
    )
    assert plan.metrics_url == "http://127.0.0.1:9100/metrics"
    assert [t.url for t in plan.pprof] == [
        "http://127.0.0.1:6060/debug/pprof",
        "http://127.0.0.1:6061/debug/pprof",
    ]
    static = (project / "traefik.yml").read_text(encoding="utf-8")
    (project / "traefik.yml").write_text(
        static + "metrics: {prometheus: {entryPoint: web}}\n", encoding="utf-8"
    )
    (project / "main.go").write_text(
        'package main\n\nimport (\n\t"net/http"\n\t_ "net/http/pprof"\n)\n\n'
        'func main() {\n\thttp.ListenAndServe("127.0.0.1:6060", nil)\n}\n',
        encoding="utf-8",
    )
    plan = build_plan(load_project(project), run_id="t")
    assert plan.metrics_url == "http://127.0.0.1:8000/metrics"
    assert [(t.url, t.location.path, t.location.line) for t in plan.pprof] == [
        ("http://127.0.0.1:6060/debug/pprof", "main.go", 9)
    ]


def test_access_log_is_read_from_where_the_run_began(tmp_path: Path) -> None:
    from traefik_doctor.live.accesslog import log_size

    path = tmp_path / "access.json"
    old = '{"StartUTC": "2026-01-01T00:00:00Z", "request_X-Diag-Id": "old"}\n'
    path.write_text(old * 1000, encoding="utf-8")
    start = log_size(path)
    new = '{"StartUTC": "2026-01-01T00:00:00Z", "request_X-Diag-Id": "run-%d"}\n'
    with path.open("a", encoding="utf-8") as handle:
        for n in range(3):
            handle.write(new % n)
    log = read_access_log(path, since=0, start=start)
    assert sorted(log.by_id) == ["run-0", "run-1", "run-2"]  # the first record is kept whole
    # A bounded tail that starts inside a record drops that partial line only.
    tail = read_access_log(path, since=0, start=start, max_bytes=len(new) * 2 + 3)
    assert sorted(tail.by_id) == ["run-1", "run-2"]
    # The log was rotated since the run began: read it from the start.
    path.write_text(new % 7, encoding="utf-8")
    assert list(read_access_log(path, since=0, start=start).by_id) == ["run-7"]
