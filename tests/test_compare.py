"""``traefik-doctor compare``: the verdict rule on made-up numbers, the command line, and the
real Traefik 3.7 with a weighted service over a healthy and a degraded Python backend.

Measured with the real Traefik (the scenario below): a weighted service has no
``traefik_service_*`` series of its own; each child (``stable@file``, ``next@file``) has its
own, and the router's series carry the weighted parent as their ``service`` label.
"""

from __future__ import annotations

import contextlib
import json
import math
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from traefik_doctor.canary.command import parse_seconds
from traefik_doctor.canary.verdict import (
    HOLD,
    PROMOTE,
    ROLLBACK,
    Histogram,
    Limits,
    decide,
    find_service,
    judge_latency,
    missing_text,
    tail_test,
    two_proportion_z,
)
from traefik_doctor.canary.window import service_histograms
from traefik_doctor.cli import main
from traefik_doctor.errors import UsageError
from traefik_doctor.probes.metrics import (
    Quantile,
    SeriesStats,
    compute_window,
    parse_snapshot,
    quantile,
)
from traefik_lab import free_port, run_traefik, wait_for_api

FINE = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
DEFAULT = (0.1, 0.3, 1.2, 5.0)  # Traefik's default buckets


def _hist(latencies: dict[float, float], bounds: tuple[float, ...] = FINE) -> Histogram:
    return tuple(
        (le, float(sum(n for value, n in latencies.items() if value <= le)))
        for le in (*bounds, math.inf)
    )


def _stats(
    name: str,
    requests: float,
    errors: float,
    latencies: dict[float, float],
    bounds: tuple[float, ...] = FINE,
) -> SeriesStats:
    """A service over a window; ``latencies`` maps a latency to how many requests took it."""
    cumulative = list(_hist(latencies, bounds))
    quantiles = tuple(q for q in (quantile(x, cumulative) for x in (0.5, 0.95, 0.99)) if q)
    return SeriesStats(
        kind="service",
        name=name,
        labels=(("service", name),),
        requests=requests,
        rate=requests / 10,
        errors_5xx=errors,
        error_share=errors / requests if requests else None,
        quantiles=quantiles,
        observations=requests,
        buckets=bounds,
    )


LIMITS = Limits()


# --- the statistics


def test_two_proportion_z_matches_the_textbook() -> None:
    # 0/100 vs 10/100: pooled 0.05, se = sqrt(0.05 * 0.95 * 0.02) = 0.03082, z = 3.244
    z, p = two_proportion_z(0, 100, 10, 100)
    assert z == pytest.approx(3.2444, abs=1e-3)
    assert p == pytest.approx(0.000589, abs=2e-5)
    z, p = two_proportion_z(0, 100, 2, 100)
    assert z == pytest.approx(1.4213, abs=1e-3) and p == pytest.approx(0.0776, abs=1e-3)
    assert two_proportion_z(0, 100, 0, 100) == (None, None)  # no variance: nothing to test
    assert two_proportion_z(0, 0, 1, 10) == (None, None)
    z, p = two_proportion_z(10, 100, 0, 100)  # the canary is better
    assert z is not None and z < 0 and p is not None and p > 0.99


# --- the verdict rule


def test_not_enough_traffic_holds_whatever_the_numbers() -> None:
    base = _stats("stable@file", 500, 0, {0.002: 500})
    canary = _stats("next@file", 40, 40, {0.002: 40})  # all failing, but only 40
    decision = decide(base, canary, LIMITS)
    assert decision.verdict == HOLD and decision.exit_code == 3
    assert [r.kind for r in decision.reasons] == ["traffic"]
    assert "not enough traffic" in decision.reasons[0].text
    assert "`next@file` had 40 requests" in decision.reasons[0].text


