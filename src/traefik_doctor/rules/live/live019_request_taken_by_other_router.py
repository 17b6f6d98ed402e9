"""## What it does
Checks for a router whose requests another router takes: the request built from its rule
is served, says Traefik's access log, by another router, so this one never sees it. A live
diagnosis made by `traefik-doctor probe` and `doctor` (it needs the JSON access log);
`check` never reports it, but RTR011 (shadowed router) and RTR012 (ambiguous priority)
predict it.

## Why is this bad?
Traefik tries routers by priority, by default the length of the rule, and the first match
wins. A longer rule of another router (a catch-all `HostRegexp`, a `PathPrefix(`/`)` with a
header matcher, an explicit `priority`) takes the requests meant for this one: they get the
other service's answer, often a 404 from the wrong backend that looks like a missing route.

## Example
```
api:   {rule: "Host(`app.test`) && PathPrefix(`/api`)", service: api}
front: {rule: "HostRegexp(`^.+\\.test$`) && PathPrefix(`/`)", service: front}   # longer rule wins
```

## Use instead
```
api:   {rule: "Host(`app.test`) && PathPrefix(`/api`)", service: api, priority: 100}
```

## Fix safety
The diagnosis changes nothing.

## References
- shared/fault-catalog.md RTR011, RTR012
- Traefik docs, Routers, priority (default: rule length)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live codes come from ``traefik_doctor.live.diagnose``; the static engine gets none."""
    del context
    yield from ()


RULE = Rule("LIVE019", "request-taken-by-other-router", Severity.ERROR, check, __doc__ or "")
