"""## What it does
Checks for routers and `chain` middlewares that name a middleware no provider defines. A
name without `@provider` refers to the referring object's own provider; references into
`@internal` or into providers whose configuration was not read (`@docker`, `@kubernetescrd`…)
are not judged.

## Why is this bad?
Traefik disables the router (`status: disabled`, error `middleware "x@file" does not
exist`) and answers 404, exactly like "no router matched". A chain with a missing member is
disabled too, and so is every router that uses the chain.

## Example
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`)
      service: api
      middlewares: [auth]          # only `basic-auth` is defined
  middlewares:
    secured:
      chain:
        middlewares: [basic-auth, ratelimit]   # `ratelimit` is not defined
```

## Use instead
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`)
      service: api
      middlewares: [basic-auth]
```

## Fix safety
The suggested name is a guess by spelling: check that it is the middleware you meant.

## References
- shared/traefik-facts.md §1 (`r-mw-missing`), §2 (`r-unknown-mw`, `r-chain-bad`)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.references import Missing, missing
from traefik_doctor.model.values import Value, values
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    dynamic = project.dynamic
    for router in dynamic.routers.values():
        for ref in router.middlewares:
            found = missing(
                project, dynamic.middlewares, router.protocol, ref.text, router.provider
            )
            if found is not None:
                yield _finding(f"router `{router.qualified}`", found, ref, "router")
    for middleware in dynamic.middlewares.values():
        if middleware.kind is None or middleware.kind.lower() != "chain":
            continue
        for ref in values(middleware.options_map, "middlewares"):
            found = missing(
                project, dynamic.middlewares, middleware.protocol, ref.text, middleware.provider
            )
            if found is not None:
                yield _finding(f"chain `{middleware.qualified}`", found, ref, "chain")


def _finding(who: str, found: Missing, ref: Value, kind: str) -> Finding:
    effect = (
        "Traefik disables the router and answers 404"
        if kind == "router"
        else "Traefik disables the chain and every router that uses it (404)"
    )
    return RULE.finding(
        f"{who} uses middleware `{found.target}`, {found.reason}; {effect}{found.hint}",
        ref.origin,
        fix=f"Use middleware `{found.suggestion}`"
        if found.suggestion
        else "Define the middleware or remove the reference",
        unsafe=True,
    )


RULE = Rule("RTR008", "undefined-middleware", Severity.ERROR, check, __doc__ or "", fixable=True)
