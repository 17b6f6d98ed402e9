"""What Traefik's Kubernetes providers build from the objects of the manifests.

The translation follows Traefik v3.7.9's source: pkg/provider/kubernetes/crd
(``kubernetes.go``, ``kubernetes_http.go``, ``kubernetes_tcp.go``) for the ``traefik.io``
resources and pkg/provider/kubernetes/ingress (``kubernetes.go``, ``annotations.go``) for
``networking.k8s.io/v1`` Ingress: the same object names, the same namespace rules, and the
same reasons to leave a route out, each recorded as a ``Dropped`` with the provider's reason.
Not translated: IngressRouteUDP, the Ingress default backend, service-level middlewares of a
reference, and what needs the cluster (Secrets' content, nodes for ``nodePortLB``).
"""

from __future__ import annotations

import hashlib

from traefik_doctor.loaders.tree import Entry, Mapping, Node, Scalar, Sequence
from traefik_doctor.model.dynamic import Fragment as DynamicFragment
from traefik_doctor.model.dynamic import (
    HealthCheck,
    Middleware,
    Router,
    RouterTLS,
    Server,
    ServersTransport,
    Service,
    ServiceRef,
    TLSOptions,
    TLSStore,
)
from traefik_doctor.model.kubernetes import (
    CRD_PROVIDER,
    INGRESS_PROVIDER,
    WORKLOAD_KINDS,
    ContainerPort,
    Drop,
    Dropped,
    Endpoint,
    Ignored,
    KubeContainer,
    KubeObject,
    KubernetesConfig,
    KubeService,
    Probe,
    ProviderSettings,
    ServicePort,
    UnknownField,
    Workload,
    normalize,
)
from traefik_doctor.model.kubernetes import ServiceRef as KubeServiceRef
from traefik_doctor.model.static import StaticConfig
from traefik_doctor.model.values import Value, key_origin, section, value, values
from traefik_doctor.schema import kubernetes as crd
from traefik_doctor.source import Origin

_ANNOTATION_PREFIX = "traefik.ingress.kubernetes.io/"
_INGRESS_CLASS = "kubernetes.io/ingress.class"
_TRAEFIK_CONTROLLER = "traefik.io/ingress-controller"


class _Pinned(Origin):
    """The origin of a rule the Ingress provider writes itself (``Host("a") && ...``): a
    column inside the rule has no place in the manifest, so every one is the path's."""

    __slots__ = ()

    def shifted(self, delta: int) -> Origin:
        del delta
        return self


def _pinned(origin: Origin) -> Origin:
    return _Pinned(origin.source, origin.offset, origin.provider)


# ---- small helpers -------------------------------------------------------------------------


def _items(node: Mapping | None, key: str) -> list[Mapping]:
    if node is None:
        return []
    entry = node.find(key)
    if entry is None or not isinstance(entry.value, Sequence):
        return []
    return [item for item in entry.value.items if isinstance(item, Mapping)]


def _strings(node: Mapping | None) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for entry in node or ():
        if isinstance(entry.value, Scalar):
            out[entry.key] = Value(entry.value.text, entry.value.origin, entry.value.quoted)
    return out


def _text(found: Value | None) -> str:
    return found.text.strip() if found is not None else ""


def go_quote(text: str) -> str:
    """Go's ``%q`` for plain text (what the Ingress provider writes into rules)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def make_service_key(rule: str, name: str) -> str:
    """``makeServiceKey``: the name and the first 10 bytes of the rule's SHA-256, in hex."""
    return f"{name}-{hashlib.sha256(rule.encode()).hexdigest()[:20]}"


def _synthetic(origin: Origin, key: str, names: list[Value]) -> Mapping:
    """A ``{key: [names]}`` mapping for options whose CRD form holds objects (chain)."""
    node = Mapping(origin)
    node.add(Entry(key, origin, Sequence(origin, [Scalar(v.origin, v.text) for v in names])))
    return node


# ---- the model: services and workloads -----------------------------------------------------


def _service(obj: KubeObject) -> KubeService:
    spec = section(obj.body, "spec")
    service = KubeService(obj)
    kind = value(spec, "type")
    if kind is not None:
        service.type, service.type_value = kind.text.strip(), kind
    selector = section(spec, "selector")
    if selector is not None:
        service.selector = {k: v.text.strip() for k, v in _strings(selector).items()}
        service.selector_origin = key_origin(spec, "selector")
    service.ports_origin = key_origin(spec, "ports")
    for item in _items(spec, "ports"):
        service.ports.append(
            ServicePort(
                item.origin,
                value(item, "name"),
                value(item, "port"),
                value(item, "targetPort"),
                value(item, "nodePort"),
            )
        )
    service.external_name = value(spec, "externalName")
    service.external_traffic_policy = value(spec, "externalTrafficPolicy")
    service.health_check_node_port = value(spec, "healthCheckNodePort")
    service.annotations = _strings(section(section(obj.body, "metadata"), "annotations"))
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
    metadata, pod = _pod_template(obj)
    workload = Workload(obj, replicas=value(section(obj.body, "spec"), "replicas"))
    workload.labels = {k: v.text.strip() for k, v in _strings(section(metadata, "labels")).items()}
    for item in _items(pod, "containers"):
        name = value(item, "name")
        container = KubeContainer(_text(name), item.origin, value(item, "image"))
        for port in _items(item, "ports"):
            container.ports.append(
                ContainerPort(port.origin, value(port, "containerPort"), value(port, "name"))
            )
        for kind in ("readinessProbe", "livenessProbe", "startupProbe"):
            entry = item.find(kind)
            if entry is None or not isinstance(entry.value, Mapping):
                continue
            probe = Probe(kind, entry.key_origin)
            for handler in ("httpGet", "tcpSocket", "grpc", "exec"):
                body = section(entry.value, handler)
                if body is not None:
                    probe.handler = handler
                    probe.path = value(body, "path")
                    probe.port = value(body, "port")
                    probe.scheme = value(body, "scheme")
                    break
            container.probes.append(probe)
        for env in _items(item, "env"):
            env_name, env_value = value(env, "name"), value(env, "value")
            if env_name is not None and env_value is not None:
                container.env[env_name.text.strip()] = env_value
        args = item.find("args")
        if args is not None and isinstance(args.value, Sequence):
            container.args_origin = args.key_origin
            container.args = [
                Value(a.text, a.origin, a.quoted) for a in args.value.items if isinstance(a, Scalar)
            ]
        workload.containers.append(container)
    return workload


