"""Which Go server answers a Traefik server URL, and how we know.

Cross-checks are only as good as this match, so every match says how it was made:
1. an explicit ``go-services`` setting (``{"api@file" = "cmd/api"}``);
2. a compose service whose name is the URL's host and whose build context holds the program;
3. the URL's port: exactly one Go listener in the project binds it;
4. the only Go program with listeners, when the URL points at this machine (loopback).
With 1, 2 and 4 the program is known even when none of its listeners has the URL's port:
that is the port mismatch SVC003 reports. With none of them, nothing is claimed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from traefik_doctor.goscan.facts import GoProgram, GoServer
from traefik_doctor.model.dynamic import Server, Service
from traefik_doctor.model.project import Project

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", ""})


@dataclass(frozen=True, slots=True)
class ServerURL:
    scheme: str
    host: str
    port: int | None


def parse_url(text: str) -> ServerURL | None:
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if not scheme or parts.hostname is None:
        return None
    if port is None:
        port = {"http": 80, "h2c": 80, "https": 443}.get(scheme)
    return ServerURL(scheme, parts.hostname.lower(), port)


@dataclass(frozen=True, slots=True)
class GoBackend:
    """The Go program (and listener, when one binds the URL's port) behind a server URL."""

    program: GoProgram
    server: GoServer | None
    how: str
    url: ServerURL


def http_servers(program: GoProgram) -> list[GoServer]:
    return [server for server in program.servers if server.port is not None or server.addr]


def backend_for(project: Project, service: Service, server: Server) -> GoBackend | None:
    """The Go side of one server of a load balancer, or None when it cannot be told."""
    scan = project.go
    if scan is None or not scan.programs or server.url is None:
        return None
    url = parse_url(server.url.text)
    if url is None:
        return None
    program, how = _program_for(project, service, url)
    if program is None and project.kubernetes is not None:
        from traefik_doctor.model.kubematch import service_program

        program, how, pods = service_program(project.kubernetes, scan, service)
        if program is None and pods:
            return None  # Kubernetes pods: only their container's match counts, not a port
    if program is not None:
        listener = next((s for s in program.servers if s.port == url.port), None)
        return GoBackend(program, listener, how, url)
    by_port = [(p, s) for p in scan.programs for s in p.servers if s.port == url.port]
    if len(by_port) == 1:
        found_program, listener = by_port[0]
        return GoBackend(found_program, listener, f"port {url.port}", url)
    return None


def _program_for(
    project: Project, service: Service, url: ServerURL
) -> tuple[GoProgram | None, str]:
    scan = project.go
    assert scan is not None
    mapped = project.go_services.get(service.qualified) or project.go_services.get(service.name)
    if mapped is not None:
        wanted = mapped.strip("/")
        for program in scan.programs:
            if wanted in (program_dir(program), program.package.strip("/")):
                return program, f"the go-services setting ({service.name} = {mapped})"
    for container in project.containers:
        if container.name.lower() != url.host or container.build is None:
            continue
        context = (project.root / container.build.text).resolve()
        inside = [p for p in scan.programs if _under(project.root / program_dir(p), context)]
        if len(inside) == 1:
            return inside[0], (
                f"compose service `{container.name}` (build `{container.build.text}`)"
            )
    with_listeners = [p for p in scan.programs if p.servers]
    if url.host in LOOPBACK_HOSTS and len(with_listeners) == 1 and not project.containers:
        if any(s.port == url.port for s in with_listeners[0].servers):
            return None, ""  # the port match below says it more precisely
        return with_listeners[0], "the only Go program with a listener"
    return None, ""


def program_dir(program: GoProgram) -> str:
    """The folder of a ``main`` package, relative to the checked directory."""
    return PurePosixPath(program.location.path).parent.as_posix()


def _under(path: Path, directory: Path) -> bool:
    try:
        path.resolve().relative_to(directory)
    except ValueError:
        return False
    return True
