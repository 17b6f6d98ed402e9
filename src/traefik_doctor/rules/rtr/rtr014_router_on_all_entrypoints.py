"""## What it does
Checks for routers without `entryPoints` when the static configuration has several entry
points a router can attach to: such a router attaches to every entry point except the one
named `traefik` (or to the `asDefault: true` ones, when any is marked).

## Why is this bad?
Application routes then also answer on entry points meant for something else: the metrics
port, an internal admin port, or plain HTTP next to HTTPS. Traefik only logs this at DEBUG
(`No entryPoint defined for this router, using the default one(s) instead`).

## Example
```yaml
# traefik.yml: web, websecure and metrics entry points
http:
  routers:
    app:
      rule: Host(`app.example.com`)
      service: app
```

## Use instead
```yaml
http:
  routers:
    app:
      rule: Host(`app.example.com`)
      service: app
      entryPoints: [websecure]
```

## Fix safety
Listing entry points explicitly removes the router from the others: clients that used them
lose the route.

## References
- shared/traefik-facts.md §8, §14
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.rtr._common import quoted_list


def check(context: Context) -> Iterator[Finding]:
    static = context.project.static
    if not static.present or static.root is None:
        return
    eps = static.entry_points.values()
    if any(ep.as_default is not None and ep.as_default.as_bool() for ep in eps):
        return
    defaults = static.default_entry_points()
    if len(defaults) < 2:
        return
    for router in context.project.dynamic.routers.values():
        if router.protocol == "udp" or router.entry_points:
            continue
        yield RULE.finding(
            f"router `{router.qualified}` has no `entryPoints`, so Traefik attaches it to every"
            f" entry point except `traefik`: {quoted_list(defaults)}",
            router.origin,
            fix="List the entry points the router should serve in `entryPoints`",
            unsafe=True,
        )


RULE = Rule("RTR014", "router-on-all-entrypoints", Severity.WARNING, check, __doc__ or "")
