"""Small helpers shared by the CFG rules: what Traefik does with a document it cannot decode."""

from __future__ import annotations

from traefik_doctor.findings import Location
from traefik_doctor.model.project import Document, Role
from traefik_doctor.schema.static import STATIC
from traefik_doctor.schema.validate import IssueKind
from traefik_doctor.source import Origin

NOT_REJECTING = frozenset({IssueKind.UNKNOWN_TOP_LEVEL, IssueKind.NULL_ENTRY})
"""Schema issues Traefik survives: the document still loads."""

DYNAMIC_TOP_LEVEL = frozenset({"http", "tcp", "udp", "tls"})
"""The top-level keys of a dynamic configuration (CFG005 owns them in the static file)."""


def is_static_key(key: str) -> bool:
    """A top-level key of Traefik's static configuration (CFG006 owns them in dynamic files)."""
    return STATIC.lookup(key) is not None


def rejection_effect(role: Role) -> str:
    """What a decode error in a document of this role does to Traefik."""
    if role is Role.STATIC:
        return "Traefik will not start"
    if role is Role.DYNAMIC:
        return "Traefik rejects this file and every other file of its provider"
    if role is Role.KUBERNETES:
        return "`kubectl apply` refuses the object (its strict field validation)"
    return "Traefik cannot read this configuration"


def first_rejection(document: Document) -> Origin | None:
    """Where Traefik's decoder first fails on a document it rejects (the line its log names)."""
    if document.failure is not None:
        return document.failure.origin
    candidates: list[Origin] = [
        issue.origin for issue in document.schema_issues if issue.kind not in NOT_REJECTING
    ]
    if document.tree is not None:
        candidates.extend(second.key_origin for _first, second in document.duplicates)
    candidates.extend(
        Origin(document.source, action.offset) for action in document.templates if action.problem
    )
    if not candidates:
        return None
    return min(candidates, key=lambda origin: origin.offset or 0)


def file_level(origin: Origin) -> Location:
    """A finding about a whole file points at its first line (reports and editors need one)."""
    location = origin.location()
    if location.line is None:
        return Location(location.path, 1)
    return location
