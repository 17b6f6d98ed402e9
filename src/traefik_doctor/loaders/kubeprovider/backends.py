"""From a reference to a Kubernetes Service to the servers Traefik balances over.

Both providers resolve a Service reference the same way (pkg/provider/kubernetes/crd
``loadServers``, ingress ``loadService``): the Service must be in a watched namespace, the
port must be one of its ports, an ExternalName Service needs ``allowExternalNameServices``,
and the servers are the pods' endpoints, or with ``nativeLB`` the Service's cluster IP.
Each step that fails drops the route with the same reason in either provider; what differs
(the order of the steps, how the port is named) stays with the provider.

Traefik reads endpoints (EndpointSlices) from the cluster; here a Service's ``selector``
picks the pod templates of the manifests and its ``targetPort`` gives each pod's port.
"""

from __future__ import annotations

from traefik_doctor.loaders.kubeprovider.builder import Builder
from traefik_doctor.loaders.kubeprovider.fields import text
from traefik_doctor.model.dynamic import Server, Service
from traefik_doctor.model.kubernetes import (
    Drop,
    Endpoint,
    KubeService,
    ProviderSettings,
    ServicePort,
    Workload,
)
from traefik_doctor.model.kubernetes import ServiceRef as KubeServiceRef
from traefik_doctor.model.values import Value
from traefik_doctor.source import Origin


def lookup_service(builder: Builder, kref: KubeServiceRef, *, watched: bool) -> KubeService | None:
    """Record the reference and find its Service; None, with Traefik's drop, when the
    manifests do not hold it or the provider does not watch its namespace (``watched``)."""
    builder.kube.refs.append(kref)
    written = kref.name.text.strip()
    service = builder.kube.service(kref.namespace, written) if watched else None
    if service is None:
        kref.dropped = Drop.SERVICE_NOT_FOUND
        builder.drop(
            Drop.SERVICE_NOT_FOUND,
            f"Kubernetes Service `{kref.namespace}/{written}` is not in the manifests",
            kref.name.origin,
            kref.what,
        )
        return None
    kref.service = service
    return service


def port_not_found(
    builder: Builder, kref: KubeServiceRef, service: KubeService, given: Value | None
) -> None:
    """``service port not found``: the reference's port is none of the Service's."""
    kref.dropped = Drop.PORT_NOT_FOUND
    ports = ", ".join(p.describe() for p in service.ports) or "none"
    builder.drop(
        Drop.PORT_NOT_FOUND,
        f"Service `{kref.namespace}/{kref.name.text.strip()}` has no port `{text(given)}`"
        f" (its ports: {ports})",
        given.origin if given is not None else kref.name.origin,
        kref.what,
        ((service.ports_origin or service.obj.name_origin, "the Service's ports"),),
    )


def service_port(
    builder: Builder, kref: KubeServiceRef, service: KubeService, given: Value | None
) -> ServicePort | None:
    """``getServicePort``: the Service's port the reference names (a number or a name),
    recorded on it; None, with Traefik's drop, when the Service has none such."""
    found = service.port_for(given) if given is not None else None
    if found is None:
        port_not_found(builder, kref, service, given)
        return None
    kref.service_port = found
    return found


def external_name_refused(
    builder: Builder, kref: KubeServiceRef, service: KubeService, settings: ProviderSettings
) -> bool:
    """An ExternalName Service while ``allowExternalNameServices`` is off: Traefik drops
    the route (an ExternalName could point the proxy anywhere, so it is opt-in)."""
    if service.type != "ExternalName" or settings.allow_external_name_services:
        return False
    kref.dropped = Drop.OTHER
    builder.drop(
        Drop.OTHER,
        f"Service `{kref.namespace}/{kref.name.text.strip()}` is of type ExternalName, which"
        " Traefik refuses unless `allowExternalNameServices` is set",
        kref.name.origin,
        kref.what,
    )
    return True


def default_scheme(number: int | None, name: str) -> str:
    """The scheme when none is given: https for port 443 or a port name starting with
    ``https``, else http (both providers)."""
    return "https" if number == 443 or name.startswith("https") else "http"


