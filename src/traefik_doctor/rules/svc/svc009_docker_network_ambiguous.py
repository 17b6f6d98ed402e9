"""## What it does
Checks for compose services routed by Traefik that join several networks without a
`traefik.docker.network` label, when the docker provider sets no `network` option either.

## Why is this bad?
Traefik then takes the container's IP on whichever network it finds first. If Traefik is not
attached to that network, requests time out (`504`, `i/o timeout`) intermittently, depending
on the order Docker reports the networks in.

## Example
```yaml
services:
  app:
    labels: ["traefik.http.routers.app.rule=Host(`app.example.com`)"]
    networks: [proxy, backend]
```

## Use instead
```yaml
services:
  app:
    labels:
      - "traefik.http.routers.app.rule=Host(`app.example.com`)"
      - "traefik.docker.network=myproject_proxy"
    networks: [proxy, backend]
```

## Fix safety
The network Traefik shares with the container must be chosen by hand; no fix is offered.

## References
- https://doc.traefik.io/traefik/routing/providers/docker/ (`traefik.docker.network`:
  "Overrides the default docker network to use for connections to the container. If a
  container is linked to several networks, be sure to set the proper network name")
- traefik/traefik `pkg/provider/docker/shared.go` (`getIPAddress`)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    if project.static.get("providers", "docker", "network") is not None:
        return
    for container in project.containers:
        if not container.exposed or container.network_label is not None:
            continue
        names = [network.text for network in container.networks]
        if len(set(names)) < 2:
            continue
        yield RULE.finding(
            f"compose service `{container.name}` joins networks {', '.join(names)} and has no"
            " `traefik.docker.network` label: Traefik may pick a network it cannot reach"
            " (intermittent 504)",
            container.networks[0].origin,
            related=[
                (network.origin, f"network `{network.text}`") for network in container.networks[1:]
            ],
            fix="Add the label `traefik.docker.network=<network Traefik shares>`",
        )


RULE = Rule("SVC009", "docker-network-ambiguous", Severity.WARNING, check, __doc__ or "")
