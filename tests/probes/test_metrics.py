"""The metrics probe: parsing Traefik's exact sample text, window arithmetic, quantiles like
``histogram_quantile``, hostile endpoints, and a real Traefik with real backends."""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hostile import HostileServer

from golab import HttpClient, wait_routers
from traefik_doctor.live.metrics_diagnose import Thresholds, diagnose_metrics
from traefik_doctor.loaders.project import load_project
from traefik_doctor.probes.metrics import (
    coarseness,
    compute_window,
    parse_snapshot,
    probe_metrics,
    quantile,
    scrape,
)
from traefik_lab import free_port, run_traefik, wait_for_api

# shared/traefik-facts.md §8, "Label sets (exact samples)".
FACTS_SAMPLE = """\
traefik_entrypoint_requests_total{code="502",entrypoint="web",method="GET",protocol="http"} 1
traefik_entrypoint_requests_total{code="404",entrypoint="web",method="GET",protocol="http"} 1
traefik_router_requests_total{code="200",method="GET",protocol="http",router="r-ok@file",service="svc-ok@file"} 3
traefik_service_requests_total{code="502",method="GET",protocol="http",service="svc-closed@file"} 1
traefik_router_request_duration_seconds_bucket{code="200",method="GET",protocol="http",router="r-ok@file",service="svc-ok@file",le="0.1"} 3
traefik_open_connections{entrypoint="web",protocol="TCP"} 0
traefik_service_server_up{service="svc-hc@file",url="http://127.0.0.1:18199"} 0
traefik_config_reloads_total 2
traefik_config_last_reload_success 1.796029757e+09
"""  # noqa: E501 - the exact sample lines


def test_parse_the_facts_sample() -> None:
    snapshot = parse_snapshot(FACTS_SAMPLE, at=5.0)
    window = compute_window(parse_snapshot("", at=0.0), snapshot, "http://x/metrics")
    assert window.window == 5.0
    assert window.router_labels is True
    router = window.find("router", "r-ok@file")
    assert router is not None
    assert router.labels == (("router", "r-ok@file"), ("service", "svc-ok@file"))
    assert (router.requests, router.errors_5xx, router.error_share) == (3, 0, 0)
    assert router.rate == pytest.approx(0.6)
    assert router.quantiles == ()  # no +Inf bucket in the excerpt: no quantile
    service = window.find("service", "svc-closed@file")
    assert service is not None and service.error_share == 1.0
    web = window.find("entrypoint", "web")
    assert web is not None and (web.requests, web.errors_5xx) == (2, 1)
    assert [(s.service, s.url, s.up) for s in window.servers_up] == [
        ("svc-hc@file", "http://127.0.0.1:18199", False)
    ]
    assert window.last_reload_success == pytest.approx(1.796029757e9)
    assert window.reloads_in_window == 2


def _histogram(router: str, counts: dict[str, int], code: str = "200") -> str:
    lines = ["# TYPE traefik_router_request_duration_seconds histogram"]
    labels = f'code="{code}",method="GET",protocol="http",router="{router}",service="s@file"'
    for le, count in counts.items():
        lines.append(
            f'traefik_router_request_duration_seconds_bucket{{{labels},le="{le}"}} {count}'
        )
    total = counts["+Inf"]
    lines.append(f"traefik_router_request_duration_seconds_count{{{labels}}} {total}")
    lines.append(f"traefik_router_request_duration_seconds_sum{{{labels}}} 0")
    lines.append(f"traefik_router_requests_total{{{labels}}} {total}")
    return "\n".join(lines) + "\n"


def test_quantiles_interpolate_like_histogram_quantile() -> None:
    buckets = [(0.1, 50.0), (0.3, 90.0), (1.2, 99.0), (5.0, 100.0), (math.inf, 100.0)]
    p50, p95, p99 = (quantile(q, buckets) for q in (0.5, 0.95, 0.99))
    assert (
        p50 is not None
        and p50.value == pytest.approx(0.1)
        and (p50.lower, p50.upper)
        == (
            0.0,
            0.1,
        )
    )
    assert p95 is not None and p95.value == pytest.approx(0.3 + 0.9 * 5 / 9)
    assert p95.coarse  # 0.3 -> 1.2 is a 4x step: Traefik's default buckets
    assert p99 is not None and p99.value == pytest.approx(1.2)
    assert "too coarse" in p95.describe()
    inf = quantile(0.99, [(0.1, 1.0), (0.3, 2.0), (math.inf, 10.0)])
    assert inf is not None and inf.in_inf_bucket and inf.value == 0.3
    assert "+Inf" in inf.describe()
    assert quantile(0.99, [(0.1, 0.0), (math.inf, 0.0)]) is None
    assert quantile(0.99, [(0.1, 1.0)]) is None  # no +Inf bucket


