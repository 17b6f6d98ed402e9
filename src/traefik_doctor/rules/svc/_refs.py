"""Helpers shared by the SVC rules: resolving references into providers."""

from __future__ import annotations

from traefik_doctor.model.project import Project


def provider_loaded(project: Project, provider: str) -> bool:
    """Only judge references into providers whose configuration was read, or that the static
    configuration does not enable at all."""
    return project.judges_references(provider)
