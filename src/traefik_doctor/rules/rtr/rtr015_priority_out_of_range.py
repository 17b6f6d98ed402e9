"""## What it does
Checks for HTTP routers whose `priority` is above the maximum Traefik allows for
user-defined routers (`math.MaxInt64 - 1000` = 9223372036854774807; the values above are
reserved for Traefik's internal routers).

## Why is this bad?
Traefik disables the router with the error `the router priority N exceeds the max
user-defined priority 9223372036854774807`, and its requests get a 404. Priorities near the
int64 limit are usually meant as "always first", which this makes "never".

## Example
```yaml
http:
  routers:
    first:
      rule: PathPrefix(`/`)
      service: app
      priority: 9223372036854775807
```

## Use instead
```yaml
http:
  routers:
    first:
      rule: PathPrefix(`/`)
      service: app
      priority: 1000000
```

## Fix safety
Lowering the priority keeps the router ahead of every router with a smaller priority; check
the order against your other high-priority routers.

## References
- Measured with Traefik 3.7.15 (router disabled, error text above);
  Traefik source `pkg/server/router/router.go`
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rulelang.priority import MAX_PRIORITY
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    for router in context.project.dynamic.http_routers():
        if router.priority is None:
            continue
        number = router.priority.as_int()
        if number is None or number <= MAX_PRIORITY:
            continue
        yield RULE.finding(
            f"router `{router.qualified}` has priority {number}, above Traefik's maximum for"
            f" user routers ({MAX_PRIORITY}); Traefik disables the router (404)",
            router.priority.origin,
            fix=f"Use a priority of at most {MAX_PRIORITY}",
        )


RULE = Rule("RTR015", "priority-out-of-range", Severity.ERROR, check, __doc__ or "")
