"""The dynamic configuration: routers, services, middlewares, transports and TLS.

Objects are keyed by their qualified name ``name@provider``, the way Traefik's API shows them,
and reference other objects by the name as written (resolved with ``qualify``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from traefik_doctor.loaders.tree import Mapping, Node, Null, Sequence
from traefik_doctor.model.values import Value, key_origin, section, value, values
from traefik_doctor.source import Origin

SERVICE_TYPES = ("loadBalancer", "weighted", "mirroring", "failover", "highestRandomWeight")


def qualify(name: str, provider: str) -> str:
    """Traefik's qualified name: a name without ``@`` belongs to the referring provider."""
    return name if "@" in name else f"{name}@{provider}"


class _Named:
    """Objects Traefik names ``name@provider`` (its API's spelling)."""

    __slots__ = ()
    name: str
    provider: str

    @property
    def qualified(self) -> str:
        return f"{self.name}@{self.provider}"


@dataclass(slots=True)
class RouterTLS:
    origin: Origin
    options: Value | None = None
    cert_resolver: Value | None = None
    domains: list[tuple[Value | None, list[Value]]] = field(default_factory=list)
    passthrough: Value | None = None


@dataclass(slots=True)
class Router(_Named):
    """An HTTP, TCP or UDP router (``protocol``)."""

    name: str
    provider: str
    protocol: str
    origin: Origin
    body: Mapping | None
    rule: Value | None = None
    rule_syntax: Value | None = None
    service: Value | None = None
    entry_points: list[Value] = field(default_factory=list)
    middlewares: list[Value] = field(default_factory=list)
    priority: Value | None = None
    tls: RouterTLS | None = None
    entry_points_origin: Origin | None = None


@dataclass(slots=True)
class Server:
    url: Value | None
    address: Value | None
    origin: Origin
    preserve_path: Value | None = None
    weight: Value | None = None


@dataclass(slots=True)
class HealthCheck:
    origin: Origin
    body: Mapping
    path: Value | None = None
    interval: Value | None = None
    timeout: Value | None = None
    port: Value | None = None
    scheme: Value | None = None
    mode: Value | None = None


@dataclass(slots=True)
class ServiceRef:
    """A service named by a weighted, mirroring or failover service."""

    name: Value
    role: str


@dataclass(slots=True)
class Service(_Named):
    name: str
    provider: str
    protocol: str
    origin: Origin
    body: Mapping | None
    kind: str | None = None
    kind_origin: Origin | None = None
    servers: list[Server] = field(default_factory=list)
    servers_origin: Origin | None = None
    health_check: HealthCheck | None = None
    pass_host_header: Value | None = None
    servers_transport: Value | None = None
    refs: list[ServiceRef] = field(default_factory=list)


@dataclass(slots=True)
class Middleware(_Named):
    name: str
    provider: str
    protocol: str
    origin: Origin
    kind: str | None
    kind_origin: Origin | None
    options: Node | None

    @property
    def options_map(self) -> Mapping | None:
        return self.options if isinstance(self.options, Mapping) else None


@dataclass(slots=True)
class ServersTransport(_Named):
    name: str
    provider: str
    protocol: str
    origin: Origin
    body: Mapping | None


@dataclass(slots=True)
class Certificate:
    origin: Origin
    cert_file: Value | None
    key_file: Value | None
    stores: list[Value] = field(default_factory=list)
    provider: str = "file"


@dataclass(slots=True)
class TLSOptions(_Named):
    name: str
    provider: str
    origin: Origin
    body: Mapping | None


@dataclass(slots=True)
class TLSStore:
    name: str
    provider: str
    origin: Origin
    body: Mapping | None


@dataclass(slots=True)
class DynamicConfig:
    """Everything the providers contribute, merged the way Traefik merges it."""

    routers: dict[str, Router] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    middlewares: dict[str, Middleware] = field(default_factory=dict)
    servers_transports: dict[str, ServersTransport] = field(default_factory=dict)
    certificates: list[Certificate] = field(default_factory=list)
    tls_options: dict[str, TLSOptions] = field(default_factory=dict)
    tls_stores: dict[str, TLSStore] = field(default_factory=dict)

    def http_routers(self) -> list[Router]:
        return [r for r in self.routers.values() if r.protocol == "http"]

    def service_for(self, router: Router) -> Service | None:
        if router.service is None:
            return None
        name = qualify(router.service.text, router.provider)
        return self.services.get(f"{router.protocol}:{name}")

    def find_service(self, protocol: str, name: str, provider: str) -> Service | None:
        return self.services.get(f"{protocol}:{qualify(name, provider)}")

    def find_middleware(self, protocol: str, name: str, provider: str) -> Middleware | None:
        return self.middlewares.get(f"{protocol}:{qualify(name, provider)}")


@dataclass(slots=True)
class Fragment:
    """What one file (or one container's labels) defines, before merging."""

    routers: list[Router] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    middlewares: list[Middleware] = field(default_factory=list)
    servers_transports: list[ServersTransport] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)
    tls_options: list[TLSOptions] = field(default_factory=list)
    tls_stores: list[TLSStore] = field(default_factory=list)

    def router_count(self) -> int:
        return len(self.routers)


def _named(node: Mapping | None, key: str) -> list[tuple[str, Origin, Node]]:
    found = section(node, key)
    if found is None:
        return []
    return [(entry.key, entry.key_origin, entry.value) for entry in found]


