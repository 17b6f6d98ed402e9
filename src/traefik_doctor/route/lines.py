"""The lines of a route explanation: routers, middlewares, servers, the Go handler."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class RouterLine:
    router: str
    priority: int
    matched: bool
    reason: str
    matcher: str | None = None
    location: str | None = None
    rule: str | None = None
    offset: int | None = None
    skipped: str | None = None


@dataclass(slots=True)
class MiddlewareLine:
    name: str
    type: str
    effect: str
    stops: int | None = None
    """The status the middleware answers with instead of the backend (None: passes on)."""


@dataclass(slots=True)
class HandlerLine:
    path: str
    location: str
    method: str | None
    program: str
    listener: str


@dataclass(slots=True)
class ServerLine:
    service: str
    url: str
    via: str
    weight: int | None = None
    health_check: str | None = None
    upstream_host: str | None = None
    upstream_path: str | None = None
    go: str | None = None
    """What the Go side says: the handler, a backend 404, a missing listener..."""
    handler: HandlerLine | None = None
    backend_404: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Explanation:
    method: str
    url: str
    host: str
    path: str
    client_ip: str
    entrypoint: str | None = None
    entrypoint_address: str | None = None
    routers: list[RouterLine] = field(default_factory=list)
    router: str | None = None
    priority: int | None = None
    ambiguous: list[str] = field(default_factory=list)
    near_misses: list[str] = field(default_factory=list)
    middlewares: list[MiddlewareLine] = field(default_factory=list)
    upstream: dict[str, str] | None = None
    upstream_notes: list[str] = field(default_factory=list)
    service: str | None = None
    service_notes: list[str] = field(default_factory=list)
    servers: list[ServerLine] = field(default_factory=list)
    handler: HandlerLine | None = None
    outcome: str = ""
    status: int | None = None
    exit_code: int = 0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["handler"] = asdict(self.handler) if self.handler is not None else None
        return data


# --- building it -----------------------------------------------------------------------
