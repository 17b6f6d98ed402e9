"""## What it does
Checks for Traefik's `503 no available server`: every server of the service is down by
health check, or the service has none. A live diagnosis made by `traefik-doctor probe` and
`doctor`; `check` never reports it.

## Why is this bad?
The router and service stay `enabled` in the API and the overview shows no error; only
`serverStatus` tells.

## Example
```
healthCheck: {path: /healthz, interval: 1s}   # /healthz answers 503 on every server
```

## Use instead
```
Serve the health path with 200 when the service is ready; check `serverStatus` in the API.
```

## Fix safety
The diagnosis changes nothing.

## References
- shared/fault-catalog.md LIVE007
- shared/traefik-facts.md §6
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live codes come from ``traefik_doctor.live.diagnose``; the static engine gets none."""
    del context
    yield from ()


RULE = Rule("LIVE007", "no-healthy-server", Severity.ERROR, check, __doc__ or "")
