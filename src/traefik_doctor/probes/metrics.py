"""Traefik's Prometheus metrics over a window: two scrapes N seconds apart.

Counters and histograms are cumulative since Traefik started, so every rate, 5xx share and
latency quantile here is computed from the *difference* of the two scrapes (a counter that
went down between them was reset, and its second value is the window's count, as in
Prometheus' ``rate``).

The series and label names, exactly as Traefik 3.7 writes them (shared/traefik-facts.md §8)::

    traefik_entrypoint_requests_total{code="502",entrypoint="web",method="GET",protocol="http"}
    traefik_router_requests_total{code="200",method="GET",protocol="http",router="r-ok@file",
                                  service="svc-ok@file"}
    traefik_service_requests_total{code="502",method="GET",protocol="http",service="svc-closed@file"}
    traefik_router_request_duration_seconds_bucket{code="200",method="GET",protocol="http",
                                  router="r-ok@file",service="svc-ok@file",le="0.1"}
    traefik_open_connections{entrypoint="web",protocol="TCP"}
    traefik_service_server_up{service="svc-hc@file",url="http://127.0.0.1:18199"}
    traefik_config_reloads_total
    traefik_config_last_reload_success      (a Unix timestamp, 1.796029757e+09)

Router series exist only with ``metrics.prometheus.addRoutersLabels: true``; unmatched
requests (Traefik's own 404) appear only in the ``traefik_entrypoint_*`` series; the default
buckets are ``0.1, 0.3, 1.2, 5`` and ``+Inf``; ``traefik_service_server_up`` exists only for
services with a health check.

Quantiles follow Prometheus' ``histogram_quantile``: find the bucket holding the rank and
interpolate linearly inside it (from 0 for the first bucket). A quantile in the ``+Inf``
bucket is reported as the highest finite bound with ``in_inf_bucket`` set (the true value is
only known to be above it), and one in a bucket whose bounds are more than 3x apart (or a
first bucket above 50 ms) is marked ``coarse``: the interpolated value is a guess.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from traefik_doctor.probes.result import ProbeResult

MAX_WINDOW = 60.0
DEFAULT_WINDOW = 5.0
DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
COARSE_RATIO = 3.0
COARSE_FIRST = 0.05
QUANTILES = (0.5, 0.95, 0.99)

if TYPE_CHECKING:
    import httpx

KINDS = ("router", "service", "entrypoint")
_LABEL = {"router": "router", "service": "service", "entrypoint": "entrypoint"}

Labels = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Sample:
    name: str
    labels: Labels
    value: float

    def label(self, key: str) -> str | None:
        for k, v in self.labels:
            if k == key:
                return v
        return None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One scrape: every sample, by sample name (``..._total``, ``..._bucket``...)."""

    at: float  # time.monotonic() when the scrape finished
    samples: dict[str, tuple[Sample, ...]] = field(default_factory=dict)

    def get(self, name: str) -> tuple[Sample, ...]:
        return self.samples.get(name, ())

    def scalar(self, name: str) -> float | None:
        found = self.get(name)
        return found[0].value if found else None


@dataclass(frozen=True, slots=True)
class Quantile:
    """One latency quantile over the window, in seconds."""

    q: float
    value: float
    lower: float  # the bucket it fell in: (lower, upper]
    upper: float  # math.inf for the +Inf bucket
    in_inf_bucket: bool = False
    coarse: bool = False

    def describe(self) -> str:
        name = f"P{round(self.q * 100):d}"
        if self.in_inf_bucket:
            return f"{name} > {self.lower:g}s (in the +Inf bucket: only a lower bound)"
        text = f"{name} {self.value:.3f}s (bucket {self.lower:g}-{self.upper:g}s)"
        if self.coarse:
            text += ", buckets too coarse to tell"
        return text


