"""Services and workloads: the objects Traefik's providers read from the cluster, not from
their own resources, kept in ``model.kubernetes`` for the endpoints and the K8S rules."""

from __future__ import annotations

from traefik_doctor.loaders.kubeprovider.fields import items, strings, text
from traefik_doctor.loaders.tree import Mapping, Scalar, Sequence
from traefik_doctor.model.kubernetes import (
    ContainerPort,
    KubeContainer,
    KubeObject,
    KubeService,
    Probe,
    ServicePort,
    Workload,
)
from traefik_doctor.model.values import Value, key_origin, section, value
from traefik_doctor.source import Origin

_PROBES = ("readinessProbe", "livenessProbe", "startupProbe")
_PROBE_HANDLERS = ("httpGet", "tcpSocket", "grpc", "exec")


def kube_service(obj: KubeObject) -> KubeService:
    """A ``v1`` Service: its type, selector and ports (what endpoints derive from)."""
    spec = section(obj.body, "spec")
    service = KubeService(obj)
    kind = value(spec, "type")
    if kind is not None:
        service.type, service.type_value = kind.text.strip(), kind
    selector = section(spec, "selector")
    if selector is not None:
        service.selector = {k: v.text.strip() for k, v in strings(selector).items()}
        service.selector_origin = key_origin(spec, "selector")
    service.ports_origin = key_origin(spec, "ports")
    for item in items(spec, "ports"):
        service.ports.append(
            ServicePort(
                item.origin,
                name=value(item, "name"),
                port=value(item, "port"),
                target_port=value(item, "targetPort"),
                node_port=value(item, "nodePort"),
            )
        )
    service.external_name = value(spec, "externalName")
    service.external_traffic_policy = value(spec, "externalTrafficPolicy")
    service.health_check_node_port = value(spec, "healthCheckNodePort")
    return service


def _pod_template(obj: KubeObject) -> tuple[Mapping | None, Mapping | None]:
    """(pod metadata, pod spec) of a workload."""
    if obj.kind == "Pod":
        return section(obj.body, "metadata"), section(obj.body, "spec")
    spec = section(obj.body, "spec")
    if obj.kind == "CronJob":
        spec = section(section(spec, "jobTemplate"), "spec")
    template = section(spec, "template")
    return section(template, "metadata"), section(template, "spec")


def workload_of(obj: KubeObject) -> Workload:
    """A workload's pod template: the labels Services select by, the containers with their
    ports, probes, environment and arguments (Traefik's own container holds its flags)."""
    metadata, pod = _pod_template(obj)
    workload = Workload(obj, replicas=value(section(obj.body, "spec"), "replicas"))
    workload.labels = {k: v.text.strip() for k, v in strings(section(metadata, "labels")).items()}
    for item in items(pod, "containers"):
        workload.containers.append(_container(item))
    return workload


def _container(item: Mapping) -> KubeContainer:
    container = KubeContainer(text(value(item, "name")), item.origin, value(item, "image"))
    for port in items(item, "ports"):
        container.ports.append(
            ContainerPort(port.origin, value(port, "containerPort"), value(port, "name"))
        )
    for kind in _PROBES:
        entry = item.find(kind)
        if entry is not None and isinstance(entry.value, Mapping):
            container.probes.append(_probe(kind, entry.key_origin, entry.value))
    for env in items(item, "env"):
        env_name, env_value = value(env, "name"), value(env, "value")
        if env_name is not None and env_value is not None:
            container.env[env_name.text.strip()] = env_value
    args = item.find("args")
    if args is not None and isinstance(args.value, Sequence):
        container.args_origin = args.key_origin
        container.args = [
            Value(a.text, a.origin, a.quoted) for a in args.value.items if isinstance(a, Scalar)
        ]
    return container


def _probe(kind: str, origin: Origin, body: Mapping) -> Probe:
    """A probe and its first handler; only ``httpGet`` has a path (K8S003 asks for it)."""
    probe = Probe(kind, origin)
    for handler in _PROBE_HANDLERS:
        found = section(body, handler)
        if found is not None:
            probe.handler = handler
            probe.path = value(found, "path")
            probe.port = value(found, "port")
            probe.scheme = value(found, "scheme")
            break
    return probe
