"""## What it does
Checks for server URLs (file provider or Docker labels) that point at `127.0.0.1`,
`localhost` or `::1` while Traefik runs in a container of the compose project.

## Why is this bad?
Inside a container, loopback is the container itself, not the host or the application's
container: the connection is refused and clients get `502 Bad Gateway`, logged only at DEBUG.
Traefik with `network_mode: host` is not reported.

## Example
```yaml
http:
  services:
    app:
      loadBalancer:
        servers:
          - url: http://127.0.0.1:8080
```

## Use instead
```yaml
http:
  services:
    app:
      loadBalancer:
        servers:
          - url: http://app:8080      # the compose service name
```

## Fix safety
The right host name depends on the deployment; no fix is offered.

## References
- shared/traefik-facts.md §1 (closed port: 502, DEBUG-only log)
- https://docs.docker.com/compose/how-tos/networking/ (services reach each other by name)
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule

LOOPBACK = frozenset({"localhost", "::1", "0:0:0:0:0:0:0:1"})


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    return host in LOOPBACK or host.startswith("127.") or host.endswith(".localhost")


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    if not project.in_container or project.traefik_container is None:
        return
    name = project.traefik_container.name
    for service in project.dynamic.services.values():
        for server in service.servers:
            target = server.url or server.address
            if target is None:
                continue
            text = target.text.strip()
            try:
                host = urlsplit(text if "://" in text else f"tcp://{text}").hostname or ""
            except ValueError:
                continue
            if not is_loopback(host):
                continue
            yield RULE.finding(
                f"service `{service.qualified}` sends traffic to `{text}`, but Traefik runs in"
                f" the container of compose service `{name}`, where loopback is the container"
                " itself: the connection is refused and clients get 502",
                target.origin,
                related=[(project.traefik_container.origin, f"Traefik runs in `{name}`")],
                fix="Use the application's compose service name as the host",
            )


RULE = Rule("SVC002", "loopback-backend-from-container", Severity.ERROR, check, __doc__ or "")
