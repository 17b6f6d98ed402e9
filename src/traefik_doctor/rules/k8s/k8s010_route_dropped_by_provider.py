"""## What it does
Checks for the other reasons Traefik's Kubernetes providers leave a route (or a
TraefikService, or an Ingress path) out: an ExternalName Service while
`allowExternalNameServices` is off, a `scheme` other than `http`, `https` or `h2c`, a route
`kind` other than `Rule`, a route without `match`, a service reference of an unknown
`kind`, an invalid `router.pathmatcher` annotation, a TraefikService without a type.

## Why is this bad?
The provider logs one error and goes on without the route: it is not in Traefik's API, and
its requests get `404 page not found`. Nothing else says so.

## Example
```yaml
kind: Service
metadata: {name: payments, namespace: shop}
spec:
  type: ExternalName
  externalName: payments.psp.example.net
---
kind: IngressRoute
spec:
  routes:
    - match: Host(`shop.example.com`) && PathPrefix(`/pay`)
      services:
        - name: payments
          port: 443
```

## Use instead
```yaml
# Traefik's static configuration
providers:
  kubernetesCRD:
    allowExternalNameServices: true
```

## Fix safety
Allowing ExternalName services lets any namespace route to any external host; decide it
for the cluster, not for one route.

## References
- Read from source, not measured (no cluster here): Traefik v3.7.9
  pkg/provider/kubernetes/crd/kubernetes_http.go (`loadServers`: "externalName services not
  allowed"; `parseServiceProtocol`: "invalid scheme"; `loadIngressRouteConfiguration`:
  "Unsupported match kind", "Empty match rule"; `nameAndService`: "unsupported service
  kind"), pkg/provider/kubernetes/ingress/kubernetes.go (`loadService`, `loadRouter`: "invalid
  router path matcher").
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.kubernetes import Drop
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.k8s._common import DROPPED


def check(context: Context) -> Iterator[Finding]:
    kube = context.project.kubernetes
    if kube is None:
        return
    for dropped in kube.dropped:
        if dropped.reason is not Drop.OTHER:
            continue
        effect = DROPPED if dropped.what.startswith("the ") else f"{dropped.what} is left out"
        yield RULE.finding(
            f"{dropped.what}: {dropped.message}; {effect}",
            dropped.origin,
            related=dropped.related,
        )


RULE = Rule("K8S010", "route-dropped-by-provider", Severity.ERROR, check, __doc__ or "")