def load_servers(
    builder: Builder,
    kref: KubeServiceRef,
    service: KubeService,
    port: ServicePort | None,
    lb: Service,
    *,
    number: int | None,
    native_lb: Value | None,
    settings: ProviderSettings,
) -> bool:
    """The servers of a load balancer over a Service: an ExternalName's DNS name at
    ``number``, else the cluster IP (``nativeLB``), else the pods; False, with Traefik's
    drop, when it has none."""
    if service.type == "ExternalName":
        lb.servers.append(_external_server(kref, service, number))
        return True
    assert port is not None  # only an ExternalName Service goes on without one
    if _native(native_lb, settings):
        _native_server(builder, kref, service, port, lb)
    elif _pod_servers(builder, kref, service, port, lb, settings=settings):
        builder.pod_backed.add(id(lb))
    else:
        return False
    return True


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


def pod_address(endpoint: Endpoint) -> str:
    """``<workload>.<namespace>.pod:<port>``: the pods of one workload, as one server."""
    obj = endpoint.workload.obj
    return f"{obj.name}.{obj.namespace}.pod:{endpoint.port}"


def stand_in(service: KubeService, port: ServicePort) -> tuple[str, Origin]:
    """``<name>.<namespace>.endpoints:<port>``, and where its port is written: the address
    of endpoints the manifests do not show (a Service without a selector, or pods made
    elsewhere), so that the route stays."""
    target = port.target()
    number = target.as_int() if target is not None else None
    where = target.origin if target is not None else port.origin
    return f"{service.obj.name}.{service.obj.namespace}.endpoints:{number or port.number}", where


def _native(given: Value | None, settings: ProviderSettings) -> bool:
    """``nativeLB`` of a reference (or Service annotation), else ``nativeLBByDefault``."""
    if given is not None and given.as_bool() is not None:
        return bool(given.as_bool())
    return settings.native_lb_by_default


def _external_server(kref: KubeServiceRef, service: KubeService, number: int | None) -> Server:
    """The one server of an ExternalName Service: its DNS name, at the port."""
    url = Value(f"{kref.scheme}://{text(service.external_name)}:{number}", kref.name.origin)
    return Server(url, None, kref.origin)


def _server(kref: KubeServiceRef, address: str, where: Origin) -> Server:
    return Server(Value(f"{kref.scheme}://{address}", where), None, where)


def _pod_servers(
    builder: Builder,
    kref: KubeServiceRef,
    service: KubeService,
    port: ServicePort,
    lb: Service,
    *,
    settings: ProviderSettings,
) -> bool:
    """The servers of a Service port: its pods, as EndpointSlices would list them; False,
    with Traefik's drop, when it has none (unless ``allowEmptyServices``)."""
    target = port.target()
    namespace, name = service.obj.namespace, service.obj.name
    if not service.selector:
        # Endpoints come from objects the manifests do not show (no selector).
        lb.servers.append(_server(kref, *stand_in(service, port)))
        return True
    workloads = builder.kube.workloads_for(service)
    for workload in workloads:
        kref.endpoints.append(resolve_endpoint(workload, target))
    usable = [e for e in kref.endpoints if e.port is not None]
    for endpoint in usable:
        where = (
            endpoint.container_port.origin
            if endpoint.container_port is not None
            else (target.origin if target is not None else port.origin)
        )
        lb.servers.append(_server(kref, pod_address(endpoint), where))
    if usable or settings.allow_empty_services:
        return True
    in_namespace = any(w.obj.namespace == namespace for w in builder.kube.workloads)
    if not workloads and not in_namespace:
        # No pod template of this namespace is in the manifests: the pods come from
        # elsewhere; keep the route with a stand-in server.
        lb.servers.append(_server(kref, *stand_in(service, port)))
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
    builder.drop(reason, message, kref.name.origin, kref.what)
    return False


def _native_server(
    builder: Builder, kref: KubeServiceRef, service: KubeService, port: ServicePort, lb: Service
) -> None:
    """``nativeLB``: one server, the Service's cluster IP and port; kube-proxy picks the
    pod. The pods are still recorded (for their ports and probes), not Go-matched: the
    URL's port is the Service's, not the container's."""
    for workload in builder.kube.workloads_for(service):
        kref.endpoints.append(resolve_endpoint(workload, port.target()))
    address = f"{service.obj.name}.{service.obj.namespace}.svc:{port.number}"
    where = port.port.origin if port.port is not None else port.origin
    lb.servers.append(_server(kref, address, where))
    builder.pod_backed.add(id(lb))
    builder.ref_of.pop(id(lb), None)