def test_significant_error_increase_rolls_back() -> None:
    base = _stats("stable@file", 300, 0, {0.002: 300})
    canary = _stats("next@file", 300, 90, {0.002: 300})
    decision = decide(base, canary, LIMITS)
    assert (
        decision.verdict == ROLLBACK and decision.exit_code == 1 and decision.label == "roll back"
    )
    errors = decision.reasons[0]
    assert errors.kind == "errors" and errors.verdict == ROLLBACK
    assert "30.0% (90 of 300) vs 0.0% (0 of 300): +30.0 points" in errors.text
    assert "p<0.001, below 0.05" in errors.text and "not chance" in errors.text
    assert decision.error_test is not None and decision.error_test.z is not None
    assert decision.error_test.z > 9


def test_an_increase_that_could_be_chance_holds() -> None:
    base = _stats("stable@file", 100, 0, {0.002: 100})
    canary = _stats("next@file", 100, 2, {0.002: 100})  # +2 points, p = 0.078
    decision = decide(base, canary, LIMITS)
    assert decision.verdict == HOLD
    assert "could be chance" in decision.reasons[0].text and "p=0.078" in decision.reasons[0].text
    # The same shares with ten times the traffic are not chance any more.
    bigger = decide(
        _stats("a@file", 1000, 0, {0.002: 1000}), _stats("b@file", 1000, 20, {0.002: 1000}), LIMITS
    )
    assert bigger.verdict == ROLLBACK


def test_equal_healthy_services_promote() -> None:
    base = _stats("stable@file", 200, 1, {0.002: 150, 0.007: 48, 0.02: 2})
    canary = _stats("next@file", 200, 1, {0.002: 140, 0.007: 58, 0.02: 2})
    decision = decide(base, canary, LIMITS)
    assert decision.verdict == PROMOTE and decision.exit_code == 0
    assert [r.verdict for r in decision.reasons] == [PROMOTE] * 3
    assert [r.kind for r in decision.reasons] == ["errors", "p50", "p99"]


def test_slower_canary_rolls_back_on_latency() -> None:
    base = _stats("stable@file", 200, 0, {0.002: 200})
    canary = _stats("next@file", 200, 0, {0.2: 200})
    decision = decide(base, canary, LIMITS)
    assert decision.verdict == ROLLBACK
    by_kind = {r.kind: r for r in decision.reasons}
    assert by_kind["errors"].verdict == PROMOTE
    assert by_kind["p50"].verdict == ROLLBACK and by_kind["p99"].verdict == ROLLBACK
    assert "above the 1.5x limit" in by_kind["p99"].text


def test_a_few_slow_requests_are_not_a_slower_canary() -> None:
    """180 requests a side: the P99 is the second-slowest request, and two stalls of a
    loaded machine put it in another bucket. The tail test says that could be chance."""
    base_lat = {0.002: 180}
    canary_lat = {0.002: 178, 0.12: 2}
    base, canary = _stats("a@file", 180, 0, base_lat), _stats("b@file", 180, 0, canary_lat)
    assert canary.p99 is not None and canary.p99.lower == 0.1
    without = decide(base, canary, LIMITS)
    assert {r.kind: r.verdict for r in without.reasons}["p99"] == ROLLBACK
    decision = decide(base, canary, LIMITS, histograms=(_hist(base_lat), _hist(canary_lat)))
    p99 = {r.kind: r for r in decision.reasons}["p99"]
    assert decision.verdict == HOLD and p99.verdict == HOLD
    assert "2 of 180 canary requests took longer than 0.005s vs 0 of 180" in p99.text
    assert "could be chance" in p99.text
    # Every canary request slow: not chance.
    slow_lat = {0.2: 180}
    decision = decide(
        base,
        _stats("b@file", 180, 0, slow_lat),
        LIMITS,
        histograms=(_hist(base_lat), _hist(slow_lat)),
    )
    p99 = {r.kind: r for r in decision.reasons}["p99"]
    assert decision.verdict == ROLLBACK and "180 of 180" in p99.text and "not chance" in p99.text
    assert tail_test((_hist(base_lat), _hist(slow_lat)), 0.007) is None  # not a bucket bound


