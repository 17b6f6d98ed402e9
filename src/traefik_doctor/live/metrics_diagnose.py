"""LIVE012-LIVE015 from Traefik's metrics window and Go pprof samples.

``diagnose_metrics`` turns a ``MetricsWindow`` into LIVE012 (high P99) and LIVE013 (high 5xx
share) findings; ``diagnose_pprof`` turns a ``PprofSeries`` into LIVE014 (goroutines) and
LIVE015 (heap). Each diagnosis carries its evidence (the numbers, the window, the series
labels); a router's finding points at the router's definition when the project defines it,
and names the static findings that explain weak evidence: OPS003 (no router labels, so only
services and entry points can be named) and OPS005 (buckets too coarse for the P99).

To avoid saying the same thing three times, a slow or failing router is reported, not also
its service; a service only when no reported router uses it; an entry point only when no
router or service was reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from traefik_doctor.findings import Evidence, Finding, Location
from traefik_doctor.model.project import Project
from traefik_doctor.probes.metrics import MetricsWindow, Quantile, SeriesStats
from traefik_doctor.probes.pprof import PprofSeries, grows_every_step
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.live import (
    live012_high_latency,
    live013_high_error_rate,
    live014_goroutine_growth,
    live015_heap_growth,
)
from traefik_doctor.rules.ops import ops003_metrics_missing, ops005_coarse_latency_buckets
from traefik_doctor.source import Origin

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Thresholds:
    p99_seconds: float = 1.0
    error_share: float = 0.05
    min_requests: int = 20
    goroutines: int = 10_000
    goroutine_margin: int = 10  # growth per sample that counts as growing
    heap_bytes: int = 1024 * MIB
    heap_margin: int = 1 * MIB


@dataclass(frozen=True, slots=True)
class _Check:
    rule: Rule
    coarse_matters: bool
    hit: Callable[[SeriesStats], bool]
    message: Callable[[SeriesStats, MetricsWindow], str]


def diagnose_metrics(
    window: MetricsWindow,
    project: Project | None = None,
    thresholds: Thresholds | None = None,
) -> list[Finding]:
    """LIVE012 and LIVE013 over one metrics window."""
    limits = thresholds or Thresholds()
    statics = _static_findings(project)
    latency = _Check(
        live012_high_latency.RULE,
        True,
        lambda s: _slow(s, limits),
        lambda s, w: _latency_message(s, w, limits),
    )
    errors = _Check(
        live013_high_error_rate.RULE,
        False,
        lambda s: _failing(s, limits),
        lambda s, w: _error_message(s, w, limits),
    )
    out: list[Finding] = []
    for check in (latency, errors):
        out.extend(_per_kind(window, project, statics, check))
    return out


def _slow(stats: SeriesStats, limits: Thresholds) -> bool:
    p99 = stats.p99
    if p99 is None or stats.observations <= 0:
        return False
    if p99.in_inf_bucket:
        return p99.lower >= limits.p99_seconds
    return p99.value > limits.p99_seconds


def _failing(stats: SeriesStats, limits: Thresholds) -> bool:
    share = stats.error_share
    return (
        share is not None and stats.requests >= limits.min_requests and share > limits.error_share
    )


def _latency_message(stats: SeriesStats, window: MetricsWindow, limits: Thresholds) -> str:
    p99 = stats.p99
    assert p99 is not None
    value = f"above {p99.lower:g}s" if p99.in_inf_bucket else f"{p99.value:.3f}s"
    return (
        f"{stats.kind} `{stats.name}`: P99 latency {value} over the last"
        f" {window.window:.1f}s, above the {limits.p99_seconds:g}s threshold"
    )


def _error_message(stats: SeriesStats, window: MetricsWindow, limits: Thresholds) -> str:
    share = stats.error_share or 0.0
    return (
        f"{stats.kind} `{stats.name}`: {share:.0%} of requests answered 5xx over the last"
        f" {window.window:.1f}s ({stats.errors_5xx:g} of {stats.requests:g}), above the"
        f" {limits.error_share:.0%} threshold"
    )


def _per_kind(
    window: MetricsWindow,
    project: Project | None,
    statics: dict[str, list[Finding]],
    check: _Check,
) -> list[Finding]:
    out: list[Finding] = []
    covered_services: set[str] = set()
    for stats in window.of_kind("router"):
        if check.hit(stats):
            out.append(_diagnosis(stats, window, project, statics, check))
            service = dict(stats.labels).get("service")
            if service:
                covered_services.add(service)
    for stats in window.of_kind("service"):
        if stats.name not in covered_services and check.hit(stats):
            out.append(_diagnosis(stats, window, project, statics, check))
    if not out:
        for stats in window.of_kind("entrypoint"):
            if check.hit(stats):
                out.append(_diagnosis(stats, window, project, statics, check))
    return out


def _diagnosis(
    stats: SeriesStats,
    window: MetricsWindow,
    project: Project | None,
    statics: dict[str, list[Finding]],
    check: _Check,
) -> Finding:
    evidence = [Evidence("metrics", line) for line in _evidence_lines(stats, window)]
    related: list[tuple[Origin | Location, str]] = []
    if window.router_labels is False and stats.kind != "router":
        evidence.append(
            Evidence(
                "metrics",
                "no traefik_router_* series: router labels are off"
                " (metrics.prometheus.addRoutersLabels), so the router cannot be named",
            )
        )
        related.extend(_related(statics, "OPS003"))
    p99 = stats.p99
    if check.coarse_matters and p99 is not None and (p99.coarse or window.coarse):
        reason = window.coarse or "the P99 falls in a wide bucket"
        evidence.append(Evidence("metrics", f"buckets too coarse for a precise P99: {reason}"))
        related.extend(_related(statics, "OPS005"))
    return check.rule.finding(
        check.message(stats, window),
        _where(stats, project),
        related=related,
        evidence=evidence,
    )


def _evidence_lines(stats: SeriesStats, window: MetricsWindow) -> list[str]:
    lines = [
        f"window: two scrapes of {window.url or 'the metrics endpoint'}"
        f" {window.window:.1f}s apart (counter differences, not totals)",
        f"series: traefik_{stats.kind}_requests_total{stats.selector()}",
        f"requests: {stats.requests:g} ({stats.rate:.2f}/s), 5xx: {stats.errors_5xx:g}"
        + (f" ({stats.error_share:.1%})" if stats.error_share is not None else ""),
    ]
    if stats.quantiles:
        lines.append("latency: " + ", ".join(_q(q) for q in stats.quantiles))
    if stats.buckets:
        lines.append("buckets (le): " + ", ".join(f"{b:g}" for b in stats.buckets) + ", +Inf")
    return lines


def _q(q: Quantile) -> str:
    return q.describe()


def _where(stats: SeriesStats, project: Project | None) -> Location:
    if project is None:
        return Location("")
    if stats.kind == "router":
        for router in project.dynamic.http_routers():
            if router.qualified == stats.name:
                return router.origin.location()
    if stats.kind == "service":
        for service in project.dynamic.services.values():
            if service.protocol == "http" and service.qualified == stats.name:
                return service.origin.location()
    if stats.kind == "entrypoint":
        origin = project.static.key_origin("entryPoints", stats.name)
        if origin is not None:
            return origin.location()
    return Location("")


def _static_findings(project: Project | None) -> dict[str, list[Finding]]:
    if project is None:
        return {}
    context = Context(project)
    return {
        "OPS003": list(ops003_metrics_missing.RULE.check(context)),
        "OPS005": list(ops005_coarse_latency_buckets.RULE.check(context)),
    }


def _related(statics: dict[str, list[Finding]], code: str) -> list[tuple[Origin | Location, str]]:
    return [(f.location, f"{f.code} {f.name}: {f.message}") for f in statics.get(code, [])]


# --- pprof


def diagnose_pprof(
    series: PprofSeries,
    thresholds: Thresholds | None = None,
    location: Location | None = None,
) -> list[Finding]:
    """LIVE014 and LIVE015 over one process's samples; ``location`` is where the Go
    listener serving pprof is defined, when the Go facts know it."""
    limits = thresholds or Thresholds()
    where = location or Location("")
    out: list[Finding] = []
    times = ", ".join(f"{s.at:.1f}s" for s in series.samples)
    window = Evidence(
        "direct-probe",
        f"window: {len(series.samples)} samples of {series.base} over {series.window:.1f}s"
        f" (at {times})",
    )
    goroutines, goroutine_slope = series.goroutines(), series.goroutine_slope()
    if goroutines:
        _growth(
            out,
            live014_goroutine_growth.RULE,
            goroutines,
            limits.goroutines,
            limits.goroutine_margin,
            above=f"above the {limits.goroutines:,} threshold",
            grew=f"grew by more than {limits.goroutine_margin} on every sample",
            amount=f"{goroutines[-1]:,} goroutines",
            trend="goroutine profile: total "
            + " -> ".join(f"{g:,}" for g in goroutines)
            + (f" ({goroutine_slope:+.1f}/s)" if goroutine_slope is not None else ""),
            where=where,
            window=window,
            base=series.base,
        )
    heap, heap_slope = series.heap(), series.heap_slope()
    if heap:
        _growth(
            out,
            live015_heap_growth.RULE,
            heap,
            limits.heap_bytes,
            limits.heap_margin,
            above=f"above the {limits.heap_bytes / MIB:,.0f} MiB threshold",
            grew=f"grew by more than {limits.heap_margin / MIB:g} MiB on every sample",
            amount=f"{heap[-1] / MIB:,.1f} MiB heap in use",
            trend="HeapInuse: "
            + " -> ".join(f"{h / MIB:,.1f} MiB" for h in heap)
            + (f" ({heap_slope / MIB:+.2f} MiB/s)" if heap_slope is not None else ""),
            where=where,
            window=window,
            base=series.base,
        )
    return out


def _growth(
    out: list[Finding],
    rule: Rule,
    values: list[int],
    threshold: float,
    margin: float,
    *,
    above: str,
    grew: str,
    amount: str,
    trend: str,
    where: Location,
    window: Evidence,
    base: str,
) -> None:
    """Goroutines and heap are judged alike: above a threshold, or growing on every sample."""
    growing = grows_every_step(values, margin)
    high = values[-1] > threshold
    if not (growing or high):
        return
    why = [text for text, holds in ((above, high), (grew, growing)) if holds]
    out.append(
        rule.finding(
            f"Go process at {base}: {amount}, " + " and ".join(why),
            where,
            evidence=(window, Evidence("direct-probe", trend)),
        )
    )