@dataclass(frozen=True, slots=True)
class SeriesStats:
    """A router, service or entry point over the window."""

    kind: str  # "router" | "service" | "entrypoint"
    name: str  # "r-ok@file", "svc-ok@file", "web"
    labels: Labels  # the identifying labels, e.g. (("router", "r-ok@file"), ("service", ...))
    requests: float  # requests counted in the window
    rate: float  # requests per second
    errors_5xx: float
    error_share: float | None  # errors_5xx / requests, None without requests
    quantiles: tuple[Quantile, ...] = ()
    observations: float = 0.0  # histogram observations in the window
    buckets: tuple[float, ...] = ()  # finite bucket bounds seen

    def quantile(self, q: float) -> Quantile | None:
        return next((x for x in self.quantiles if math.isclose(x.q, q)), None)

    @property
    def p50(self) -> Quantile | None:
        return self.quantile(0.5)

    @property
    def p95(self) -> Quantile | None:
        return self.quantile(0.95)

    @property
    def p99(self) -> Quantile | None:
        return self.quantile(0.99)

    def selector(self) -> str:
        inner = ",".join(f'{k}="{v}"' for k, v in self.labels)
        return f"{{{inner}}}"


@dataclass(frozen=True, slots=True)
class ServerUp:
    service: str
    url: str
    up: bool


@dataclass(frozen=True, slots=True)
class MetricsWindow:
    """What two scrapes ``window`` seconds apart say."""

    url: str
    window: float
    series: tuple[SeriesStats, ...]
    router_labels: bool | None  # None: no request series at all, so it cannot be told
    buckets: tuple[float, ...]  # finite bucket bounds (union over histograms)
    coarse: str | None  # why the buckets are too coarse for a P99, or None
    last_reload_success: float | None  # Unix timestamp of the last successful reload
    reloads_in_window: float | None
    servers_up: tuple[ServerUp, ...] = ()

    def find(self, kind: str, name: str) -> SeriesStats | None:
        return next((s for s in self.series if s.kind == kind and s.name == name), None)

    def of_kind(self, kind: str) -> tuple[SeriesStats, ...]:
        return tuple(s for s in self.series if s.kind == kind)


# --- parsing


class MetricsParseError(ValueError):
    """The text is not Prometheus exposition format."""


def parse_snapshot(text: str, at: float = 0.0) -> Snapshot:
    """Parse Prometheus text with ``prometheus_client``'s parser."""
    from prometheus_client.parser import text_string_to_metric_families

    grouped: dict[str, list[Sample]] = {}
    try:
        for family in text_string_to_metric_families(text):
            for raw in family.samples:
                labels = tuple(sorted((str(k), str(v)) for k, v in raw.labels.items()))
                grouped.setdefault(raw.name, []).append(Sample(raw.name, labels, float(raw.value)))
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        raise MetricsParseError(str(exc) or type(exc).__name__) from exc
    return Snapshot(at, {k: tuple(v) for k, v in grouped.items()})


# --- window arithmetic


def _delta(new: float, old: float | None) -> float:
    if old is None:
        return new
    if new < old:  # counter reset (Traefik restarted): the new value is the window's count
        return new
    return new - old


def _index(samples: Iterable[Sample]) -> dict[Labels, float]:
    return {s.labels: s.value for s in samples}


def _deltas(first: Snapshot, second: Snapshot, name: str) -> list[tuple[Labels, float]]:
    before = _index(first.get(name))
    return [(s.labels, _delta(s.value, before.get(s.labels))) for s in second.get(name)]


def _le(text: str) -> float:
    return math.inf if text in ("+Inf", "Inf", "inf") else float(text)


