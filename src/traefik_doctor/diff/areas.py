"""The report section (``Routing``, ``TLS``, ``Timeouts``...) a difference or a finding
belongs to.

A difference is placed by its object and field; a finding new in B by its rule code (a few
codes by name, the rest by family). One module decides both, so that a finding and the
difference it explains land in the same section.
"""

from __future__ import annotations

from traefik_doctor.diff.model import (
    HEALTH,
    OBSERVABILITY,
    OTHER,
    PROVIDERS,
    ROUTING,
    TIMEOUTS,
    TLS,
)
from traefik_doctor.diff.objects import Obj

CODE_AREAS = {
    "SVC004": HEALTH,
    "SVC005": HEALTH,
    "TMO006": HEALTH,
    "OPS001": PROVIDERS,
    "OPS006": PROVIDERS,
    "OPS007": PROVIDERS,
    "RTR013": TLS,
    "RTR018": TLS,
}
FAMILY_AREAS = {
    "TLS": TLS,
    "TMO": TIMEOUTS,
    "OPS": OBSERVABILITY,
    "RTR": ROUTING,
    "MW": ROUTING,
    "SVC": ROUTING,
    "CFG": OTHER,
    "GO": OTHER,
}


def area_of_code(code: str) -> str:
    """The report section of a finding, by its rule code."""
    if code in CODE_AREAS:
        return CODE_AREAS[code]
    family = code.rstrip("0123456789")
    return FAMILY_AREAS.get(family, OTHER)


def area_of(obj: Obj, path: str) -> str:
    """The report section of a difference at ``path`` of ``obj``."""
    field = path.lower()
    kind = obj.kind
    if kind == "router":
        if field.startswith("tls"):
            return TLS
        if field.startswith("observability"):
            return OBSERVABILITY
        return ROUTING
    if kind == "service":
        return HEALTH if "healthcheck" in field else ROUTING
    if kind == "middleware":
        return TLS if field.startswith("redirectscheme") else ROUTING
    if kind == "serversTransport":
        if not field or "timeout" in field or field.startswith(("dialkeepalive", "termination")):
            return TIMEOUTS
        if field.startswith(("maxidleconnsperhost", "disablehttp2", "proxyprotocol")):
            return ROUTING
        return TLS
    if kind in ("tls options", "tls store", "certificate", "certificatesResolver"):
        return TLS
    if kind == "Go server":
        return TLS if field == "tls" else TIMEOUTS
    if kind == "entryPoint":
        if field.startswith("transport"):
            return TIMEOUTS
        if field.startswith(("http.tls", "http.redirections", "http3")):
            return TLS
        if field.startswith("observability"):
            return OBSERVABILITY
        return ROUTING
    if kind == "provider":
        return PROVIDERS
    name = obj.name.lower()
    if name in ("accesslog", "log", "metrics", "tracing", "otel"):
        return OBSERVABILITY
    if name in ("api", "providers", "experimental"):
        return PROVIDERS
    if name == "ping":
        return HEALTH
    if name in ("serverstransport", "tcpserverstransport"):
        return TIMEOUTS if "timeout" in field or "termination" in field else TLS
    if name == "core":
        return ROUTING
    return OTHER
