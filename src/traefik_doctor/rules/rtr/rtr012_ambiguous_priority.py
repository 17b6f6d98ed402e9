"""## What it does
Checks for two routers on one entry point with the same effective priority (explicit, or
the rule's length) that both match some request. It reports the pair with a request both
match, built from their rules and checked with the routing engine.

## Why is this bad?
Traefik sorts routes by priority with an unstable sort over routers read from a Go map, so
between routers of equal priority the winner is chosen at random at each start (and each
configuration reload): measured over 6 restarts, three routers matching `/same` won
`zeta, alpha, alpha, zeta, alpha, mid`. The same request goes to a different service after a
restart, and nothing in the logs or the API says so.

## Example
```yaml
http:
  routers:
    blue:
      rule: PathPrefix(`/app`)     # priority 18 (the rule's length)
      service: blue
    green:
      rule: PathPrefix(`/ap`)      # also matches /app...
      priority: 18                 # ...with the same priority
      service: green
```

## Use instead
```yaml
    blue:
      rule: PathPrefix(`/app`)
      priority: 20
      service: blue
```

## Fix safety
Choosing which router should win is a decision about intent; the suggestion only breaks
the tie.

## References
- shared/traefik-facts.md §5 (ties: winner random across restarts)
- Traefik source `pkg/muxer/http/mux.go` (`sort.Sort`, `routes.Less`)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.routing.overlap import overlaps
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    for pair in overlaps(context.project):
        first, second = sorted((pair.first, pair.second), key=lambda r: r.qualified)
        if first.rule is None or second.rule is None:
            continue
        yield RULE.finding(
            f"routers `{first.qualified}` and `{second.qualified}` both have priority"
            f" {pair.priority} on entry point `{pair.entry_point}` and both match"
            f" `{pair.witness}`: Traefik picks the winner at random at each start",
            second.rule.origin,
            related=[(first.rule.origin, f"router `{first.qualified}` rule")],
            fix=f"Set an explicit `priority` on `{second.qualified}` or `{first.qualified}`",
            unsafe=True,
        )


RULE = Rule("RTR012", "ambiguous-priority", Severity.WARNING, check, __doc__ or "", fixable=True)
