"""## What it does
Checks for `httpGet` readiness, liveness and startup probes that the Go program in the
container does not answer, in the pods behind a Service that Traefik routes to: a probe
port that no Go listener binds, or a probe path that no Go route serves. The container is matched to
a Go program by the `go-services` setting (`"shop/api" = "cmd/api"`) or by its declared
ports (see the message); without a match nothing is claimed.

## Why is this bad?
In Kubernetes the readiness probe is the health check that decides whether Traefik sends
traffic to a pod: Traefik's provider only takes endpoints whose `serving` condition is
true, and a Traefik `healthCheck` is refused for such Services (K8S004). A readiness probe
that gets 404 keeps every pod not ready, so the Service has no endpoints and Traefik leaves
the route out (404 for every request), while the program itself runs fine. A failing
liveness or startup probe makes the kubelet kill and restart the container over and over.

## Example
```yaml
readinessProbe:
  httpGet:
    path: /ready
    port: http
```
```go
mux.HandleFunc("/healthz", health) // no /ready
```

## Use instead
```yaml
readinessProbe:
  httpGet:
    path: /healthz
    port: http
```

## Fix safety
The fix names the Go health route when there is one; pointing the probe at it is safe when
that handler reports readiness.

## References
- Read from source, not measured (no cluster here): Traefik v3.7.9
  pkg/provider/kubernetes/crd/kubernetes_http.go `loadServers` skips endpoints whose
  `Conditions.Serving` is false; no server left is "no servers found" and the route is
  skipped.
- Kubernetes: kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes
  (a failing readiness probe removes the pod from the Service's endpoints; a failing liveness
  or startup probe restarts the container).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from traefik_doctor.findings import Finding, Location, Severity
from traefik_doctor.model.gomux import describe, nearby, serving_route
from traefik_doctor.model.kubematch import listener_on, program_for
from traefik_doctor.model.kubernetes import KubeContainer, Probe, Workload
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.go.common import listener_note, listener_text
from traefik_doctor.source import Origin

EFFECTS = {
    "readinessProbe": (
        "the pods never become ready, so the Service has no endpoints and Traefik leaves the"
        " route out (404)"
    ),
    "livenessProbe": "the kubelet kills and restarts the container again and again",
    "startupProbe": "the container never finishes starting and is restarted again and again",
}


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    kube = project.kubernetes
    if kube is None or project.go is None:
        return
    seen: set[int] = set()
    for ref in kube.refs:
        for endpoint in ref.endpoints:
            workload = endpoint.workload
            for container in workload.containers:
                if id(container) in seen:
                    continue
                seen.add(id(container))
                yield from _container(context, workload, container)


def _port(container: KubeContainer, probe: Probe) -> int | None:
    if probe.port is None:
        return None
    text = probe.port.text.strip()
    if text.isdigit():
        return int(text)
    declared = container.port_named(text)
    return declared.value if declared is not None else None


def _container(context: Context, workload: Workload, container: KubeContainer) -> Iterator[Finding]:
    project = context.project
    match = program_for(project.go, project.go_services, workload, container)
    if match is None:
        return
    program = match.program
    for probe in container.probes:
        if probe.handler != "httpGet" or probe.port is None:
            continue
        where = f"the {probe.kind} of container `{container.name}` ({workload.obj.ref})"
        effect = EFFECTS.get(probe.kind, "the probe fails")
        port = _port(container, probe)
        if port is None:
            yield RULE.finding(
                f"{where} uses port `{probe.port.text.strip()}`, which the container does not"
                f" declare: the probe cannot connect and {effect}",
                probe.port.origin,
                related=[(container.origin, f"container `{container.name}`")],
                fix="Name a declared container port in the probe",
            )
            continue
        listener = listener_on(program, port, container)
        if listener is None:
            ports = ", ".join(listener_text(s) for s in program.servers) or "no port"
            related: list[tuple[Origin | Location, str]] = [
                (s.location, f"Go server ({match.how})") for s in program.servers
            ]
            yield RULE.finding(
                f"{where} connects to port {port}, but the Go program {program.package} listens"
                f" on {ports} (matched by {match.how}): the probe is refused and {effect}",
                probe.port.origin,
                related=related,
                fix="Point the probe at the port the Go server listens on",
            )
            continue
        routes = program.routes_of(listener)
        if not routes:
            continue  # what the server serves is not known
        raw = probe.path.text.strip() if probe.path is not None else "/"
        path = urlsplit(raw).path or "/"
        if serving_route(routes, path, "GET", program.go_version) is not None:
            continue
        near = nearby(routes, path)
        health = [r for r in near if any(w in r.path for w in ("health", "ready", "live"))]
        related = [(r.location, f"Go route {describe(r)}") for r in near]
        related.append((listener.location, f"Go server ({match.how})"))
        shown = ", ".join(describe(r) for r in near)
        target = probe.path.origin if probe.path is not None else probe.origin
        yield RULE.finding(
            f"{where} asks for GET `{raw}` on {listener_note(listener)}, and no Go route serves"
            f" it (404): {effect}" + (f"; Go routes nearby: {shown}" if shown else ""),
            target,
            related=related,
            fix=f"Point the probe at `{health[0].path}`"
            if health
            else "Add a health handler to the Go server, or point the probe at one",
            unsafe=not health,
        )


RULE = Rule("K8S003", "probe-not-served", Severity.ERROR, check, __doc__ or "")
