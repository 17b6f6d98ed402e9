"""The timeouts Traefik really uses for a service and an entry point, and where each comes from.

A service's forwarding timeouts come from the servers transport it names
(``loadBalancer.serversTransport: slow`` → ``http.serversTransports.slow@<provider>``), else
from the static ``serversTransport`` (Traefik's ``default@internal``). An entry point's
responding timeouts come from ``entryPoints.<name>.transport.respondingTimeouts``. Each value
carries the ``Value`` where it is written, or says it is Traefik's default (from
``schema/defaults.py``), so a message can name its origin either way.

Durations are read Traefik's way (``defaults.parse_duration_seconds``): a bare number is
seconds, anything else a Go duration. ``seconds == 0`` means no limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from traefik_doctor.goscan.facts import GoDuration, GoServer
from traefik_doctor.loaders.tree import Mapping
from traefik_doctor.model.dynamic import Router, Service, qualify
from traefik_doctor.model.project import Project
from traefik_doctor.model.values import Value, section, value
from traefik_doctor.schema.defaults import default, parse_duration_seconds
from traefik_doctor.source import Origin

DEFAULT_TRANSPORT = "default@internal"


def format_seconds(seconds: float) -> str:
    """``90`` → ``90s``, ``0.5`` → ``500ms``, ``0`` → ``0s``."""
    if seconds == int(seconds):
        return f"{int(seconds)}s"
    if seconds < 1:
        return f"{seconds * 1000:g}ms"
    return f"{seconds:g}s"


@dataclass(frozen=True, slots=True)
class Timeout:
    """One effective timeout: its option name, value and origin (None: Traefik's default)."""

    name: str
    seconds: float | None
    value: Value | None
    path: str

    @property
    def is_default(self) -> bool:
        return self.value is None

    @property
    def origin(self) -> Origin | None:
        return self.value.origin if self.value is not None else None

    @property
    def limited(self) -> bool:
        """A positive limit (0 and unparsable values mean none we can compare)."""
        return self.seconds is not None and self.seconds > 0

    @property
    def shown(self) -> str:
        """``idleConnTimeout 30s`` or ``idleConnTimeout 90s (Traefik's default)``."""
        amount = format_seconds(self.seconds) if self.seconds is not None else "?"
        if self.value is None:
            return f"{self.name} {amount} (Traefik's default)"
        return f"{self.name} {amount}"

    @property
    def where(self) -> str:
        """Where it is set, for messages: ``dynamic/app.yml:7`` or ``Traefik's default``."""
        if self.value is None:
            return "Traefik's default"
        return str(self.value.origin.location())


def _timeout(node: Mapping | None, name: str, default_path: str, path: str) -> Timeout:
    written = value(node, name)
    if written is not None:
        return Timeout(name, parse_duration_seconds(written.text), written, path)
    text = default(default_path)
    seconds = parse_duration_seconds(text) if text is not None else None
    return Timeout(name, seconds, None, path)


@dataclass(frozen=True, slots=True)
class ForwardingTimeouts:
    """What Traefik waits for when it talks to a service's servers."""

    transport: str
    """``default@internal`` (the static ``serversTransport``) or the named transport."""
    transport_value: Value | None
    """The service's ``serversTransport`` reference, when it names one."""
    dial: Timeout
    response_header: Timeout
    idle_conn: Timeout


_FORWARDING = ("dialTimeout", "responseHeaderTimeout", "idleConnTimeout")


def forwarding_timeouts(project: Project, service: Service) -> ForwardingTimeouts | None:
    """The forwarding timeouts of a service; None when it names a transport that does not
    exist (SVC010 reports that, and Traefik disables the service)."""
    ref = service.servers_transport
    if ref is not None and ref.text.strip():
        name = qualify(ref.text.strip(), service.provider)
        if name != DEFAULT_TRANSPORT:
            transport = project.dynamic.servers_transports.get(f"{service.protocol}:{name}")
            if transport is None:
                return None
            node = section(transport.body, "forwardingTimeouts")
            prefix = f"http.serversTransports.{transport.name}.forwardingTimeouts"
            found = [_timeout(node, n, f"{prefix}.{n}", f"{prefix}.{n}") for n in _FORWARDING]
            return ForwardingTimeouts(transport.qualified, ref, *found)
    node = project.static.section("serversTransport", "forwardingTimeouts")
    prefix = "serversTransport.forwardingTimeouts"
    found = [_timeout(node, n, f"{prefix}.{n}", f"{prefix}.{n}") for n in _FORWARDING]
    return ForwardingTimeouts(DEFAULT_TRANSPORT, ref, *found)


@dataclass(frozen=True, slots=True)
class RespondingTimeouts:
    """What an entry point allows its clients."""

    entry_point: str
    read: Timeout
    write: Timeout
    idle: Timeout


def responding_timeouts(project: Project, entry_point: str) -> RespondingTimeouts | None:
    """The responding timeouts of a static entry point (None: no such entry point)."""
    ep = project.static.entry_points.get(entry_point)
    if ep is None:
        return None
    node = section(section(ep.body, "transport"), "respondingTimeouts")
    prefix = f"entryPoints.{ep.name}.transport.respondingTimeouts"
    read, write, idle = (
        _timeout(node, n, f"{prefix}.{n}", f"{prefix}.{n}")
        for n in ("readTimeout", "writeTimeout", "idleTimeout")
    )
    return RespondingTimeouts(ep.name, read, write, idle)


def routers_of(project: Project, service: Service) -> list[Router]:
    """The routers that name ``service`` directly."""
    return [
        router
        for router in project.dynamic.routers.values()
        if router.protocol == service.protocol and project.dynamic.service_for(router) is service
    ]


def entry_points_of(project: Project, service: Service) -> list[tuple[str, Router]]:
    """(entry point, router) for each entry point a router of ``service`` attaches to; a
    router without ``entryPoints`` attaches to the default ones (facts §14)."""
    out: list[tuple[str, Router]] = []
    seen: set[str] = set()
    for router in routers_of(project, service):
        names = [v.text.strip() for v in router.entry_points]
        if not names:
            names = project.static.default_entry_points()
        for name in names:
            if name in project.static.entry_points and name not in seen:
                seen.add(name)
                out.append((name, router))
    return out


def go_timeout(server: GoServer, field: str) -> GoDuration | None:
    """A Go ``http.Server`` timeout that is set to a known, positive duration."""
    found = server.timeouts.get(field)
    if found is None or found.seconds is None or found.seconds <= 0:
        return None
    return found


def go_idle_timeout(server: GoServer) -> tuple[str, GoDuration] | None:
    """How long the Go server keeps an idle keep-alive connection: ``IdleTimeout``, else
    ``ReadTimeout`` (net/http uses it when IdleTimeout is zero), else None (no limit).
    Also None when a field is set to something the extractor could not compute."""
    for field in ("IdleTimeout", "ReadTimeout"):
        found = server.timeouts.get(field)
        if found is None:
            continue
        if found.seconds is None:
            return None
        if found.seconds > 0:
            return field, found
    return None
