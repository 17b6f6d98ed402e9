"""What one package contributes to the programs that import it (facts only, no trees)."""

from __future__ import annotations

from dataclasses import dataclass, field

from traefik_doctor.findings import Location
from traefik_doctor.goscan.facts import (
    GoClientTimeout,
    GoHostRead,
    GoInsecureTLS,
    GoIssue,
    GoPprof,
    GoRoute,
    GoServer,
)


@dataclass(frozen=True, slots=True)
class Mount:
    """``child``'s routes are also served by ``parent`` under ``prefix`` (chi ``Mount``, a
    router used as a handler, a router passed to a function of another package)."""

    parent: str
    prefix: str
    child: str
    location: Location


@dataclass(slots=True)
class PackageFacts:
    servers: list[GoServer] = field(default_factory=list)
    routes: list[GoRoute] = field(default_factory=list)
    pprof: list[GoPprof] = field(default_factory=list)
    pprof_imports: list[GoPprof] = field(default_factory=list)
    clients: list[GoClientTimeout] = field(default_factory=list)
    insecure_tls: list[GoInsecureTLS] = field(default_factory=list)
    host_reads: list[GoHostRead] = field(default_factory=list)
    mounts: list[Mount] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)
    unresolved: list[GoIssue] = field(default_factory=list)