def quantile(q: float, buckets: list[tuple[float, float]]) -> Quantile | None:
    """``histogram_quantile`` over cumulative ``(le, count)`` pairs (``le`` may be inf)."""
    if not buckets:
        return None
    ordered = sorted(buckets)
    # Cumulative counts must not go down (deltas of racing scrapes can): as Prometheus does.
    fixed: list[tuple[float, float]] = []
    top = 0.0
    for le, count in ordered:
        top = max(top, count)
        fixed.append((le, top))
    if not math.isinf(fixed[-1][0]):
        return None  # no +Inf bucket: not a valid histogram
    total = fixed[-1][1]
    if total <= 0:
        return None
    rank = q * total
    below = 0.0
    lower = 0.0
    for index, (le, count) in enumerate(fixed):
        if count >= rank and count > below:
            if math.isinf(le):
                highest = fixed[index - 1][0] if index > 0 else 0.0
                return Quantile(q, highest, highest, math.inf, in_inf_bucket=True, coarse=True)
            value = lower + (le - lower) * (rank - below) / (count - below)
            coarse = le > COARSE_FIRST if lower <= 0 else le / lower > COARSE_RATIO
            return Quantile(q, value, lower, le, coarse=coarse)
        below = count
        lower = le
    return None


def coarseness(bounds: Iterable[float]) -> str | None:
    """Why these finite bucket bounds cannot give a meaningful P99 (OPS005's test)."""
    ordered = sorted(b for b in bounds if b > 0 and not math.isinf(b))
    if not ordered:
        return None
    if ordered[0] > COARSE_FIRST:
        return f"the smallest bucket is {ordered[0]:g}s"
    for low, high in itertools.pairwise(ordered):
        if low >= 5.0:
            break
        if high / low > COARSE_RATIO:
            return f"the step from {low:g}s to {high:g}s is more than {COARSE_RATIO:g}x"
    return None


def _identity(kind: str, labels: Labels) -> tuple[str, Labels] | None:
    key = _LABEL[kind]
    name = next((v for k, v in labels if k == key), None)
    if name is None:
        return None
    ident: Labels = ((key, name),)
    if kind == "router":
        service = next((v for k, v in labels if k == "service"), None)
        if service is not None:
            ident = (*ident, ("service", service))
    return name, ident


def compute_window(first: Snapshot, second: Snapshot, url: str = "") -> MetricsWindow:
    """The window between two scrapes."""
    seconds = max(second.at - first.at, 0.0)
    series: list[SeriesStats] = []
    all_bounds: set[float] = set()
    any_requests = False
    router_seen = False
    for kind in KINDS:
        requests: dict[str, float] = {}
        errors: dict[str, float] = {}
        idents: dict[str, Labels] = {}
        for labels, delta in _deltas(first, second, f"traefik_{kind}_requests_total"):
            found = _identity(kind, labels)
            if found is None:
                continue
            name, ident = found
            any_requests = True
            router_seen = router_seen or kind == "router"
            idents.setdefault(name, ident)
            requests[name] = requests.get(name, 0.0) + delta
            code = dict(labels).get("code", "")
            if code.startswith("5"):
                errors[name] = errors.get(name, 0.0) + delta
        hist: dict[str, dict[float, float]] = {}
        for labels, delta in _deltas(
            first, second, f"traefik_{kind}_request_duration_seconds_bucket"
        ):
            found = _identity(kind, labels)
            le = dict(labels).get("le")
            if found is None or le is None:
                continue
            name, ident = found
            router_seen = router_seen or kind == "router"
            idents.setdefault(name, ident)
            try:
                bound = _le(le)
            except ValueError:
                continue
            if not math.isinf(bound):
                all_bounds.add(bound)
            per = hist.setdefault(name, {})
            per[bound] = per.get(bound, 0.0) + delta
        for name in sorted(set(requests) | set(hist)):
            count = requests.get(name, 0.0)
            buckets = sorted(hist.get(name, {}).items())
            qs = tuple(x for x in (quantile(q, buckets) for q in QUANTILES) if x is not None)
            observed = buckets[-1][1] if buckets and math.isinf(buckets[-1][0]) else 0.0
            err = errors.get(name, 0.0)
            series.append(
                SeriesStats(
                    kind=kind,
                    name=name,
                    labels=idents[name],
                    requests=count,
                    rate=count / seconds if seconds > 0 else 0.0,
                    errors_5xx=err,
                    error_share=err / count if count > 0 else None,
                    quantiles=qs,
                    observations=observed,
                    buckets=tuple(b for b, _ in buckets if not math.isinf(b)),
                )
            )
    ups: list[ServerUp] = []
    for s in second.get("traefik_service_server_up"):
        service, server = s.label("service"), s.label("url")
        if service is not None and server is not None:
            ups.append(ServerUp(service, server, s.value >= 1))
    reloads_before = first.scalar("traefik_config_reloads_total")
    reloads_after = second.scalar("traefik_config_reloads_total")
    return MetricsWindow(
        url=url,
        window=seconds,
        series=tuple(series),
        router_labels=True if router_seen else (False if any_requests else None),
        buckets=tuple(sorted(all_bounds)),
        coarse=coarseness(all_bounds),
        last_reload_success=second.scalar("traefik_config_last_reload_success"),
        reloads_in_window=(
            _delta(reloads_after, reloads_before) if reloads_after is not None else None
        ),
        servers_up=tuple(ups),
    )


