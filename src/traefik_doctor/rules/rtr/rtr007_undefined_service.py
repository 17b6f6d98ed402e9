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

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.references import missing
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    for router in project.dynamic.routers.values():
        if router.service is None:
            continue
        found = missing(
            project, project.dynamic.services, router.protocol, router.service.text, router.provider
        )
        if found is None:
            continue
        yield RULE.finding(
            f"router `{router.qualified}` uses service `{found.target}`, {found.reason};"
            f" Traefik disables the router and answers 404{found.hint}",
            router.service.origin,
            fix=f"Use service `{found.suggestion}`" if found.suggestion else None,
            unsafe=True,
        )


RULE = Rule("RTR007", "undefined-service", Severity.ERROR, check, __doc__ or "", fixable=True)
