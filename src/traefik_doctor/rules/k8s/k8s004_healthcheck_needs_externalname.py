"""## What it does
Checks for a `healthCheck` on a service reference of an IngressRoute or TraefikService
whose Kubernetes Service is not of type `ExternalName` (ClusterIP, NodePort,
LoadBalancer, headless).

## Why is this bad?
For such a Service Traefik balances over the pods itself (the Service's endpoints) and
takes only the ready ones: the pods' readiness probe is the health check. Traefik's CRD
provider refuses an active health check there ("healthCheck allowed only for ExternalName
services"), logs an error and leaves the whole route out, so its requests get
`404 page not found`. A health check copied from a file-provider configuration is the
usual way to get here.

## Example
```yaml
routes:
  - match: Host(`shop.example.com`)
    services:
      - name: api
        port: 80
        healthCheck:
          path: /healthz
```

## Use instead
```yaml
routes:
  - match: Host(`shop.example.com`)
    services:
      - name: api
        port: 80
---
# in the Deployment's container
readinessProbe:
  httpGet:
    path: /healthz
    port: http
```

## Fix safety
Moving the check to a readiness probe keeps its intent; the probe's timing fields differ
from Traefik's (`periodSeconds`, `failureThreshold`).

## References
- Read from source, not measured (no cluster here): Traefik v3.7.9
  pkg/provider/kubernetes/crd/kubernetes_http.go `loadServers`: "healthCheck allowed only for
  ExternalName services"; the error makes `loadIngressRouteConfiguration` skip the route.
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Location, Severity
from traefik_doctor.model.kubernetes import Drop
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.k8s._common import DROPPED
from traefik_doctor.source import Origin


def check(context: Context) -> Iterator[Finding]:
    kube = context.project.kubernetes
    if kube is None:
        return
    for ref in kube.refs:
        if ref.dropped is not Drop.HEALTHCHECK_NEEDS_EXTERNALNAME or ref.service is None:
            continue
        service = ref.service
        related: list[tuple[Origin | Location, str]] = [
            (
                service.type_value.origin if service.type_value else service.obj.name_origin,
                f"Service `{service.obj.namespace}/{service.obj.name}` is {service.type}",
            )
        ]
        probes = []
        for workload in kube.workloads_for(service):
            for container in workload.containers:
                probe = container.probe("readinessProbe")
                if probe is not None:
                    path = probe.path.text.strip() if probe.path is not None else ""
                    related.append((probe.origin, f"readinessProbe {path}".strip()))
                    probes.append(probe)
        path = ref.health_path.text.strip() if ref.health_path is not None else ""
        if probes:
            fix = "Remove `healthCheck`: the pods' readinessProbe already decides"
        else:
            fix = "Remove `healthCheck` and give the pods a readinessProbe" + (
                f" (httpGet path `{path}`)" if path else ""
            )
        yield RULE.finding(
            f"{ref.what} sets `healthCheck` on Service `{service.obj.namespace}/"
            f"{service.obj.name}` of type {service.type}: Traefik allows a health check only"
            f" for ExternalName services (for the others the pods' readiness decides); {DROPPED}",
            ref.health_check or ref.origin,
            related=related,
            fix=fix,
        )


RULE = Rule("K8S004", "healthcheck-needs-externalname", Severity.ERROR, check, __doc__ or "")
