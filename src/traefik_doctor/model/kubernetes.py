"""Kubernetes objects as Traefik's Kubernetes providers see them.

The loader (``loaders.kubernetes``) reads manifests on disk into this model and translates
the Traefik objects into the dynamic configuration (provider ``kubernetescrd`` for
IngressRoute, Middleware, TraefikService, ServersTransport, TLSOption, TLSStore; provider
``kubernetes`` for ``networking.k8s.io/v1`` Ingress). What it keeps here is what the K8S
rules need beyond that: the Services, the pod templates of Deployments, StatefulSets,
DaemonSets, ReplicaSets and Pods with their containers and probes, every Service reference
and how Traefik resolves it, and the routes Traefik's provider drops, with why.

Traefik reads endpoints (EndpointSlices) from the cluster; manifests on disk have none. They
are derived the way the EndpointSlice controller derives them: a Service's ``selector``
picks the pod templates whose labels contain it, and its ``targetPort`` (a number, a
container port name, or, when absent, ``port``) gives each pod's port. A pod is assumed
ready: whether its readiness probe can pass is K8S003's question.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from traefik_doctor.loaders.tree import Mapping
from traefik_doctor.model.values import Value
from traefik_doctor.source import Origin

if TYPE_CHECKING:
    from traefik_doctor.model.dynamic import Router, Service

CRD_PROVIDER = "kubernetescrd"
"""``ProviderName`` in pkg/provider/kubernetes/crd/kubernetes.go."""
INGRESS_PROVIDER = "kubernetes"
"""``ProviderName`` in pkg/provider/kubernetes/ingress/kubernetes.go."""
DEFAULT_NAMESPACE = "default"
WORKLOAD_KINDS = frozenset(
    {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod", "Job", "CronJob"}
)


@dataclass(slots=True)
class KubeObject:
    """One object of a manifest: its identity and where it is written."""

    api_version: str
    kind: str
    name: str
    namespace: str
    body: Mapping
    origin: Origin
    """The object's first key (``apiVersion:`` or ``kind:``)."""
    name_value: Value | None = None
    namespace_value: Value | None = None
    helm_source: str | None = None
    """The chart template it was rendered from (Helm's ``# Source:`` comment)."""

    @property
    def ref(self) -> str:
        """``IngressRoute shop/api``: how messages name the object."""
        return f"{self.kind} {self.namespace}/{self.name}"

    @property
    def name_origin(self) -> Origin:
        return self.name_value.origin if self.name_value is not None else self.origin


@dataclass(slots=True)
class ServicePort:
    origin: Origin
    name: Value | None = None
    port: Value | None = None
    target_port: Value | None = None
    node_port: Value | None = None

    @property
    def number(self) -> int | None:
        return self.port.as_int() if self.port is not None else None

    @property
    def name_text(self) -> str:
        return self.name.text.strip() if self.name is not None else ""

    def target(self) -> Value | None:
        """What the endpoints' port comes from: ``targetPort``, else ``port``."""
        return self.target_port if self.target_port is not None else self.port

    def describe(self) -> str:
        number = self.port.text.strip() if self.port is not None else "?"
        return f"{number} ({self.name_text})" if self.name_text else number


@dataclass(slots=True)
class KubeService:
    obj: KubeObject
    type: str = "ClusterIP"
    type_value: Value | None = None
    selector: dict[str, str] = field(default_factory=dict)
    selector_origin: Origin | None = None
    ports: list[ServicePort] = field(default_factory=list)
    ports_origin: Origin | None = None
    external_name: Value | None = None
    external_traffic_policy: Value | None = None
    health_check_node_port: Value | None = None

    def port_for(self, wanted: Value) -> ServicePort | None:
        """The port a reference names: by number, or by name (Traefik's getServicePort)."""
        text = wanted.text.strip()
        number = wanted.as_int() if text.isdigit() else None
        for port in self.ports:
            if number is not None and port.number == number:
                return port
            if number is None and text and port.name_text == text:
                return port
        return None


@dataclass(slots=True)
class ContainerPort:
    origin: Origin
    number: Value | None = None
    name: Value | None = None

    @property
    def value(self) -> int | None:
        return self.number.as_int() if self.number is not None else None


