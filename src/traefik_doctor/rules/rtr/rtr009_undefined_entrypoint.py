"""## What it does
Checks for routers whose `entryPoints` name an entry point that the static configuration
does not define.

## Why is this bad?
When none of a router's entry points exists, Traefik disables it (errors `entryPoint
"websecure" doesn't exist` and `no valid entryPoint for this router`) and its requests get a
bare 404. When only some are unknown, the router is in `warning` status and serves on the
others only: the traffic you meant for the missing entry point never arrives.

## Example
```yaml
# traefik.yml defines only `web`
http:
  routers:
    api:
      rule: Host(`api.example.com`)
      service: api
      entryPoints: [websecure]
```

## Use instead
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`)
      service: api
      entryPoints: [web]
```

## Fix safety
The suggested entry point is a guess by spelling; defining the missing entry point in the
static configuration may be what you meant instead.

## References
- shared/traefik-facts.md §2 (`r-unknown-ep`, `r-mixed-ep`)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.references import suggest
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.rtr._common import quoted_list


def check(context: Context) -> Iterator[Finding]:
    static = context.project.static
    if not static.present or static.root is None:
        return
    defined = static.entry_points
    where = static.key_origin("entryPoints")
    for router in context.project.dynamic.routers.values():
        listed = [ep for ep in router.entry_points if ep.text.strip()]
        unknown = [ep for ep in listed if ep.text not in defined]
        if not unknown:
            continue
        known = [ep.text for ep in listed if ep.text in defined]
        for ep in unknown:
            hint = suggest(ep.text, defined)
            extra = f"; did you mean `{hint}`?" if hint else ""
            if known:
                effect = f"the router is in warning status and serves only on {quoted_list(known)}"
                severity = Severity.WARNING
            else:
                effect = "it has no valid entry point, so Traefik disables it (404)"
                severity = Severity.ERROR
            yield RULE.finding(
                f"router `{router.qualified}` uses entry point `{ep.text}`, which the static"
                f" configuration does not define (defined: {quoted_list(defined) or 'none'});"
                f" {effect}{extra}",
                ep.origin,
                related=[(where, "entry points are defined here")] if where else [],
                fix=f"Use entry point `{hint}`" if hint else "Define the entry point or remove it",
                unsafe=True,
                severity=severity,
            )


RULE = Rule("RTR009", "undefined-entrypoint", Severity.ERROR, check, __doc__ or "", fixable=True)