def test_service_histograms_are_window_differences() -> None:
    def scrape_text(counts: dict[str, float]) -> str:
        return "".join(
            'traefik_service_request_duration_seconds_bucket{code="200",method="GET",'
            f'protocol="http",service="next@file",le="{le}"}} {count}\n'
            for le, count in counts.items()
        )

    first = parse_snapshot(scrape_text({"0.1": 50, "0.3": 60, "+Inf": 60}), 0.0)
    second = parse_snapshot(scrape_text({"0.1": 55, "0.3": 80, "+Inf": 90}), 2.0)
    assert service_histograms(first, second) == {
        "next@file": ((0.1, 5.0), (0.3, 20.0), (math.inf, 30.0))
    }


def test_latency_between_the_two_ratios_holds() -> None:
    base = _stats("stable@file", 200, 0, {0.2: 200})  # (0.1, 0.25]
    canary = _stats("next@file", 200, 0, {0.3: 200})  # (0.25, 0.5]
    reason = judge_latency("p50", base.p50, canary.p50, LIMITS)
    # P50 estimates: 0.175s (middle of (0.1, 0.25]) vs 0.375s: 2.1x -> roll back
    assert reason.verdict == ROLLBACK
    q_base = Quantile(0.99, 0.24, 0.1, 0.25)
    q_canary = Quantile(0.99, 0.30, 0.25, 0.5)  # 1.25x, +60ms: between 1.2x and 1.5x
    reason = judge_latency("p99", q_base, q_canary, LIMITS)
    assert reason.verdict == HOLD and "between the 1.2x promote and 1.5x roll-back" in reason.text
    small = judge_latency(
        "p99", Quantile(0.99, 0.004, 0.0, 0.005), Quantile(0.99, 0.04, 0.025, 0.05), LIMITS
    )
    assert small.verdict == PROMOTE  # 10x, but +36ms: under the 50ms noise floor


def test_same_fine_bucket_promotes_same_coarse_bucket_holds_with_ops005() -> None:
    fine = _stats("a@file", 200, 0, {0.002: 200}).p99
    assert fine is not None and not fine.coarse
    reason = judge_latency("p99", fine, fine, LIMITS)
    assert reason.verdict == PROMOTE and "same bucket" in reason.text
    # Traefik's default buckets: both fast services land in (0, 0.1]; 5ms and 95ms look alike.
    coarse = _stats("a@file", 200, 0, {0.002: 200}, DEFAULT).p99
    assert coarse is not None and coarse.coarse
    reason = judge_latency(
        "p99", coarse, coarse, LIMITS, window_coarse="the smallest bucket is 0.1s"
    )
    assert reason.verdict == HOLD and reason.code == "OPS005"
    assert "buckets too coarse to tell (the smallest bucket is 0.1s)" in reason.text


def test_coarse_buckets_hold_unless_both_bounds_agree() -> None:
    # Default buckets, canary slower by ~200ms: (0, 0.1] vs (0.1, 0.3]. The baseline could be
    # at 99ms and the canary at 101ms, or 1ms and 300ms: the buckets cannot tell.
    base = _stats("stable@file", 200, 0, {0.002: 200}, DEFAULT)
    canary = _stats("next@file", 200, 0, {0.2: 200}, DEFAULT)
    decision = decide(base, canary, LIMITS, window_coarse="the smallest bucket is 0.1s")
    assert decision.verdict == HOLD
    p99 = {r.kind: r for r in decision.reasons}["p99"]
    assert p99.code == "OPS005" and "from promote to roll back" in p99.text
    # A canary in the +Inf bucket (above 5s) against a 2ms baseline: roll back even at the
    # most favourable reading of the buckets.
    slow = _stats("next@file", 200, 0, {9.0: 200})
    fast = _stats("stable@file", 200, 0, {0.002: 200})
    assert slow.p99 is not None and slow.p99.in_inf_bucket
    reason = judge_latency("p99", fast.p99, slow.p99, LIMITS)
    assert reason.verdict == ROLLBACK and "even at the buckets' bounds" in reason.text
    assert ">5s" in reason.text
    # ... and a canary faster than a baseline in the +Inf bucket is fine.
    assert judge_latency("p99", slow.p99, fast.p99, LIMITS).verdict == PROMOTE


