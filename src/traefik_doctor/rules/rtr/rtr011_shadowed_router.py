"""## What it does
Checks for routers that can never receive a request: on the same entry point, a router of
higher priority matches every request they match. The check only reports what it can prove
(see *How it decides*), so a silent result does not mean no router is shadowed.

## Why is this bad?
Traefik tries routers by priority, highest first, and the first match wins. Priority is the
rule's length unless set, so a short specific rule easily loses to a long general one:
``Host(`x.test`) && PathPrefix(`/`)`` (33) takes `/api/v1/x` away from
``PathPrefix(`/api/v1`)`` (21). The shadowed router's service never gets traffic, and its
middlewares (auth, rate limits) never run, with no error anywhere.

## How it decides
Both rules must be v3 rules made of `&&` only (no `||`, no `!`). Every matcher of the
higher router must be implied by a matcher of the lower one: `Host` by the same host (a
wildcard `*.example.com` by a host one level below it; ``Host(`*`)`` always), `PathPrefix(p)`
by a `Path` or `PathPrefix` starting with `p`, `Path` by the same `Path`, and any other
matcher (methods, headers, queries, regexps, client IPs) by an identical one. The lower
router must itself match a request built from its rule. Disabled routers and Traefik's
internal routers are left out (RTR019 covers ping).

## Example
```yaml
http:
  routers:
    site:
      rule: Host(`x.test`) && PathPrefix(`/`)          # priority 33
      service: site
    api:
      rule: Host(`x.test`) && PathPrefix(`/api/v1`)
      priority: 10                                    # below 33: never reached
      service: api
```

## Use instead
```yaml
    api:
      rule: Host(`x.test`) && PathPrefix(`/api/v1`)
      priority: 100
      service: api
```

## Fix safety
The suggested priority makes the shadowed router win for the requests it matches; other
requests it did not match before are unaffected, but check routers between the two.

## References
- shared/traefik-facts.md §5 (`host-catchall` beats `long-prefix`; explicit priority 1 loses)
- Traefik source `pkg/muxer/http/mux.go` (routes sorted by priority, first match wins)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.routing.overlap import shadowed
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    for shadow in shadowed(context.project):
        low, high = shadow.shadowed, shadow.by
        if low.rule is None or high.rule is None:
            continue
        yield RULE.finding(
            f"router `{low.qualified}` (priority {shadow.shadowed_priority}) never receives a"
            f" request on entry point `{shadow.entry_point}`: router `{high.qualified}`"
            f" (priority {shadow.by_priority}) matches everything it matches"
            f" (e.g. `{shadow.witness}`)",
            low.rule.origin,
            related=[(high.rule.origin, f"router `{high.qualified}` rule")],
            fix=f"Give router `{low.qualified}` a priority above {shadow.by_priority}",
            unsafe=True,
        )


RULE = Rule("RTR011", "shadowed-router", Severity.WARNING, check, __doc__ or "", fixable=True)
