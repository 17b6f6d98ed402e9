"""## What it does
Checks for an entry point that refuses connections or does not answer in time. A live
diagnosis made by `traefik-doctor probe` and `doctor`; `check` never reports it.

## Why is this bad?
Every router on that entry point is unreachable: Traefik is down, listens elsewhere, or a
firewall is in the way. Nothing else can be diagnosed through it.

## Example
```
entryPoints:
  web:
    address: ":8080"   # Traefik is not running, or runs with another static file
```

## Use instead
```
Start Traefik with this static configuration
(or pass `--entrypoint web=URL` to probe where it really listens).
```

## Fix safety
The diagnosis changes nothing.

## References
- shared/fault-catalog.md LIVE001
- shared/traefik-facts.md §4 (a missing `--configFile` is silently ignored)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live codes come from ``traefik_doctor.live.diagnose``; the static engine gets none."""
    del context
    yield from ()


RULE = Rule("LIVE001", "entrypoint-unreachable", Severity.ERROR, check, __doc__ or "")
