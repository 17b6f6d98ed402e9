"""Where OPS findings about something missing from the static configuration point."""

from __future__ import annotations

from traefik_doctor.model.static import StaticConfig
from traefik_doctor.source import Origin


def static_start(static: StaticConfig) -> Origin | None:
    """The first line of the static file (what a finding about a missing section points at),
    or None when there is no static file to point into."""
    if static.kind != "file" or static.origin is None:
        return None
    return Origin(static.origin.source, 0, static.origin.provider)
