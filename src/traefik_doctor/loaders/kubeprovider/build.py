"""The whole translation: which provider reads which object, in the manifests' order."""

from __future__ import annotations

from traefik_doctor.loaders.kubeprovider import crd as crd_objects
from traefik_doctor.loaders.kubeprovider import ingress
from traefik_doctor.loaders.kubeprovider.builder import Builder
from traefik_doctor.loaders.kubeprovider.objects import kube_service, workload_of
from traefik_doctor.loaders.kubeprovider.providers import (
    class_ignored,
    ingress_ignored,
    not_watched,
    old_group,
    provider_settings,
)
from traefik_doctor.model.kubernetes import (
    WORKLOAD_KINDS,
    Ignored,
    KubeObject,
    KubernetesConfig,
    UnknownField,
)
from traefik_doctor.model.static import StaticConfig
from traefik_doctor.schema import kubernetes as crd


def build_kubernetes(
    objects: list[KubeObject], static: StaticConfig
) -> tuple[KubernetesConfig, Builder]:
    """The Kubernetes model, and the builder holding Traefik's configuration from it."""
    kube = KubernetesConfig(objects=list(objects))
    kube.crd = provider_settings(static, "kubernetesCRD")
    kube.ingress = provider_settings(static, "kubernetesIngress")
    classes: dict[str, KubeObject] = {}
    for obj in objects:
        if obj.api_version == "v1" and obj.kind == "Service":
            kube.services[(obj.namespace, obj.name)] = kube_service(obj)
        elif obj.kind in WORKLOAD_KINDS:
            kube.workloads.append(workload_of(obj))
        elif obj.kind == "IngressClass":
            classes[obj.name] = obj
    builder = Builder(kube)
    for obj in objects:
        ignored = _read(builder, obj, classes)
        if ignored is not None:
            kube.ignored.append(ignored)
    return kube, builder


def _read(builder: Builder, obj: KubeObject, classes: dict[str, KubeObject]) -> Ignored | None:
    """Translate an object with the provider that reads it; None, or why it is not read."""
    kube = builder.kube
    group = obj.api_version.partition("/")[0]
    if group == crd.OLD_GROUP:
        return old_group(obj)
    if group == crd.GROUP and obj.kind in crd.crd_kinds():
        _unknown_fields(kube, obj)
        if not kube.crd.reads(obj.namespace):
            return not_watched(obj, kube.crd)
        if obj.kind in ("IngressRoute", "IngressRouteTCP"):
            ignored = class_ignored(obj, kube.crd)
            if ignored is not None:
                return ignored
        crd_objects.translate(builder, obj)
    elif obj.api_version == "networking.k8s.io/v1" and obj.kind == "Ingress":
        if not kube.ingress.reads(obj.namespace):
            return not_watched(obj, kube.ingress)
        ignored = ingress_ignored(obj, kube.ingress, classes)
        if ignored is not None:
            return ignored
        ingress.translate(builder, obj)
    return None


def _unknown_fields(kube: KubernetesConfig, obj: KubeObject) -> None:
    """Fields the CRD's schema does not have: Traefik's decoder drops them silently."""
    schema = crd.crd_schema(obj.kind)
    spec_entry = obj.body.find("spec")
    if schema is not None and spec_entry is not None:
        for issue in crd.unknown_fields(spec_entry.value, schema):
            kube.unknown_fields.append(
                UnknownField(obj, issue.path, issue.key, issue.origin, issue.suggestion)
            )
