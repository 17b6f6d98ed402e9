"""## What it does
Checks for HTTP load balancers that have servers but no `healthCheck`, and (as an error) for
`failover` services whose primary `service` is such a load balancer.

## Why is this bad?
Without a health check Traefik never takes a server out of rotation: a dead server keeps
receiving its share of requests (502 for each of them) and the API shows it as `UP`, so
neither the dashboard nor the metrics tell you anything is wrong. A failover service needs
the health of its primary: without a health check there, Traefik disables the failover
service and its routers (`cannot register app as updater for fo@file: healthCheck not enabled
in config for this WRR service`, 404).

## Example
```yaml
http:
  services:
    app:
      loadBalancer:
        servers:
          - url: http://10.0.0.1:8080
          - url: http://10.0.0.2:8080
```

## Use instead
```yaml
http:
  services:
    app:
      loadBalancer:
        healthCheck:
          path: /healthz
          interval: 10s
          timeout: 3s
        servers:
          - url: http://10.0.0.1:8080
          - url: http://10.0.0.2:8080
```

## Fix safety
Adding a health check is unsafe until the backend serves the path: if it answers non-2xx,
every server goes DOWN and clients get 503 `no available server`.

## References
- shared/traefik-facts.md §6 (`svc-nohc`: dead server shown `UP`, 3 of 6 requests 502)
- Measured with Traefik 3.7.15: `failover: {service: good, fallback: ...}` where `good` has no
  `healthCheck` disables the router with `healthCheck not enabled in config for this WRR service`
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    dynamic = context.project.dynamic
    for service in dynamic.services.values():
        if service.protocol == "http" and service.kind == "failover":
            for ref in service.refs:
                if ref.role != "failover service":
                    continue
                primary = dynamic.find_service("http", ref.name.text.strip(), service.provider)
                if primary is None or primary.kind != "loadBalancer" or primary.health_check:
                    continue
                yield RULE.finding(
                    f"failover service `{service.qualified}` uses `{primary.qualified}`, which has"
                    " no health check; Traefik disables the failover service and its routers (404)",
                    ref.name.origin,
                    related=[(primary.kind_origin or primary.origin, "no healthCheck here")],
                    fix=f"Add `healthCheck` to `{primary.qualified}`",
                    severity=Severity.ERROR,
                )
    for service in dynamic.services.values():
        if service.protocol != "http" or service.kind != "loadBalancer":
            continue
        if not service.servers or service.health_check is not None:
            continue
        count = len(service.servers)
        servers = "its server stays" if count == 1 else f"its {count} servers stay"
        yield RULE.finding(
            f"service `{service.qualified}` has no health check: {servers} in rotation"
            " when down, and the API shows `UP`",
            service.kind_origin or service.origin,
            fix="Add `healthCheck` with a `path` the backend serves",
            unsafe=True,
        )


RULE = Rule("SVC004", "missing-healthcheck", Severity.WARNING, check, __doc__ or "", fixable=True)
