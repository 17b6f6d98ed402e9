"""Everything ``check`` knows about one project: documents, load issues, and the merged model."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from traefik_doctor.loaders.tree import Node
from traefik_doctor.loaders.yamltree import ParseFailure
from traefik_doctor.model.docker import Container, TraefikContainer
from traefik_doctor.model.dynamic import DynamicConfig, Fragment
from traefik_doctor.model.static import StaticConfig
from traefik_doctor.schema.validate import SchemaIssue
from traefik_doctor.source import Origin, Source


class Role(Enum):
    STATIC = "static"
    DYNAMIC = "dynamic"
    COMPOSE = "compose"


@dataclass(slots=True)
class Document:
    """One parsed input and what was found while reading it."""

    source: Source
    role: Role
    provider: str
    tree: Node | None = None
    failure: ParseFailure | None = None
    schema_issues: list[SchemaIssue] = field(default_factory=list)
    fragment: Fragment | None = None

    @property
    def rejected(self) -> bool:
        """Would Traefik refuse this document? (syntax, duplicate key, decode errors)."""
        from traefik_doctor.schema.validate import IssueKind

        if self.failure is not None:
            return True
        if self.tree is not None and _has_duplicates(self.tree):
            return True
        tolerated = (IssueKind.UNKNOWN_TOP_LEVEL, IssueKind.NULL_ENTRY)
        return any(issue.kind not in tolerated for issue in self.schema_issues)


def _has_duplicates(tree: Node) -> bool:
    from traefik_doctor.loaders.tree import Mapping, Sequence

    stack: list[Node] = [tree]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Mapping):
            if node.duplicates:
                return True
            stack.extend(entry.value for entry in node)
        elif isinstance(node, Sequence):
            stack.extend(node.items)
    return False


class IssueKind(Enum):
    """Facts found while loading that are not schema issues."""

    IGNORED_FILE = "ignored-file"
    CONFLICT = "conflict"
    MISSING_PATH = "missing-path"
    IGNORED_STATIC_SOURCE = "ignored-static-source"
    NOT_CHECKED = "not-checked"
    UNMAPPED_PATH = "unmapped-path"


@dataclass(frozen=True, slots=True)
class LoadIssue:
    kind: IssueKind
    message: str
    origin: Origin
    related: tuple[tuple[Origin, str], ...] = ()


@dataclass(slots=True)
class FileProvider:
    """The file provider as configured: what it reads, and whether Traefik would accept it."""

    configured: Origin | None
    path: Path | None
    is_directory: bool
    documents: list[Document] = field(default_factory=list)

    @property
    def rejected_documents(self) -> list[Document]:
        return [doc for doc in self.documents if doc.rejected]


@dataclass(slots=True)
class Project:
    root: Path
    static: StaticConfig
    dynamic: DynamicConfig
    documents: list[Document] = field(default_factory=list)
    issues: list[LoadIssue] = field(default_factory=list)
    file_provider: FileProvider | None = None
    in_container: bool = False
    """Traefik runs in a container (found in a compose file): loopback means the container."""
    containers: list[Container] = field(default_factory=list)
    """Compose services other than Traefik (docker provider input)."""
    traefik_container: TraefikContainer | None = None
    """The compose service running Traefik, with its mounts (maps container paths)."""
    suppress_ranges: list[tuple[str, int, int, frozenset[str]]] = field(default_factory=list)
    """``traefik-doctor.ignore`` labels: (display path, first line, last line, codes)."""

    def source(self, display: str) -> Source | None:
        for doc in self.documents:
            if doc.source.display == display:
                return doc.source
        return None

    def sources(self) -> dict[str, Source]:
        return {doc.source.display: doc.source for doc in self.documents}
