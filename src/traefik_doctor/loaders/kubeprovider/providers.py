"""The two providers' static options, and the objects they do not read at all.

An object a provider does not read (off, another namespace, another ingress class, the old
API group) has no route, and no error in Traefik's log says so: each one becomes an
``Ignored`` with the reason, for K8S009.
"""

from __future__ import annotations

from traefik_doctor.loaders.kubeprovider.fields import annotations_of, text
from traefik_doctor.loaders.tree import Mapping
from traefik_doctor.model.kubernetes import Ignored, KubeObject, ProviderSettings
from traefik_doctor.model.static import StaticConfig
from traefik_doctor.model.values import Value, section, value, values
from traefik_doctor.schema import kubernetes as crd
from traefik_doctor.source import Origin

_INGRESS_CLASS = "kubernetes.io/ingress.class"
_TRAEFIK_CONTROLLER = "traefik.io/ingress-controller"
ROUTE_KINDS = frozenset({"IngressRoute", "IngressRouteTCP", "IngressRouteUDP", "Ingress"})


def provider_settings(static: StaticConfig, key: str) -> ProviderSettings:
    """``providers.<key>`` of the static configuration; without one, the provider is assumed
    enabled with its defaults (and the findings that depend on them say so)."""
    settings = ProviderSettings(key)
    if not static.present:
        return settings
    settings.assumed = False
    entry = None
    for candidate in static.section("providers") or ():
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
    settings.ingress_class = text(value(body, "ingressClass"))
    return settings


def old_group(obj: KubeObject) -> Ignored:
    found = value(obj.body, "apiVersion")
    return Ignored(
        obj,
        f"{obj.ref} uses the API group `{crd.OLD_GROUP}`, which Traefik v3 no longer reads"
        f" (use `{crd.GROUP}/v1alpha1`)",
        found.origin if found is not None else obj.origin,
    )


def not_watched(obj: KubeObject, settings: ProviderSettings) -> Ignored | None:
    """A route object of a provider that is off, or of a namespace it does not watch."""
    if obj.kind not in ROUTE_KINDS:
        return None
    if not settings.enabled:
        why = f"the static configuration enables no `{settings.name}` provider"
    else:
        shown = ", ".join(f"`{n}`" for n in settings.namespaces)
        why = f"providers.{settings.name}.namespaces lists only {shown}"
    related = ((settings.origin, f"providers.{settings.name}"),) if settings.origin else ()
    return Ignored(obj, f"{obj.ref} is not read by Traefik: {why}", obj.origin, related)


def _unread_class(
    given: Value | None, settings: ProviderSettings, unset: str
) -> tuple[str, str] | None:
    """The class ``given`` names when the provider does not read it, and the classes it
    reads (its ``ingressClass``, or when that is empty: ``unset`` or `traefik`); None when
    it reads it."""
    name = text(given)
    wanted = settings.ingress_class
    if name == wanted or (not wanted and name == "traefik"):
        return None
    assert given is not None or wanted
    return name, f"`{wanted}`" if wanted else f"{unset} or `traefik`"


def class_ignored(obj: KubeObject, settings: ProviderSettings) -> Ignored | None:
    """IngressRoute*: processed when the class (``ingressClassName``, else the annotation)
    is one the provider reads (shouldProcessIngress)."""
    given = value(section(obj.body, "spec"), "ingressClassName")
    if given is None:
        given = annotations_of(obj).get(_INGRESS_CLASS)
    unread = _unread_class(given, settings, "empty")
    if unread is None:
        return None
    name, expected = unread
    related: tuple[tuple[Origin, str], ...] = (
        ((settings.origin, "the provider's ingressClass"),) if settings.origin else ()
    )
    return Ignored(
        obj,
        f"{obj.ref} has ingress class `{name}`, and Traefik's kubernetesCRD provider reads"
        f" only the class {expected}: none of its routes exist",
        given.origin if given is not None else obj.name_origin,
        related,
    )


def ingress_ignored(
    obj: KubeObject, settings: ProviderSettings, classes: dict[str, KubeObject]
) -> Ignored | None:
    """Ingress: ``spec.ingressClassName`` must name an IngressClass whose controller is
    ``traefik.io/ingress-controller``; else the ``kubernetes.io/ingress.class`` annotation
    must be a class the provider reads."""
    class_name = value(section(obj.body, "spec"), "ingressClassName")
    if class_name is not None:
        found = classes.get(class_name.text.strip())
        if found is None:
            return None  # defined in the cluster, not here: cannot tell
        controller = value(section(found.body, "spec"), "controller")
        if text(controller) == _TRAEFIK_CONTROLLER:
            return None
        return Ignored(
            obj,
            f"{obj.ref} uses IngressClass `{class_name.text.strip()}`, whose controller is"
            f" `{text(controller)}`, not `{_TRAEFIK_CONTROLLER}`: Traefik does not read it",
            class_name.origin,
            ((found.name_origin, f"IngressClass `{found.name}`"),),
        )
    given = annotations_of(obj).get(_INGRESS_CLASS)
    unread = _unread_class(given, settings, "none")
    if unread is None:
        return None
    name, expected = unread
    return Ignored(
        obj,
        f"{obj.ref} has the annotation {_INGRESS_CLASS}: `{name}`, and Traefik's"
        f" kubernetesIngress provider reads only {expected}: none of its paths exist",
        given.origin if given is not None else obj.name_origin,
    )
