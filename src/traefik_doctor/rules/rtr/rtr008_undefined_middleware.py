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
from traefik_doctor.model.dynamic import qualify
from traefik_doctor.model.values import Value, values
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.rtr._common import INTERNAL_PROVIDER, provider_loaded, suggest


def check(context: Context) -> Iterator[Finding]:
    dynamic = context.project.dynamic
    for router in dynamic.routers.values():
        for ref in router.middlewares:
            found = _missing(context, router.protocol, ref, router.provider)
            if found is not None:
                target, hint = found
                why = context.project.missing_reason(target.rpartition("@")[2])
                yield _finding(f"router `{router.qualified}`", target, hint, ref, "router", why=why)
    for middleware in dynamic.middlewares.values():
        if middleware.kind is None or middleware.kind.lower() != "chain":
            continue
        for ref in values(middleware.options_map, "middlewares"):
            found = _missing(context, middleware.protocol, ref, middleware.provider)
            if found is not None:
                target, hint = found
                why = context.project.missing_reason(target.rpartition("@")[2])
                yield _finding(
                    f"chain `{middleware.qualified}`", target, hint, ref, "chain", why=why
                )


def _missing(
    context: Context, protocol: str, ref: Value, provider: str
) -> tuple[str, str | None] | None:
    name = ref.text.strip()
    if not name:
        return None
    target = qualify(name, provider)
    bare, _, target_provider = target.rpartition("@")
    if target_provider == INTERNAL_PROVIDER:
        return None
    if context.project.dynamic.find_middleware(protocol, name, provider) is not None:
        return None
    if not provider_loaded(context, target_provider):
        return None
    candidates = [
        m.name
        for m in context.project.dynamic.middlewares.values()
        if m.protocol == protocol and m.provider == target_provider
    ]
    return target, suggest(bare, candidates)


def _finding(
    who: str, target: str, hint: str | None, ref: Value, kind: str, *, why: str
) -> Finding:
    effect = (
        "Traefik disables the router and answers 404"
        if kind == "router"
        else "Traefik disables the chain and every router that uses it (404)"
    )
    extra = f"; did you mean `{hint}`?" if hint else ""
    return RULE.finding(
        f"{who} uses middleware `{target}`, {why}; {effect}{extra}",
        ref.origin,
        fix=f"Use middleware `{hint}`" if hint else "Define the middleware or remove the reference",
        unsafe=True,
    )


RULE = Rule("RTR008", "undefined-middleware", Severity.ERROR, check, __doc__ or "", fixable=True)
