"""## What it does
Checks for load balancers without servers, and for weighted, mirroring and failover
services that name a service no provider defines.

## Why is this bad?
A load balancer with `servers: []` (or no `servers` key) stays enabled and answers every
request with 503 `no available server`. A `loadBalancer: {}` body (or one whose only key is an
empty `servers:`) makes Traefik reject the whole file provider (`loadBalancer cannot be a
standalone element`). A weighted, mirroring or failover service naming a missing service is
disabled with every router that uses it (`the service "x@file" does not exist`, 404).

## Example
```yaml
http:
  services:
    app:
      loadBalancer:
        servers: []
    canary:
      weighted:
        services:
          - name: app-v2
            weight: 1
```

## Use instead
```yaml
http:
  services:
    app:
      loadBalancer:
        servers:
          - url: http://app:8080
    canary:
      weighted:
        services:
          - name: app
            weight: 1
```

## Fix safety
No automatic fix: only you know the servers or the service meant.

## References
- shared/traefik-facts.md §1 and §2 (`svc-empty`: 503 `no available server`)
- Measured with Traefik 3.7.15: `loadBalancer: {}` and `loadBalancer: {servers: }` reject the
  provider; weighted, mirroring (main or mirror) and failover (service or fallback) naming a
  missing service disable the router
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.loaders.tree import Mapping, Null, Sequence
from traefik_doctor.model.dynamic import Service
from traefik_doctor.model.references import missing
from traefik_doctor.rules.base import Context, Rule


def _standalone(service: Service) -> bool:
    """A ``loadBalancer`` body Traefik's decoder leaves empty: rejected as standalone."""
    if service.body is None:
        return False
    entry = service.body.find("loadBalancer")
    if entry is None or not isinstance(entry.value, Mapping):
        return False
    return all(isinstance(item.value, Null) for item in entry.value)


def _servers_listed(service: Service) -> bool:
    if service.body is None:
        return False
    entry = service.body.find("loadBalancer")
    if entry is None or not isinstance(entry.value, Mapping):
        return False
    servers = entry.value.find("servers")
    return servers is not None and isinstance(servers.value, Sequence) and bool(servers.value.items)


def check(context: Context) -> Iterator[Finding]:
    dynamic = context.project.dynamic
    for service in dynamic.services.values():
        if service.kind == "loadBalancer" and service.protocol == "http":
            if service.servers or _servers_listed(service):
                continue
            where = service.servers_origin or service.kind_origin or service.origin
            if _standalone(service):
                yield RULE.finding(
                    f"service `{service.qualified}` has an empty `loadBalancer`; Traefik rejects"
                    " the whole provider (`loadBalancer cannot be a standalone element`)",
                    where,
                    fix="Add `servers` with at least one `url`",
                )
            else:
                yield RULE.finding(
                    f"service `{service.qualified}` has no servers; every request gets 503"
                    " `no available server`",
                    where,
                    fix="Add at least one server",
                )
            continue
        for ref in service.refs:
            found = missing(
                context.project, dynamic.services, service.protocol, ref.name.text, service.provider
            )
            if found is None:
                continue
            yield RULE.finding(
                f"service `{service.qualified}` ({ref.role}) names service `{found.target}`,"
                f" {found.reason}; Traefik disables the service and its routers (404)"
                f"{found.hint}",
                ref.name.origin,
                fix=f"Name service `{found.suggestion}`"
                if found.suggestion
                else "Name a defined service",
            )


RULE = Rule("SVC011", "empty-service", Severity.ERROR, check, __doc__ or "")