def test_the_baseline_failing_too_is_noted() -> None:
    base = _stats("stable@file", 200, 100, {0.002: 200})
    canary = _stats("next@file", 200, 100, {0.002: 200})
    decision = decide(base, canary, LIMITS)
    assert decision.verdict == PROMOTE
    assert any("the baseline itself answers 50.0% 5xx" in note for note in decision.notes)


# --- naming services in a scrape (Traefik's exact label shapes)

WEIGHTED_SCRAPE = """\
traefik_router_requests_total{code="200",method="GET",protocol="http",router="app@file",service="canary@file"} 32
traefik_service_requests_total{code="200",method="GET",protocol="http",service="next@file"} 12
traefik_service_requests_total{code="500",method="GET",protocol="http",service="next@file"} 8
traefik_service_requests_total{code="200",method="GET",protocol="http",service="stable@file"} 20
traefik_service_requests_total{code="200",method="GET",protocol="http",service="stable@docker"} 5
"""  # noqa: E501 - the exact sample lines


def test_find_service_by_name_provider_and_weighted_parent() -> None:
    window = compute_window(parse_snapshot("", 0.0), parse_snapshot(WEIGHTED_SCRAPE, 2.0))
    nxt = find_service(window, "next")
    assert nxt.stats is not None and nxt.stats.name == "next@file"
    assert nxt.stats.error_share == pytest.approx(0.4)
    exact = find_service(window, "stable@docker")
    assert exact.stats is not None and exact.stats.requests == 5
    ambiguous = find_service(window, "stable")
    assert ambiguous.stats is None and ambiguous.candidates == ("stable@docker", "stable@file")
    parent = find_service(window, "canary@file")
    assert parent.stats is None and parent.parent_of == ("app@file",)
    assert "weighted or mirroring" in missing_text(parent, window, "canary")
    typo = find_service(window, "nxet@file")
    text = missing_text(typo, window, "canary")
    assert "no series for canary `nxet@file`" in text
    assert "`next@file`, `stable@docker`, `stable@file`" in text


# --- the command line


def test_parse_seconds() -> None:
    assert parse_seconds("60s", "--window") == 60
    assert parse_seconds("2m", "--window") == 120
    assert parse_seconds("45", "--window") == 45
    assert parse_seconds("2.5", "--window") == 2.5
    assert parse_seconds("500ms", "--window") == 0.5
    assert parse_seconds("1m30s", "--window") == 90
    for bad in ("soon", "-1s", ""):
        with pytest.raises(UsageError):
            parse_seconds(bad, "--window")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--service", "a"], "give --service twice"),
        (["--service", "a", "--service", "a"], "given twice"),
        (["--service", "a", "--service", "b", "--window", "2m"], "at most 60s"),
        (["--service", "a", "--service", "b", "--window", "0"], "above 0"),
        (["--service", "a", "--service", "b", "--min-requests", "0"], "--min-requests"),
        (["--service", "a", "--service", "b", "--max-latency-ratio", "1.1"], "latency ratios"),
        (["--service", "a", "--service", "b", "--confidence", "95"], "--confidence"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["compare", "--metrics", "http://127.0.0.1:9/metrics", *argv])
    assert code == 2
    assert message in capsys.readouterr().err


def test_metrics_url_not_derivable_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "traefik.yml").write_text("entryPoints: {web: {address: ':80'}}\n")
    code = main(["compare", str(tmp_path), "--service", "a", "--service", "b"])
    assert code == 2
    err = capsys.readouterr().err
    assert "no Prometheus metrics configured" in err and "--metrics URL" in err


