"""Execute a probe plan against the running system and collect the evidence.

Concurrent (asyncio + httpx), at most ``concurrency`` requests in flight, every probe bounded
by ``timeout`` and the whole run by ``deadline``; no retries (a retry hides a failure) and no
request bodies. The metrics window and the pprof samples run beside the per-router requests,
so the run lasts about as long as the longest of them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from traefik_doctor.live.accesslog import AccessLog, log_size, read_access_log
from traefik_doctor.live.plan import DIAG_HEADER, Plan, PprofTarget, RouterProbe
from traefik_doctor.probes.http import make_client, probe_http
from traefik_doctor.probes.metrics import MetricsWindow, probe_metrics
from traefik_doctor.probes.pprof import PprofSeries, sample_pprof
from traefik_doctor.probes.result import ProbeResult
from traefik_doctor.probes.tcp import probe_tcp
from traefik_doctor.probes.tls import probe_tls
from traefik_doctor.probes.traefik_api import ApiSnapshot, read_api, wait_settled

T = TypeVar("T")
PPROF_MARKERS = ("Types of profiles available", "/debug/pprof/goroutine", "goroutine?debug")


@dataclass(slots=True)
class RouterOutcome:
    probe: RouterProbe
    result: ProbeResult
    record: dict[str, Any] | None = None
    tls: ProbeResult | None = None


@dataclass(slots=True)
class BackendOutcome:
    service: str
    url: str
    tcp: ProbeResult | None = None
    tls: ProbeResult | None = None
    health: ProbeResult | None = None


@dataclass(slots=True)
class Probed:
    plan: Plan
    started: float
    api: ProbeResult | None = None
    """The failed API read (None when the API was read, or not asked)."""
    snapshot: ApiSnapshot | None = None
    entry_points: dict[str, ProbeResult] = field(default_factory=dict)
    routers: list[RouterOutcome] = field(default_factory=list)
    backends: list[BackendOutcome] = field(default_factory=list)
    pprof: list[tuple[RouterProbe, ProbeResult]] = field(default_factory=list)
    """``/debug/pprof/`` asked through Traefik (is it exposed?)."""
    metrics: ProbeResult | None = None
    metrics_window: MetricsWindow | None = None
    profiles: list[tuple[PprofTarget, ProbeResult, PprofSeries | None]] = field(
        default_factory=list
    )
    """Go processes' pprof read directly, sampled for growth."""
    access_log: AccessLog | None = None
    timed_out: bool = False


@dataclass(frozen=True, slots=True)
class Sampling:
    """How long the metrics window and the pprof series last."""

    metrics_window: float = 5.0
    pprof_samples: int = 3
    pprof_interval: float = 1.0

    def span(self, timeout: float) -> float:
        """The longest any of them can take, each read bounded by ``timeout``."""
        metrics = self.metrics_window + 2 * timeout
        pprof = (self.pprof_samples - 1) * self.pprof_interval + 2 * self.pprof_samples * timeout
        return max(metrics, pprof)


def run_plan(
    plan: Plan,
    *,
    timeout: float = 5.0,
    concurrency: int = 32,
    ca: str | None = None,
    deadline: float | None = None,
    sampling: Sampling | None = None,
) -> Probed:
    evidence = Probed(plan, time.time())
    log_start = log_size(plan.access_log) if plan.access_log is not None else 0
    sampling = sampling or Sampling()
    sampled = plan.metrics_url is not None or bool(plan.pprof)
    floor = sampling.span(timeout) + 1 if sampled else 0.0
    total = deadline if deadline is not None else max(15.0, timeout * 4 + 5, floor)
    work = _run(plan, evidence, timeout=timeout, concurrency=concurrency, ca=ca, sampling=sampling)
    try:
        asyncio.run(asyncio.wait_for(work, total))
    except TimeoutError:
        evidence.timed_out = True
    if plan.access_log is not None:
        asyncio.run(_read_log(plan, evidence, log_start))
    return evidence


async def _run(
    plan: Plan,
    evidence: Probed,
    *,
    timeout: float,
    concurrency: int,
    ca: str | None,
    sampling: Sampling,
) -> None:
    gate = asyncio.Semaphore(max(1, concurrency))

    async def bounded(work: Awaitable[T]) -> T:
        async with gate:
            return await work

    client = make_client(max(1, concurrency), timeout, verify=False)
    try:
        ep_names = list(plan.entry_points)
        ep_results = await asyncio.gather(
            *(bounded(_tcp(plan.entry_points[name], timeout)) for name in ep_names)
        )
        evidence.entry_points = dict(zip(ep_names, ep_results, strict=True))
        if plan.api_url is not None:
            api_tcp = await _tcp(plan.api_url, timeout)
            if api_tcp.success:
                await _read_api(client, plan, evidence, timeout)
            else:  # nothing listens: waiting for the API to settle would only burn time
                evidence.api = api_tcp
        # Results are kept as they arrive: a run cut by its deadline still reports them.
        direct: dict[str, asyncio.Task[tuple[ProbeResult | None, ProbeResult | None]]] = {}

        async def router(probe: RouterProbe) -> None:
            evidence.routers.append(await bounded(_router(client, probe, timeout)))

        async def backend(service: str, url: str, health: str | None) -> None:
            if url not in direct:  # one TCP/TLS probe per address, shared by services
                direct[url] = asyncio.ensure_future(bounded(_direct(url, timeout, ca)))
            tcp, tls = await direct[url]
            outcome = BackendOutcome(service, url, tcp, tls)
            if health and tcp is not None and tcp.success:
                path = health if health.startswith("/") else "/" + health
                outcome.health = await bounded(
                    probe_http(client, "GET", url + path, timeout=timeout, probe="health")
                )
            evidence.backends.append(outcome)

        async def pprof(probe: RouterProbe) -> None:
            result = await bounded(_pprof(client, probe, timeout))
            evidence.pprof.append((probe, result))

        async def metrics(url: str) -> None:
            # Runs beside the other probes: the window is waiting time, not work.
            evidence.metrics, evidence.metrics_window = await probe_metrics(
                url, window=sampling.metrics_window, timeout=timeout
            )

        async def profile(target: PprofTarget) -> None:
            result, series = await sample_pprof(
                target.url,
                samples=sampling.pprof_samples,
                interval=sampling.pprof_interval,
                timeout=timeout,
            )
            evidence.profiles.append((target, result, series))

        hosts: dict[tuple[str, str | None], RouterProbe] = {}
        for probe in plan.routers:
            if probe.reaches_pprof:
                hosts.setdefault((probe.base_url, probe.host), probe)
        await asyncio.gather(
            *([metrics(plan.metrics_url)] if plan.metrics_url is not None else []),
            *(profile(target) for target in plan.pprof),
            *(router(probe) for probe in plan.routers),
            *(backend(b.service, b.url, b.health_path) for b in plan.backends),
            *(pprof(probe) for probe in hosts.values()),
        )
    finally:
        await client.aclose()


