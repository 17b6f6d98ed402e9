"""## What it does
Checks for Traefik objects in the manifests that Traefik's Kubernetes providers never
read: resources of the API group `traefik.containo.us` (Traefik v2's, removed in v3), an
IngressRoute whose ingress class is not the one the kubernetesCRD provider watches, an
Ingress for another controller's IngressClass or `kubernetes.io/ingress.class`, objects in
a namespace outside the provider's `namespaces`, and routes of a provider the static
configuration does not enable.

## Why is this bad?
Nothing of these objects exists in Traefik: no router, no middleware, no error in its log
or API. Their requests get `404 page not found` (or whatever another router matches), and
routers that name their middlewares are disabled. After an upgrade from v2, the
`traefik.containo.us` resources are the usual case: `kubectl` still accepts them while the
old CRDs are installed.

## Example
```yaml
apiVersion: traefik.containo.us/v1alpha1
kind: Middleware
```

## Use instead
```yaml
apiVersion: traefik.io/v1alpha1
kind: Middleware
```

## Fix safety
Changing the API group is safe once the `traefik.io` CRDs are installed; changing a class
moves the object to another controller.

## References
- Read from source, not measured (no cluster here): Traefik v3.7.9
  pkg/provider/kubernetes/crd/traefikio/v1alpha1/register.go (`GroupName = "traefik.io"`),
  docs/content/migrate/v2-to-v3-details.md ("the Kubernetes CRDs API Group
  `traefik.containo.us` has been removed"); pkg/provider/kubernetes/crd/kubernetes.go
  `shouldProcessIngress`, `getIngressClassName`; pkg/provider/kubernetes/ingress/kubernetes.go
  `shouldProcessIngress` and client.go `GetIngressClasses` (controller
  `traefik.io/ingress-controller`).
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    kube = context.project.kubernetes
    if kube is None:
        return
    for ignored in kube.ignored:
        yield RULE.finding(
            ignored.message,
            ignored.origin,
            related=ignored.related,
            fix="Use apiVersion traefik.io/v1alpha1"
            if "traefik.containo.us" in ignored.message
            else "Give the object the class, namespace or provider Traefik reads",
            unsafe=True,
        )


RULE = Rule("K8S009", "object-not-read-by-traefik", Severity.ERROR, check, __doc__ or "")