def test_unreachable_metrics_hold_with_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    argv = ["compare", "--metrics", f"http://127.0.0.1:{port}/metrics", "--timeout", "1"]
    code = main([*argv, "--service", "a", "--service", "b", "--window", "1"])
    out = capsys.readouterr().out
    assert code == 3
    assert "verdict: hold" in out and "metrics not read" in out and "connection_refused" in out
    code = main([*argv, "--service", "a", "--service", "b", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 3 and data["verdict"] == "hold" and data["window"]["seconds"] is None
    assert data["baseline"]["service"] is None and data["reasons"][0]["kind"] == "metrics"


def test_help_states_defaults_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["compare", "--help"])
    text = capsys.readouterr().out
    assert "0 promote, 1 roll back, 3 hold" in text
    for default in ("(100)", "(1)", "(0.95)", "(1.5)", "(1.2)", "(50ms)", "default 30s"):
        assert default in text


# --- the real Traefik: a weighted service over a healthy and a degraded backend


class _Backend(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else headers and body wait on delayed ACKs (40ms)

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        server = self.server
        with server.lock:  # type: ignore[attr-defined]
            server.count += 1  # type: ignore[attr-defined]
            count = server.count  # type: ignore[attr-defined]
        status = 200
        if server.degraded:  # type: ignore[attr-defined]
            time.sleep(0.2)
            status = 500 if count % 10 < 3 else 200  # exactly 30% answered 500
        body = b"ok\n"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)


@contextlib.contextmanager
def _backend(degraded: bool) -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Backend)
    server.daemon_threads = True
    server.degraded = degraded  # type: ignore[attr-defined]
    server.count = 0  # type: ignore[attr-defined]
    server.lock = threading.Lock()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextlib.contextmanager
