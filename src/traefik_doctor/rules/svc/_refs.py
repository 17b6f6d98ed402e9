"""Helpers shared by the SVC rules: resolving references into providers."""

from __future__ import annotations

from traefik_doctor.model.project import Project


def provider_loaded(project: Project, provider: str) -> bool:
    """Only judge references into providers whose configuration was read."""
    dynamic = project.dynamic
    return (
        any(doc.provider == provider for doc in project.documents)
        or any(s.provider == provider for s in dynamic.services.values())
        or any(t.provider == provider for t in dynamic.servers_transports.values())
    )
