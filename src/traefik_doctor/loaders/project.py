"""Find and load a project's Traefik configuration the way Traefik would find it.

Static configuration: ``--static FILE``, else ``traefik.yml|yaml|toml`` in the checked
directory. Dynamic configuration: the file provider named by the static file (``directory``
or ``filename``; relative paths are taken from the static file's folder, where Traefik is
normally started), or the checked files themselves when there is no static file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from traefik_doctor.goscan.cache import PackageCache, Stamp, now_ns, racy, stamp
from traefik_doctor.goscan.facts import GoScan
from traefik_doctor.loaders.compose import (
    apply_compose,
    container_static,
    flag_static,
    load_compose,
    unmapped,
)
from traefik_doctor.loaders.files import (
    display_path,
    has_go_code,
    is_config_file,
    list_provider_directory,
    read_bounded,
)
from traefik_doctor.loaders.kubernetes import (
    apply_kubernetes,
    find_manifests,
    is_manifest,
    manifest_static,
)
from traefik_doctor.loaders.templates import template_actions
from traefik_doctor.loaders.tomltree import load_toml
from traefik_doctor.loaders.tree import Mapping, Node
from traefik_doctor.loaders.yamltree import ParseFailure, load_yaml
from traefik_doctor.model.docker import TraefikContainer
from traefik_doctor.model.dynamic import DynamicConfig, Fragment, build_fragment
from traefik_doctor.model.project import (
    Document,
    FileProvider,
    IssueKind,
    LoadIssue,
    Project,
    Role,
)
from traefik_doctor.model.static import StaticConfig, build_static
from traefik_doctor.model.values import value
from traefik_doctor.schema.validate import validate
from traefik_doctor.source import Origin, Source

STATIC_NAMES = ("traefik.yml", "traefik.yaml", "traefik.toml")

_NOT_READ = "`{path}` is not read by Traefik: only .yml, .yaml and .toml files are"
_LINKED_DIRECTORY = (
    "`{path}` is a symbolic link to a directory, which Traefik does not follow:"
    " nothing in it is read"
)
_LOOP = "`{path}` links back to a folder already read (symlink loop)"


def parse_source(source: Source, provider: str) -> Node | ParseFailure:
    if source.path.lower().endswith(".toml"):
        return load_toml(source, provider)
    return load_yaml(source, provider)


def read_document(
    path: Path, root: Path, role: Role, provider: str
) -> tuple[Document, LoadIssue | None]:
    """Read and parse one file. An unreadable file becomes a load issue, not an exception."""
    display = display_path(path, root)
    result = read_bounded(path)
    if result.data is None:
        source = Source(str(path), display)
        document = Document(source, role, provider)
        issue_kind = IssueKind.NOT_CHECKED
        reason = result.error or "unreadable"
        if reason in ("permission denied", "is a directory"):
            document.failure = ParseFailure(
                f"cannot read file: {reason}", Origin(source, None, provider)
            )
            return document, None
        return document, LoadIssue(
            issue_kind, f"`{display}` {reason}", Origin(source, None, provider)
        )
    source = Source(str(path), display, result.data)
    document = Document(source, role, provider)
    parsed = parse_source(source, provider)
    if isinstance(parsed, ParseFailure):
        document.failure = parsed
    else:
        document.tree = parsed
    return document, None


@dataclass(slots=True)
class LoadCache:
    """What ``load_project`` can reuse from the last load of the same project (``watch``):
    each file-provider document (parsed, validated, turned into a fragment) by path and
    stamp, and each Go package's facts (``goscan.cache``). Reused documents are fresh
    ``Document`` objects sharing the parsed parts, which nothing changes after loading.
    Entries of files modified in the last ``RACY_SECONDS`` are not kept (see
    ``goscan.cache``). Without a cache, loading is unchanged."""

    documents: dict[tuple[str, str], tuple[Stamp, Document]] = field(default_factory=dict)
    go: PackageCache = field(default_factory=PackageCache)
    documents_reused: int = 0
    documents_parsed: int = 0


def find_static(root: Path, explicit: Path | None) -> Path | None:
    if explicit is not None:
        return explicit
    if root.is_file():
        return root if root.name.lower() in STATIC_NAMES else None
    for name in STATIC_NAMES:
        candidate = root / name
        if candidate.is_file():
            return candidate
    return None


def load_project(
    target: Path,
    static_path: Path | None = None,
    *,
    go: bool = True,
    go_src: Sequence[Path] = (),
    go_services: dict[str, str] | None = None,
    cache: LoadCache | None = None,
) -> Project:
    """Load everything under ``target`` (a directory, or one file): Traefik's configuration,
    and unless ``go`` is False the Go code under it and under ``go_src``. ``cache`` reuses
    what did not change since the last load with the same cache (same result)."""
    from traefik_doctor.schema.static import STATIC

    target = target.resolve()
    root = target if target.is_dir() else target.parent
    if cache is not None:
        cache.documents_reused = cache.documents_parsed = 0
    documents: list[Document] = []
    issues: list[LoadIssue] = []

    static_file = find_static(target, static_path.resolve() if static_path else None)
    if static_path is None and static_file is not None and is_manifest(static_file):
        static_file = None  # a Kubernetes manifest named traefik.yaml (Helm output)
    compose = load_compose(target, root, documents, issues) if target.is_dir() else None
    if compose is not None and compose.traefik is not None and static_path is None:
        static_file = container_static(compose, static_file, root, issues)
    static = StaticConfig("none", None)
    if static_file is None and compose is not None and compose.traefik is not None:
        static = flag_static(compose, documents, issues)
    elif static_file is not None:
        doc, issue = read_document(static_file, root, Role.STATIC, "static")
        documents.append(doc)
        if issue:
            issues.append(issue)
        if doc.tree is not None:
            doc.schema_issues = validate(doc.tree, STATIC)
            tree = doc.tree if isinstance(doc.tree, Mapping) else None
            static = build_static("file", tree, Origin(doc.source, 0))
        else:
            static = StaticConfig("file", None, Origin(doc.source, 0))

    # Kubernetes manifests (loaders.kubernetes): Traefik's container args may be the static
    # configuration; without one, the files are not file-provider files.
    skip = {str(static_file)} if static_file is not None else set()
    if compose is not None:
        skip.add(compose.document.source.path)
    manifests = find_manifests(target, root, skip)
    from_manifests = manifest_static(manifests) if manifests and not static.present else None
    if from_manifests is not None:
        static = from_manifests[0]

    traefik = compose.traefik if compose is not None else None
    explicit = static_file if static_path is not None else None
    if traefik is not None and explicit is not None and not traefik.mounts_host(explicit):
        # `--static FILE` that the compose container does not mount: this Traefik runs on
        # the host, so its provider paths are host paths.
        traefik = None
    provider = _file_provider(static, static_file, target, root, issues, traefik=traefik)
    if manifests is not None and not static.present:
        provider = None
    dynamic = DynamicConfig()
    if provider is not None:
        fragments: list[tuple[Document, Fragment]] = []
        paths: list[Path] = []
        if provider.path is not None and provider.is_directory:
            listing = list_provider_directory(provider.path)
            paths = listing.files
            for paths_found, kind, what in (
                (listing.ignored, IssueKind.IGNORED_FILE, _NOT_READ),
                (listing.linked_dirs, IssueKind.IGNORED_FILE, _LINKED_DIRECTORY),
                (listing.loops, IssueKind.NOT_CHECKED, _LOOP),
            ):
                for found in paths_found:
                    source = Source(str(found), display_path(found, root))
                    message = what.format(path=source.display)
                    issues.append(LoadIssue(kind, message, Origin(source, None)))
        elif provider.path is not None:
            paths = [provider.path]
        if compose is not None:  # the compose file is not a file-provider file
            paths = [p for p in paths if str(p) != compose.document.source.path]
        if manifests is not None:  # nor are Kubernetes manifests
            paths = [p for p in paths if not manifests.holds(p)]
        if cache is not None:
            wanted = {(str(path), display_path(path, root)) for path in paths}
            for gone in [key for key in cache.documents if key not in wanted]:
                del cache.documents[gone]
        for path in paths:
            doc, issue = _dynamic_document(path, root, cache)
            documents.append(doc)
            provider.documents.append(doc)
            if issue:
                issues.append(issue)
            if doc.fragment is not None:
                fragments.append((doc, doc.fragment))
        merge_fragments(dynamic, fragments, issues)

    project = Project(root, static, dynamic, documents, issues, provider)
    if compose is not None:
        apply_compose(project, compose)
    project.go_services = dict(go_services or {})
    if go:
        roots = [root, *(path if path.is_absolute() else root / path for path in go_src)]
        project.go = _scan_go(roots, root, cache.go if cache is not None else None)
    if manifests is not None:
        apply_kubernetes(project, manifests, from_manifests[1] if from_manifests else None)
    return project


def _dynamic_document(
    path: Path, root: Path, cache: LoadCache | None
) -> tuple[Document, LoadIssue | None]:
    """A file-provider file read, parsed, validated and turned into a fragment."""
    from traefik_doctor.schema.dynamic import DYNAMIC

    key = (str(path), display_path(path, root))
    stamped_at = now_ns()
    file_stamp = stamp(path) if cache is not None else None  # before reading: see goscan.cache
    if cache is not None and file_stamp is not None:
        kept = cache.documents.get(key)
        if kept is not None and kept[0] == file_stamp:
            cache.documents_reused += 1
            old = kept[1]
            return Document(
                old.source,
                old.role,
                old.provider,
                old.tree,
                old.failure,
                list(old.schema_issues),
                old.fragment,
                list(old.templates),
                old._duplicates,
            ), None
    doc, issue = read_document(path, root, Role.DYNAMIC, "file")
    doc.templates = template_actions(doc.source.data)
    if doc.tree is not None:
        doc.schema_issues = validate(doc.tree, DYNAMIC)
        doc.fragment = build_fragment(doc.tree, "file")
    if cache is not None:
        cache.documents_parsed += 1
        cache.documents.pop(key, None)
        if file_stamp is not None and issue is None and not racy(file_stamp, stamped_at):
            cache.documents[key] = (file_stamp, doc)
    return doc, issue


def _scan_go(roots: list[Path], root: Path, cache: PackageCache | None = None) -> GoScan | None:
    """The Go facts, or None when there is no Go code (tree-sitter is then never imported)."""
    if not any(has_go_code(path) for path in roots):
        return None
    from traefik_doctor.goscan.extract import scan

    return scan(roots, root, cache=cache)


def _file_provider(
    static: StaticConfig,
    static_file: Path | None,
    target: Path,
    root: Path,
    issues: list[LoadIssue],
    *,
    traefik: TraefikContainer | None = None,
) -> FileProvider | None:
    if static.present:
        file_section = static.section("providers", "file")
        if file_section is None:
            return None
        base = static_file.parent if static_file is not None else root
        for key, is_dir in (("directory", True), ("filename", False)):
            configured = value(file_section, key)
            if configured is None:
                continue
            path = (base / configured.text).resolve() if configured.text else None
            if traefik is not None and configured.text:
                path = traefik.host_path(configured.text)
                if path is None:
                    issues.append(unmapped(traefik, f"providers.file.{key}", configured))
                    return FileProvider(configured.origin, None, is_dir)
            if path is None or not path.exists():
                issues.append(
                    LoadIssue(
                        IssueKind.MISSING_PATH,
                        f"providers.file.{key} `{configured.text}` does not exist",
                        configured.origin,
                    )
                )
                return FileProvider(configured.origin, None, is_dir)
            return FileProvider(configured.origin, path, path.is_dir())
        return None
    # No static file: check the given files as file-provider files.
    if target.is_file():
        return FileProvider(None, target, False) if is_config_file(target.name) else None
    return FileProvider(None, target, True)


def merge_fragments(
    dynamic: DynamicConfig,
    fragments: list[tuple[Document, Fragment]],
    issues: list[LoadIssue],
) -> None:
    """Merge per-file definitions as Traefik does: the file whose name sorts first wins a
    name defined twice, and the other definition is dropped with only a log warning."""
    ordered = fragments  # already in the order Traefik reads them
    kinds = (
        ("routers", "router", dynamic.routers),
        ("services", "service", dynamic.services),
        ("middlewares", "middleware", dynamic.middlewares),
        ("servers_transports", "servers transport", dynamic.servers_transports),
        ("tls_options", "TLS options", dynamic.tls_options),
    )
    for _doc, fragment in ordered:
        for attribute, label, target in kinds:
            for item in getattr(fragment, attribute):
                key = f"{getattr(item, 'protocol', 'tls')}:{item.qualified}"
                first = target.get(key)
                if first is None:
                    target[key] = item
                    continue
                issues.append(
                    LoadIssue(
                        IssueKind.CONFLICT,
                        f"{label} `{item.name}` is also defined in"
                        f" `{first.origin.source.display}`, whose definition Traefik keeps;"
                        " this one is dropped",
                        item.origin,
                        ((first.origin, f"{label} `{item.name}` kept from here"),),
                    )
                )
        dynamic.certificates.extend(fragment.certificates)
        for store in fragment.tls_stores:
            dynamic.tls_stores.setdefault(store.name, store)