# ---- static configuration ------------------------------------------------------------------


def _settings(static: StaticConfig, key: str, name: str) -> ProviderSettings:
    settings = ProviderSettings(name)
    if not static.present:
        return settings
    settings.assumed = False
    providers = static.section("providers")
    entry = None
    for candidate in providers or ():
        if candidate.key.lower() == key.lower():
            entry = candidate
    if entry is None:
        settings.enabled = False
        return settings
    settings.origin = entry.key_origin
    body = entry.value if isinstance(entry.value, Mapping) else None
    cross = value(body, "allowCrossNamespace")
    settings.allow_cross_namespace = bool(cross is not None and cross.as_bool())
    settings.allow_cross_namespace_origin = cross.origin if cross is not None else None
    for attribute, option in (
        ("allow_external_name_services", "allowExternalNameServices"),
        ("allow_empty_services", "allowEmptyServices"),
        ("native_lb_by_default", "nativeLBByDefault"),
    ):
        found = value(body, option)
        setattr(settings, attribute, bool(found is not None and found.as_bool()))
    settings.namespaces = [v.text.strip() for v in values(body, "namespaces")]
    settings.ingress_class = _text(value(body, "ingressClass"))
    return settings


# ---- translation ---------------------------------------------------------------------------


class Builder:
    """Builds the model and the dynamic configuration from the objects, the way Traefik's
    two Kubernetes providers build theirs."""

    def __init__(self, kube: KubernetesConfig) -> None:
        self.kube = kube
        self.fragment = DynamicFragment()
        self.routers: dict[tuple[str, str], Router] = {}
        self.services: dict[tuple[str, str], Service] = {}
        self.pod_backed: set[int] = set()
        """Load balancers over a Service's pods (ids): a Traefik health check is refused
        there, the pods' readiness probe takes its place."""
        self.ref_of: dict[int, KubeServiceRef] = {}
        """The Service reference each load balancer (id) was built for."""

    # -- results

    def add_router(self, router: Router) -> None:
        self.routers[(router.protocol, router.qualified)] = router

    def add_service(self, service: Service) -> None:
        self.services[(service.protocol, service.qualified)] = service

    def drop(
        self,
        reason: Drop,
        message: str,
        origin: Origin,
        what: str,
        related: tuple[tuple[Origin, str], ...] = (),
    ) -> None:
        self.kube.dropped.append(Dropped(reason, message, origin, what, related))

    # -- references

    def allowed(self, settings: ProviderSettings, parent: str, namespace: str) -> bool:
        return settings.allow_cross_namespace or parent == namespace

    def resolve(
        self, parent: str, ref: Mapping, what: str, label: str, settings: ProviderSettings
    ) -> Value | None:
        """``resolveReference``: a middleware or TLS option named in ``parent``'s namespace."""
        name = value(ref, "name")
        if name is None or not name.text.strip():
            return None
        written = name.text.strip()
        namespace = value(ref, "namespace")
        if "@" in written:
            if not settings.allow_cross_namespace and written.endswith(f"@{CRD_PROVIDER}"):
                self.drop(
                    Drop.CROSS_NAMESPACE,
                    f"{label} `{written}` uses the `<namespace>-<name>@{CRD_PROVIDER}` form,"
                    " which Traefik refuses while allowCrossNamespace is off",
                    name.origin,
                    what,
                )
                return None
            return name
        target = _text(namespace) or parent
        if not self.allowed(settings, parent, target):
            self.drop(
                Drop.CROSS_NAMESPACE,
                f"{label} `{target}/{written}` is in another namespace than `{parent}`, and"
                " allowCrossNamespace is off",
                namespace.origin if namespace is not None else name.origin,
                what,
            )
            return None
        return Value(normalize(f"{target}-{written}"), name.origin, name.quoted)

    def name_and_service(
        self, parent: str, ref: Mapping, referrer: KubeObject, what: str
    ) -> tuple[str, Service | None] | None:
        """``nameAndService``: the Traefik name of a service reference, and the load balancer
        built for it when it is a Kubernetes Service (None: Traefik drops the route)."""
        settings = self.kube.crd
        name = value(ref, "name")
        if name is None or not name.text.strip():
            self.drop(Drop.OTHER, "a service reference has no name", ref.origin, what)
            return None
        written = name.text.strip()
        ns_value = value(ref, "namespace")
        namespace = _text(ns_value)
        if "@" not in written:
            namespace = namespace or parent
            if not self.allowed(settings, parent, namespace):
                self.drop(
                    Drop.CROSS_NAMESPACE,
                    f"service `{namespace}/{written}` is not in the namespace `{parent}` of"
                    f" {referrer.ref}, and allowCrossNamespace is off",
                    ns_value.origin if ns_value is not None else name.origin,
                    what,
                )
                return None
        kind = _text(value(ref, "kind"))
        port = value(ref, "port")
        if kind in ("", "Service"):
            built = self.servers_lb(
                namespace, ref, name=name, port=port, referrer=referrer, what=what
            )
            if built is None:
                return None
            return full_service_name(namespace, written, _text(port)), built
        if kind == "TraefikService":
            return full_service_name(namespace, written, ""), None
        self.drop(Drop.OTHER, f"unsupported service kind `{kind}`", ref.origin, what)
        return None

    def servers_lb(
        self,
        namespace: str,
        ref: Mapping,
        *,
        name: Value,
        port: Value | None,
        referrer: KubeObject,
        what: str,
    ) -> Service | None:
        """``buildServersLB`` + ``loadServers``: a load balancer over the Service's pods."""
        settings = self.kube.crd
        written = name.text.strip()
        kref = KubeServiceRef(referrer, what, name, namespace, ref.origin, port)
        kref.namespace_value = value(ref, "namespace")
        health = ref.find("healthCheck")
        kref.health_check = health.key_origin if health is not None else None
        if health is not None and isinstance(health.value, Mapping):
            kref.health_path = value(health.value, "path")
        self.kube.refs.append(kref)
        service = self.kube.service(namespace, written) if settings.watches(namespace) else None
        if service is None:
            kref.dropped = Drop.SERVICE_NOT_FOUND
            self.drop(
                Drop.SERVICE_NOT_FOUND,
                f"Kubernetes Service `{namespace}/{written}` is not in the manifests",
                name.origin,
                what,
            )
            return None
        kref.service = service
        if port is None or not port.text.strip() or port.text.strip() == "0":
            kref.dropped = Drop.PORT_NOT_FOUND
            self.drop(
                Drop.PORT_NOT_FOUND,
                f"the reference to Service `{namespace}/{written}` gives no `port`",
                name.origin,
                what,
                ((service.obj.name_origin, f"Service `{namespace}/{written}`"),),
            )
            return None
        service_port = service.port_for(port)
        external = service.type == "ExternalName"
        if service_port is None and (not external or not port.text.strip().isdigit()):
            kref.dropped = Drop.PORT_NOT_FOUND
            ports = ", ".join(p.describe() for p in service.ports) or "none"
            self.drop(
                Drop.PORT_NOT_FOUND,
                f"Service `{namespace}/{written}` has no port `{port.text.strip()}`"
                f" (its ports: {ports})",
                port.origin,
                what,
                ((service.ports_origin or service.obj.name_origin, "the Service's ports"),),
            )
            return None
        kref.service_port = service_port
        if not external and health is not None:
            kref.dropped = Drop.HEALTHCHECK_NEEDS_EXTERNALNAME
            self.drop(
                Drop.HEALTHCHECK_NEEDS_EXTERNALNAME,
                f"`healthCheck` is set for Service `{namespace}/{written}`, which is of type"
                f" {service.type}; Traefik allows it only for ExternalName services",
                health.key_origin,
                what,
            )
            return None
        scheme = self.scheme(value(ref, "scheme"), service_port, port, what)
        if scheme is None:
            kref.dropped = Drop.OTHER
            return None
        kref.scheme = scheme
        lb = Service("", CRD_PROVIDER, "http", ref.origin, None, "loadBalancer", ref.origin)
        self.ref_of[id(lb)] = kref
        lb.servers_origin = ref.origin
        lb.pass_host_header = value(ref, "passHostHeader")
        if health is not None and isinstance(health.value, Mapping):
            body = health.value
            lb.health_check = HealthCheck(
                health.key_origin,
                body,
                value(body, "path"),
                value(body, "interval"),
                value(body, "timeout"),
                value(body, "port"),
                value(body, "scheme"),
                value(body, "mode"),
            )
        if external:
            if not settings.allow_external_name_services:
                kref.dropped = Drop.OTHER
                self.drop(
                    Drop.OTHER,
                    f"Service `{namespace}/{written}` is of type ExternalName, which Traefik"
                    " refuses unless `allowExternalNameServices` is set",
                    name.origin,
                    what,
                )
                return None
            number = service_port.number if service_port is not None else port.as_int()
            host = _text(service.external_name)
            url = Value(f"{scheme}://{host}:{number}", name.origin)
            lb.servers.append(Server(url, None, ref.origin))
        elif _native(value(ref, "nativeLB"), settings):
            self.native_server(kref, service, service_port, lb)
        elif not self.endpoints(kref, service, service_port, lb, settings=settings, what=what):
            return None
        else:
            self.pod_backed.add(id(lb))
        transport = value(ref, "serversTransport")
        if transport is not None and transport.text.strip():
            lb.servers_transport = self.transport_key(namespace, transport, what)
            if lb.servers_transport is None:
                kref.dropped = Drop.CROSS_NAMESPACE
                return None
        return lb

    def scheme(
        self, given: Value | None, port: ServicePort | None, ref_port: Value, what: str
    ) -> str | None:
        """``parseServiceProtocol``: an explicit scheme, else https for port 443 or a port
        name starting with https, else http."""
        text = _text(given)
        if text in ("http", "https", "h2c"):
            return text
        if text:
            assert given is not None
            message = f"invalid scheme `{text}` (http, https or h2c)"
            self.drop(Drop.OTHER, message, given.origin, what)
            return None
        number = port.number if port is not None else ref_port.as_int()
        name = port.name_text if port is not None else ""
        return "https" if number == 443 or name.startswith("https") else "http"

    def endpoints(
        self,
        kref: KubeServiceRef,
        service: KubeService,
        port: ServicePort | None,
        lb: Service,
        *,
        settings: ProviderSettings,
        what: str,
    ) -> bool:
        """The servers of a Service port: its pods, as EndpointSlices would list them."""
        assert port is not None
        target = port.target()
        namespace, name = service.obj.namespace, service.obj.name
        if not service.selector:
            # Endpoints come from objects the manifests do not show (no selector).
            number = target.as_int() if target is not None else None
            where = target.origin if target is not None else port.origin
            host = f"{name}.{namespace}.endpoints"
            url = Value(f"{kref.scheme}://{host}:{number or port.number}", where)
            lb.servers.append(Server(url, None, where))
            return True
        workloads = self.kube.workloads_for(service)
        for workload in workloads:
            kref.endpoints.append(resolve_endpoint(workload, target))
        usable = [e for e in kref.endpoints if e.port is not None]
        for endpoint in usable:
            where = (
                endpoint.container_port.origin
                if endpoint.container_port is not None
                else (target.origin if target is not None else port.origin)
            )
            host = f"{endpoint.workload.obj.name}.{namespace}.pod"
            url = Value(f"{kref.scheme}://{host}:{endpoint.port}", where)
            lb.servers.append(Server(url, None, where))
        if usable or settings.allow_empty_services:
            return True
        in_namespace = any(w.obj.namespace == namespace for w in self.kube.workloads)
        if not workloads and not in_namespace:
            # No pod template of this namespace is in the manifests: the pods come from
            # elsewhere; keep the route with a stand-in server.
            number = target.as_int() if target is not None else None
            where = target.origin if target is not None else port.origin
            url = Value(
                f"{kref.scheme}://{name}.{namespace}.endpoints:{number or port.number}", where
            )
            lb.servers.append(Server(url, None, where))
            return True
        reason = Drop.NO_POD_SELECTED if not workloads else Drop.TARGET_PORT_NOT_ON_CONTAINER
        kref.dropped = reason
        if reason is Drop.NO_POD_SELECTED:
            labels = ", ".join(f"{k}={v}" for k, v in service.selector.items())
            message = (
                f"Service `{namespace}/{name}` selects no pod of the manifests ({labels}),"
                " so it has no endpoints"
            )
        else:
            message = (
                f"no container of the pods behind Service `{namespace}/{name}` has a port"
                f" `{target.text.strip() if target is not None else '?'}`, so it has no"
                " endpoints"
            )
        self.drop(reason, message, kref.name.origin, what)
        return False

    def native_server(
        self, kref: KubeServiceRef, service: KubeService, port: ServicePort | None, lb: Service
    ) -> None:
        """``nativeLB``: one server, the Service's cluster IP and port; kube-proxy picks the
        pod. The pods are still recorded (for their ports and probes), not Go-matched: the
        URL's port is the Service's, not the container's."""
        assert port is not None
        for workload in self.kube.workloads_for(service):
            kref.endpoints.append(resolve_endpoint(workload, port.target()))
        host = f"{service.obj.name}.{service.obj.namespace}.svc"
        where = port.port.origin if port.port is not None else port.origin
        lb.servers.append(
            Server(Value(f"{kref.scheme}://{host}:{port.number}", where), None, where)
        )
        self.pod_backed.add(id(lb))
        self.ref_of.pop(id(lb), None)

    def transport_key(self, namespace: str, written: Value, what: str) -> Value | None:
        """``makeServersTransportKey``."""
        text = written.text.strip()
        if "@" in text:
            if not self.kube.crd.allow_cross_namespace and text.endswith(f"@{CRD_PROVIDER}"):
                self.drop(
                    Drop.CROSS_NAMESPACE,
                    f"serversTransport `{text}` uses the `<namespace>-<name>@{CRD_PROVIDER}`"
                    " form, which Traefik refuses while allowCrossNamespace is off",
                    written.origin,
                    what,
                )
                return None
            return written
        return Value(normalize(f"{namespace}-{text}"), written.origin, written.quoted)

    def crd_object(self, obj: KubeObject) -> None:
        handlers = {
            "IngressRoute": self.ingress_route,
            "IngressRouteTCP": self.ingress_route_tcp,
            "Middleware": self.middleware,
            "MiddlewareTCP": self.middleware_tcp,
            "TraefikService": self.traefik_service,
            "TLSOption": self.tls_option,
            "TLSStore": self.tls_store,
        }
        if obj.kind == "ServersTransport":
            self.servers_transport(obj, "http")
        elif obj.kind == "ServersTransportTCP":
            self.servers_transport(obj, "tcp")
        elif obj.kind in handlers:
            handlers[obj.kind](obj)

    def finish(self) -> DynamicFragment:
        self.fragment.routers.extend(self.routers.values())
        self.fragment.services.extend(self.services.values())
        return self.fragment

    # -- IngressRoute

    def ingress_route(self, obj: KubeObject) -> None:
        spec = section(obj.body, "spec")
        if spec is None:
            return
        namespace = obj.namespace
        entry_points = values(spec, "entryPoints")
        tls = section(spec, "tls")
        tls_entry = spec.find("tls")
        for route in _items(spec, "routes"):
            match = value(route, "match")
            kind = _text(value(route, "kind"))
            what = f"the route `{_text(match)}` of {obj.ref}"
            if kind not in ("", "Rule"):
                kind_value = value(route, "kind")
                where = kind_value.origin if kind_value is not None else route.origin
                self.drop(Drop.OTHER, f"unsupported match kind `{kind}`", where, what)
                continue
            if match is None or not match.text.strip():
                self.drop(Drop.OTHER, "the route has no `match` rule", route.origin, what)
                continue
            name = normalize(f"{namespace}-{make_service_key(match.text, obj.name)}")
            middlewares: list[Value] = []
            failed = False
            for ref in _items(route, "middlewares"):
                resolved = self.resolve(namespace, ref, what, "middleware", self.kube.crd)
                if resolved is None and value(ref, "name") is not None:
                    failed = True
                    break
                if resolved is not None:
                    middlewares.append(resolved)
            if failed:
                continue
            refs = _items(route, "services")
            service_name: Value | None = None
            if len(refs) > 1:
                weighted = Service(name, CRD_PROVIDER, "http", route.origin, None, "weighted")
                children = []
                for ref in refs:
                    built = self.name_and_service(namespace, ref, obj, what)
                    if built is None:
                        failed = True
                        break
                    children.append((ref, built))
                if failed:
                    continue
                for ref, (full, child) in children:
                    ref_name = value(ref, "name")
                    assert ref_name is not None
                    if child is not None:
                        self.own(child, full)
                    weighted.refs.append(ServiceRef(Value(full, ref_name.origin), "weighted"))
                self.add_service(weighted)
                service_name = Value(name, refs[0].origin)
            elif len(refs) == 1:
                built = self.name_and_service(namespace, refs[0], obj, what)
                if built is None:
                    continue
                full, child = built
                ref_name = value(refs[0], "name")
                where = ref_name.origin if ref_name is not None else refs[0].origin
                if child is not None:
                    self.own(child, name)
                    service_name = Value(name, where)
                else:
                    service_name = Value(full, where)
            router = Router(name, CRD_PROVIDER, "http", route.origin, None)
            router.rule = match
            router.rule_syntax = value(route, "syntax")
            router.priority = value(route, "priority")
            router.entry_points = list(entry_points)
            router.entry_points_origin = key_origin(spec, "entryPoints")
            router.middlewares = middlewares
            router.service = service_name
            if tls_entry is not None:
                options = section(tls, "options")
                resolved_options: Value | None = None
                if options is not None and _text(value(options, "name")):
                    resolved_options = self.resolve(
                        namespace, options, what, "TLS option", self.kube.crd
                    )
                    if resolved_options is None:
                        continue
                router.tls = RouterTLS(
                    tls_entry.key_origin,
                    resolved_options,
                    value(tls, "certResolver"),
                    _domains(tls),
                )
                if _text(value(tls, "secretName")):
                    self.kube.secret_tls_routers.add(router.qualified)
            self.add_router(router)

    def own(self, service: Service, name: str) -> None:
        """Name a load balancer built for a Kubernetes Service and add it."""
        service.name = name
        if id(service) in self.pod_backed:
            self.kube.endpoint_services.add(service.qualified)
        kref = self.ref_of.get(id(service))
        if kref is not None:
            kref.traefik_service = service.qualified
        self.add_service(service)

    # -- IngressRouteTCP

    def ingress_route_tcp(self, obj: KubeObject) -> None:
        spec = section(obj.body, "spec")
        if spec is None:
            return
        namespace = obj.namespace
        tls = section(spec, "tls")
        tls_entry = spec.find("tls")
        for route in _items(spec, "routes"):
            match = value(route, "match")
            if match is None or not match.text.strip():
                continue
            what = f"the TCP route `{match.text.strip()}` of {obj.ref}"
            name = f"{namespace}-{make_service_key(match.text, obj.name)}"
            router = Router(name, CRD_PROVIDER, "tcp", route.origin, None)
            router.rule = match
            router.rule_syntax = value(route, "syntax")
            router.priority = value(route, "priority")
            router.entry_points = values(spec, "entryPoints")
            router.entry_points_origin = key_origin(spec, "entryPoints")
            refs = _items(route, "services")
            first = value(refs[0], "name") if refs else None
            router.service = Value(name, first.origin if first is not None else route.origin)
            balancer = Service(name, CRD_PROVIDER, "tcp", route.origin, None, "loadBalancer")
            for ref in refs:
                server = self.tcp_server(namespace, ref, obj, what)
                if server is not None:
                    balancer.servers.append(server)
            if balancer.servers:
                self.add_service(balancer)
            if tls_entry is not None:
                passthrough = value(tls, "passthrough")
                router.tls = RouterTLS(
                    tls_entry.key_origin,
                    None,
                    value(tls, "certResolver"),
                    _domains(tls),
                    passthrough,
                )
                if _text(value(tls, "secretName")):
                    self.kube.secret_tls_routers.add(router.qualified)
            self.add_router(router)

    def tcp_server(
        self, namespace: str, ref: Mapping, referrer: KubeObject, what: str
    ) -> Server | None:
        name = value(ref, "name")
        if name is None:
            return None
        target_ns = _text(value(ref, "namespace")) or namespace
        if not self.allowed(self.kube.crd, namespace, target_ns):
            ns_value = value(ref, "namespace")
            self.drop(
                Drop.CROSS_NAMESPACE,
                f"service `{target_ns}/{name.text.strip()}` is not in the namespace"
                f" `{namespace}` of {referrer.ref}, and allowCrossNamespace is off",
                ns_value.origin if ns_value is not None else name.origin,
                what,
            )
            return None
        port = value(ref, "port")
        kref = KubeServiceRef(referrer, what, name, target_ns, ref.origin, port)
        self.kube.refs.append(kref)
        service = self.kube.service(target_ns, name.text.strip())
        if service is None:
            kref.dropped = Drop.SERVICE_NOT_FOUND
            self.drop(
                Drop.SERVICE_NOT_FOUND,
                f"Kubernetes Service `{target_ns}/{name.text.strip()}` is not in the manifests",
                name.origin,
                what,
            )
            return None
        kref.service = service
        service_port = service.port_for(port) if port is not None else None
        if service_port is None:
            kref.dropped = Drop.PORT_NOT_FOUND
            ports = ", ".join(p.describe() for p in service.ports) or "none"
            self.drop(
                Drop.PORT_NOT_FOUND,
                f"Service `{target_ns}/{name.text.strip()}` has no port `{_text(port)}`"
                f" (its ports: {ports})",
                port.origin if port is not None else name.origin,
                what,
            )
            return None
        kref.service_port = service_port
        target = service_port.target()
        for workload in self.kube.workloads_for(service):
            endpoint = resolve_endpoint(workload, target)
            kref.endpoints.append(endpoint)
            if endpoint.port is not None:
                where = target.origin if target is not None else service_port.origin
                host = f"{workload.obj.name}.{target_ns}.pod:{endpoint.port}"
                return Server(None, Value(host, where), where)
        number = target.as_int() if target is not None else None
        where = target.origin if target is not None else service_port.origin
        host = f"{name.text.strip()}.{target_ns}.endpoints:{number or service_port.number}"
        return Server(None, Value(host, where), where)

    # -- Middleware, TraefikService, ServersTransport, TLS

    def middleware(self, obj: KubeObject) -> None:
        spec = section(obj.body, "spec")
        if spec is None:
            return
        name = normalize(f"{obj.namespace}-{obj.name}")
        origin = obj.name_origin
        first = next(iter(spec), None)
        what = f"{obj.ref}"
        if first is None:
            self.fragment.middlewares.append(
                Middleware(name, CRD_PROVIDER, "http", origin, None, None, None)
            )
            return
        options: Node | None = first.value
        kind = first.key
        if kind == "chain":
            resolved: list[Value] = []
            for ref in _items(section(spec, "chain"), "middlewares"):
                found = self.resolve(obj.namespace, ref, what, "middleware", self.kube.crd)
                if found is None:
                    return
                resolved.append(found)
            options = _synthetic(first.key_origin, "middlewares", resolved)
        elif kind == "errors":
            errors = section(spec, "errors")
            target = section(errors, "service")
            if errors is not None and target is not None:
                built = self.name_and_service(obj.namespace, target, obj, what)
                if built is None:
                    return
                full, child = built
                service_name = full
                if child is not None:
                    service_name = f"{name}-errorpage-service"
                    self.own(child, service_name)
                rewritten = Mapping(errors.origin)
                for entry in errors:
                    if entry.key == "service":
                        scalar = Scalar(entry.key_origin, service_name)
                        rewritten.add(Entry("service", entry.key_origin, scalar))
                    else:
                        rewritten.add(entry)
                options = rewritten
        self.fragment.middlewares.append(
            Middleware(name, CRD_PROVIDER, "http", origin, kind, first.key_origin, options)
        )

    def middleware_tcp(self, obj: KubeObject) -> None:
        spec = section(obj.body, "spec")
        first = next(iter(spec), None) if spec is not None else None
        name = normalize(f"{obj.namespace}-{obj.name}")
        if first is None:
            return
        self.fragment.middlewares.append(
            Middleware(
                name, CRD_PROVIDER, "tcp", obj.name_origin, first.key, first.key_origin, first.value
            )
        )

    def traefik_service(self, obj: KubeObject) -> None:
        spec = section(obj.body, "spec")
        if spec is None:
            return
        name = normalize(f"{obj.namespace}-{obj.name}")
        what = obj.ref
        namespace = obj.namespace
        for kind in ("weighted", "highestRandomWeight", "mirroring", "failover"):
            body = section(spec, kind)
            if body is None:
                continue
            service = Service(
                name, CRD_PROVIDER, "http", obj.name_origin, None, kind, key_origin(spec, kind)
            )
            pairs: list[tuple[Mapping, str]] = []
            if kind in ("weighted", "highestRandomWeight"):
                pairs = [(item, kind) for item in _items(body, "services")]
            elif kind == "mirroring":
                pairs = [(body, "mirroring")]
                pairs += [(item, "mirror") for item in _items(body, "mirrors")]
            else:
                for key in ("service", "fallback"):
                    inner = section(body, key)
                    if inner is not None:
                        pairs.append((inner, f"failover {key}"))
            for ref, role in pairs:
                built = self.name_and_service(namespace, ref, obj, what)
                if built is None:
                    return
                full, child = built
                ref_name = value(ref, "name")
                if child is not None:
                    self.own(child, full)
                where = ref_name.origin if ref_name is not None else ref.origin
                service.refs.append(ServiceRef(Value(full, where), role))
            self.add_service(service)
            return
        self.drop(Drop.OTHER, "a TraefikService without a type", obj.name_origin, what)

    def servers_transport(self, obj: KubeObject, protocol: str) -> None:
        spec = section(obj.body, "spec")
        name = normalize(f"{obj.namespace}-{obj.name}")
        self.fragment.servers_transports.append(
            ServersTransport(name, CRD_PROVIDER, protocol, obj.name_origin, spec)
        )

    def tls_option(self, obj: KubeObject) -> None:
        name = obj.name if obj.name == "default" else f"{obj.namespace}-{obj.name}"
        spec = section(obj.body, "spec")
        self.fragment.tls_options.append(TLSOptions(name, CRD_PROVIDER, obj.name_origin, spec))

    def tls_store(self, obj: KubeObject) -> None:
        name = obj.name if obj.name == "default" else f"{obj.namespace}-{obj.name}"
        spec = section(obj.body, "spec")
        self.fragment.tls_stores.append(TLSStore(name, CRD_PROVIDER, obj.name_origin, spec))

    # -- Ingress

    def ingress(self, obj: KubeObject) -> None:
        spec = section(obj.body, "spec")
        if spec is None:
            return
        annotations = _strings(section(section(obj.body, "metadata"), "annotations"))
        router_options = _annotation_options(annotations, "router.")
        namespace = obj.namespace
        found: dict[str, list[Router]] = {}
        for rule in _items(spec, "rules"):
            host = value(rule, "host")
            for path in _items(section(rule, "http"), "paths"):
                path_value = value(path, "path")
                backend = section(section(path, "backend"), "service")
                where = path_value.origin if path_value is not None else path.origin
                what = (
                    f"the path `{_text(host)}{_text(path_value)}` of {obj.ref}"
                    if path_value is not None
                    else f"a path of {obj.ref}"
                )
                if backend is None:
                    self.drop(Drop.OTHER, "the path has no `backend.service`", where, what)
                    continue
                loaded = self.ingress_service(namespace, backend, obj, what)
                if loaded is None:
                    continue
                service, port_text = loaded
                service_name = value(backend, "name")
                assert service_name is not None
                self.own(service, normalize(f"{namespace}-{service_name.text.strip()}-{port_text}"))
                router = self.ingress_router(
                    obj, host, path, options=router_options, service_name=service.name
                )
                if router is None:
                    continue
                key = normalize(f"{namespace}-{obj.name}-{_text(host)}{_text(path_value)}")
                found.setdefault(key, []).append(router)
        for key, routers in found.items():
            for router in routers:
                rule_text = router.rule.text if router.rule is not None else ""
                router.name = key if len(routers) == 1 else make_service_key(rule_text, key)
                if _tls_secrets(spec):
                    self.kube.secret_tls_routers.add(router.qualified)
                self.add_router(router)

    def ingress_service(
        self, namespace: str, backend: Mapping, obj: KubeObject, what: str
    ) -> tuple[Service, str] | None:
        """``loadService`` of the Ingress provider."""
        settings = self.kube.ingress
        name = value(backend, "name")
        port = section(backend, "port")
        number, port_name = value(port, "number"), value(port, "name")
        if name is None:
            return None
        written = name.text.strip()
        port_value = number or port_name
        kref = KubeServiceRef(obj, what, name, namespace, backend.origin, port_value)
        self.kube.refs.append(kref)
        service = self.kube.service(namespace, written) if settings.watches(namespace) else None
        if service is None:
            kref.dropped = Drop.SERVICE_NOT_FOUND
            self.drop(
                Drop.SERVICE_NOT_FOUND,
                f"Kubernetes Service `{namespace}/{written}` is not in the manifests",
                name.origin,
                what,
            )
            return None
        kref.service = service
        if service.type == "ExternalName" and not settings.allow_external_name_services:
            kref.dropped = Drop.OTHER
            self.drop(
                Drop.OTHER,
                f"Service `{namespace}/{written}` is of type ExternalName, which Traefik"
                " refuses unless `allowExternalNameServices` is set",
                name.origin,
                what,
            )
            return None
        service_port = service.port_for(port_value) if port_value is not None else None
        if service_port is None:
            kref.dropped = Drop.PORT_NOT_FOUND
            ports = ", ".join(p.describe() for p in service.ports) or "none"
            self.drop(
                Drop.PORT_NOT_FOUND,
                f"Service `{namespace}/{written}` has no port `{_text(port_value)}`"
                f" (its ports: {ports})",
                port_value.origin if port_value is not None else name.origin,
                what,
                ((service.ports_origin or service.obj.name_origin, "the Service's ports"),),
            )
            return None
        kref.service_port = service_port
        options = _annotation_options(service.annotations, "service.")
        scheme_value = options.get("serversscheme")
        scheme = _text(scheme_value)
        if not scheme:
            https = service_port.number == 443 or service_port.name_text.startswith("https")
            scheme = "https" if https else "http"
        kref.scheme = scheme
        lb = Service("", INGRESS_PROVIDER, "http", backend.origin, None, "loadBalancer")
        self.ref_of[id(lb)] = kref
        lb.kind_origin = backend.origin
        lb.servers_origin = backend.origin
        lb.pass_host_header = options.get("passhostheader")
        transport = options.get("serverstransport")
        if transport is not None:
            lb.servers_transport = transport
        if service.type == "ExternalName":
            host = _text(service.external_name)
            url = Value(f"{scheme}://{host}:{service_port.number}", name.origin)
            lb.servers.append(Server(url, None, backend.origin))
            return lb, _text(port_value)
        if _native(options.get("nativelb"), settings):
            self.native_server(kref, service, service_port, lb)
            return lb, _text(port_value)
        if not self.endpoints(kref, service, service_port, lb, settings=settings, what=what):
            return None
        self.pod_backed.add(id(lb))
        return lb, _text(port_value)

    def ingress_router(
        self,
        obj: KubeObject,
        host: Value | None,
        path: Mapping,
        *,
        options: dict[str, Value],
        service_name: str,
    ) -> Router | None:
        """``loadRouter``: the rule from host and path, the rest from annotations."""
        path_value = value(path, "path")
        where = path_value.origin if path_value is not None else path.origin
        router = Router("", INGRESS_PROVIDER, "http", path.origin, None)
        router.service = Value(service_name, where)
        router.entry_points = _split(options.get("entrypoints"))
        router.middlewares = _split(options.get("middlewares"))
        router.priority = options.get("priority")
        router.rule_syntax = options.get("rulesyntax")
        rules: list[str] = []
        if host is not None and host.text.strip():
            rules.append(f"Host({go_quote(host.text.strip())})")
        if path_value is not None and path_value.text:
            matcher = "PathPrefix"
            path_type = _text(value(path, "pathType"))
            if path_type in ("", "ImplementationSpecific"):
                chosen = _text(options.get("pathmatcher"))
                if chosen:
                    if chosen not in ("Path", "PathPrefix", "PathRegexp"):
                        self.drop(
                            Drop.OTHER,
                            f"invalid router path matcher `{chosen}`",
                            where,
                            f"{obj.ref}",
                        )
                        return None
                    matcher = chosen
            elif path_type == "Exact":
                matcher = "Path"
            rules.append(f"{matcher}({go_quote(path_value.text)})")
        router.rule = Value(" && ".join(rules), _pinned(where))
        tls = options.get("tls")
        if tls is not None and tls.as_bool():
            router.tls = RouterTLS(
                tls.origin, options.get("tls.options"), options.get("tls.certresolver")
            )
        elif options.get("tls.options") is not None or options.get("tls.certresolver"):
            router.tls = RouterTLS(
                where, options.get("tls.options"), options.get("tls.certresolver")
            )
        return router


