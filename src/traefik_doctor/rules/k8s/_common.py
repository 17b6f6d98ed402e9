"""What the K8S rules share: how a dropped route shows to clients, and the provider notes."""

from __future__ import annotations

from traefik_doctor.model.kubernetes import ProviderSettings
from traefik_doctor.source import Origin

DROPPED = (
    "Traefik's provider logs an error and leaves the route out, so its requests get"
    " `404 page not found`"
)
"""What the provider does with a route it cannot build (``continue`` after the error log in
pkg/provider/kubernetes/crd/kubernetes_http.go and ingress/kubernetes.go)."""


def cross_namespace_note(settings: ProviderSettings) -> tuple[str, list[tuple[Origin, str]]]:
    """Where ``allowCrossNamespace`` comes from: the static configuration, or its default."""
    if settings.allow_cross_namespace_origin is not None:
        origin = settings.allow_cross_namespace_origin
        return "", [(origin, "allowCrossNamespace is set here")]
    if settings.assumed:
        return " (no static configuration was found: its default, false, is assumed)", []
    related = [(settings.origin, f"providers.{settings.name}")] if settings.origin else []
    return " (its default, false)", related
