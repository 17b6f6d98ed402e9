"""References between the ``traefik.io`` resources, resolved as the CRD provider does.

A route, a TraefikService or an ``errors`` middleware names services, middlewares, TLS
options and servers transports by ``name`` (and ``namespace``); Traefik turns each into the
name the referenced object got (``<namespace>-<name>``, or as written with ``@provider``)
and refuses one into another namespace while ``allowCrossNamespace`` is off
(pkg/provider/kubernetes/crd/kubernetes.go ``resolveReference``, ``isNamespaceAllowed``;
kubernetes_http.go ``nameAndService``, ``buildServersLB``, ``makeServersTransportKey``).
"""

from __future__ import annotations

from traefik_doctor.loaders.kubeprovider.backends import (
    default_scheme,
    external_name_refused,
    load_servers,
    lookup_service,
    port_not_found,
)
from traefik_doctor.loaders.kubeprovider.builder import Builder
from traefik_doctor.loaders.kubeprovider.fields import text
from traefik_doctor.loaders.kubeprovider.names import full_service_name
from traefik_doctor.loaders.tree import Mapping
from traefik_doctor.model.dynamic import Service, health_check
from traefik_doctor.model.kubernetes import CRD_PROVIDER, Drop, KubeObject, ServicePort, normalize
from traefik_doctor.model.kubernetes import ServiceRef as KubeServiceRef
from traefik_doctor.model.values import Value, value


def qualified(
    builder: Builder, written: Value, namespace: str, label: str, what: str
) -> Value | None:
    """The name of a referenced object in ``namespace`` (``<namespace>-<name>``), or the name
    as written when it has a provider (``name@file``); ``<namespace>-<name>@kubernetescrd``
    reaches into any namespace, so Traefik refuses it while allowCrossNamespace is off."""
    name = written.text.strip()
    if "@" not in name:
        return Value(normalize(f"{namespace}-{name}"), written.origin, written.quoted)
    if not builder.kube.crd.allow_cross_namespace and name.endswith(f"@{CRD_PROVIDER}"):
        builder.drop(
            Drop.CROSS_NAMESPACE,
            f"{label} `{name}` uses the `<namespace>-<name>@{CRD_PROVIDER}` form, which"
            " Traefik refuses while allowCrossNamespace is off",
            written.origin,
            what,
        )
        return None
    return written


def namespace_of(
    builder: Builder, parent: str, ref: Mapping, name: Value, what: str, *, label: str, outside: str
) -> str | None:
    """The namespace a reference names (its ``namespace``, else ``parent``); None, with
    Traefik's drop, when that is another one and allowCrossNamespace is off. ``outside``
    says, in the message, how it is not ``parent``."""
    given = value(ref, "namespace")
    namespace = text(given) or parent
    if builder.kube.crd.allows(parent, namespace):
        return namespace
    builder.drop(
        Drop.CROSS_NAMESPACE,
        f"{label} `{namespace}/{name.text.strip()}` {outside}, and allowCrossNamespace is off",
        given.origin if given is not None else name.origin,
        what,
    )
    return None


def resolve(builder: Builder, parent: str, ref: Mapping, what: str, label: str) -> Value | None:
    """``resolveReference``: a middleware or TLS option named in ``parent``'s namespace
    (None: no name, or refused, which the drop records)."""
    name = value(ref, "name")
    if name is None or not name.text.strip():
        return None
    namespace = parent
    if "@" not in name.text:
        outside = f"is in another namespace than `{parent}`"
        found = namespace_of(builder, parent, ref, name, what, label=label, outside=outside)
        if found is None:
            return None
        namespace = found
    return qualified(builder, name, namespace, label, what)


def service_namespace(
    builder: Builder, parent: str, ref: Mapping, name: Value, *, referrer: KubeObject, what: str
) -> str | None:
    """The namespace of a service reference (its ``namespace``, else the referrer's)."""
    outside = f"is not in the namespace `{parent}` of {referrer.ref}"
    return namespace_of(builder, parent, ref, name, what, label="service", outside=outside)


