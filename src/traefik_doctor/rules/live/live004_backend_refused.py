"""## What it does
Checks for a `502 Bad Gateway` through Traefik while the backend's address refuses TCP
connections. A live diagnosis made by `traefik-doctor probe` and `doctor`; `check` never
reports it.

## Why is this bad?
Nothing listens where the server URL points: the service is down, listens on another port,
or binds an address Traefik cannot reach (127.0.0.1 inside a container).

## Example
```
servers:
  - url: "http://127.0.0.1:8081"   # the Go service listens on :8080
```

## Use instead
```
servers:
  - url: "http://127.0.0.1:8080"
```

## Fix safety
The diagnosis changes nothing.

## References
- shared/fault-catalog.md LIVE004
- shared/traefik-facts.md §1 (closed port: 502)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live codes come from ``traefik_doctor.live.diagnose``; the static engine gets none."""
    del context
    yield from ()


RULE = Rule("LIVE004", "backend-refused", Severity.ERROR, check, __doc__ or "")
