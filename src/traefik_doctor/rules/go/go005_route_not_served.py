"""## What it does
Checks for routers without path-rewriting middlewares whose rule paths no route of the Go
server behind them serves: a `Path(`/p`)` that no Go route matches, or a
`PathPrefix(`/p`)` under which the Go server registers nothing. Routers that rewrite the
path are checked by MW002 instead.

## Why is this bad?
Traefik matches the request and forwards it unchanged; the Go server has no handler for it
and answers `404 page not found`, which a client cannot tell from Traefik's own "no router
matched" 404. It is usually a typo or a route renamed on one side only (`/healthz` vs
`/health`, `/v1` vs `/api/v1`), or a Go 1.22 pattern in a module whose `go.mod` selects the
old mux. This is a warning: routes registered dynamically (from a database, a plugin
system, a loop over a table the extractor cannot follow) are invisible to the static scan.

## Example
```yaml
http:
  routers:
    app:
      rule: Host(`app.test`) && PathPrefix(`/v1`)
      service: app             # Go: mux.HandleFunc("/api/v1/users", ...)
```

## Use instead
```yaml
http:
  routers:
    app:
      rule: Host(`app.test`) && PathPrefix(`/api/v1`)
      service: app
```

## Fix safety
Which side is right is the user's decision; no fix is offered.

## References
- shared/traefik-facts.md §1 (a backend 404 passes through unchanged)
- Go `net/http` ServeMux documentation (pattern syntax before and after Go 1.22)
- traefik_doctor.model.gomux (how each framework's routes are matched)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Location, Severity
from traefik_doctor.model.gomux import describe, nearby
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.go.common import listener_note
from traefik_doctor.rules.go.served import unserved
from traefik_doctor.source import Origin


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    for router, backend, missed in unserved(project, rewriting=False):
        if not missed.attempt.reaches_backend:
            continue
        sample = missed.sample
        near = nearby(backend.routes, sample.path)
        shown = ", ".join(describe(route) for route in near)
        what = f"`{sample.matcher}(`{sample.path}`)`" if sample.matcher else f"`{sample.path}`"
        scope = "nor anything below it" if sample.prefix else ""
        method = f" for {sample.methods[0]}" if len(set(sample.methods)) == 1 else ""
        related: list[tuple[Origin | Location, str]] = [
            (route.location, f"Go route {describe(route)}") for route in near
        ]
        related.append((backend.server.location, f"Go server ({backend.backend.how})"))
        yield RULE.finding(
            f"router `{router.qualified}` forwards {what} unchanged to the Go server "
            f"{listener_note(backend.server)}, which serves no route for "
            f"`{sample.path}`{method} {scope}".rstrip()
            + f" (the Go server answers 404); its routes nearby: {shown}. "
            "Routes registered dynamically are not seen by the static scan",
            sample.origin,
            related=related,
            fix="match the rule's path to a Go route, or register the Go handler",
        )


RULE = Rule(
    "GO005",
    "route-not-served",
    Severity.WARNING,
    check,
    __doc__ or "",
)
