"""## What it does
Checks for a backend health endpoint (`healthCheck.path`) that answers non-2xx or not at all
when probed directly. A live diagnosis made by `traefik-doctor probe` and `doctor`; `check`
never reports it.

## Why is this bad?
Traefik marks the server DOWN and withholds traffic; with every server down the service
answers 503.

## Example
```
healthCheck: {path: /healthz}   # /healthz answers 503
```

## Use instead
```
Make the health endpoint answer 200 when the service can serve.
```

## Fix safety
The diagnosis changes nothing.

## References
- shared/fault-catalog.md LIVE018
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


RULE = Rule("LIVE018", "healthz-failing", Severity.ERROR, check, __doc__ or "")
