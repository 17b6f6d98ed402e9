"""Two scrapes of Traefik's metrics, as ``probe_metrics`` takes them, keeping what the verdict
needs beyond ``MetricsWindow``: each service's latency histogram over the window (cumulative
``(le, count)`` pairs), so the tail-share test can count the requests slower than a bound.
"""

from __future__ import annotations

import asyncio
import math
import time

from traefik_doctor.canary.verdict import Histogram
from traefik_doctor.probes.metrics import (
    MetricsWindow,
    Snapshot,
    compute_window,
    make_client,
    scrape,
)
from traefik_doctor.probes.result import ProbeResult

_BUCKET = "traefik_service_request_duration_seconds_bucket"


async def read_window(
    url: str, window: float, timeout: float
) -> tuple[ProbeResult, MetricsWindow | None, dict[str, Histogram]]:
    """Scrape ``url`` twice ``window`` seconds apart (each scrape bounded by ``timeout``);
    the failing scrape's result, or the second one's with the window and histograms."""
    client = make_client(timeout)
    try:
        result, first = await scrape(url, client=client, timeout=timeout)
        if first is None:
            return result, None, {}
        await asyncio.sleep(max(window - (time.monotonic() - first.at), 0.0))
        result, second = await scrape(url, client=client, timeout=timeout)
        if second is None:
            return result, None, {}
    finally:
        await client.aclose()
    return result, compute_window(first, second, url), service_histograms(first, second)


def service_histograms(first: Snapshot, second: Snapshot) -> dict[str, Histogram]:
    """Per service, the window's cumulative bucket counts summed over codes and methods (a
    counter that went down was reset: its new value is the window's count)."""
    before = {s.labels: s.value for s in first.get(_BUCKET)}
    per: dict[str, dict[float, float]] = {}
    for sample in second.get(_BUCKET):
        service, le = sample.label("service"), sample.label("le")
        if service is None or le is None:
            continue
        try:
            bound = math.inf if le in ("+Inf", "Inf", "inf") else float(le)
        except ValueError:
            continue
        old = before.get(sample.labels)
        delta = sample.value if old is None or sample.value < old else sample.value - old
        counts = per.setdefault(service, {})
        counts[bound] = counts.get(bound, 0.0) + delta
    out: dict[str, Histogram] = {}
    for service, counts in per.items():
        top = 0.0
        pairs: list[tuple[float, float]] = []
        for bound, count in sorted(counts.items()):
            top = max(top, count)  # cumulative counts never go down (racing scrapes can)
            pairs.append((bound, top))
        out[service] = tuple(pairs)
    return out