def build_fragment(root: Node, provider: str) -> Fragment:
    """Read the routers, services... that one document defines. Tolerates any shape: the
    schema walk reports what is malformed; here malformed parts are simply skipped."""
    fragment = Fragment()
    if not isinstance(root, Mapping):
        return fragment
    for protocol in ("http", "tcp", "udp"):
        part = section(root, protocol)
        for name, origin, body in _named(part, "routers"):
            fragment.routers.append(_router(name, provider, protocol, origin, body))
        for name, origin, body in _named(part, "services"):
            fragment.services.append(_service(name, provider, protocol, origin, body))
        for name, origin, body in _named(part, "middlewares"):
            fragment.middlewares.append(_middleware(name, provider, protocol, origin, body))
        for name, origin, body in _named(part, "serversTransports"):
            fragment.servers_transports.append(
                ServersTransport(name, provider, protocol, origin, _map(body))
            )
    tls = section(root, "tls")
    if tls is not None:
        certs = tls.find("certificates")
        if certs is not None and isinstance(certs.value, Sequence):
            for item in certs.value.items:
                if isinstance(item, Mapping):
                    fragment.certificates.append(
                        Certificate(
                            item.origin,
                            value(item, "certFile"),
                            value(item, "keyFile"),
                            values(item, "stores"),
                            provider,
                        )
                    )
        for name, origin, body in _named(tls, "options"):
            fragment.tls_options.append(TLSOptions(name, provider, origin, _map(body)))
        for name, origin, body in _named(tls, "stores"):
            fragment.tls_stores.append(TLSStore(name, provider, origin, _map(body)))
    return fragment


def _map(node: Node) -> Mapping | None:
    return node if isinstance(node, Mapping) else None


def _router(name: str, provider: str, protocol: str, origin: Origin, body: Node) -> Router:
    m = _map(body)
    router = Router(name, provider, protocol, origin, m)
    router.rule = value(m, "rule")
    router.rule_syntax = value(m, "ruleSyntax")
    router.service = value(m, "service")
    router.entry_points = values(m, "entryPoints")
    router.entry_points_origin = key_origin(m, "entryPoints")
    router.middlewares = values(m, "middlewares")
    router.priority = value(m, "priority")
    if m is not None:
        tls_entry = m.find("tls")
        if tls_entry is not None:
            tls = _map(tls_entry.value)
            router.tls = RouterTLS(
                tls_entry.key_origin,
                value(tls, "options"),
                value(tls, "certResolver"),
                _domains(tls),
                value(tls, "passthrough"),
            )
    return router


def _domains(tls: Mapping | None) -> list[tuple[Value | None, list[Value]]]:
    if tls is None:
        return []
    entry = tls.find("domains")
    if entry is None or not isinstance(entry.value, Sequence):
        return []
    out = []
    for item in entry.value.items:
        if isinstance(item, Mapping):
            out.append((value(item, "main"), values(item, "sans")))
    return out


def _service(name: str, provider: str, protocol: str, origin: Origin, body: Node) -> Service:
    m = _map(body)
    service = Service(name, provider, protocol, origin, m)
    if m is None:
        return service
    for entry in m:
        folded = entry.key.lower()
        kind = next((k for k in SERVICE_TYPES if k.lower() == folded), None)
        if kind is None:
            continue
        if service.kind is None:
            service.kind = kind
            service.kind_origin = entry.key_origin
        inner = _map(entry.value)
        if kind == "loadBalancer":
            _load_balancer(service, inner, entry.key_origin)
        elif kind in ("weighted", "highestRandomWeight"):
            for item in _items(inner, "services"):
                ref = value(item, "name")
                if ref is not None:
                    service.refs.append(ServiceRef(ref, kind))
        elif kind == "mirroring":
            main = value(inner, "service")
            if main is not None:
                service.refs.append(ServiceRef(main, "mirroring"))
            for item in _items(inner, "mirrors"):
                ref = value(item, "name")
                if ref is not None:
                    service.refs.append(ServiceRef(ref, "mirror"))
        elif kind == "failover":
            for key in ("service", "fallback"):
                ref = value(inner, key)
                if ref is not None:
                    service.refs.append(ServiceRef(ref, f"failover {key}"))
    return service


def _items(node: Mapping | None, key: str) -> list[Mapping]:
    if node is None:
        return []
    entry = node.find(key)
    if entry is None or not isinstance(entry.value, Sequence):
        return []
    return [item for item in entry.value.items if isinstance(item, Mapping)]


def _load_balancer(service: Service, lb: Mapping | None, origin: Origin) -> None:
    if lb is None:
        service.servers_origin = origin
        return
    servers = lb.find("servers")
    service.servers_origin = servers.key_origin if servers is not None else origin
    for item in _items(lb, "servers"):
        service.servers.append(
            Server(
                value(item, "url"),
                value(item, "address"),
                item.origin,
                value(item, "preservePath"),
                value(item, "weight"),
            )
        )
    health = lb.find("healthCheck")
    if health is not None:
        body = health.value if isinstance(health.value, Mapping) else Mapping(health.key_origin)
        service.health_check = health_check(health.key_origin, body)
    service.pass_host_header = value(lb, "passHostHeader")
    service.servers_transport = value(lb, "serversTransport")


def health_check(origin: Origin, body: Mapping) -> HealthCheck:
    """A load balancer's ``healthCheck`` section (any provider's)."""
    return HealthCheck(
        origin,
        body,
        value(body, "path"),
        value(body, "interval"),
        value(body, "timeout"),
        value(body, "port"),
        value(body, "scheme"),
        value(body, "mode"),
    )


def _middleware(name: str, provider: str, protocol: str, origin: Origin, body: Node) -> Middleware:
    m = _map(body)
    if m is None or len(m) == 0:
        return Middleware(name, provider, protocol, origin, None, None, None)
    first = next(iter(m))
    options = None if isinstance(first.value, Null) else first.value
    return Middleware(name, provider, protocol, origin, first.key, first.key_origin, options)
