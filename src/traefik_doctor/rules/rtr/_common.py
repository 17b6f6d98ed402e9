"""Helpers shared by the RTR rules: the entry points a router is attached to."""

from __future__ import annotations

from collections.abc import Iterable

from traefik_doctor.model.dynamic import Router
from traefik_doctor.model.static import EntryPoint
from traefik_doctor.rules.base import Context


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