@dataclass(slots=True)
class Probe:
    """A readiness, liveness or startup probe; only ``httpGet`` probes have a path."""

    kind: str
    origin: Origin
    handler: str = ""
    path: Value | None = None
    port: Value | None = None
    scheme: Value | None = None


@dataclass(slots=True)
class KubeContainer:
    name: str
    origin: Origin
    image: Value | None = None
    ports: list[ContainerPort] = field(default_factory=list)
    probes: list[Probe] = field(default_factory=list)
    env: dict[str, Value] = field(default_factory=dict)
    args: list[Value] = field(default_factory=list)
    args_origin: Origin | None = None

    def port_named(self, name: str) -> ContainerPort | None:
        return next(
            (p for p in self.ports if p.name is not None and p.name.text.strip() == name), None
        )

    def port_numbered(self, number: int) -> ContainerPort | None:
        return next((p for p in self.ports if p.value == number), None)

    def probe(self, kind: str) -> Probe | None:
        return next((p for p in self.probes if p.kind == kind), None)

    @property
    def is_traefik(self) -> bool:
        """Does it run Traefik (an image named ``traefik``, any registry and tag)?"""
        if self.image is None:
            return False
        name = self.image.text.strip().rsplit("/", 1)[-1].split("@", 1)[0].split(":", 1)[0]
        return name == "traefik"


@dataclass(slots=True)
class Workload:
    """Something that runs pods: the pod template's labels and containers."""

    obj: KubeObject
    labels: dict[str, str] = field(default_factory=dict)
    containers: list[KubeContainer] = field(default_factory=list)
    replicas: Value | None = None

    def selected_by(self, service: KubeService) -> bool:
        if not service.selector or service.obj.namespace != self.obj.namespace:
            return False
        return all(self.labels.get(key) == want for key, want in service.selector.items())

    @property
    def runs_traefik(self) -> bool:
        return any(container.is_traefik for container in self.containers)


@dataclass(slots=True)
class Endpoint:
    """The pods of one workload behind a Service port, and the port they get."""

    workload: Workload
    container: KubeContainer | None
    port: int | None
    container_port: ContainerPort | None = None


class Drop(Enum):
    """Why Traefik's provider leaves a route out (it logs an error and goes on)."""

    SERVICE_NOT_FOUND = "service-not-found"
    PORT_NOT_FOUND = "port-not-found"
    CROSS_NAMESPACE = "cross-namespace"
    HEALTHCHECK_NEEDS_EXTERNALNAME = "healthcheck-needs-externalname"
    NO_POD_SELECTED = "no-pod-selected"
    TARGET_PORT_NOT_ON_CONTAINER = "target-port-not-on-container"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Dropped:
    """A route (or Ingress path, or TraefikService) Traefik's provider does not create."""

    reason: Drop
    message: str
    origin: Origin
    what: str
    related: tuple[tuple[Origin, str], ...] = ()


@dataclass(slots=True)
class ServiceRef:
    """A reference to a Kubernetes Service (IngressRoute, TraefikService, Ingress backend,
    errors middleware), resolved the way Traefik's provider resolves it."""

    referrer: KubeObject
    what: str
    name: Value
    namespace: str
    origin: Origin
    port: Value | None = None
    namespace_value: Value | None = None
    service: KubeService | None = None
    service_port: ServicePort | None = None
    endpoints: list[Endpoint] = field(default_factory=list)
    scheme: str = "http"
    traefik_service: str = ""
    """The qualified name of the Traefik service built for it ('' when dropped)."""
    health_check: Origin | None = None
    health_path: Value | None = None
    dropped: Drop | None = None


