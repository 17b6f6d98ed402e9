"""What Traefik's Kubernetes providers build from the objects of the manifests.

The translation follows Traefik v3.7.9's source: pkg/provider/kubernetes/crd
(``kubernetes.go``, ``kubernetes_http.go``, ``kubernetes_tcp.go``) for the ``traefik.io``
resources and pkg/provider/kubernetes/ingress (``kubernetes.go``, ``annotations.go``) for
``networking.k8s.io/v1`` Ingress: the same object names, the same namespace rules, and the
same reasons to leave a route out, each recorded as a ``Dropped`` with the provider's reason.
Not translated: IngressRouteUDP, the Ingress default backend, service-level middlewares of a
reference, and what needs the cluster (Secrets' content, nodes for ``nodePortLB``).

One module per job: ``build`` (which provider reads which object), ``providers`` (their
static options, and the objects they do not read), ``crd`` and ``crdrefs`` (the
``traefik.io`` resources and the references between them), ``ingress`` (Ingress),
``backends`` (from a Service reference to servers: shared by both providers), ``objects``
(Services and workloads), ``names`` (the names Traefik gives), ``fields`` (reading
manifests) and ``builder`` (what is built).
"""

from traefik_doctor.loaders.kubeprovider.build import build_kubernetes
from traefik_doctor.loaders.kubeprovider.builder import Builder
from traefik_doctor.loaders.kubeprovider.objects import workload_of

__all__ = ["Builder", "build_kubernetes", "workload_of"]
