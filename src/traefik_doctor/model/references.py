"""Resolving a name written in one object (a router's service, a middleware in a chain, a
service's servers transport, TLS options) the way Traefik does, and saying why it fails.

A name without ``@provider`` belongs to the referring object's provider. Names of
``@internal`` are Traefik's own and not judged; nor are names of providers that are enabled
but whose configuration was not read here (Kubernetes, Consul...). A provider the static
configuration does not enable at all defines nothing, so a name in it is missing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from traefik_doctor.model.dynamic import qualify
from traefik_doctor.model.project import Project


class _NamedObject(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def provider(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Missing:
    """A reference that names nothing: what it names, why, and the likely intended name."""

    target: str
    provider: str
    reason: str
    suggestion: str | None

    @property
    def hint(self) -> str:
        return f"; did you mean `{self.suggestion}`?" if self.suggestion else ""


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate spelled most like ``name`` (a difference of case first)."""
    names = list(candidates)
    for candidate in names:
        if candidate.lower() == name.lower():
            return candidate
    close = difflib.get_close_matches(name, names, n=1)
    return close[0] if close else None


def missing(
    project: Project,
    table: Mapping[str, _NamedObject],
    namespace: str,
    written: str,
    referrer_provider: str,
    *,
    builtin: frozenset[str] = frozenset(),
) -> Missing | None:
    """Whether ``written`` (in an object of ``referrer_provider``) names nothing in ``table``.

    ``table`` is one of the model's dictionaries keyed ``"<namespace>:<name>@<provider>"``
    (``namespace`` is the protocol, or ``tls`` for TLS options); ``builtin`` lists names
    that always exist (``default@internal``).
    """
    name = written.strip()
    if not name:
        return None
    target = qualify(name, referrer_provider)
    bare, _, provider = target.rpartition("@")
    if target in builtin or provider == "internal":
        return None
    if f"{namespace}:{target}" in table or not project.judges_references(provider):
        return None
    prefix = f"{namespace}:"
    candidates = [
        item.name
        for key, item in table.items()
        if key.startswith(prefix) and item.provider == provider
    ]
    return Missing(target, provider, project.missing_reason(provider), suggest(bare, candidates))
