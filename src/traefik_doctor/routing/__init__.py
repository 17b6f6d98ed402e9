"""Routing: which router Traefik gives a request (``RoutingTable.route``), and why.

The names below are imported on first use: ``check`` imports ``routing.overlap`` for
RTR011/RTR012, which needs the engine only when two routers may meet on a host.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from traefik_doctor.routing.engine import RouteResult, RoutingTable, Verdict
    from traefik_doctor.routing.request import Request

__all__ = ["Request", "RouteResult", "RoutingTable", "Verdict"]

_HOMES = {
    "Request": "traefik_doctor.routing.request",
    "RouteResult": "traefik_doctor.routing.engine",
    "RoutingTable": "traefik_doctor.routing.engine",
    "Verdict": "traefik_doctor.routing.engine",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