async def _read_api(client: Any, plan: Plan, evidence: Probed, timeout: float) -> None:
    assert plan.api_url is not None
    settled = await wait_settled(
        client,
        plan.api_url,
        timeout=min(timeout, 3.0),
        stable_for=0.2,
        internal_only_stable_for=1.0,
        request_timeout=timeout,
    )
    if not settled.success and settled.failure != "timeout":
        evidence.api = settled
        return
    snapshot = await read_api(client, plan.api_url, timeout=timeout, per_page=1000)
    if isinstance(snapshot, ProbeResult):
        evidence.api = snapshot
    else:
        evidence.snapshot = snapshot


def host_port(url: str) -> tuple[str, int] | None:
    parts = urlsplit(url)
    if not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    if port is None:
        port = 443 if parts.scheme == "https" else 80
    return parts.hostname, port


async def _tcp(url: str, timeout: float) -> ProbeResult:
    hp = host_port(url)
    if hp is None:
        return ProbeResult("tcp", url, False, 0.0, failure="bad_url", detail=f"cannot parse {url}")
    return await probe_tcp(hp[0], hp[1], timeout=timeout)


async def _router(client: Any, probe: RouterProbe, timeout: float) -> RouterOutcome:
    headers = dict(probe.headers)
    headers[DIAG_HEADER] = probe.diag_id
    if probe.host:
        headers["Host"] = probe.host
    result = await probe_http(
        client,
        probe.method,
        probe.url,
        headers=headers,
        sni=probe.host if probe.tls else None,
        timeout=timeout,
        probe="router",
    )
    outcome = RouterOutcome(probe, result)
    if probe.tls and probe.host:
        hp = host_port(probe.base_url)
        if hp is not None:
            outcome.tls = await probe_tls(
                hp[0], hp[1], sni=probe.host, verify=False, timeout=timeout
            )
    return outcome


async def _direct(
    url: str, timeout: float, ca: str | None
) -> tuple[ProbeResult | None, ProbeResult | None]:
    """TCP connect to a server address, then (``https``) a verified TLS handshake."""
    hp = host_port(url)
    if hp is None:
        return None, None
    tcp = await probe_tcp(hp[0], hp[1], timeout=timeout)
    if not tcp.success or not url.startswith("https://"):
        return tcp, None
    tls = await probe_tls(hp[0], hp[1], sni=hp[0], ca=ca, verify=True, timeout=timeout)
    return tcp, tls


async def _pprof(client: Any, probe: RouterProbe, timeout: float) -> ProbeResult:
    headers = {"Host": probe.host} if probe.host else {}
    return await probe_http(
        client,
        "GET",
        probe.base_url + "/debug/pprof/",
        headers=headers,
        sni=probe.host if probe.tls else None,
        timeout=timeout,
        probe="pprof",
    )


def pprof_exposed(result: ProbeResult) -> bool:
    if not result.success or result.observations.get("status") != 200:
        return False
    body = str(result.observations.get("body_prefix", ""))
    return any(marker in body for marker in PPROF_MARKERS)


async def _read_log(plan: Plan, evidence: Probed, start: int) -> None:
    assert plan.access_log is not None
    wanted = {o.probe.diag_id for o in evidence.routers if o.result.success}
    log: AccessLog | None = None
    size, still = -1, 0
    for _ in range(20):  # Traefik writes the record when the response ends; allow ~1 s
        log = read_access_log(plan.access_log, evidence.started, start=start)
        if log.error is not None or not plan.access_log_keeps_id or wanted <= set(log.by_id):
            break
        # Records that never come (a filter drops them): stop once the log stops growing.
        now = log_size(plan.access_log)
        still = still + 1 if now == size else 0
        if still >= 4:
            break
        size = now
        await asyncio.sleep(0.05)
    evidence.access_log = log
    if log is None or log.error is not None:
        return
    for outcome in evidence.routers:
        outcome.record = log.find(outcome.probe.diag_id, outcome.probe.host, outcome.probe.path)
