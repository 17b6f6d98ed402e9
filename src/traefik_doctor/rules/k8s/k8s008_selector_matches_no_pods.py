"""## What it does
Checks for a Service that Traefik routes to whose `selector` matches no pod: it must be
contained in the labels of the pod template of a Deployment, StatefulSet, DaemonSet,
ReplicaSet, Job or Pod of the same namespace. Only namespaces whose workloads are in the
manifests are judged: when none are, the pods may come from elsewhere and nothing is
claimed.

## Why is this bad?
A Service that selects no pod has no endpoints. Traefik sends requests to the endpoints
itself, so it finds no server: its provider logs "no servers found" and leaves the route
out (unless `allowEmptyServices`, then the route answers `503 no available server`). A
label renamed in the Deployment but not in the Service (or the reverse, e.g. a Helm chart
changing `app` to `app.kubernetes.io/name`) is the usual cause.

## Example
```yaml
kind: Service
spec:
  selector:
    app.kubernetes.io/name: web
---
kind: Deployment
spec:
  template:
    metadata:
      labels:
        app.kubernetes.io/name: frontend
```

## Use instead
```yaml
kind: Service
spec:
  selector:
    app.kubernetes.io/name: frontend
```

## Fix safety
The fix names the closest pod template's labels; which pods are meant is a guess.

## References
- Read from source, not measured (no cluster here): Traefik v3.7.9
  pkg/provider/kubernetes/crd/kubernetes_http.go `loadServers` ("no servers found for
  <namespace>/<name>"), pkg/provider/kubernetes/ingress/kubernetes.go ("Skipping service: no
  endpoints found"), `allowEmptyServices`.
- Kubernetes: kubernetes.io/docs/concepts/services-networking/service ("a Service's selector
  determines the set of Pods it targets").
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Location, Severity
from traefik_doctor.model.kubernetes import Drop, KubernetesConfig, KubeService, Workload
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.k8s._common import DROPPED
from traefik_doctor.source import Origin


def check(context: Context) -> Iterator[Finding]:
    kube = context.project.kubernetes
    if kube is None:
        return
    seen: set[int] = set()
    for ref in kube.refs:
        service = ref.service
        if ref.dropped is not Drop.NO_POD_SELECTED or service is None or id(service) in seen:
            continue
        seen.add(id(service))
        labels = ", ".join(f"{key}={want}" for key, want in service.selector.items())
        near = _nearest(service, kube)
        related: list[tuple[Origin | Location, str]] = [(ref.name.origin, f"used by {ref.what}")]
        fix = "Make the Service's selector match the pod template's labels"
        if near is not None:
            shown = ", ".join(f"{k}={v}" for k, v in near.labels.items()) or "no labels"
            related.append((near.obj.name_origin, f"{near.obj.ref} has pod labels {shown}"))
            fix += f" (closest: {near.obj.ref}, {shown})"
        yield RULE.finding(
            f"Service `{service.obj.namespace}/{service.obj.name}` selects {labels}, which no"
            f" pod template of namespace `{service.obj.namespace}` carries: it has no"
            f" endpoints; {DROPPED} ({ref.what})",
            service.selector_origin or service.obj.name_origin,
            related=related,
            fix=fix,
            unsafe=True,
        )


def _nearest(service: KubeService, kube: KubernetesConfig) -> Workload | None:
    """The pod template of the namespace sharing the most selector keys and values; among
    equals, one that no Service selects (the pods this one was probably meant for)."""
    best: tuple[tuple[int, bool], Workload] | None = None
    for workload in kube.workloads:
        if workload.obj.namespace != service.obj.namespace or workload.runs_traefik:
            continue
        score = sum(
            2 if workload.labels.get(key) == want else 1 if key in workload.labels else 0
            for key, want in service.selector.items()
        )
        orphan = not any(workload.selected_by(other) for other in kube.services.values())
        if score and (best is None or (score, orphan) > best[0]):
            best = ((score, orphan), workload)
    return best[1] if best is not None else None


RULE = Rule("K8S008", "selector-matches-no-pods", Severity.ERROR, check, __doc__ or "")
