"""## What it does
Checks for load-balancer `healthCheck.path` values that no route of the Go server behind
the service serves (for the health check's method, `GET` by default, and on the health
check's `port` when one is set).

## Why is this bad?
Traefik sends health checks straight to each server: no router, no middleware rewrites the
path. When the Go server answers `404`, the server is marked DOWN after the first interval
(30 s by default; servers start UP); once every server is DOWN the service answers
`503 no available server` while the API still shows it enabled and the Go server runs fine.

## Example
```yaml
http:
  services:
    app:
      loadBalancer:
        healthCheck: {path: /health}     # Go: mux.HandleFunc("/healthz", ...)
        servers: [{url: "http://127.0.0.1:8080"}]
```

## Use instead
```yaml
http:
  services:
    app:
      loadBalancer:
        healthCheck: {path: /healthz}
        servers: [{url: "http://127.0.0.1:8080"}]
```

## Fix safety
Changing the path is safe once the Go route is the right health endpoint; no automatic fix
is offered.

## References
- shared/traefik-facts.md §6 (first check after one interval, all DOWN gives 503)
- https://doc.traefik.io/traefik/routing/services/#health-check
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from traefik_doctor.findings import Finding, Location, Severity
from traefik_doctor.goscan.facts import GoServer
from traefik_doctor.model.gomatch import backend_for
from traefik_doctor.model.gomux import describe, nearby, serving_route
from traefik_doctor.model.values import value
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.go.common import listener_note
from traefik_doctor.source import Origin


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    if project.go is None:
        return
    for service in project.dynamic.services.values():
        health = service.health_check
        if service.protocol != "http" or health is None or health.path is None:
            continue
        if health.mode is not None and health.mode.text.strip().lower() == "grpc":
            continue
        raw = health.path.text.strip()
        path = urlsplit(raw).path if raw else ""
        if not path.startswith("/"):
            continue
        method_value = value(health.body, "method")
        method = method_value.text.strip().upper() if method_value is not None else "GET"
        port = health.port.as_int() if health.port is not None else None
        seen: set[int] = set()
        for server in service.servers:
            backend = backend_for(project, service, server)
            if backend is None:
                continue
            listener: GoServer | None = backend.server
            if port is not None:
                listener = next((s for s in backend.program.servers if s.port == port), None)
            if listener is None or id(listener) in seen:
                continue
            seen.add(id(listener))
            routes = backend.program.routes_of(listener)
            if not routes:
                continue
            version = backend.program.go_version
            if serving_route(routes, path, method, version) is not None:
                continue
            any_method = serving_route(routes, path, None, version)
            near = nearby(routes, path)
            shown = ", ".join(describe(route) for route in near)
            if any_method is not None:
                why = f"its route {describe(any_method)} does not accept {method} (405)"
            else:
                why = "no route serves it (404)"
            related: list[tuple[Origin | Location, str]] = [
                (route.location, f"Go route {describe(route)}") for route in near
            ]
            related.append((listener.location, f"Go server ({backend.how})"))
            yield RULE.finding(
                f"health check path `{raw}` of service `{service.qualified}` goes straight to "
                f"the Go server {listener_note(listener)}"
                + (f" (healthCheck.port {port})" if port is not None else "")
                + f", and {why}: the server turns DOWN "
                "after one interval and the service answers 503 no available server"
                + (f"; Go routes nearby: {shown}" if shown else ""),
                health.path.origin,
                related=related,
                fix="point healthCheck.path at the Go health route",
            )


RULE = Rule(
    "SVC005",
    "healthcheck-path-not-served",
    Severity.ERROR,
    check,
    __doc__ or "",
)
