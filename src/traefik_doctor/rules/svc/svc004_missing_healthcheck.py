"""## What it does
Checks for HTTP load balancers that have servers but no `healthCheck`.

## Why is this bad?
Without a health check Traefik never takes a server out of rotation: a dead server keeps
receiving its share of requests (502 for each of them) and the API shows it as `UP`, so
neither the dashboard nor the metrics tell you anything is wrong.

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
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    for service in context.project.dynamic.services.values():
        if service.protocol != "http" or service.kind != "loadBalancer":
            continue
        if not service.servers or service.health_check is not None:
            continue
        count = len(service.servers)
        servers = "its server" if count == 1 else f"its {count} servers"
        yield RULE.finding(
            f"service `{service.qualified}` has no health check: {servers} stay in rotation"
            " when they die, and the API shows them `UP`",
            service.kind_origin or service.origin,
            fix="Add `healthCheck` with a `path` the backend serves",
            unsafe=True,
        )


RULE = Rule("SVC004", "missing-healthcheck", Severity.WARNING, check, __doc__ or "", fixable=True)