# --- scraping


@dataclass(frozen=True, slots=True)
class _Fetched:
    result: ProbeResult
    text: str | None


def _failure_reason(exc: BaseException) -> tuple[str, str]:
    import httpx

    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException | asyncio.TimeoutError | TimeoutError):
        return "timeout", f"no complete answer within the timeout ({text})"
    if isinstance(exc, httpx.ConnectError | OSError):
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, ConnectionRefusedError) or "refused" in str(cause).lower():
                return "connection_refused", f"connection refused ({text})"
            cause = cause.__cause__ or cause.__context__
        return "connect_error", text
    if isinstance(exc, httpx.RemoteProtocolError | httpx.DecodingError):
        return "not_http", f"the answer is not valid HTTP ({text})"
    if isinstance(exc, httpx.HTTPError):
        return "http_error", text
    return "error", text


async def fetch_text(
    client: httpx.AsyncClient,
    url: str,
    *,
    probe: str,
    timeout: float,
    max_bytes: int,
    stop_at_newline: bool = False,
) -> tuple[ProbeResult, str | None]:
    """GET ``url`` with ``client`` (an ``httpx.AsyncClient``): at most ``max_bytes`` read, the
    whole exchange within ``timeout``, no redirects followed, no retry. With
    ``stop_at_newline`` the read stops after the first line."""
    import httpx

    target = f"GET {url}"
    started = time.monotonic()
    phases: dict[str, float] = {}
    state: dict[str, object] = {}

    async def run() -> str:
        async with client.stream("GET", url) as response:
            phases["processing"] = time.monotonic() - started
            state["status"] = response.status_code
            state["content_type"] = response.headers.get("content-type", "")
            if response.status_code != 200:
                raise _StatusError(response.status_code)
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body.extend(chunk)
                if stop_at_newline and b"\n" in body:
                    del body[body.index(b"\n") + 1 :]
                    break
                if len(body) > max_bytes:
                    raise _TooLargeError(len(body))
            phases["transfer"] = time.monotonic() - started - phases["processing"]
            return bytes(body).decode("utf-8", errors="replace")

    try:
        text = await asyncio.wait_for(run(), timeout)
    except _StatusError as exc:
        return _fail(
            probe,
            target=target,
            started=started,
            phases=phases,
            state=state,
            failure="status_code",
            detail=str(exc),
        ), None
    except _TooLargeError as exc:
        detail = f"the body is larger than {max_bytes} bytes (read {exc.args[0]})"
        return _fail(
            probe,
            target=target,
            started=started,
            phases=phases,
            state=state,
            failure="body_too_large",
            detail=detail,
        ), None
    except (httpx.HTTPError, TimeoutError, OSError) as exc:
        reason, detail = _failure_reason(exc)
        return _fail(
            probe,
            target=target,
            started=started,
            phases=phases,
            state=state,
            failure=reason,
            detail=detail,
        ), None
    result = ProbeResult(
        probe=probe,
        target=target,
        success=True,
        duration=time.monotonic() - started,
        phases=phases,
        observations=dict(state),
    )
    return result, text


