"""## What it does
Checks for a `502 Bad Gateway` while the backend accepts TCP connections: it closed the
connection without a response (EOF). A live diagnosis made by `traefik-doctor probe` and
`doctor`; `check` never reports it.

## Why is this bad?
A Go `WriteTimeout` shorter than the handler ends every slow response as 502 EOF, and a
backend idle timeout shorter than Traefik's pool races pooled requests. An idempotent
request (GET, HEAD) that meets the EOF on a pooled connection is sent again by Traefik's
transport on the next one: the client waits up to three times the handler's duration before
its 502 (measured with Traefik 3.7.15 and a 1 s WriteTimeout against a 1.5 s handler:
1.5 s with no idle connection, 3.0 s with one, 4.5 s with three or more), which can look
like a timeout (LIVE005). POSTs are not sent again.

## Example
```
srv := &http.Server{WriteTimeout: 1 * time.Second}   // handler takes 2 s
```

## Use instead
```
srv := &http.Server{WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second}
```

## Fix safety
Longer server timeouts hold resources longer.

## References
- shared/fault-catalog.md LIVE009
- shared/traefik-facts.md §1, §13
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live codes come from ``traefik_doctor.live.diagnose``; the static engine gets none."""
    del context
    yield from ()


RULE = Rule("LIVE009", "backend-connection-closed", Severity.ERROR, check, __doc__ or "")
