"""Everything ``check`` knows about one project: documents, load issues, and the merged model."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from traefik_doctor.goscan.facts import GoScan
from traefik_doctor.loaders.templates import TemplateAction
from traefik_doctor.loaders.tree import Entry, Node, duplicate_pairs
from traefik_doctor.loaders.yamltree import ParseFailure
from traefik_doctor.model.docker import Container, TraefikContainer
from traefik_doctor.model.dynamic import DynamicConfig, Fragment
from traefik_doctor.model.kubernetes import KubernetesConfig
from traefik_doctor.model.static import StaticConfig
from traefik_doctor.schema.validate import IssueKind as SchemaIssueKind
from traefik_doctor.schema.validate import SchemaIssue
from traefik_doctor.source import Origin, Source

if TYPE_CHECKING:
    from traefik_doctor.model.routing import ParsedRule

PROVIDER_SUFFIXES = {"kubernetesingress": "kubernetes"}
"""Static provider keys whose ``@suffix`` differs from their (lower-cased) key."""


class Role(Enum):
    STATIC = "static"
    DYNAMIC = "dynamic"
    COMPOSE = "compose"
    KUBERNETES = "kubernetes"


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
    templates: list[TemplateAction] = field(default_factory=list)
    """Go template actions (``{{ }}``) Traefik executes before parsing (file provider)."""

    _duplicates: list[tuple[Entry, Entry]] | None = field(default=None, repr=False)

    @property
    def duplicates(self) -> list[tuple[Entry, Entry]]:
        """Keys given twice in one mapping (Traefik's decoder rejects the document)."""
        if self._duplicates is None:
            self._duplicates = duplicate_pairs(self.tree) if self.tree is not None else []
        return self._duplicates

    @property
    def rejected(self) -> bool:
        """Would Traefik refuse this document? (syntax, duplicate key, decode errors)."""
        if self.failure is not None or self.duplicates:
            return True
        if any(action.problem for action in self.templates):
            return True
        tolerated = (SchemaIssueKind.UNKNOWN_TOP_LEVEL, SchemaIssueKind.NULL_ENTRY)
        return any(issue.kind not in tolerated for issue in self.schema_issues)


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
    go: GoScan | None = None
    """Facts about the Go code under the project (None: no Go code, or ``--no-go``)."""
    go_services: dict[str, str] = field(default_factory=dict)
    """Explicit service -> Go program directory mapping, from the settings."""
    parsed_rules: dict[int, ParsedRule | None] = field(default_factory=dict, repr=False)
    """Each router's parsed rule by router identity (filled by ``model.routing``)."""
    kubernetes: KubernetesConfig | None = None
    """Kubernetes manifests under the project (None: there are none)."""

    def provider_loaded(self, provider: str) -> bool:
        """Was configuration of ``provider`` read (so a missing name in it is really missing)?"""
        if any(doc.provider == provider for doc in self.documents):
            return True
        dynamic = self.dynamic
        return any(
            item.provider == provider
            for table in (
                dynamic.routers,
                dynamic.services,
                dynamic.middlewares,
                dynamic.servers_transports,
            )
            for item in table.values()
        )

    def provider_configured(self, provider: str) -> bool | None:
        """Does the static configuration enable ``provider``? None when there is no static
        configuration to tell (only dynamic files were checked)."""
        if provider == "internal":
            return True
        if not self.static.present:
            return None
        providers = self.static.section("providers")
        if providers is None:
            return False
        for entry in providers:
            name = entry.key.lower()
            if PROVIDER_SUFFIXES.get(name, name) == provider.lower():
                return True
        return False

    def judges_references(self, provider: str) -> bool:
        """Whether a name that ``provider`` does not define can be called undefined: its
        configuration was read, or the static configuration does not enable it at all (a
        reference to ``x@docker`` with no docker provider disables the router)."""
        if provider == "internal":
            return False
        return self.provider_loaded(provider) or self.provider_configured(provider) is False

    def missing_reason(self, provider: str) -> str:
        """Why a name of ``provider`` is missing, for messages: the provider may be off."""
        if not self.provider_loaded(provider) and self.provider_configured(provider) is False:
            return f"which cannot exist: the static configuration enables no `{provider}` provider"
        return "which is not defined"

    def source(self, display: str) -> Source | None:
        for doc in self.documents:
            if doc.source.display == display:
                return doc.source
        return None

    def sources(self) -> dict[str, Source]:
        return {doc.source.display: doc.source for doc in self.documents}
