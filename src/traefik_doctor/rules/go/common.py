"""What the Go cross-check rules share: each load-balancer server matched to a Go program
(through ``model.gomatch.backend_for``), and how to name a Go listener in a message."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from traefik_doctor.goscan.facts import GoServer
from traefik_doctor.model.dynamic import Server, Service
from traefik_doctor.model.gomatch import GoBackend, backend_for
from traefik_doctor.model.project import Project


@dataclass(frozen=True, slots=True)
class Match:
    """One server URL of a Traefik service and the Go program behind it."""

    service: Service
    server: Server
    backend: GoBackend


def go_matches(project: Project) -> Iterator[Match]:
    """Every HTTP load-balancer server whose Go program is known."""
    scan = project.go
    if scan is None or not scan.programs:
        return
    for service in project.dynamic.services.values():
        if service.protocol != "http":
            continue
        for server in service.servers:
            backend = backend_for(project, service, server)
            if backend is not None:
                yield Match(service, server, backend)


def listener_text(server: GoServer) -> str:
    """``Addr ":8081"``, or ``PORT (default 8081)`` when an env var or flag sets it."""
    address = server.addr
    names = [f"${name}" for name in address.env] + [f"-{name}" for name in address.flags]
    if names and server.port is not None:
        return f"{' / '.join(names)} (default {server.port})"
    if names:
        return f"{address.text} (default {address.default!r})"
    if address.default is not None:
        return f'address "{address.default}"'
    return address.text


def listener_note(server: GoServer) -> str:
    """``main.go:12 http.Server address ":8081"`` for related notes and messages."""
    return f"{server.location} {server.kind} {listener_text(server)}"