def test_default_buckets_are_coarse_fine_ones_are_not() -> None:
    assert coarseness([0.1, 0.3, 1.2, 5]) is not None
    assert coarseness([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]) is None


def test_window_uses_differences_not_totals() -> None:
    before = _histogram("r@file", {"0.1": 1000, "0.3": 1000, "1.2": 1000, "5": 1000, "+Inf": 1000})
    before += (
        'traefik_router_requests_total{code="500",method="GET",protocol="http",'
        'router="r@file",service="s@file"} 10\n'
    )
    after = _histogram("r@file", {"0.1": 1000, "0.3": 1000, "1.2": 1090, "5": 1100, "+Inf": 1100})
    after += (
        'traefik_router_requests_total{code="500",method="GET",protocol="http",'
        'router="r@file",service="s@file"} 60\n'
    )
    window = compute_window(parse_snapshot(before, 0.0), parse_snapshot(after, 10.0))
    stats = window.find("router", "r@file")
    assert stats is not None
    # 100 new 200s and 50 new 500s in the window; the cumulative share would be 60/1160.
    assert (stats.requests, stats.errors_5xx) == (150, 50)
    assert stats.error_share == pytest.approx(1 / 3)
    assert stats.rate == pytest.approx(15.0)
    p50 = stats.p50
    assert p50 is not None and (p50.lower, p50.upper) == (0.3, 1.2)  # not the old 0.1 mass
    assert window.coarse is not None


def test_counter_reset_counts_the_new_value() -> None:
    before = _histogram("r@file", {"0.1": 500, "+Inf": 500})
    after = _histogram("r@file", {"0.1": 7, "+Inf": 7})
    stats = compute_window(parse_snapshot(before, 0.0), parse_snapshot(after, 1.0)).find(
        "router", "r@file"
    )
    assert stats is not None and stats.requests == 7


def test_no_router_labels_is_reported() -> None:
    text = (
        'traefik_service_requests_total{code="200",method="GET",protocol="http",'
        'service="s@file"} 5\n'
    )
    window = compute_window(parse_snapshot("", 0.0), parse_snapshot(text, 1.0))
    assert window.router_labels is False
    empty = compute_window(parse_snapshot("", 0.0), parse_snapshot("", 1.0))
    assert empty.router_labels is None


@pytest.mark.parametrize(
    ("mode", "failures"),
    [
        ("silent", {"timeout"}),
        ("drip", {"timeout"}),
        ("endless", {"body_too_large", "timeout"}),
        ("garbage", {"not_http"}),
        ("redirect", {"status_code"}),
        ("close", {"not_http", "http_error", "connect_error"}),
    ],
)
def test_hostile_endpoints_end_within_the_timeout(mode: str, failures: set[str]) -> None:
    with HostileServer(mode) as server:
        started = time.monotonic()
        result, snapshot = asyncio.run(
            scrape(server.url + "/metrics", timeout=1.0, max_bytes=64 * 1024)
        )
        elapsed = time.monotonic() - started
    assert snapshot is None
    assert not result.success
    assert result.failure in failures, (result.failure, result.detail)
    assert result.detail
    assert elapsed < 2.0


def test_refused_port_is_a_failure() -> None:
    port = free_port()
    result, snapshot = asyncio.run(scrape(f"http://127.0.0.1:{port}/metrics", timeout=1.0))
    assert snapshot is None and result.failure == "connection_refused"


def test_html_is_not_traefik_metrics() -> None:
    with _backend(lambda h: _reply(h, 200, b"<html><body>hello</body></html>")) as port:
        result, snapshot = asyncio.run(scrape(f"http://127.0.0.1:{port}/metrics", timeout=2.0))
    assert snapshot is None
    assert result.failure in {"not_prometheus", "not_traefik"}, result


# --- the real Traefik with real backends