def _traffic(web: int, host: str, loops: int, pause: float = 0.0) -> Iterator[None]:
    """Requests through the router while the window is open, ``loops`` clients at once."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            request = urllib.request.Request(f"http://127.0.0.1:{web}/", headers={"Host": host})
            with contextlib.suppress(urllib.error.URLError, OSError):
                urllib.request.urlopen(request, timeout=3).close()
            if pause:
                stop.wait(pause)

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(loops)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.3)  # traffic flows before the first scrape
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(5)


def _write_project(project: Path, ports: dict[str, int], servers: dict[str, int]) -> Path:
    (project / "dyn").mkdir(parents=True)
    static = project / "traefik.yml"
    static.write_text(
        "global: {checkNewVersion: false, sendAnonymousUsage: false}\n"
        "entryPoints:\n"
        f'  web: {{address: "127.0.0.1:{ports["web"]}"}}\n'
        f'  traefik: {{address: "127.0.0.1:{ports["api"]}"}}\n'
        f'  metrics: {{address: "127.0.0.1:{ports["metrics"]}"}}\n'
        "api: {insecure: true}\n"
        "log: {level: ERROR, noColor: true}\n"
        "metrics:\n"
        "  prometheus:\n"
        "    entryPoint: metrics\n"
        "    addRoutersLabels: true\n"
        "    addServicesLabels: true\n"
        f"    buckets: [{', '.join(f'{b:g}' for b in FINE)}]\n"
        "providers:\n"
        "  file: {directory: dyn}\n",
        encoding="utf-8",
    )
    lines = ["http:", "  routers:"]
    for router, parent in (
        ("bad", "canary-bad"),
        ("good", "canary-good"),
        ("quiet", "canary-quiet"),
    ):
        rule = f'"Host(`{router}.test`)"'
        lines.append(f"    {router}: {{rule: {rule}, service: {parent}, entryPoints: [web]}}")
    lines.append("  services:")
    for parent, stable, nxt in (
        ("canary-bad", "stable", "next"),
        ("canary-good", "stable2", "next2"),
        ("canary-quiet", "stable3", "next3"),
    ):
        lines.append(
            f"    {parent}: {{weighted: {{services: [{{name: {stable}, weight: 1}},"
            f" {{name: {nxt}, weight: 1}}]}}}}"
        )
    for name, port in servers.items():
        lines.append(
            f"    {name}: {{loadBalancer: {{servers: [{{url: 'http://127.0.0.1:{port}'}}]}}}}"
        )
    (project / "dyn" / "canary.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return static


def _ready(web: int, hosts: list[str], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    pending = set(hosts)
    while pending and time.monotonic() < deadline:
        for host in list(pending):
            request = urllib.request.Request(f"http://127.0.0.1:{web}/", headers={"Host": host})
            try:
                urllib.request.urlopen(request, timeout=2).close()
                pending.discard(host)
            except urllib.error.HTTPError as exc:
                if exc.code != 404:
                    pending.discard(host)
            except OSError:
                pass
        time.sleep(0.05)
    return not pending


@pytest.mark.traefik
def test_real_weighted_service(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with contextlib.ExitStack() as stack:
        servers = {
            "stable": stack.enter_context(_backend(False)),
            "next": stack.enter_context(_backend(True)),
            "stable2": stack.enter_context(_backend(False)),
            "next2": stack.enter_context(_backend(False)),
            "stable3": stack.enter_context(_backend(False)),
            "next3": stack.enter_context(_backend(False)),
        }
        ports = {"web": free_port(), "api": free_port(), "metrics": free_port()}
        project, run = tmp_path / "project", tmp_path / "run"
        run.mkdir()
        static = _write_project(project, ports, servers)
        traefik = stack.enter_context(run_traefik(static, run, ports["api"], cwd=project))
        assert wait_for_api(traefik), traefik.log()
        assert _ready(ports["web"], ["bad.test", "good.test", "quiet.test"]), traefik.log()
        metrics = f"http://127.0.0.1:{ports['metrics']}/metrics"
        web = ports["web"]
        compare = ["compare", "--metrics", metrics]

        # One good and one degraded side (30% 500s, +200ms): roll back, for both reasons.
        with _traffic(web, "bad.test", loops=16):
            code = main(
                [*compare, "--service", "stable", "--service", "next@file", "--window", "2.5s"]
            )
        bad = capsys.readouterr().out

        # Both sides healthy: promote. The URL comes from the project's static file; JSON.
        with _traffic(web, "good.test", loops=6):
            good_code = main(
                [
                    "compare",
                    str(project),
                    "--service",
                    "stable2@file",
                    "--service",
                    "next2@file",
                    "--window",
                    "2.5",
                    "--format",
                    "json",
                ]
            )
        good = json.loads(capsys.readouterr().out)

        # A trickle of traffic: hold, not enough of it.
        with _traffic(web, "quiet.test", loops=1, pause=0.2):
            quiet_code = main(
                [*compare, "--service", "stable3", "--service", "next3", "--window", "2"]
            )
        quiet = capsys.readouterr().out

        # The weighted parent and a misspelled name: hold, saying why and what exists.
        names_code = main(
            [*compare, "--service", "canary-bad@file", "--service", "nxet", "--window", "0.2"]
        )
        names = capsys.readouterr().out
        print(bad, json.dumps(good, indent=1), quiet, names, sep="\n")  # shown on failure, or -s

    assert code == 1, bad
    assert "verdict: roll back" in bad
    lines = bad.splitlines()
    requests = next(line for line in lines if line.strip().startswith("requests"))
    assert requests.count("(") == 2
    errors = next(line for line in lines if "5xx share" in line)
    assert errors.strip().startswith("->") and "above the +1-point limit" in errors
    assert "not chance" in errors
    p50 = next(line for line in lines if line.strip().startswith("-> P50"))
    assert "above the 1.5x limit" in p50
    p99 = next(line for line in lines if line.strip().startswith("-> P99"))
    assert "above the 1.5x limit" in p99
    assert "thresholds:" in bad and "at least 100 requests per side" in bad

    assert good_code == 0, good
    assert good["verdict"] == "promote" and good["exit_code"] == 0
    assert good["window"]["url"] == metrics and 2.0 < good["window"]["seconds"] < 4.0
    assert good["baseline"]["service"] == "stable2@file"
    assert good["canary"]["service"] == "next2@file"
    for side in ("baseline", "canary"):
        assert good[side]["requests"] >= 100 and good[side]["error_share"] == 0
        assert set(good[side]["quantiles"]) == {"p50", "p95", "p99"}
    assert [r["kind"] for r in good["reasons"]] == ["errors", "p50", "p99"]
    assert good["thresholds"]["max_latency_ratio"] == 1.5

    assert quiet_code == 3, quiet
    assert "verdict: hold" in quiet and "not enough traffic" in quiet

    assert names_code == 3, names
    assert "`canary-bad@file` has no traefik_service_* series of its own" in names
    assert "router `bad@file`" in names
    assert "no series for canary `nxet`" in names and "`next@file`" in names
