"""Helpers shared by the RTR rules: provider presence, entry points, suggestions."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from traefik_doctor.model.dynamic import Router
from traefik_doctor.model.static import EntryPoint
from traefik_doctor.rules.base import Context

INTERNAL_PROVIDER = "internal"


def provider_loaded(context: Context, provider: str) -> bool:
    """Only judge references into providers whose configuration was read, or that the static
    configuration does not enable at all."""
    return context.project.judges_references(provider)


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate spelled most like ``name`` (a case-only difference first)."""
    names = list(candidates)
    for candidate in names:
        if candidate.lower() == name.lower():
            return candidate
    close = difflib.get_close_matches(name, names, n=1)
    return close[0] if close else None


def router_entry_points(context: Context, router: Router) -> list[str]:
    """The entry points a router attaches to: those listed and defined, else the defaults."""
    static = context.project.static
    if router.entry_points:
        return [ep.text for ep in router.entry_points if ep.text in static.entry_points]
    return static.default_entry_points()


def is_tls_entry_point(entry_point: EntryPoint | None) -> bool:
    return entry_point is not None and entry_point.tls is not None


def quoted_list(names: Iterable[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)
