"""The static configuration: entry points, providers, API, observability.

Traefik takes its static configuration from exactly one source: a file if one is found, else
CLI flags, else ``TRAEFIK_*`` variables (shared/traefik-facts.md §4). ``StaticConfig.kind``
says which one this model was read from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from traefik_doctor.loaders.tree import Mapping
from traefik_doctor.model.values import Value, key_origin, section, value, values
from traefik_doctor.source import Origin

INTERNAL_ENTRYPOINT = "traefik"
"""Routers without entry points attach to every entry point except the one with this name."""

DEFAULT_ENTRYPOINT_ADDRESS = ":8080"
"""With no entry point configured, Traefik creates ``traefik`` on this address."""


@dataclass(slots=True)
class EntryPoint:
    name: str
    origin: Origin
    body: Mapping | None
    address: Value | None = None
    as_default: Value | None = None

    @property
    def tls(self) -> Mapping | None:
        """Entry-point level TLS (``http.tls``): every router on it is a TLS router."""
        http = section(self.body, "http")
        if http is None:
            return None
        entry = http.find("tls")
        if entry is None:
            return None
        return entry.value if isinstance(entry.value, Mapping) else Mapping(entry.key_origin)

    def port(self) -> int | None:
        if self.address is None:
            return None
        text = self.address.text.strip()
        text = text.split("/", 1)[0]
        port = text.rsplit(":", 1)[-1]
        return int(port) if port.isdigit() else None

    def host(self) -> str:
        if self.address is None:
            return ""
        text = self.address.text.strip().split("/", 1)[0]
        host = text.rsplit(":", 1)[0] if ":" in text else ""
        return host.strip("[]")


@dataclass(slots=True)
class StaticConfig:
    """The static configuration Traefik will run with."""

    kind: str  # "file", "flags", "env" or "none"
    root: Mapping | None
    origin: Origin | None = None
    entry_points: dict[str, EntryPoint] = field(default_factory=dict)

    @property
    def present(self) -> bool:
        return self.kind != "none"

    def get(self, *path: str) -> Value | None:
        node = self.root
        for part in path[:-1]:
            node = section(node, part)
        return value(node, path[-1]) if path else None

    def section(self, *path: str) -> Mapping | None:
        node = self.root
        for part in path:
            node = section(node, part)
        return node

    def has(self, *path: str) -> bool:
        node = self.root
        for part in path[:-1]:
            node = section(node, part)
        return node is not None and node.find(path[-1]) is not None

    def key_origin(self, *path: str) -> Origin | None:
        node = self.root
        for part in path[:-1]:
            node = section(node, part)
        return key_origin(node, path[-1])

    def default_entry_points(self) -> list[str]:
        """Where a router without ``entryPoints`` attaches (facts §14)."""
        chosen = [
            name
            for name, ep in self.entry_points.items()
            if ep.as_default is not None and ep.as_default.as_bool()
        ]
        if chosen:
            return sorted(chosen)
        return sorted(name for name in self.entry_points if name != INTERNAL_ENTRYPOINT)

    def default_rule_syntax(self) -> str:
        syntax = self.get("core", "defaultRuleSyntax")
        return syntax.text.strip().lower() if syntax is not None else "v3"


def build_static(kind: str, root: Mapping | None, origin: Origin | None) -> StaticConfig:
    static = StaticConfig(kind, root, origin)
    eps = section(root, "entryPoints")
    if eps is not None:
        for entry in eps:
            body = entry.value if isinstance(entry.value, Mapping) else None
            static.entry_points[entry.key] = EntryPoint(
                entry.key,
                entry.key_origin,
                body,
                value(body, "address"),
                value(body, "asDefault"),
            )
    return static


def list_values(node: Mapping | None, key: str) -> list[Value]:
    return values(node, key)
