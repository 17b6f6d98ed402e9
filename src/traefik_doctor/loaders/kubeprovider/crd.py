"""The ``traefik.io`` resources as the kubernetesCRD provider translates them.

Following pkg/provider/kubernetes/crd (``kubernetes_http.go``, ``kubernetes_tcp.go``,
``kubernetes.go``): IngressRoute and IngressRouteTCP become routers (named after the route's
``match``) with their services, Middleware(TCP), TraefikService, ServersTransport(TCP),
TLSOption and TLSStore become the objects of the same kind. A route whose references do not
resolve is left out, as Traefik leaves it out. Not translated: IngressRouteUDP and the
service-level middlewares of a reference.
"""

from __future__ import annotations

from traefik_doctor.loaders.kubeprovider.backends import (
    lookup_service,
    pod_address,
    resolve_endpoint,
    service_port,
    stand_in,
)
from traefik_doctor.loaders.kubeprovider.builder import Builder
from traefik_doctor.loaders.kubeprovider.crdrefs import (
    name_and_service,
    resolve,
    service_namespace,
)
from traefik_doctor.loaders.kubeprovider.fields import items, text
from traefik_doctor.loaders.kubeprovider.names import make_service_key, object_name, tls_name
from traefik_doctor.loaders.tree import Entry, Mapping, Node, Scalar, Sequence
from traefik_doctor.model.dynamic import (
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
from traefik_doctor.model.kubernetes import CRD_PROVIDER, Drop, KubeObject, normalize
from traefik_doctor.model.kubernetes import ServiceRef as KubeServiceRef
from traefik_doctor.model.values import Value, key_origin, section, value, values
from traefik_doctor.source import Origin


def translate(builder: Builder, obj: KubeObject) -> None:
    """Add what one ``traefik.io`` object defines."""
    if obj.kind == "IngressRoute":
        _ingress_route(builder, obj)
    elif obj.kind == "IngressRouteTCP":
        _ingress_route_tcp(builder, obj)
    elif obj.kind == "Middleware":
        _middleware(builder, obj)
    elif obj.kind == "MiddlewareTCP":
        _middleware_tcp(builder, obj)
    elif obj.kind == "TraefikService":
        _traefik_service(builder, obj)
    elif obj.kind in ("ServersTransport", "ServersTransportTCP"):
        protocol = "tcp" if obj.kind == "ServersTransportTCP" else "http"
        name = object_name(obj)
        spec = section(obj.body, "spec")
        transport = ServersTransport(name, CRD_PROVIDER, protocol, obj.name_origin, spec)
        builder.fragment.servers_transports.append(transport)
    elif obj.kind == "TLSOption":
        spec = section(obj.body, "spec")
        options = TLSOptions(tls_name(obj), CRD_PROVIDER, obj.name_origin, spec)
        builder.fragment.tls_options.append(options)
    elif obj.kind == "TLSStore":
        spec = section(obj.body, "spec")
        store = TLSStore(tls_name(obj), CRD_PROVIDER, obj.name_origin, spec)
        builder.fragment.tls_stores.append(store)


# ---- routes --------------------------------------------------------------------------------


def _router(name: str, protocol: str, spec: Mapping, route: Mapping, match: Value) -> Router:
    """The router of one route: its rule, syntax and priority; the object's entry points."""
    router = Router(name, CRD_PROVIDER, protocol, route.origin, None)
    router.rule = match
    router.rule_syntax = value(route, "syntax")
    router.priority = value(route, "priority")
    router.entry_points = values(spec, "entryPoints")
    router.entry_points_origin = key_origin(spec, "entryPoints")
    return router


def _add_router(
    builder: Builder,
    router: Router,
    spec: Mapping,
    *,
    options: Value | None = None,
    passthrough: Value | None = None,
) -> None:
    """Add a route's router with the object's ``tls``; a certificate from a Secret cannot
    be read here, which the TLS rules are told."""
    tls_entry = spec.find("tls")
    if tls_entry is not None:
        tls = section(spec, "tls")
        router.tls = RouterTLS(
            tls_entry.key_origin, options, value(tls, "certResolver"), _domains(tls), passthrough
        )
        if text(value(tls, "secretName")):
            builder.kube.secret_tls_routers.add(router.qualified)
    builder.add_router(router)


def _domains(tls: Mapping | None) -> list[tuple[Value | None, list[Value]]]:
    return [(value(item, "main"), values(item, "sans")) for item in items(tls, "domains")]


def _name_origin(ref: Mapping) -> Origin:
    """Where a reference points: at its ``name``."""
    name = value(ref, "name")
    return name.origin if name is not None else ref.origin


def _child(
    builder: Builder, ref: Mapping, built: tuple[str, Service | None], role: str
) -> ServiceRef:
    """A service a weighted (mirroring, failover) service names; the load balancer built for
    a Kubernetes Service is added under its full name."""
    full, child = built
    if child is not None:
        builder.own(child, full)
    return ServiceRef(Value(full, _name_origin(ref)), role)


def _ingress_route(builder: Builder, obj: KubeObject) -> None:
    spec = section(obj.body, "spec")
    if spec is None:
        return
    namespace = obj.namespace
    for route in items(spec, "routes"):
        match = value(route, "match")
        kind = value(route, "kind")
        what = f"the route `{text(match)}` of {obj.ref}"
        if text(kind) not in ("", "Rule"):
            where = kind.origin if kind is not None else route.origin
            builder.drop(Drop.OTHER, f"unsupported match kind `{text(kind)}`", where, what)
            continue
        if match is None or not match.text.strip():
            builder.drop(Drop.OTHER, "the route has no `match` rule", route.origin, what)
            continue
        name = normalize(f"{namespace}-{make_service_key(match.text, obj.name)}")
        middlewares = _middlewares(builder, namespace, route, what)
        if middlewares is None:
            continue
        refs = items(route, "services")
        service_name: Value | None = None
        failed = False
        if len(refs) > 1:
            weighted = Service(name, CRD_PROVIDER, "http", route.origin, None, "weighted")
            children = []
            for ref in refs:
                built = name_and_service(builder, namespace, ref, obj, what)
                if built is None:
                    failed = True
                    break
                children.append((ref, built))
            if failed:
                continue
            for ref, built in children:
                weighted.refs.append(_child(builder, ref, built, "weighted"))
            builder.add_service(weighted)
            service_name = Value(name, refs[0].origin)
        elif len(refs) == 1:
            built = name_and_service(builder, namespace, refs[0], obj, what)
            if built is None:
                continue
            full, child = built
            if child is not None:
                builder.own(child, name)
            service_name = Value(name if child is not None else full, _name_origin(refs[0]))
        router = _router(name, "http", spec, route, match)
        router.middlewares = middlewares
        router.service = service_name
        options = section(section(spec, "tls"), "options")
        tls_options: Value | None = None
        if options is not None and text(value(options, "name")):
            tls_options = resolve(builder, namespace, options, what, "TLS option")
            if tls_options is None:
                continue
        _add_router(builder, router, spec, options=tls_options)


def _middlewares(builder: Builder, namespace: str, route: Mapping, what: str) -> list[Value] | None:
    """A route's middlewares by the names Traefik gives them (one without a name is passed
    over); None when one is refused, which leaves the route out."""
    middlewares: list[Value] = []
    for ref in items(route, "middlewares"):
        resolved = resolve(builder, namespace, ref, what, "middleware")
        if resolved is not None:
            middlewares.append(resolved)
        elif value(ref, "name") is not None:
            return None
    return middlewares


def _ingress_route_tcp(builder: Builder, obj: KubeObject) -> None:
    spec = section(obj.body, "spec")
    if spec is None:
        return
    for route in items(spec, "routes"):
        match = value(route, "match")
        if match is None or not match.text.strip():
            continue
        what = f"the TCP route `{match.text.strip()}` of {obj.ref}"
        name = f"{obj.namespace}-{make_service_key(match.text, obj.name)}"
        router = _router(name, "tcp", spec, route, match)
        refs = items(route, "services")
        first = value(refs[0], "name") if refs else None
        router.service = Value(name, first.origin if first is not None else route.origin)
        balancer = Service(name, CRD_PROVIDER, "tcp", route.origin, None, "loadBalancer")
        for ref in refs:
            server = _tcp_server(builder, obj.namespace, ref, obj, what)
            if server is not None:
                balancer.servers.append(server)
        if balancer.servers:
            builder.add_service(balancer)
        _add_router(builder, router, spec, passthrough=value(section(spec, "tls"), "passthrough"))


def _tcp_server(
    builder: Builder, parent: str, ref: Mapping, referrer: KubeObject, what: str
) -> Server | None:
    """``loadTCPServers``: the first pod of the Service that has the port, or a stand-in."""
    name = value(ref, "name")
    if name is None:
        return None
    namespace = service_namespace(builder, parent, ref, name, referrer=referrer, what=what)
    if namespace is None:
        return None
    port = value(ref, "port")
    kref = KubeServiceRef(referrer, what, name, namespace, ref.origin, port)
    service = lookup_service(builder, kref, watched=builder.kube.crd.watches(namespace))
    if service is None:
        return None
    found = service_port(builder, kref, service, port)
    if found is None:
        return None
    target = found.target()
    where = target.origin if target is not None else found.origin
    for workload in builder.kube.workloads_for(service):
        endpoint = resolve_endpoint(workload, target)
        kref.endpoints.append(endpoint)
        if endpoint.port is not None:
            return Server(None, Value(pod_address(endpoint), where), where)
    address, where = stand_in(service, found)
    return Server(None, Value(address, where), where)


# ---- middlewares and services --------------------------------------------------------------


def _synthetic(origin: Origin, key: str, names: list[Value]) -> Mapping:
    """A ``{key: [names]}`` mapping for options whose CRD form holds objects (chain)."""
    node = Mapping(origin)
    node.add(Entry(key, origin, Sequence(origin, [Scalar(v.origin, v.text) for v in names])))
    return node


def _middleware(builder: Builder, obj: KubeObject) -> None:
    """A Middleware; ``chain`` and ``errors`` name other objects, which are resolved."""
    spec = section(obj.body, "spec")
    if spec is None:
        return
    name = object_name(obj)
    first = next(iter(spec), None)
    if first is None:
        builder.fragment.middlewares.append(
            Middleware(name, CRD_PROVIDER, "http", obj.name_origin, None, None, None)
        )
        return
    options: Node | None = first.value
    kind = first.key
    if kind == "chain":
        resolved: list[Value] = []
        for ref in items(section(spec, "chain"), "middlewares"):
            found = resolve(builder, obj.namespace, ref, obj.ref, "middleware")
            if found is None:
                return
            resolved.append(found)
        options = _synthetic(first.key_origin, "middlewares", resolved)
    elif kind == "errors":
        errors = section(spec, "errors")
        target = section(errors, "service")
        if errors is not None and target is not None:
            built = name_and_service(builder, obj.namespace, target, obj, obj.ref)
            if built is None:
                return
            full, child = built
            service_name = full
            if child is not None:
                service_name = f"{name}-errorpage-service"
                builder.own(child, service_name)
            options = _with_service(errors, service_name)
    builder.fragment.middlewares.append(
        Middleware(name, CRD_PROVIDER, "http", obj.name_origin, kind, first.key_origin, options)
    )


def _with_service(errors: Mapping, service_name: str) -> Mapping:
    """The ``errors`` options with the service named as Traefik names it."""
    rewritten = Mapping(errors.origin)
    for entry in errors:
        if entry.key == "service":
            scalar = Scalar(entry.key_origin, service_name)
            rewritten.add(Entry("service", entry.key_origin, scalar))
        else:
            rewritten.add(entry)
    return rewritten


def _middleware_tcp(builder: Builder, obj: KubeObject) -> None:
    spec = section(obj.body, "spec")
    first = next(iter(spec), None) if spec is not None else None
    if first is None:
        return
    builder.fragment.middlewares.append(
        Middleware(
            object_name(obj),
            CRD_PROVIDER,
            "tcp",
            obj.name_origin,
            first.key,
            first.key_origin,
            first.value,
        )
    )


def _traefik_service(builder: Builder, obj: KubeObject) -> None:
    """A TraefikService of one kind, with the services it names (each resolved; one that
    does not resolve leaves the whole TraefikService out)."""
    spec = section(obj.body, "spec")
    if spec is None:
        return
    for kind in ("weighted", "highestRandomWeight", "mirroring", "failover"):
        body = section(spec, kind)
        if body is None:
            continue
        service = Service(
            object_name(obj),
            CRD_PROVIDER,
            "http",
            obj.name_origin,
            None,
            kind,
            key_origin(spec, kind),
        )
        pairs: list[tuple[Mapping, str]] = []
        if kind in ("weighted", "highestRandomWeight"):
            pairs = [(item, kind) for item in items(body, "services")]
        elif kind == "mirroring":
            pairs = [(body, "mirroring")]
            pairs += [(item, "mirror") for item in items(body, "mirrors")]
        else:
            for key in ("service", "fallback"):
                inner = section(body, key)
                if inner is not None:
                    pairs.append((inner, f"failover {key}"))
        for ref, role in pairs:
            built = name_and_service(builder, obj.namespace, ref, obj, obj.ref)
            if built is None:
                return
            service.refs.append(_child(builder, ref, built, role))
        builder.add_service(service)
        return
    builder.drop(Drop.OTHER, "a TraefikService without a type", obj.name_origin, obj.ref)
