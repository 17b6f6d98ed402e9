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
every server goes DOWN and clients get 503 `no available server`. It is safe when the Go
code shows that the program behind every server of the load balancer serves a health route
(`/healthz`, `/health`, `/readyz`, `/ready`, `/livez`, `/ping`, `/status`...) for `GET`
on the port of the server's `http://` URL, matched as the Go cross-checks match (SVC003).
Then `traefik-doctor fix` adds `healthCheck: {path: <that route>, interval: 10s, timeout:
3s}` to the load balancer (in YAML or TOML files, not labels); otherwise no edit is made.

## References
- shared/traefik-facts.md §6 (`svc-nohc`: dead server shown `UP`, 3 of 6 requests 502)
- Measured with Traefik 3.7.15: `failover: {service: good, fallback: ...}` where `good` has no
  `healthCheck` disables the router with `healthCheck not enabled in config for this WRR service`
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.fix.edits import AddKey, Edit, Map
from traefik_doctor.fix.targets import editable_file, key_as_written, service_path
from traefik_doctor.goscan.facts import GoRoute
from traefik_doctor.model.dynamic import Service
from traefik_doctor.model.gomatch import backend_for
from traefik_doctor.model.gomux import serving_route
from traefik_doctor.model.kubernetes import from_endpoints
from traefik_doctor.model.project import Project
from traefik_doctor.rules.base import Context, Rule

HEALTH_WORDS = ("healthz", "health", "readyz", "ready", "livez", "live", "ping", "status")
"""Health route names, preferred in this order (readiness is what a load balancer wants,
but the conventional `/healthz` is usually the one meant for it)."""


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
                found = _health_route(context.project, primary)
                yield RULE.finding(
                    f"failover service `{service.qualified}` uses `{primary.qualified}`, which has"
                    " no health check; Traefik disables the failover service and its routers (404)",
                    ref.name.origin,
                    related=[(primary.kind_origin or primary.origin, "no healthCheck here")],
                    fix=f"Add `healthCheck` to `{primary.qualified}`"
                    + (
                        f" with `path: {found.path}` (the Go route at {found.location})"
                        if found
                        else ""
                    ),
                    severity=Severity.ERROR,
                    unsafe=found is None,
                    edits=_edits(context.project, primary, found),
                )
    for service in dynamic.services.values():
        if service.protocol != "http" or service.kind != "loadBalancer":
            continue
        if not service.servers or service.health_check is not None:
            continue
        if from_endpoints(context.project.kubernetes, service):
            continue  # pods of a Kubernetes Service: their readiness probe is the check (K8S003)
        count = len(service.servers)
        servers = "its server stays" if count == 1 else f"its {count} servers stay"
        found = _health_route(context.project, service)
        yield RULE.finding(
            f"service `{service.qualified}` has no health check: {servers} in rotation"
            " when down, and the API shows `UP`",
            service.kind_origin or service.origin,
            fix=f"Add `healthCheck: {{path: {found.path}}}`: the Go server serves it at"
            f" {found.location}"
            if found
            else "Add `healthCheck` with a `path` the backend serves",
            unsafe=found is None,
            edits=_edits(context.project, service, found),
        )


def _edits(project: Project, service: Service, route: GoRoute | None) -> tuple[Edit, ...]:
    if route is None:
        return ()
    file = editable_file(project, service.kind_origin or service.origin)
    if file is None:
        return ()
    balancer = key_as_written(service.body, "loadBalancer")
    check = Map((("path", route.path), ("interval", "10s"), ("timeout", "3s")))
    return (AddKey(file, (*service_path(service), balancer, "healthCheck"), check),)


def _health_route(project: Project, service: Service) -> GoRoute | None:
    """The health route every server's Go program serves on the server's port, if any."""
    common: dict[str, GoRoute] | None = None
    for server in service.servers:
        backend = backend_for(project, service, server)
        if backend is None or backend.server is None or backend.url.scheme != "http":
            return None  # h2c and https health checks depend on more than the route
        routes = backend.program.routes_of(backend.server)
        found = {
            route.path: route
            for route in routes
            if _health_like(route)
            and serving_route(routes, route.path, "GET", backend.program.go_version) is route
        }
        common = found if common is None else {p: r for p, r in common.items() if p in found}
        if not common:
            return None
    if not common:
        return None
    return min(common.values(), key=lambda route: (_rank(route.path), len(route.path)))


def _health_like(route: GoRoute) -> bool:
    """A plain ``GET`` route (no host, wildcard or subtree) whose last segment names health."""
    if route.host or route.prefix or route.method not in (None, "GET"):
        return False
    if not route.path.startswith("/") or any(c in route.path for c in "{}:*"):
        return False
    return _rank(route.path) < len(HEALTH_WORDS)


def _rank(path: str) -> int:
    word = path.rstrip("/").rsplit("/", 1)[-1].lower().strip("_-.")
    if word in HEALTH_WORDS:
        return HEALTH_WORDS.index(word)
    return 1 if word.startswith("health") else len(HEALTH_WORDS)


RULE = Rule("SVC004", "missing-healthcheck", Severity.WARNING, check, __doc__ or "", fixable=True)
