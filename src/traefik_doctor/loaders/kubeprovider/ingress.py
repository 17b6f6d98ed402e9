"""``networking.k8s.io/v1`` Ingress as the kubernetesIngress provider translates it.

Following pkg/provider/kubernetes/ingress (``kubernetes.go``, ``annotations.go``): each path
of a rule becomes a router whose rule Traefik writes itself (``Host("a") && PathPrefix("/")``)
and a load balancer over the backend Service; the router's options and the Service's come
from ``traefik.ingress.kubernetes.io/`` annotations. Not translated: the default backend.
"""

from __future__ import annotations

from traefik_doctor.loaders.kubeprovider.backends import (
    default_scheme,
    external_name_refused,
    load_servers,
    lookup_service,
    service_port,
)
from traefik_doctor.loaders.kubeprovider.builder import Builder
from traefik_doctor.loaders.kubeprovider.fields import items, text
from traefik_doctor.loaders.kubeprovider.names import go_quote, make_service_key
from traefik_doctor.loaders.tree import Mapping, Scalar
from traefik_doctor.model.dynamic import Router, RouterTLS, Service
from traefik_doctor.model.kubernetes import INGRESS_PROVIDER, Drop, KubeObject, normalize
from traefik_doctor.model.kubernetes import ServiceRef as KubeServiceRef
from traefik_doctor.model.values import Value, section, value, values
from traefik_doctor.source import Origin

_ANNOTATION_PREFIX = "traefik.ingress.kubernetes.io/"
_PATH_MATCHERS = ("Path", "PathPrefix", "PathRegexp")


class _Pinned(Origin):
    """The origin of a rule the Ingress provider writes itself (``Host("a") && ...``): a
    column inside the rule has no place in the manifest, so every one is the path's."""

    __slots__ = ()

    def shifted(self, delta: int) -> Origin:
        del delta
        return self


class _Options:
    """The ``traefik.ingress.kubernetes.io/<prefix>...`` annotations of an object, by option
    name in lower case: Traefik decodes them as labels, without regard to case (of two
    spellings, the later one is read)."""

    def __init__(self, obj: KubeObject, prefix: str) -> None:
        self._node = section(section(obj.body, "metadata"), "annotations")
        self._keys: dict[str, str] = {}
        for entry in self._node or ():
            if not isinstance(entry.value, Scalar) or not entry.key.startswith(_ANNOTATION_PREFIX):
                continue
            option = entry.key[len(_ANNOTATION_PREFIX) :].lower()
            if option.startswith(prefix):
                self._keys[option[len(prefix) :]] = entry.key

    def get(self, option: str) -> Value | None:
        key = self._keys.get(option)
        return value(self._node, key) if key is not None else None

    def split(self, option: str) -> list[Value]:
        """A comma-separated option (``entrypoints``, ``middlewares``), as labels hold lists."""
        key = self._keys.get(option)
        return values(self._node, key) if key is not None else []


def translate(builder: Builder, obj: KubeObject) -> None:
    """Add the routers and load balancers of an Ingress's paths. Routers are named after
    the host and path; paths that share both are told apart by their rule's hash."""
    spec = section(obj.body, "spec")
    if spec is None:
        return
    options = _Options(obj, "router.")
    namespace = obj.namespace
    found: dict[str, list[Router]] = {}
    for rule in items(spec, "rules"):
        host = value(rule, "host")
        for path in items(section(rule, "http"), "paths"):
            path_value = value(path, "path")
            backend = section(section(path, "backend"), "service")
            where = path_value.origin if path_value is not None else path.origin
            what = (
                f"the path `{text(host)}{text(path_value)}` of {obj.ref}"
                if path_value is not None
                else f"a path of {obj.ref}"
            )
            if backend is None:
                builder.drop(Drop.OTHER, "the path has no `backend.service`", where, what)
                continue
            loaded = _load_service(builder, namespace, backend, obj, what)
            if loaded is None:
                continue
            service, port_text = loaded
            service_name = value(backend, "name")
            assert service_name is not None
            builder.own(service, normalize(f"{namespace}-{service_name.text.strip()}-{port_text}"))
            router = _load_router(
                builder, obj, host, path, options=options, service_name=service.name
            )
            if router is None:
                continue
            key = normalize(f"{namespace}-{obj.name}-{text(host)}{text(path_value)}")
            found.setdefault(key, []).append(router)
    secrets = any(text(value(item, "secretName")) for item in items(spec, "tls"))
    for key, routers in found.items():
        for router in routers:
            rule_text = router.rule.text if router.rule is not None else ""
            router.name = key if len(routers) == 1 else make_service_key(rule_text, key)
            if secrets:
                builder.kube.secret_tls_routers.add(router.qualified)
            builder.add_router(router)