def _native(given: Value | None, settings: ProviderSettings) -> bool:
    """``nativeLB`` of a reference (or Service annotation), else ``nativeLBByDefault``."""
    if given is not None and given.as_bool() is not None:
        return bool(given.as_bool())
    return settings.native_lb_by_default


def _split(found: Value | None) -> list[Value]:
    if found is None:
        return []
    out = []
    position = 0
    for part in found.text.split(","):
        stripped = part.strip()
        if stripped:
            lead = len(part) - len(part.lstrip())
            out.append(Value(stripped, found.at(position + lead)))
        position += len(part) + 1
    return out


def _annotation_options(annotations: dict[str, Value], prefix: str) -> dict[str, Value]:
    """``traefik.ingress.kubernetes.io/router.entrypoints`` -> ``entrypoints`` (lower case:
    Traefik decodes the annotations as labels, without regard to case)."""
    out: dict[str, Value] = {}
    for key, found in annotations.items():
        if not key.startswith(_ANNOTATION_PREFIX):
            continue
        rest = key[len(_ANNOTATION_PREFIX) :].lower()
        if rest.startswith(prefix):
            out[rest[len(prefix) :]] = found
    return out


def _tls_secrets(spec: Mapping) -> bool:
    return any(_text(value(item, "secretName")) for item in _items(spec, "tls"))