@dataclass(slots=True)
class ProviderSettings:
    """The static options of one Kubernetes provider that change what the model holds."""

    name: str
    enabled: bool = True
    assumed: bool = True
    """No static configuration says: the provider is taken as enabled with defaults."""
    origin: Origin | None = None
    allow_cross_namespace: bool = False
    allow_cross_namespace_origin: Origin | None = None
    allow_external_name_services: bool = False
    allow_empty_services: bool = False
    native_lb_by_default: bool = False
    namespaces: list[str] = field(default_factory=list)
    ingress_class: str = ""

    def watches(self, namespace: str) -> bool:
        return not self.namespaces or namespace in self.namespaces

    def reads(self, namespace: str) -> bool:
        """Does the provider read the objects of this namespace at all?"""
        return self.enabled and self.watches(namespace)

    def allows(self, parent: str, namespace: str) -> bool:
        """``isNamespaceAllowed``: may an object of ``parent`` reference one of ``namespace``?"""
        return self.allow_cross_namespace or parent == namespace


@dataclass(slots=True)
class Ignored:
    """An object Traefik does not read at all (old API group, another ingress class...)."""

    obj: KubeObject
    message: str
    origin: Origin
    related: tuple[tuple[Origin, str], ...] = ()


@dataclass(slots=True)
class UnknownField:
    obj: KubeObject
    path: str
    key: str
    origin: Origin
    suggestion: str | None


@dataclass(slots=True)
class KubernetesConfig:
    objects: list[KubeObject] = field(default_factory=list)
    services: dict[tuple[str, str], KubeService] = field(default_factory=dict)
    workloads: list[Workload] = field(default_factory=list)
    refs: list[ServiceRef] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)
    unknown_fields: list[UnknownField] = field(default_factory=list)
    crd: ProviderSettings = field(default_factory=lambda: ProviderSettings("kubernetesCRD"))
    ingress: ProviderSettings = field(default_factory=lambda: ProviderSettings("kubernetesIngress"))
    endpoint_services: set[str] = field(default_factory=set)
    """Qualified Traefik services whose servers are pod endpoints (not ExternalName)."""
    programs: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Qualified Traefik service -> (Go program folder, how its pods' container was matched),
    filled when the Go code is read (``model.kubematch``)."""
    secret_tls_routers: set[str] = field(default_factory=set)
    """Qualified routers whose certificate comes from a Secret (not readable from disk)."""

    def service(self, namespace: str, name: str) -> KubeService | None:
        return self.services.get((namespace, name))

    def workloads_for(self, service: KubeService) -> list[Workload]:
        return [w for w in self.workloads if w.selected_by(service)]

    def traefik_workloads(self) -> list[Workload]:
        return [w for w in self.workloads if w.runs_traefik]

    def traefik_front_ports(self) -> dict[int, int]:
        """Port of a Service in front of Traefik (its LoadBalancer's 443) -> the pod port it
        forwards to (the entry point's 8443), named targetPorts resolved on Traefik's
        containers: a URL's port names the Service's, the entry point listens on the pod's."""
        traefik = self.traefik_workloads()
        out: dict[int, int] = {}
        for service in self.services.values():
            pods = [w for w in traefik if w.selected_by(service)]
            if not pods:
                continue
            for port in service.ports:
                target = port.target()
                if port.number is None or target is None:
                    continue
                number = target.as_int()
                if number is None:
                    named = (c.port_named(target.text.strip()) for w in pods for c in w.containers)
                    found = next((p for p in named if p is not None), None)
                    number = found.value if found is not None else None
                if number is not None:
                    out.setdefault(port.number, number)
        return out


def from_endpoints(kubernetes: KubernetesConfig | None, service: Service) -> bool:
    """Is this Traefik service's server list the pods of a Kubernetes Service? Then a Traefik
    health check is not allowed on it and the pods' readiness probe takes its place."""
    return kubernetes is not None and service.qualified in kubernetes.endpoint_services


def certificate_from_secret(kubernetes: KubernetesConfig | None, router: Router) -> bool:
    """Does the router's certificate come from a Kubernetes Secret (unreadable here)?"""
    return kubernetes is not None and router.qualified in kubernetes.secret_tls_routers


def normalize(name: str) -> str:
    """Traefik's ``provider.Normalize`` (pkg/provider/configuration.go): runs of anything
    but letters and digits become one dash, with none at either end."""
    out: list[str] = []
    pending = False
    for char in name:
        if char.isalnum():
            if pending and out:
                out.append("-")
            pending = False
            out.append(char)
        else:
            pending = True
    return "".join(out)