class _StatusError(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status} (expected 200)")
        self.status = status


class _TooLargeError(Exception):
    pass


def _fail(
    probe: str,
    *,
    target: str,
    started: float,
    phases: dict[str, float],
    state: dict[str, object],
    failure: str,
    detail: str,
) -> ProbeResult:
    return ProbeResult(
        probe=probe,
        target=target,
        success=False,
        duration=time.monotonic() - started,
        phases=phases,
        failure=failure,
        detail=detail,
        observations=dict(state),
    )


def make_client(timeout: float) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` for probes: no redirects, no proxies from the environment,
    no HTTP keep-alive pool surprises (each probe owns its client)."""
    import httpx

    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,
        headers={"Accept": "text/plain", "Accept-Encoding": "identity"},
    )


async def scrape(
    url: str,
    *,
    client: httpx.AsyncClient | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[ProbeResult, Snapshot | None]:
    """One scrape of ``url`` (``http://127.0.0.1:8082/metrics``), parsed."""
    own = client is None
    active = make_client(timeout) if client is None else client
    try:
        result, text = await fetch_text(
            active, url, probe="metrics", timeout=timeout, max_bytes=max_bytes
        )
    finally:
        if own:
            await active.aclose()
    if text is None:
        return result, None
    try:
        snapshot = parse_snapshot(text, at=time.monotonic())
    except MetricsParseError as exc:
        return (
            ProbeResult(
                probe="metrics",
                target=result.target,
                success=False,
                duration=result.duration,
                phases=result.phases,
                failure="not_prometheus",
                detail=f"the body is not Prometheus text ({exc})",
                observations=result.observations,
            ),
            None,
        )
    if not any(name.startswith("traefik_") for name in snapshot.samples):
        return (
            ProbeResult(
                probe="metrics",
                target=result.target,
                success=False,
                duration=result.duration,
                phases=result.phases,
                failure="not_traefik",
                detail="the scrape has no traefik_* series (not Traefik's metrics endpoint?)",
                observations={**result.observations, "families": len(snapshot.samples)},
            ),
            None,
        )
    return result, snapshot


async def probe_metrics(
    url: str,
    *,
    window: float = DEFAULT_WINDOW,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[ProbeResult, MetricsWindow | None]:
    """Scrape ``url`` twice ``window`` seconds apart (at most ``MAX_WINDOW``); each scrape
    bounded by ``timeout`` and ``max_bytes``. The ProbeResult reports the failing scrape,
    or success with phases ``first``, ``wait``, ``second``."""
    window = min(max(window, 0.0), MAX_WINDOW)
    started = time.monotonic()
    client = make_client(timeout)
    try:
        first_result, first = await scrape(url, client=client, timeout=timeout, max_bytes=max_bytes)
        if first is None:
            return first_result, None
        await asyncio.sleep(max(window - (time.monotonic() - first.at), 0.0))
        waited = time.monotonic() - started - first_result.duration
        second_result, second = await scrape(
            url, client=client, timeout=timeout, max_bytes=max_bytes
        )
        if second is None:
            return second_result, None
    finally:
        await client.aclose()
    stats = compute_window(first, second, url)
    result = ProbeResult(
        probe="metrics",
        target=f"GET {url} x2",
        success=True,
        duration=time.monotonic() - started,
        phases={"first": first_result.duration, "wait": waited, "second": second_result.duration},
        observations={
            "window": stats.window,
            "series": len(stats.series),
            "router_labels": stats.router_labels,
            "buckets": list(stats.buckets),
        },
    )
    return result, stats
