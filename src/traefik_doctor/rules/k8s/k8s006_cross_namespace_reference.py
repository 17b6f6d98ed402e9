"""## What it does
Checks for references from IngressRoutes, IngressRouteTCPs, TraefikServices and chain or
errors middlewares to a Service, Middleware, TLSOption or ServersTransport of another
namespace (a `namespace:` different from the object's own, or the
`<namespace>-<name>@kubernetescrd` form) while the kubernetesCRD provider's
`allowCrossNamespace` is off, which is its default.

## Why is this bad?
Traefik's CRD provider refuses such a reference, logs an error and leaves out the route
(or the middleware, or the TraefikService) that holds it: requests get
`404 page not found`. Nothing in `kubectl` or the API shows it; only Traefik's log does.

## Example
```yaml
kind: IngressRoute
metadata: {name: api, namespace: shop}
spec:
  routes:
    - match: Host(`shop.example.com`)
      middlewares:
        - name: forward-auth
          namespace: auth
```

## Use instead
```yaml
# a Middleware `forward-auth` in namespace `shop` (or, if it is meant:
# providers.kubernetesCRD.allowCrossNamespace=true in Traefik's static configuration)
      middlewares:
        - name: forward-auth
```

## Fix safety
Turning `allowCrossNamespace` on changes what every namespace may reference; copying the
object into the namespace is the narrower fix.

## References
- Read from source, not measured (no cluster here): Traefik v3.7.9
  pkg/provider/kubernetes/crd/kubernetes.go `isNamespaceAllowed`, `resolveReference`
  ("allowCrossNamespace is disabled, cross-namespace are disallowed", "when
  allowCrossNamespace is disabled, @kubernetescrd references are disallowed"), `AllowCrossNamespace`
  (a bool, false unless set); kubernetes_http.go `nameAndService`,
  `makeServersTransportKey`.
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.kubernetes import Drop
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.k8s._common import cross_namespace_note


def check(context: Context) -> Iterator[Finding]:
    kube = context.project.kubernetes
    if kube is None:
        return
    note, related = cross_namespace_note(kube.crd)
    for dropped in kube.dropped:
        if dropped.reason is not Drop.CROSS_NAMESPACE:
            continue
        effect = (
            "Traefik leaves the route out (404)"
            if dropped.what.startswith("the ")
            else f"Traefik leaves {dropped.what} out"
        )
        yield RULE.finding(
            f"{dropped.what}: {dropped.message}{note}; {effect}",
            dropped.origin,
            related=[*dropped.related, *related],
            fix="Reference an object of the same namespace, or set"
            " providers.kubernetesCRD.allowCrossNamespace=true",
            unsafe=True,
        )


RULE = Rule("K8S006", "cross-namespace-reference", Severity.ERROR, check, __doc__ or "")