def _domains(tls: Mapping | None) -> list[tuple[Value | None, list[Value]]]:
    return [(value(item, "main"), values(item, "sans")) for item in _items(tls, "domains")]


def full_service_name(namespace: str, name: str, port: str) -> str:
    """``fullServiceName``: how a service reference is named in Traefik's configuration."""
    if port and port != "0":
        return normalize(f"{namespace}-{name}-{port}")
    if "@" not in name:
        return normalize(f"{namespace}-{name}")
    bare, _, provider = name.rpartition("@")
    if provider == CRD_PROVIDER:
        return normalize(f"{namespace}-{bare}")
    return f"{normalize(bare)}@{provider}"


def resolve_endpoint(workload: Workload, target: Value | None) -> Endpoint:
    """The port a pod gets for a Service ``targetPort``: a number as is; a name from the
    first container that declares a port of that name (none: the pod is not an endpoint)."""
    if target is None:
        return Endpoint(workload, None, None)
    number = target.as_int() if target.text.strip().isdigit() else None
    if number is not None:
        for container in workload.containers:
            declared = container.port_numbered(number)
            if declared is not None:
                return Endpoint(workload, container, number, declared)
        only = workload.containers[0] if len(workload.containers) == 1 else None
        return Endpoint(workload, only, number)
    for container in workload.containers:
        declared = container.port_named(target.text.strip())
        if declared is not None:
            return Endpoint(workload, container, declared.value, declared)
    return Endpoint(workload, None, None)


