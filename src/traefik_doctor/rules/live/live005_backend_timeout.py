"""## What it does
Checks for a `504 Gateway Timeout` through Traefik: the backend did not send its response
headers within `responseHeaderTimeout`. A live diagnosis made by `traefik-doctor probe` and
`doctor`; `check` never reports it.

## Why is this bad?
The client waits for the full timeout and then gets an error; the backend keeps working on a
request nobody waits for.

## Example
```
serversTransports:
  short: {forwardingTimeouts: {responseHeaderTimeout: 1s}}   # handler takes 3 s
```

## Use instead
```
Make the handler faster or raise `responseHeaderTimeout` above the slowest legitimate response.
```

## Fix safety
Raising a timeout is safe for correctness but lets slow requests hold connections longer.

## References
- shared/fault-catalog.md LIVE005
- shared/traefik-facts.md §1 (504 after responseHeaderTimeout)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live codes come from ``traefik_doctor.live.diagnose``; the static engine gets none."""
    del context
    yield from ()


RULE = Rule("LIVE005", "backend-timeout", Severity.ERROR, check, __doc__ or "")
