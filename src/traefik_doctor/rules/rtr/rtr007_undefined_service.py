"""## What it does
Checks for routers whose `service` names a service that no provider defines. A name without
`@provider` refers to the router's own provider.

## Why is this bad?
Traefik disables the router (`status: disabled`, error `the service "x@file" does not
exist`), and its requests get Traefik's bare `404 page not found`, which looks exactly like
"no router matched" and like Go's own 404.

## Example
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`)
      service: api-svc        # only `api` is defined
```

## Use instead
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`)
      service: api
```

## Fix safety
No fix is offered when no defined service has a similar name; otherwise the suggestion is a
guess by spelling.

## References
- shared/traefik-facts.md §1, §2 (`r-unknown-svc`, `r-typo-svc`)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.dynamic import qualify
from traefik_doctor.rules.base import Context, Rule

KNOWN_PROVIDERS_OUTSIDE = frozenset({"internal"})


def check(context: Context) -> Iterator[Finding]:
    dynamic = context.project.dynamic
    for router in dynamic.routers.values():
        if router.service is None or (router.protocol == "udp" and not router.service.text):
            continue
        name = router.service.text
        if not name:
            continue
        target = qualify(name, router.provider)
        provider = target.rsplit("@", 1)[1]
        if provider in KNOWN_PROVIDERS_OUTSIDE:
            continue
        if dynamic.find_service(router.protocol, name, router.provider) is not None:
            continue
        if not context.project.judges_references(provider):
            continue
        candidates = [
            s.name
            for s in dynamic.services.values()
            if s.protocol == router.protocol and s.provider == provider
        ]
        close = difflib.get_close_matches(target.rsplit("@", 1)[0], candidates, n=1)
        hint = f"; did you mean `{close[0]}`?" if close else ""
        yield RULE.finding(
            f"router `{router.qualified}` uses service `{target}`,"
            f" {context.project.missing_reason(provider)};"
            f" Traefik disables the router and answers 404{hint}",
            router.service.origin,
            fix=f"Use service `{close[0]}`" if close else None,
            unsafe=True,
        )


RULE = Rule("RTR007", "undefined-service", Severity.ERROR, check, __doc__ or "", fixable=True)