# ---- the whole -----------------------------------------------------------------------------


def _class_ignored(obj: KubeObject, settings: ProviderSettings) -> Ignored | None:
    """IngressRoute*: processed when the class equals the provider's ``ingressClass``, or
    when that option is empty and the class is empty or `traefik` (shouldProcessIngress)."""
    spec = section(obj.body, "spec")
    given = value(spec, "ingressClassName")
    annotations = _strings(section(section(obj.body, "metadata"), "annotations"))
    if given is None:
        given = annotations.get(_INGRESS_CLASS)
    name = _text(given)
    wanted = settings.ingress_class
    if name == wanted or (not wanted and name == "traefik"):
        return None
    assert given is not None or wanted
    origin = given.origin if given is not None else obj.name_origin
    expected = f"`{wanted}`" if wanted else "empty or `traefik`"
    return Ignored(
        obj,
        f"{obj.ref} has ingress class `{name}`, and Traefik's kubernetesCRD provider reads"
        f" only the class {expected}: none of its routes exist",
        origin,
        ((settings.origin, "the provider's ingressClass"),) if settings.origin else (),
    )


def _ingress_ignored(
    obj: KubeObject, settings: ProviderSettings, classes: dict[str, KubeObject]
) -> Ignored | None:
    """Ingress: ``spec.ingressClassName`` must name an IngressClass whose controller is
    ``traefik.io/ingress-controller``; else the ``kubernetes.io/ingress.class`` annotation
    must equal the provider's ``ingressClass`` (empty: none or `traefik`)."""
    spec = section(obj.body, "spec")
    class_name = value(spec, "ingressClassName")
    if class_name is not None:
        found = classes.get(class_name.text.strip())
        if found is None:
            return None  # defined in the cluster, not here: cannot tell
        controller = value(section(found.body, "spec"), "controller")
        if _text(controller) == _TRAEFIK_CONTROLLER:
            return None
        return Ignored(
            obj,
            f"{obj.ref} uses IngressClass `{class_name.text.strip()}`, whose controller is"
            f" `{_text(controller)}`, not `{_TRAEFIK_CONTROLLER}`: Traefik does not read it",
            class_name.origin,
            ((found.name_origin, f"IngressClass `{found.name}`"),),
        )
    annotations = _strings(section(section(obj.body, "metadata"), "annotations"))
    given = annotations.get(_INGRESS_CLASS)
    name = _text(given)
    wanted = settings.ingress_class
    if name == wanted or (not wanted and name == "traefik"):
        return None
    assert given is not None or wanted
    expected = f"`{wanted}`" if wanted else "none or `traefik`"
    return Ignored(
        obj,
        f"{obj.ref} has the annotation {_INGRESS_CLASS}: `{name}`, and Traefik's"
        f" kubernetesIngress provider reads only {expected}: none of its paths exist",
        given.origin if given is not None else obj.name_origin,
    )


