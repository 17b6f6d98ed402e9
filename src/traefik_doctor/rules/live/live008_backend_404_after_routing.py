"""## What it does
Checks for a 404 that the backend answered after a router matched (the access log has the
`RouterName`). A live diagnosis made by `traefik-doctor probe` and `doctor`; `check` never
reports it.

## Why is this bad?
Traefik routed the request, but the path that reached the backend is not served, often
because a middleware rewrote it (`stripPrefix`).

## Example
```
stripPrefix: {prefixes: [/api]}   # the Go service serves /api/users, receives /users
```

## Use instead
```
Strip only what the backend does not expect, or serve the rewritten path.
```

## Fix safety
Changing the rewrite changes the paths the backend sees.

## References
- shared/fault-catalog.md LIVE008
- shared/traefik-facts.md §9
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live codes come from ``traefik_doctor.live.diagnose``; the static engine gets none."""
    del context
    yield from ()


RULE = Rule("LIVE008", "backend-404-after-routing", Severity.ERROR, check, __doc__ or "")
