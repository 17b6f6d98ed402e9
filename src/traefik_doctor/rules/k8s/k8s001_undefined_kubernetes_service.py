"""## What it does
Checks for a reference to a Kubernetes Service (an IngressRoute or IngressRouteTCP route's
`services`, a TraefikService, an `errors` middleware, an Ingress backend) whose Service is
not in the manifests, or is in a namespace the provider does not watch (its `namespaces`
option), or whose `port` (a number or a port name) is not one of the Service's ports, or
that gives no `port` at all.

## Why is this bad?
Traefik's Kubernetes providers look the Service and its port up when they build the
configuration. When either is missing they log an error and leave the whole route out: the
router does not exist, the API does not show it, and its requests get `404 page not found`,
the same answer as "no router matched". The `port` of a reference is the Service's port,
not the container's: writing the container port (`8080`) where the Service says `80` is the
usual mistake.

## Example
```yaml
kind: Service
metadata: {name: api, namespace: shop}
spec:
  ports:
    - {name: http, port: 80, targetPort: 8080}
---
kind: IngressRoute
metadata: {name: api, namespace: shop}
spec:
  routes:
    - match: Host(`shop.example.com`)
      services:
        - name: api
          port: 8080        # the container port
```

## Use instead
```yaml
      services:
        - name: api
          port: 80          # or: port: http
```

## Fix safety
The fix names the Service's ports; which one is meant is a guess.

## References
- Read from Traefik v3.7.9's source (not measured: no cluster here):
  pkg/provider/kubernetes/crd/kubernetes_http.go `loadServers` ("kubernetes service not
  found"), pkg/provider/kubernetes/crd/kubernetes.go `getServicePort` ("service port not
  found", "ingressRoute service port not defined"); pkg/provider/kubernetes/ingress/kubernetes.go
  `loadService` ("service not found", "service port not found"). In each case the caller logs
  the error and skips the route (`continue`).
- A Service that exists only in the cluster (not in the checked manifests) is reported too:
  suppress the finding on that line, or check the manifests together.
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.kubernetes import Drop, KubernetesConfig, KubeService
from traefik_doctor.model.references import suggest
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.k8s._common import DROPPED


def check(context: Context) -> Iterator[Finding]:
    kube = context.project.kubernetes
    if kube is None:
        return
    for ref in kube.refs:
        written = ref.name.text.strip()
        if ref.dropped is Drop.SERVICE_NOT_FOUND and kube.service(ref.namespace, written):
            # It is in the manifests, in a namespace the provider does not watch.
            provider = kube.ingress if ref.referrer.kind == "Ingress" else kube.crd
            yield RULE.finding(
                f"{ref.what} names Kubernetes Service `{ref.namespace}/{written}`, in a"
                f" namespace `providers.{provider.name}.namespaces`"
                f" ({', '.join(provider.namespaces)}) does not list: the provider never sees"
                f" it; {DROPPED}",
                ref.name.origin,
                fix=f"Add `{ref.namespace}` to `providers.{provider.name}.namespaces`",
            )
        elif ref.dropped is Drop.SERVICE_NOT_FOUND:
            names = [name for namespace, name in kube.services if namespace == ref.namespace]
            guess = suggest(written, names)
            hint = f"; did you mean `{guess}`?" if guess else ""
            yield RULE.finding(
                f"{ref.what} names Kubernetes Service `{ref.namespace}/{written}`, which is not"
                f" in the manifests{hint}; {DROPPED}",
                ref.name.origin,
                fix=f"Name an existing Service of namespace `{ref.namespace}`"
                + (f" (`{guess}`)" if guess else ""),
                unsafe=True,
            )
        elif ref.dropped is Drop.PORT_NOT_FOUND and ref.service is not None:
            service = ref.service
            ports = ", ".join(port.describe() for port in service.ports) or "none"
            related = [(service.ports_origin or service.obj.name_origin, "the Service's ports")]
            if ref.port is None or not ref.port.text.strip() or ref.port.text.strip() == "0":
                yield RULE.finding(
                    f"{ref.what} names Service `{service.obj.namespace}/{written}` without a"
                    f" `port` (its ports: {ports}); {DROPPED}",
                    ref.name.origin,
                    related=related,
                    fix="Add the Service port to the reference",
                    unsafe=True,
                )
                continue
            given = ref.port.text.strip()
            why = (
                f" (`{given}` is the container side: a reference names the Service's port)"
                if _is_target(kube, service, given)
                else ""
            )
            yield RULE.finding(
                f"{ref.what} uses port `{given}` of Service `{service.obj.namespace}/{written}`,"
                f" which has no such port (its ports: {ports}){why}; {DROPPED}",
                ref.port.origin,
                related=related,
                fix=f"Use one of the Service's ports: {ports}",
                unsafe=True,
            )


def _is_target(kube: KubernetesConfig, service: KubeService, given: str) -> bool:
    """Is ``given`` the container side: a target port of the Service, or a port its pods'
    containers declare?"""
    if any(
        port.target_port is not None and port.target_port.text.strip() == given
        for port in service.ports
    ):
        return True
    return any(
        (p.number is not None and p.number.text.strip() == given)
        or (p.name is not None and p.name.text.strip() == given)
        for workload in kube.workloads_for(service)
        for container in workload.containers
        for p in container.ports
    )


RULE = Rule("K8S001", "undefined-kubernetes-service", Severity.ERROR, check, __doc__ or "")
