"""Routing: which router Traefik gives a request (``RoutingTable.route``), and why."""

from traefik_doctor.routing.engine import RouteResult, RoutingTable, Verdict
from traefik_doctor.routing.request import Request

__all__ = ["Request", "RouteResult", "RoutingTable", "Verdict"]
