"""## What it does
Checks for a Traefik `healthCheck` on a service whose Go program has no health handler at
all: no route for a health-like path (`/health`, `/healthz`, `/ready`, `/readyz`, `/livez`,
`/ping`, `/status`, under any prefix) and no route serving the checked path either.
SVC005 reports a checked path that differs from the handler the program does have.

## Why is this bad?
Traefik's check gets `404`, so it marks every server of the service DOWN after the first
interval (30s by default) and clients get `503 no available server`, although the program
runs fine. Before the first check everything looks healthy, so this shows up only after
deployment.

## Example
```yaml
http:
  services:
    app:
      loadBalancer:
        healthCheck:
          path: /healthz
        servers:
          - url: http://127.0.0.1:8080
```
```go
mux.HandleFunc("/api/items", items) // no /healthz
```

## Use instead
```go
mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
    w.WriteHeader(http.StatusOK)
})
```

## Fix safety
No automatic fix: a health handler should check what the service needs to work.

## References
- shared/traefik-facts.md §6 (servers start UP; the first check runs after one interval;
  with all servers DOWN the client gets `503 no available server`)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.goscan.facts import GoRoute
from traefik_doctor.model.gomux import serving_route
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.go.common import go_matches, listener_text

HEALTH_WORDS = ("health", "healthz", "ready", "readyz", "livez", "live", "ping", "status")


def _health_like(route: GoRoute) -> bool:
    for segment in route.path.lower().split("/"):
        word = segment.strip("_-.")
        if word in HEALTH_WORDS or word.startswith("health"):
            return True
    return False


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    seen: set[tuple[str, str]] = set()
    for match in go_matches(project):
        health = match.service.health_check
        if health is None:
            continue
        if health.mode is not None and health.mode.text.strip().lower() == "grpc":
            continue
        program = match.backend.program
        listener = match.backend.server
        if health.port is not None:
            port = health.port.as_int()
            listener = next((s for s in program.servers if s.port == port), None)
        if listener is None:
            continue
        routes = program.routes_of(listener)
        if not routes:
            continue  # we do not know what it serves
        path = health.path.text.strip() if health.path is not None else "/"
        if any(_health_like(route) for route in routes):
            continue
        if serving_route(routes, path, None, program.go_version) is not None:
            continue
        key = (match.service.qualified, program.package)
        if key in seen:
            continue
        seen.add(key)
        target = health.path.origin if health.path is not None else health.origin
        yield RULE.finding(
            f"the Go server `{listener.kind}` on {listener_text(listener)} has no health handler"
            f" (none of its {len(routes)} routes is a health path, and none serves `{path}`),"
            f" but Traefik health-checks service `{match.service.qualified}` at `{path}`: the"
            " check gets 404 and the servers are marked DOWN (503 no available server)",
            listener.location,
            related=[(target, f"healthCheck path `{path}`; matched by {match.backend.how}")],
            fix=f"Add a `{path}` handler to the Go server that answers 200 when it is ready",
        )


RULE = Rule("GO003", "healthz-missing", Severity.WARNING, check, __doc__ or "")
