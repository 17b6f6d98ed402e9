"""## What it does
Checks for an `externalTrafficPolicy` on Traefik's own Service (a LoadBalancer or NodePort
Service that selects the pods running the `traefik` image) that does not fit the routes.
With `Cluster` (the default) while a router uses an `ipAllowList`/`ipWhiteList` middleware
without `ipStrategy`, it warns; with `Local`, it notes which nodes take traffic and how the
load balancer finds them.

## Why is this bad?
With `Cluster`, a node that receives a connection may forward it to a Traefik pod on
another node, and rewrites the source address to its own (SNAT): Traefik sees node
addresses, not clients. An IP allow list then compares node addresses: it rejects the
clients it should let in (403), or lets everyone in when the node range is listed.
`Local` keeps the client address but only delivers to Traefik pods on the receiving node:
the cloud load balancer probes each node's `healthCheckNodePort` (kube-proxy answers
`/healthz` there) and sends traffic only to nodes with a ready Traefik pod, and a client
that connects to the NodePort of a node without one gets no answer (the packets are
dropped).

## Example
```yaml
kind: Service
metadata: {name: traefik, namespace: traefik}
spec:
  type: LoadBalancer      # externalTrafficPolicy: Cluster by default
---
kind: Middleware
spec:
  ipAllowList:
    sourceRange: [203.0.113.0/24]
```

## Use instead
```yaml
kind: Service
metadata: {name: traefik, namespace: traefik}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
```

## Fix safety
`Local` changes which nodes receive traffic; run Traefik on every node that the load
balancer targets (a DaemonSet), or rely on the load balancer's health check.

## References
- Kubernetes (read, not measured: no cluster here):
  kubernetes.io/docs/reference/networking/virtual-ips ("External traffic policy": `Local`
  routes only to node-local endpoints and drops traffic when there is none),
  kubernetes.io/docs/tutorials/services/source-ip (`Cluster` hides the client source IP),
  kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer
  (`healthCheckNodePort`).
- Traefik v3.7.9 pkg/config/dynamic/middlewares.go `IPStrategy.Get`: without `ipStrategy`,
  or with neither `depth` nor `excludedIPs`, the allow list checks the connection's remote
  address (`RemoteAddrStrategy`).
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.loaders.tree import Mapping
from traefik_doctor.model.dynamic import Middleware
from traefik_doctor.model.kubernetes import KubeService, Workload
from traefik_doctor.model.project import Project
from traefik_doctor.model.values import section, value, values
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.source import Origin

IP_MIDDLEWARES = frozenset({"ipallowlist", "ipwhitelist"})


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    kube = project.kubernetes
    if kube is None:
        return
    traefik = kube.traefik_workloads()
    for service in kube.services.values():
        if service.type not in ("LoadBalancer", "NodePort"):
            continue
        pods = [w for w in traefik if w.selected_by(service)]
        if not pods:
            continue
        policy = service.external_traffic_policy
        text = policy.text.strip() if policy is not None else "Cluster"
        name = f"`{service.obj.namespace}/{service.obj.name}` ({service.type})"
        if text == "Local":
            assert policy is not None
            yield RULE.finding(
                f"Traefik's Service {name} has externalTrafficPolicy Local: only nodes that run"
                f" a ready Traefik pod ({_replicas(pods)}) take its traffic"
                + _health_note(service)
                + "; a connection to the NodePort of any other node is dropped",
                policy.origin,
                severity=Severity.INFO,
            )
            continue
        used = _ip_middlewares(project)
        if not used:
            continue
        where = policy.origin if policy is not None else _type_origin(service)
        names = ", ".join(f"`{mw.qualified}`" for mw in used)
        yield RULE.finding(
            f"Traefik's Service {name} uses externalTrafficPolicy {text}"
            + (" (the default)" if policy is None else "")
            + ": nodes forward connections to Traefik with their own address as the source,"
            f" so the IP allow list of {names} compares node addresses, not clients'",
            where,
            related=[(mw.kind_origin or mw.origin, f"middleware `{mw.qualified}`") for mw in used],
            fix="Set `externalTrafficPolicy: Local` on Traefik's Service (or give the allow"
            " list an `ipStrategy` that reads a header a trusted proxy in front sets)",
            unsafe=True,
        )


def _type_origin(service: KubeService) -> Origin:
    if service.type_value is not None:
        return service.type_value.origin
    return service.obj.name_origin


def _replicas(pods: list[Workload]) -> str:
    shown = []
    for workload in pods:
        if workload.obj.kind == "DaemonSet":
            shown.append(f"DaemonSet {workload.obj.namespace}/{workload.obj.name}: every node")
        else:
            count = workload.replicas.text.strip() if workload.replicas is not None else "1"
            shown.append(f"{count} replica(s) of {workload.obj.ref}")
    return "; ".join(shown)


def _health_note(service: KubeService) -> str:
    if service.type != "LoadBalancer":
        return ""
    port = service.health_check_node_port
    where = f"port {port.text.strip()}" if port is not None else "the healthCheckNodePort"
    return (
        f"; the cloud load balancer finds them by probing {where} of each node, where"
        " kube-proxy answers `/healthz`"
    )


def _ip_middlewares(project: Project) -> list[Middleware]:
    used: dict[str, Middleware] = {}
    dynamic = project.dynamic
    for router in dynamic.http_routers():
        for ref in router.middlewares:
            found = dynamic.find_middleware("http", ref.text.strip(), router.provider)
            if found is None or (found.kind or "").lower() not in IP_MIDDLEWARES:
                continue
            if _reads_header(section(found.options_map, "ipStrategy")):
                continue
            used[found.qualified] = found
    return list(used.values())


def _reads_header(strategy: Mapping | None) -> bool:
    """An ``ipStrategy`` with ``depth`` or ``excludedIPs`` reads X-Forwarded-For; without
    them (or without the section) the remote address is used (``IPStrategy.Get``)."""
    depth = value(strategy, "depth")
    if depth is not None and (depth.as_int() or 0) > 0:
        return True
    return bool(values(strategy, "excludedIPs"))


RULE = Rule("K8S007", "external-traffic-policy", Severity.WARNING, check, __doc__ or "")
