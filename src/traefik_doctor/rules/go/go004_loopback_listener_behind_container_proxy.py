"""## What it does
Checks for Go servers that bind a loopback address (`127.0.0.1:8080`, `localhost:8080`)
while Traefik runs in a container of the compose project and a Traefik service points at
them.

## Why is this bad?
A loopback listener accepts connections only from its own network namespace. Traefik in
another container (or in its own container while the Go server runs on the host) connects
through the container network, gets `connection refused`, and answers `502 Bad Gateway`,
logged only at DEBUG. The same binary works on a laptop, which makes this a classic
"works locally" failure.

## Example
```go
srv := &http.Server{Addr: "127.0.0.1:8080", Handler: mux}
```

## Use instead
```go
srv := &http.Server{Addr: ":8080", Handler: mux} // all interfaces inside the container
```

## Fix safety
Binding all interfaces also exposes the port to whatever else reaches the container; no
fix is offered.

## References
- shared/traefik-facts.md §1 (closed port: 502, DEBUG-only log)
- https://docs.docker.com/compose/how-tos/networking/
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.go.common import go_matches, listener_note


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    if not project.in_container:
        return
    container = project.traefik_container.name if project.traefik_container else "traefik"
    seen: set[int] = set()
    for match in go_matches(project):
        server = match.backend.server
        if server is None or server.host is None or not is_loopback(server.host):
            continue
        if id(server) in seen:
            continue
        seen.add(id(server))
        url = match.server.url
        if url is None:
            continue
        yield RULE.finding(
            f"the Go server {listener_note(server)} listens on loopback only, but Traefik runs "
            f"in the container `{container}` and reaches it as {url.text} (service "
            f"`{match.service.qualified}`, matched by {match.backend.how}): the connection "
            "is refused and Traefik answers 502",
            server.location,
            related=[(url.origin, f"server URL of `{match.service.qualified}`")],
            fix=f'listen on all interfaces inside the container (":{server.port}")'
            if server.port is not None
            else "listen on all interfaces inside the container",
        )


RULE = Rule(
    "GO004",
    "loopback-listener-behind-container-proxy",
    Severity.ERROR,
    check,
    __doc__ or "",
)
