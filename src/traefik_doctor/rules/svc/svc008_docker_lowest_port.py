"""## What it does
Checks for compose services routed by Traefik that expose several ports (`expose`, or the
container side of `ports`) and have no `traefik.http.services.<name>.loadbalancer.server.port`
label.

## Why is this bad?
Traefik's docker provider then picks the container's lowest port, which is often a metrics or
admin port rather than the application: requests fail or reach the wrong listener. Ports only
declared in the image (`EXPOSE`) are not visible here.

## Example
```yaml
services:
  app:
    labels: ["traefik.http.routers.app.rule=Host(`app.example.com`)"]
    expose: ["8080", "9090"]
```

## Use instead
```yaml
services:
  app:
    labels:
      - "traefik.http.routers.app.rule=Host(`app.example.com`)"
      - "traefik.http.services.app.loadbalancer.server.port=8080"
    expose: ["8080", "9090"]
```

## Fix safety
Which port serves the application is a guess; no fix is offered.

## References
- https://doc.traefik.io/traefik/routing/providers/docker/ (Port Detection: "if a container
  exposes multiple ports, Traefik uses the lowest port")
- traefik/traefik `pkg/provider/docker/config.go` (`getPort`, `addServer`)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    for container in context.project.containers:
        if not container.exposed or container.server_port_label is not None:
            continue
        ports = sorted(container.port_numbers(), key=lambda p: p[0])
        distinct = sorted({number for number, _ in ports})
        if len(distinct) < 2:
            continue
        lowest, where = ports[0]
        listed = ", ".join(str(n) for n in distinct)
        yield RULE.finding(
            f"compose service `{container.name}` exposes ports {listed} and sets no"
            " `loadbalancer.server.port` label: Traefik sends its traffic to the lowest,"
            f" {lowest}",
            where.origin,
            related=[(value.origin, f"port {n}") for n, value in ports[1:]],
            fix=f"Add the label `traefik.http.services.{container.name}.loadbalancer.server.port`",
        )


RULE = Rule("SVC008", "docker-lowest-port", Severity.WARNING, check, __doc__ or "")