def name_and_service(
    builder: Builder, parent: str, ref: Mapping, referrer: KubeObject, what: str
) -> tuple[str, Service | None] | None:
    """``nameAndService``: the Traefik name of a service reference, and the load balancer
    built for it when it is a Kubernetes Service (None: Traefik drops the route)."""
    name = value(ref, "name")
    if name is None or not name.text.strip():
        builder.drop(Drop.OTHER, "a service reference has no name", ref.origin, what)
        return None
    written = name.text.strip()
    if "@" in written:
        namespace = text(value(ref, "namespace"))
    else:
        found = service_namespace(builder, parent, ref, name, referrer=referrer, what=what)
        if found is None:
            return None
        namespace = found
    kind = text(value(ref, "kind"))
    port = value(ref, "port")
    if kind in ("", "Service"):
        kref = KubeServiceRef(referrer, what, name, namespace, ref.origin, port)
        built = servers_lb(builder, kref, ref)
        if built is None:
            return None
        return full_service_name(namespace, written, text(port)), built
    if kind == "TraefikService":
        return full_service_name(namespace, written, ""), None
    builder.drop(Drop.OTHER, f"unsupported service kind `{kind}`", ref.origin, what)
    return None


def servers_lb(builder: Builder, kref: KubeServiceRef, ref: Mapping) -> Service | None:
    """``buildServersLB`` + ``loadServers``: a load balancer over the Service's pods."""
    settings = builder.kube.crd
    namespace, name, port, what = kref.namespace, kref.name, kref.port, kref.what
    written = name.text.strip()
    kref.namespace_value = value(ref, "namespace")
    health = ref.find("healthCheck")
    kref.health_check = health.key_origin if health is not None else None
    if health is not None and isinstance(health.value, Mapping):
        kref.health_path = value(health.value, "path")
    service = lookup_service(builder, kref, watched=settings.watches(namespace))
    if service is None:
        return None
    if port is None or not port.text.strip() or port.text.strip() == "0":
        kref.dropped = Drop.PORT_NOT_FOUND
        builder.drop(
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
        # An ExternalName Service needs no port of its own: a number goes to its DNS name.
        port_not_found(builder, kref, service, port)
        return None
    kref.service_port = service_port
    if not external and health is not None:
        kref.dropped = Drop.HEALTHCHECK_NEEDS_EXTERNALNAME
        builder.drop(
            Drop.HEALTHCHECK_NEEDS_EXTERNALNAME,
            f"`healthCheck` is set for Service `{namespace}/{written}`, which is of type"
            f" {service.type}; Traefik allows it only for ExternalName services",
            health.key_origin,
            what,
        )
        return None
    scheme = _scheme(builder, value(ref, "scheme"), service_port, port, what)
    if scheme is None:
        kref.dropped = Drop.OTHER
        return None
    kref.scheme = scheme
    lb = Service("", CRD_PROVIDER, "http", ref.origin, None, "loadBalancer", ref.origin)
    builder.ref_of[id(lb)] = kref
    lb.servers_origin = ref.origin
    lb.pass_host_header = value(ref, "passHostHeader")
    if health is not None and isinstance(health.value, Mapping):
        lb.health_check = health_check(health.key_origin, health.value)
    if external and external_name_refused(builder, kref, service, settings):
        return None
    number = service_port.number if service_port is not None else port.as_int()
    native_lb = value(ref, "nativeLB")
    if not load_servers(
        builder,
        kref,
        service,
        service_port,
        lb,
        number=number,
        native_lb=native_lb,
        settings=settings,
    ):
        return None
    transport = value(ref, "serversTransport")
    if transport is not None and transport.text.strip():
        lb.servers_transport = qualified(builder, transport, namespace, "serversTransport", what)
        if lb.servers_transport is None:
            kref.dropped = Drop.CROSS_NAMESPACE
            return None
    return lb


def _scheme(
    builder: Builder, given: Value | None, port: ServicePort | None, ref_port: Value, what: str
) -> str | None:
    """``parseServiceProtocol``: an explicit scheme, else the default for the port."""
    scheme = text(given)
    if scheme in ("http", "https", "h2c"):
        return scheme
    if scheme:
        assert given is not None
        message = f"invalid scheme `{scheme}` (http, https or h2c)"
        builder.drop(Drop.OTHER, message, given.origin, what)
        return None
    if port is None:
        return default_scheme(ref_port.as_int(), "")
    return default_scheme(port.number, port.name_text)