def _load_service(
    builder: Builder, namespace: str, backend: Mapping, obj: KubeObject, what: str
) -> tuple[Service, str] | None:
    """``loadService``: a load balancer over the backend Service, and the port as written
    (for the service's name); None when Traefik drops the path."""
    settings = builder.kube.ingress
    name = value(backend, "name")
    port = section(backend, "port")
    number, port_name = value(port, "number"), value(port, "name")
    if name is None:
        return None
    port_value = number or port_name
    kref = KubeServiceRef(obj, what, name, namespace, backend.origin, port_value)
    service = lookup_service(builder, kref, watched=settings.watches(namespace))
    if service is None or external_name_refused(builder, kref, service, settings):
        return None
    found = service_port(builder, kref, service, port_value)
    if found is None:
        return None
    options = _Options(service.obj, "service.")
    kref.scheme = text(options.get("serversscheme")) or default_scheme(
        found.number, found.name_text
    )
    lb = Service("", INGRESS_PROVIDER, "http", backend.origin, None, "loadBalancer")
    builder.ref_of[id(lb)] = kref
    lb.kind_origin = backend.origin
    lb.servers_origin = backend.origin
    lb.pass_host_header = options.get("passhostheader")
    transport = options.get("serverstransport")
    if transport is not None:
        lb.servers_transport = transport
    native_lb = options.get("nativelb")
    if not load_servers(
        builder,
        kref,
        service,
        found,
        lb,
        number=found.number,
        native_lb=native_lb,
        settings=settings,
    ):
        return None
    return lb, text(port_value)


def _load_router(
    builder: Builder,
    obj: KubeObject,
    host: Value | None,
    path: Mapping,
    *,
    options: _Options,
    service_name: str,
) -> Router | None:
    """``loadRouter``: the rule from host and path, the rest from annotations."""
    path_value = value(path, "path")
    where = path_value.origin if path_value is not None else path.origin
    router = Router("", INGRESS_PROVIDER, "http", path.origin, None)
    router.service = Value(service_name, where)
    router.entry_points = options.split("entrypoints")
    router.middlewares = options.split("middlewares")
    router.priority = options.get("priority")
    router.rule_syntax = options.get("rulesyntax")
    rules: list[str] = []
    if host is not None and host.text.strip():
        rules.append(f"Host({go_quote(host.text.strip())})")
    if path_value is not None and path_value.text:
        matcher = "PathPrefix"
        path_type = text(value(path, "pathType"))
        if path_type in ("", "ImplementationSpecific"):
            chosen = text(options.get("pathmatcher"))
            if chosen:
                if chosen not in _PATH_MATCHERS:
                    message = f"invalid router path matcher `{chosen}`"
                    builder.drop(Drop.OTHER, message, where, obj.ref)
                    return None
                matcher = chosen
        elif path_type == "Exact":
            matcher = "Path"
        rules.append(f"{matcher}({go_quote(path_value.text)})")
    router.rule = Value(" && ".join(rules), _Pinned(where.source, where.offset, where.provider))
    tls = options.get("tls")
    tls_options, resolver = options.get("tls.options"), options.get("tls.certresolver")
    if tls is not None and tls.as_bool():
        router.tls = RouterTLS(tls.origin, tls_options, resolver)
    elif tls_options is not None or resolver:
        router.tls = RouterTLS(where, tls_options, resolver)
    return router
