"""## What it does
Checks for a server URL matched to a Go program whose listeners do not bind the URL's
port. The match comes from the `go-services` setting, a compose service named like the URL's
host, or the only Go program with a listener when the URL points at this machine.

## Why is this bad?
Nothing listens where Traefik sends the traffic: the connection is refused and every request
to the service answers `502 Bad Gateway` (logged at DEBUG only, so nothing shows at the
default log level). Ports drift easily: the Go default changes, an env var such as `PORT`
is set in one place but not the other.

## Example
```yaml
http:
  services:
    app:
      loadBalancer:
        servers:
          - url: http://127.0.0.1:8080
```
```go
http.ListenAndServe(":8081", mux)
```

## Use instead
```yaml
http:
  services:
    app:
      loadBalancer:
        servers:
          - url: http://127.0.0.1:8081
```

## Fix safety
No automatic fix: either side may be the one that is wrong.

## References
- shared/traefik-facts.md §1 (a closed backend port: `502 Bad Gateway`, `connect: connection
  refused` at DEBUG)
- src/traefik_doctor/model/gomatch.py (how a URL is matched to a Go program)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.goscan.facts import GoServer
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.go.common import go_matches, listener_text


def _unless(listeners: tuple[GoServer, ...], port: int) -> str:
    names = [f"${n}" for s in listeners for n in s.addr.env]
    names += [f"-{n}" for s in listeners for n in s.addr.flags]
    if not names:
        return ""
    return f" (unless {' or '.join(dict.fromkeys(names))} sets port {port} where it runs)"


def check(context: Context) -> Iterator[Finding]:
    for match in go_matches(context.project):
        backend = match.backend
        listeners = backend.program.servers
        url = match.server.url
        if backend.server is not None or not listeners or url is None:
            continue
        if backend.url.port is None or any(s.port is None for s in listeners):
            continue  # a listener we could not resolve may be the right one (GO001)
        bound = ", ".join(f"{listener_text(s)} (`{s.location}`)" for s in listeners)
        ports = sorted({s.port for s in listeners if s.port is not None})
        yield RULE.finding(
            f"service `{match.service.qualified}` sends traffic to port {backend.url.port}"
            f" ({url.text.strip()}), but Go program `{backend.program.package}` (matched by"
            f" {backend.how}) listens on {bound}: Traefik gets connection refused and answers"
            f" 502{_unless(listeners, backend.url.port)}",
            url.origin,
            related=[
                (s.location, f"Go listener `{s.kind}` on {listener_text(s)}") for s in listeners
            ],
            fix=(
                f"Point the URL at port {ports[0]}, or make the Go server listen on port"
                f" {backend.url.port}"
                if len(ports) == 1
                else f"Point the URL at the port one of the Go listeners binds ({ports})"
            ),
        )


RULE = Rule("SVC003", "backend-port-mismatch", Severity.ERROR, check, __doc__ or "")