def _api_origin(obj: KubeObject) -> Origin:
    found = value(obj.body, "apiVersion")
    return found.origin if found is not None else obj.origin


def _not_watched(kube: KubernetesConfig, obj: KubeObject, settings: ProviderSettings) -> None:
    """A route object of a provider that is off, or of a namespace it does not watch."""
    if obj.kind not in ("IngressRoute", "IngressRouteTCP", "IngressRouteUDP", "Ingress"):
        return
    if not settings.enabled:
        why = f"the static configuration enables no `{settings.name}` provider"
    else:
        shown = ", ".join(f"`{n}`" for n in settings.namespaces)
        why = f"providers.{settings.name}.namespaces lists only {shown}"
    related = ((settings.origin, f"providers.{settings.name}"),) if settings.origin else ()
    kube.ignored.append(
        Ignored(obj, f"{obj.ref} is not read by Traefik: {why}", obj.origin, related)
    )


def build_kubernetes(
    objects: list[KubeObject], static: StaticConfig
) -> tuple[KubernetesConfig, Builder]:
    """The Kubernetes model, and the builder holding Traefik's configuration from it."""
    kube = KubernetesConfig(objects=list(objects))
    kube.crd = _settings(static, "kubernetesCRD", "kubernetesCRD")
    kube.ingress = _settings(static, "kubernetesIngress", "kubernetesIngress")
    classes: dict[str, KubeObject] = {}
    for obj in objects:
        if obj.api_version == "v1" and obj.kind == "Service":
            kube.services[(obj.namespace, obj.name)] = _service(obj)
        elif obj.kind in WORKLOAD_KINDS:
            kube.workloads.append(workload_of(obj))
        elif obj.kind == "IngressClass":
            classes[obj.name] = obj
    builder = Builder(kube)
    for obj in objects:
        group = obj.api_version.partition("/")[0]
        if group == crd.OLD_GROUP:
            kube.ignored.append(
                Ignored(
                    obj,
                    f"{obj.ref} uses the API group `{crd.OLD_GROUP}`, which Traefik v3 no"
                    f" longer reads (use `{crd.GROUP}/v1alpha1`)",
                    _api_origin(obj),
                )
            )
            continue
        if group == crd.GROUP and obj.kind in crd.crd_kinds():
            schema = crd.crd_schema(obj.kind)
            spec_entry = obj.body.find("spec")
            if schema is not None and spec_entry is not None:
                for issue in crd.unknown_fields(spec_entry.value, schema):
                    kube.unknown_fields.append(
                        UnknownField(obj, issue.path, issue.key, issue.origin, issue.suggestion)
                    )
            if not kube.crd.enabled or not kube.crd.watches(obj.namespace):
                _not_watched(kube, obj, kube.crd)
                continue
            if obj.kind in ("IngressRoute", "IngressRouteTCP"):
                ignored = _class_ignored(obj, kube.crd)
                if ignored is not None:
                    kube.ignored.append(ignored)
                    continue
            builder.crd_object(obj)
        elif obj.api_version == "networking.k8s.io/v1" and obj.kind == "Ingress":
            if not kube.ingress.enabled or not kube.ingress.watches(obj.namespace):
                _not_watched(kube, obj, kube.ingress)
                continue
            ignored = _ingress_ignored(obj, kube.ingress, classes)
            if ignored is not None:
                kube.ignored.append(ignored)
                continue
            builder.ingress(obj)
    return kube, builder
