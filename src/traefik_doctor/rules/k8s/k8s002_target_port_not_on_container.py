"""## What it does
Checks for a Service `targetPort` that the pods behind it do not offer, on Services that
Traefik routes to: a port name (`targetPort: http`) that no container of the selected pods
declares, or a number that no container declares while they declare others. When the Go
program of the container is known (see `model.kubematch`), a number no Go listener binds is
reported too.

## Why is this bad?
Traefik sends requests straight to the pods (the addresses of the Service's
EndpointSlices), on the port the Service's `targetPort` resolves to in each pod. A port
name that no container declares leaves the pod out of the endpoints: with no endpoint at
all, Traefik's provider logs "no servers found" and leaves the route out (404). A number is
used as is (declaring `containerPort` is informational), so a number the program does not
listen on ends in `502 Bad Gateway` (connection refused).

## Example
```yaml
kind: Service
spec:
  ports:
    - {name: admin, port: 9090, targetPort: admin-port}
---
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: api
          ports:
            - {name: admin, containerPort: 9090}
```

## Use instead
```yaml
    - {name: admin, port: 9090, targetPort: admin}
```

## Fix safety
The fix names the container's ports; which one is meant is a guess.

## References
- Read from source, not measured (no cluster here): Traefik v3.7.9
  pkg/provider/kubernetes/crd/kubernetes_http.go `loadServers` (the endpoint port is the
  EndpointSlice port of the same name as the Service port; no server at all is the error
  "no servers found for <namespace>/<name>" unless `allowEmptyServices`),
  pkg/provider/kubernetes/ingress/kubernetes.go ("Skipping service: no endpoints found").
- Kubernetes: a named `targetPort` is looked up in each pod's container ports; pods without
  it are not endpoints of that port (kubernetes.io/docs/concepts/services-networking/service,
  "Port definitions").
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Location, Severity
from traefik_doctor.model.kubematch import listener_on, program_for
from traefik_doctor.model.kubernetes import ContainerPort, Drop, Workload
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.go.common import listener_text
from traefik_doctor.rules.k8s._common import DROPPED
from traefik_doctor.source import Origin


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    kube = project.kubernetes
    if kube is None:
        return
    seen: set[tuple[int, int]] = set()
    for ref in kube.refs:
        service, port = ref.service, ref.service_port
        if service is None or port is None or not ref.endpoints:
            continue
        if ref.dropped not in (None, Drop.TARGET_PORT_NOT_ON_CONTAINER):
            continue
        key = (id(service), id(port))
        if key in seen:
            continue
        seen.add(key)
        target = port.target()
        if target is None:
            continue
        text = target.text.strip()
        shown = f"`{service.obj.namespace}/{service.obj.name}` port {port.describe()}"
        if not text.isdigit():
            for endpoint in ref.endpoints:
                if endpoint.port is not None:
                    continue
                workload = endpoint.workload
                declared = _declared(workload)
                effect = DROPPED if ref.dropped is not None else "those pods get no traffic"
                yield RULE.finding(
                    f"Service {shown} targets the container port named `{text}`, but no"
                    f" container of {workload.obj.ref} declares it ({declared}): its pods are"
                    f" not endpoints of this port; {effect} ({ref.what})",
                    target.origin,
                    related=[(c.origin, f"container `{c.name}`") for c in workload.containers],
                    fix=f"Set `targetPort` to a port the container declares ({declared})",
                    unsafe=True,
                )
            continue
        number = int(text)
        for endpoint in ref.endpoints:
            container = endpoint.container
            if container is None:
                continue
            match = program_for(project.go, project.go_services, endpoint.workload, container)
            if match is not None and match.program.servers:
                listener = listener_on(match.program, number, container)
                if listener is None:
                    ports = ", ".join(listener_text(s) for s in match.program.servers)
                    related: list[tuple[Origin | Location, str]] = [
                        (s.location, f"Go server ({match.how})") for s in match.program.servers
                    ]
                    yield RULE.finding(
                        f"Service {shown} sends to port {number} of container `{container.name}`"
                        f" ({endpoint.workload.obj.ref}), but its Go program listens on"
                        f" {ports}: the connection is refused and Traefik answers 502"
                        f" ({ref.what})",
                        target.origin,
                        related=related,
                        fix="Set `targetPort` to the port the Go server listens on",
                        unsafe=True,
                    )
                    continue
            if endpoint.container_port is None and container.ports:
                declared = _ports(container.ports)
                yield RULE.finding(
                    f"Service {shown} sends to port {number}, which container"
                    f" `{container.name}` of {endpoint.workload.obj.ref} does not declare (it"
                    f" declares {declared}); Kubernetes forwards to {number} anyway, so unless"
                    " the program listens there Traefik answers 502",
                    target.origin,
                    related=[(container.origin, f"container `{container.name}`")],
                    fix=f"Set `targetPort` to a declared port ({declared}), or declare {number}",
                    severity=Severity.WARNING,
                    unsafe=True,
                )


def _ports(ports: list[ContainerPort]) -> str:
    shown = []
    for port in ports:
        number = port.number.text.strip() if port.number is not None else "?"
        name = port.name.text.strip() if port.name is not None else ""
        shown.append(f"{number} ({name})" if name else number)
    return ", ".join(shown) or "no ports"


def _declared(workload: Workload) -> str:
    return _ports([port for container in workload.containers for port in container.ports])


RULE = Rule("K8S002", "target-port-not-on-container", Severity.ERROR, check, __doc__ or "")
