"""## What it does
Checks for a router, service or entry point whose P99 latency, read from Traefik's
Prometheus histograms over a window (two scrapes N seconds apart), is above a threshold
(default 1 s, `--p99-threshold`). Live only: reported by `probe` and `doctor`, never by
`check`.

The quantile is computed like Prometheus' `histogram_quantile` from the bucket counts that
grew during the window (linear interpolation inside the bucket). A P99 in the `+Inf` bucket
is only known to be above the highest bucket; a P99 in a bucket whose bounds are more than
3x apart is a guess, and the finding then points at OPS005 (coarse buckets). Without router
labels (OPS003) only services and entry points can be named.

## Why is this bad?
One request in a hundred waits longer than the threshold: clients time out and retry, and
Traefik's own timeouts (`respondingTimeouts`, `forwardingTimeouts.responseHeaderTimeout`)
turn the slowest into 504s.

## Example
```text
traefik_router_request_duration_seconds_bucket{router="api@file",le="1"}   980 -> 1010
traefik_router_request_duration_seconds_bucket{router="api@file",le="2.5"} 995 -> 1100
```
P99 over the window: 2.4 s.

## Use instead
Find what is slow behind the router (the backend's own latency, its pprof, the access log's
`Duration` and `OriginDuration`), and set buckets fine enough to see it:
```yaml
metrics:
  prometheus:
    addRoutersLabels: true
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
```

## Fix safety
No fix is offered: the cause is in the backend or the network.

## References
- shared/fault-catalog.md LIVE012, OPS003, OPS005
- shared/traefik-facts.md §8 (series and label names, default buckets)
- Prometheus `histogram_quantile`
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live only: diagnosed by ``traefik_doctor.live.metrics_diagnose``."""
    del context
    yield from ()


RULE = Rule("LIVE012", "high-latency", Severity.WARNING, check, __doc__ or "")
