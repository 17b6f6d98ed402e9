"""## What it does
Checks for fields that the CustomResourceDefinition of a Traefik resource does not declare,
in the `spec` of `traefik.io/v1alpha1` IngressRoute, IngressRouteTCP, IngressRouteUDP,
Middleware, MiddlewareTCP, TraefikService, ServersTransport, ServersTransportTCP, TLSOption
and TLSStore objects, and suggests the nearest declared one. Field
names are case-sensitive (`passhostheader` is unknown).

## Why is this bad?
Traefik never sees such a field. `kubectl apply` refuses the whole object (it asks for
strict field validation by default: `unknown field "spec.routes[0].services[0].schema"`);
clients that ask for no validation level (Helm, Argo CD, client-go) get the object stored
with the field silently removed ("pruned") and at most a warning. `schema: https` for
`scheme: https` then leaves Traefik talking plain HTTP to a TLS backend; a misspelled
`passHostHeader` or `middlewares` is simply not there.

## Example
```yaml
services:
  - name: api
    port: 443
    schema: https
```

## Use instead
```yaml
services:
  - name: api
    port: 443
    scheme: https
```

## Fix safety
The suggested field is a guess by spelling; check it before applying.

## References
- The declared fields: Traefik v3.7.9
  docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml (kept as
  data in `schema/kubernetes.py`).
- Kubernetes: unknown fields of a custom resource are pruned
  (kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions,
  "Field pruning"); field validation levels Strict / Warn (the API default) / Ignore, and
  `kubectl --validate=true` (its default) meaning Strict
  (kubernetes.io/docs/reference/using-api/api-concepts, "Field validation"). Read, not
  measured: there is no cluster here.
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    kube = context.project.kubernetes
    if kube is None:
        return
    for issue in kube.unknown_fields:
        hint = f" (did you mean `{issue.suggestion}`?)" if issue.suggestion else ""
        yield RULE.finding(
            f"unknown field `{issue.key}` in `{issue.path}` of {issue.obj.ref}{hint}: `kubectl"
            " apply` refuses the object, other clients store it without the field, and"
            " Traefik never sees it",
            issue.origin,
            fix=f"Rename `{issue.key}` to `{issue.suggestion}`" if issue.suggestion else None,
            unsafe=True,
        )


RULE = Rule("K8S005", "unknown-crd-field", Severity.ERROR, check, __doc__ or "")
