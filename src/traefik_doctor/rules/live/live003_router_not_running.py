"""## What it does
Checks for a router of the configuration files that Traefik's API shows disabled, with
errors, or not at all. A live diagnosis made by `traefik-doctor probe` and `doctor`; `check`
never reports it.

## Why is this bad?
A disabled router answers like no router: `404 page not found`. The only trace is the
router's `error` array in the API and one ERR log line at load time.

## Example
```
routers:
  app: {rule: "Host(`app.test`)", service: ap}   # service `ap` does not exist
```

## Use instead
```
routers:
  app: {rule: "Host(`app.test`)", service: app}
```

## Fix safety
The diagnosis changes nothing.

## References
- shared/fault-catalog.md LIVE003
- shared/traefik-facts.md §2
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live codes come from ``traefik_doctor.live.diagnose``; the static engine gets none."""
    del context
    yield from ()


RULE = Rule("LIVE003", "router-not-running", Severity.ERROR, check, __doc__ or "")
