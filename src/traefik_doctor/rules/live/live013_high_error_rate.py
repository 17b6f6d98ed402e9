"""## What it does
Checks for a router, service or entry point whose share of 5xx responses over a window (two
scrapes of Traefik's Prometheus metrics N seconds apart, the difference of the
`traefik_*_requests_total` counters, never the cumulative totals) is above a threshold
(default 5%, `--error-threshold`), with at least a minimum number of requests in the window
(default 20). Live only: reported by `probe` and `doctor`, never by `check`.

## Why is this bad?
Clients see failures right now. Cumulative counters would hide a fresh outage behind days
of healthy traffic, or keep reporting one that ended; the window shows the present.

## Example
```text
traefik_router_requests_total{code="500",router="flaky@file",service="flaky@file"} 10 -> 60
traefik_router_requests_total{code="200",router="flaky@file",service="flaky@file"} 90 -> 140
```
5xx share over the window: 50 of 100 (50%).

## Use instead
Follow the router's other findings (LIVE004-LIVE009 name 502/503/504 causes), the access
log's `OriginStatus` (a 5xx from the backend itself) and the backend's logs.

## Fix safety
No fix is offered: the cause is in the backend or in the routing.

## References
- shared/fault-catalog.md LIVE013, OPS003
- shared/traefik-facts.md §8 (series and label names)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live only: diagnosed by ``traefik_doctor.live.metrics_diagnose``."""
    del context
    yield from ()


RULE = Rule("LIVE013", "high-error-rate", Severity.ERROR, check, __doc__ or "")
