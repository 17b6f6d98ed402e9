"""Docker Compose facts: the containers Traefik's docker provider would see, and the Traefik
container's volume mounts (to map container paths back to the project)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from traefik_doctor.model.values import Value
from traefik_doctor.source import Origin


@dataclass(slots=True)
class Container:
    """One compose service other than Traefik, as the docker provider sees it."""

    name: str
    origin: Origin
    enabled: Value | None
    labels_origin: Origin | None
    networks: list[Value] = field(default_factory=list)
    exposed_ports: list[Value] = field(default_factory=list)
    network_label: Value | None = None
    server_port_label: Value | None = None
    has_traefik_labels: bool = False
    exposed: bool = False
    """Would Traefik route to it (``traefik.enable`` or ``exposedByDefault``)."""
    first_line: int = 0
    last_line: int = 0
    build: Value | None = None
    """The build context (``build:`` or ``build.context``), relative to the compose file."""

    def port_numbers(self) -> list[tuple[int, Value]]:
        out = []
        for port in self.exposed_ports:
            text = port.text.split("/", 1)[0].strip()
            if text.isdigit():
                out.append((int(text), port))
        return out


@dataclass(frozen=True, slots=True)
class Mount:
    """A volume of the Traefik service: ``source`` is a host path, or None for named volumes."""

    source: Path | None
    target: str
    origin: Origin
    name: str = ""


@dataclass(slots=True)
class TraefikContainer:
    """The compose service running Traefik."""

    name: str
    origin: Origin
    mounts: list[Mount] = field(default_factory=list)
    working_dir: str = "/"
    host_network: bool = False

    def resolve(self, container_path: str) -> str:
        """An absolute container path (relative paths start at the working directory)."""
        return posixpath.normpath(posixpath.join(self.working_dir or "/", container_path))

    def host_path(self, container_path: str) -> Path | None:
        """The project path a container path comes from, or None when no bind mount covers it."""
        target = self.resolve(container_path)
        best: Mount | None = None
        for mount in self.mounts:
            mount_target = posixpath.normpath(mount.target)
            covers = target == mount_target or target.startswith(mount_target.rstrip("/") + "/")
            longer = best is None or len(mount_target) > len(posixpath.normpath(best.target))
            if covers and longer:
                best = mount
        if best is None or best.source is None:
            return None
        rest = posixpath.relpath(target, posixpath.normpath(best.target))
        return best.source if rest == "." else best.source / rest

    def mounts_host(self, host_path: Path) -> bool:
        """Does a bind mount bring ``host_path`` (or a folder holding it) into the container?"""
        return any(
            mount.source is not None
            and (host_path == mount.source or mount.source in host_path.parents)
            for mount in self.mounts
        )

    def covering_mount(self, container_path: str) -> Mount | None:
        target = self.resolve(container_path)
        for mount in self.mounts:
            mount_target = posixpath.normpath(mount.target)
            if target == mount_target or target.startswith(mount_target.rstrip("/") + "/"):
                return mount
        return None
