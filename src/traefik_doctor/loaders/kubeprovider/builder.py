"""What the translation builds, held in one place while the objects are read.

Both providers add to it: routers and services keyed the way Traefik keys them (a later
object of the same name replaces an earlier one), the middlewares, transports and TLS
objects, and the routes they drop, with why.
"""

from __future__ import annotations

from traefik_doctor.model.dynamic import Fragment, Router, Service
from traefik_doctor.model.kubernetes import Drop, Dropped, KubernetesConfig
from traefik_doctor.model.kubernetes import ServiceRef as KubeServiceRef
from traefik_doctor.source import Origin


class Builder:
    """Builds the model and the dynamic configuration from the objects, the way Traefik's
    two Kubernetes providers build theirs."""

    def __init__(self, kube: KubernetesConfig) -> None:
        self.kube = kube
        self.fragment = Fragment()
        self.routers: dict[tuple[str, str], Router] = {}
        self.services: dict[tuple[str, str], Service] = {}
        self.pod_backed: set[int] = set()
        """Load balancers over a Service's pods (ids): a Traefik health check is refused
        there, the pods' readiness probe takes its place."""
        self.ref_of: dict[int, KubeServiceRef] = {}
        """The Service reference each load balancer (id) was built for."""

    def add_router(self, router: Router) -> None:
        self.routers[(router.protocol, router.qualified)] = router

    def add_service(self, service: Service) -> None:
        self.services[(service.protocol, service.qualified)] = service

    def own(self, service: Service, name: str) -> None:
        """Name a load balancer built for a Kubernetes Service and add it: its name is
        known only to the caller (a router's, a TraefikService child's, an error page's)."""
        service.name = name
        if id(service) in self.pod_backed:
            self.kube.endpoint_services.add(service.qualified)
        kref = self.ref_of.get(id(service))
        if kref is not None:
            kref.traefik_service = service.qualified
        self.add_service(service)

    def drop(
        self,
        reason: Drop,
        message: str,
        origin: Origin,
        what: str,
        related: tuple[tuple[Origin, str], ...] = (),
    ) -> None:
        """A route Traefik's provider leaves out (it logs the error and goes on)."""
        self.kube.dropped.append(Dropped(reason, message, origin, what, related))

    def finish(self) -> Fragment:
        self.fragment.routers.extend(self.routers.values())
        self.fragment.services.extend(self.services.values())
        return self.fragment