def _reply(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"ok\n") -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "text/plain")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@contextmanager
def _backend(respond: object) -> Iterator[int]:
    assert callable(respond)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            respond(self)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _Flaky:
    """500 on every other request to ``/``; ``/warm`` always 200."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.path.startswith("/warm"):
            _reply(handler, 200)
            return
        with self.lock:
            self.count += 1
            fail = self.count % 2 == 0
        _reply(handler, 500 if fail else 200)


def _slow(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(0.3)
    _reply(handler, 200)


BUCKETS = "[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]"


def _write_lab(project: Path, run: Path, ports: dict[str, int], backends: dict[str, int]) -> Path:
    (project / "dyn").mkdir(parents=True)
    run.mkdir(parents=True)
    static = project / "traefik.yml"
    static.write_text(
        "global: {checkNewVersion: false, sendAnonymousUsage: false}\n"
        "entryPoints:\n"
        f'  web: {{address: "127.0.0.1:{ports["web"]}"}}\n'
        f'  traefik: {{address: "127.0.0.1:{ports["api"]}"}}\n'
        f'  metrics: {{address: "127.0.0.1:{ports["metrics"]}"}}\n'
        "api: {insecure: true}\n"
        f"log: {{level: INFO, noColor: true, filePath: {run / 'traefik.log'}}}\n"
        "metrics:\n"
        "  prometheus:\n"
        "    entryPoint: metrics\n"
        "    addRoutersLabels: true\n"
        "    addServicesLabels: true\n"
        f"    buckets: {BUCKETS}\n"
        "providers:\n"
        "  file: {directory: dyn}\n",
        encoding="utf-8",
    )
    lines = ["http:", "  routers:"]
    for name in backends:
        lines += [
            f"    {name}:",
            f"      rule: Host(`{name}.test`)",
            "      entryPoints: [web]",
            f"      service: {name}",
        ]
    lines.append("  services:")
    for name, port in backends.items():
        lines += [
            f"    {name}:",
            "      loadBalancer:",
            f"        servers: [{{url: 'http://127.0.0.1:{port}'}}]",
        ]
    (project / "dyn" / "dynamic.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return static


@pytest.mark.traefik
def test_real_traefik_window(tmp_path: Path) -> None:
    flaky = _Flaky()
    with (
        _backend(lambda h: _reply(h, 200)) as ok_port,
        _backend(flaky) as flaky_port,
        _backend(_slow) as slow_port,
    ):
        ports = {"web": free_port(), "api": free_port(), "metrics": free_port()}
        backends = {"ok": ok_port, "flaky": flaky_port, "slow": slow_port}
        project = tmp_path / "project"
        static = _write_lab(project, tmp_path / "run", ports, backends)
        with run_traefik(static, tmp_path / "run", ports["api"], cwd=project) as traefik:
            assert wait_for_api(traefik), traefik.log()
            names = [f"{n}@file" for n in backends]
            assert wait_routers(traefik, names, time.monotonic() + 10), traefik.log()
            url = f"http://127.0.0.1:{ports['metrics']}/metrics"
            web = HttpClient(ports["web"], keep_alive=True, timeout=5)

            def get(host: str, path: str = "/") -> int:
                return web.get(path, headers={"Host": host}).status

            # Before the window: 20 successes on the flaky router (the cumulative share
            # would be diluted by them) and one request per router so every series exists.
            assert all(get("flaky.test", "/warm") == 200 for _ in range(20))
            assert get("ok.test") == 200 and get("slow.test") == 200

            started = time.monotonic()
            result, first = asyncio.run(scrape(url, timeout=5))
            assert first is not None, result
            statuses = [get("flaky.test") for _ in range(40)]
            assert statuses.count(500) == 20
            assert all(get("ok.test") == 200 for _ in range(30))
            assert all(get("slow.test") == 200 for _ in range(5))
            result, second = asyncio.run(scrape(url, timeout=5))
            assert second is not None, result
            window = compute_window(first, second, url)
            web.close()

            # The whole probe on an idle system: nothing in the window.
            idle_result, idle = asyncio.run(probe_metrics(url, window=0.5, timeout=5))
            assert idle_result.success and idle is not None, idle_result
            elapsed = time.monotonic() - started

    assert window.router_labels is True
    assert window.coarse is None
    assert window.buckets == (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
    assert window.last_reload_success is not None and window.last_reload_success > 1.6e9

    flaky_stats = window.find("router", "flaky@file")
    assert flaky_stats is not None
    assert flaky_stats.requests == 40
    assert flaky_stats.error_share == pytest.approx(0.5)
    cumulative = 20 / (40 + 21)
    assert abs(flaky_stats.error_share - cumulative) > 0.1

    slow_stats = window.find("router", "slow@file")
    assert slow_stats is not None and slow_stats.requests == 5
    p99 = slow_stats.p99
    assert p99 is not None and (p99.lower, p99.upper) == (0.25, 0.5), p99
    assert 0.25 < p99.value <= 0.5 and not p99.coarse and not p99.in_inf_bucket

    ok_stats = window.find("router", "ok@file")
    assert ok_stats is not None and ok_stats.requests == 30 and ok_stats.error_share == 0
    ok_p99 = ok_stats.p99
    assert ok_p99 is not None and ok_p99.value < 0.1

    assert window.find("service", "flaky@file") is not None
    assert window.find("entrypoint", "web") is not None

    assert idle.window == pytest.approx(0.5, abs=0.3)
    assert all(s.requests == 0 for s in idle.series)
    assert idle_result.phases.keys() == {"first", "wait", "second"}

    # The diagnoses: LIVE013 on the flaky router, LIVE012 on the slow one (threshold 0.2 s),
    # nothing on the healthy one; each points at the router's definition.
    loaded = load_project(project, go=False)
    found = diagnose_metrics(window, loaded, Thresholds(p99_seconds=0.2, min_requests=10))
    by_code = {(d.code, d.message.split("`")[1]) for d in found}
    assert by_code == {("LIVE013", "flaky@file"), ("LIVE012", "slow@file")}, found
    for diagnosis in found:
        assert diagnosis.location.path.endswith("dynamic.yml")
        assert diagnosis.location.line is not None
        texts = " | ".join(e.text for e in diagnosis.evidence)
        assert "apart" in texts and 'router="' in texts
    live013 = next(d for d in found if d.code == "LIVE013")
    assert "50%" in live013.message and "20 of 40" in live013.message
    assert elapsed < 20


def test_diagnosis_names_ops005_on_coarse_buckets(tmp_path: Path) -> None:
    """Traefik's default buckets: the P99 is a guess, and OPS005 (static) says why."""
    (tmp_path / "dyn").mkdir()
    (tmp_path / "traefik.yml").write_text(
        "entryPoints: {web: {address: ':80'}}\n"
        "metrics: {prometheus: {addRoutersLabels: true}}\n"
        "providers: {file: {directory: dyn}}\n",
        encoding="utf-8",
    )
    (tmp_path / "dyn" / "d.yml").write_text(
        "http:\n  routers:\n    r:\n      rule: Host(`a`)\n      service: s\n"
        "  services:\n    s:\n      loadBalancer: {servers: [{url: 'http://127.0.0.1:1'}]}\n",
        encoding="utf-8",
    )
    before = _histogram("r@file", {"0.1": 0, "0.3": 0, "1.2": 0, "5": 0, "+Inf": 0})
    after = _histogram("r@file", {"0.1": 0, "0.3": 0, "1.2": 80, "5": 100, "+Inf": 100})
    window = compute_window(parse_snapshot(before, 0.0), parse_snapshot(after, 5.0))
    found = diagnose_metrics(window, load_project(tmp_path, go=False))
    assert [d.code for d in found] == ["LIVE012"]
    finding = found[0]
    assert finding.location.path.endswith("d.yml") and finding.location.line == 3
    assert any(r.message.startswith("OPS005") for r in finding.related), finding.related
    assert any("coarse" in e.text for e in found[0].evidence)


def test_diagnosis_without_router_labels_names_ops003() -> None:
    text = "".join(
        f'traefik_service_requests_total{{code="{code}",method="GET",protocol="http",'
        f'service="s@file"}} {count}\n'
        for code, count in (("200", 50), ("503", 50))
    )
    window = compute_window(parse_snapshot("", 0.0), parse_snapshot(text, 5.0))
    found = diagnose_metrics(window)
    assert [d.code for d in found] == ["LIVE013"]
    assert "service `s@file`" in found[0].message
    assert any("addRoutersLabels" in e.text for e in found[0].evidence)
