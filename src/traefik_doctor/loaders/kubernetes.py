"""Kubernetes manifests on disk: found, parsed, and added to the project.

What is read: every ``.yml``/``.yaml`` file under the checked directory whose text has
top-level ``apiVersion:`` and ``kind:`` lines (hidden folders, ``vendor``, ``node_modules``
and the ``templates/`` and ``charts/`` folders of a Helm chart source are skipped: chart
templates are Go templates, not YAML; check ``helm template`` output instead). A file may
hold several documents (``---``, as Helm and ``kubectl`` write them; each is parsed on its
own and keeps the file's lines and columns), and a document may be a ``kind: List``
(``kubectl get ... -o yaml``); kinds this checker does not know are ignored. A file that
looks like a manifest but does not parse is a CFG001 finding; one over the size limit is a
CFG014 finding. Manifests are never file-provider files, and without a static configuration
the checked directory is not read as one.

What it becomes is ``loaders.kubeprovider``'s: the model of ``model.kubernetes`` and the
routers, services... of providers ``kubernetescrd`` and ``kubernetes``, merged into the
project's dynamic configuration, so that every rule runs on them.

The static configuration: ``traefik.yml`` when there is one (a manifest named
``traefik.yaml`` is not one); else, when the manifests run Traefik (a container of the image
``traefik``), its container ``args``, the way the Traefik Helm chart configures it; else the
Kubernetes providers are taken as enabled with their defaults (``allowCrossNamespace``
false), which the findings that depend on it say.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from traefik_doctor.loaders.files import MAX_FILE_BYTES, display_path, read_bounded
from traefik_doctor.loaders.flat import unflatten
from traefik_doctor.loaders.kubeprovider import build_kubernetes, workload_of
from traefik_doctor.loaders.tree import Mapping, Node, Scalar, Sequence
from traefik_doctor.loaders.yamltree import ParseFailure, load_yaml
from traefik_doctor.model.dynamic import Fragment as DynamicFragment
from traefik_doctor.model.kubernetes import (
    CRD_PROVIDER,
    DEFAULT_NAMESPACE,
    INGRESS_PROVIDER,
    WORKLOAD_KINDS,
    KubeObject,
    KubernetesConfig,
    Workload,
)
from traefik_doctor.model.project import Document, Project, Role
from traefik_doctor.model.static import StaticConfig, build_static
from traefik_doctor.model.values import section, value
from traefik_doctor.schema import kubernetes as crd
from traefik_doctor.source import Origin, Source

MANIFEST_EXTENSIONS = (".yml", ".yaml")
SKIPPED_FOLDERS = frozenset({"node_modules", "vendor", "testdata", "__pycache__"})
MAX_FILES = 5000
"""Files looked at per check (a bound for very large trees)."""

_TOP_API = re.compile(rb"^apiVersion[ \t]*:", re.MULTILINE)
_TOP_KIND = re.compile(rb"^kind[ \t]*:", re.MULTILINE)
_MARKER = re.compile(rb"^---(?=[ \t\r\n#]|$)", re.MULTILINE)
_HELM_SOURCE = re.compile(r"^#\s*Source:\s*(\S.*?)\s*$", re.MULTILINE)
_FLAG = re.compile(r"^--?([A-Za-z0-9_.\[\]-]+)(?:=(.*))?$", re.DOTALL)


# ---- reading -------------------------------------------------------------------------------


class _Part(Source):
    """One document of a multi-document file, parsed on its own. Offsets are relative to the
    document's first byte; lines and columns are the file's, so findings point into it."""

    __slots__ = ("_base", "_file", "_first_line")

    def __init__(self, file: Source, start: int, end: int) -> None:
        super().__init__(file.path, file.display, file.data[start:end])
        self._file = file
        self._base = start
        self._first_line = file.line_col(start)[0]

    def line_col(self, offset: int) -> tuple[int, int]:
        return self._file.line_col(offset + self._base)

    def offset_of(self, line: int, column: int) -> int:
        return self._file.offset_of(line + self._first_line - 1, column) - self._base

    def line_text(self, line: int) -> str:
        return self._file.line_text(line)


@dataclass(slots=True)
class Manifests:
    """What was found on disk, before it is turned into the model."""

    paths: set[str] = field(default_factory=set)
    documents: list[Document] = field(default_factory=list)
    objects: list[KubeObject] = field(default_factory=list)
    oversized: list[Source] = field(default_factory=list)

    def holds(self, path: Path) -> bool:
        return str(path) in self.paths


def looks_like_manifest(data: bytes) -> bool:
    return _TOP_API.search(data) is not None and _TOP_KIND.search(data) is not None


def is_manifest(path: Path) -> bool:
    """Does the file look like a Kubernetes manifest (top-level apiVersion and kind)?"""
    result = read_bounded(path)
    data = result.data if result.data is not None else _head(path)
    return b"\x00" not in data and looks_like_manifest(data)


def _walk(root: Path) -> Iterator[Path]:
    if root.is_file():
        if root.name.lower().endswith(MANIFEST_EXTENSIONS):
            yield root
        return
    seen = 0
    for folder, dirnames, filenames in os.walk(root):
        here = Path(folder)
        chart_templates = (here / "Chart.yaml").is_file() or (here / "Chart.yml").is_file()
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".")
            and d not in SKIPPED_FOLDERS
            and not (chart_templates and d in ("templates", "charts"))
        )
        for name in sorted(filenames):
            if not name.lower().endswith(MANIFEST_EXTENSIONS) or name.startswith("."):
                continue
            seen += 1
            if seen > MAX_FILES:
                return
            yield here / name


def find_manifests(target: Path, root: Path, skip: set[str]) -> Manifests | None:
    """Every manifest under ``target`` (files in ``skip`` are other inputs: the static file,
    the compose file). None when there is none, so other projects load as before."""
    found = Manifests()
    for path in _walk(target):
        if str(path) in skip:
            continue
        result = read_bounded(path)
        if result.data is None:
            if result.error and "larger" in result.error and looks_like_manifest(_head(path)):
                found.oversized.append(Source(str(path), display_path(path, root)))
            continue
        data = result.data
        if b"\x00" in data or not looks_like_manifest(data):
            continue
        source = Source(str(path), display_path(path, root), data)
        found.paths.add(str(path))
        _read_file(source, found)
    if not found.paths and not found.oversized:
        return None
    return found


def _head(path: Path, size: int = 1 << 16) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def _chunks(data: bytes) -> list[tuple[int, int]]:
    """Byte ranges of the documents of a YAML stream (a ``---`` line starts a new one)."""
    starts = [0, *(match.start() for match in _MARKER.finditer(data) if match.start() > 0)]
    ends = [*starts[1:], len(data)]
    return list(zip(starts, ends, strict=True))


def _read_file(source: Source, found: Manifests) -> None:
    """Parse each document of a file. One ``Document`` stands for the file (code frames,
    suppressions); others are kept only when a rule reports on them (syntax, duplicates)."""
    chunks = _chunks(source.data)
    kept: list[Document] = []
    kinds: list[str] = []
    for start, end in chunks:
        part: Source = source if len(chunks) == 1 else _Part(source, start, end)
        parsed = load_yaml(part, CRD_PROVIDER)
        document = Document(source, Role.KUBERNETES, "kubernetes-manifest")
        if isinstance(parsed, ParseFailure):
            document.failure = parsed
        else:
            document.tree = parsed
        if not kept or document.failure is not None or document.duplicates:
            kept.append(document)
        if isinstance(parsed, Mapping):
            helm = _HELM_SOURCE.search(part.data.decode("utf-8", "replace"))
            kinds += _objects(parsed, helm.group(1) if helm else None, found.objects)
    if any(kind in crd.crd_kinds() for kind in kinds):
        kept[0].provider = CRD_PROVIDER
    elif "Ingress" in kinds:
        kept[0].provider = INGRESS_PROVIDER
    found.documents.extend(kept)


def _objects(tree: Mapping, helm: str | None, out: list[KubeObject]) -> list[str]:
    """The objects of one document (a ``List`` holds them in ``items``)."""
    api = value(tree, "apiVersion")
    kind = value(tree, "kind")
    if api is None or kind is None:
        return []
    if kind.text.strip().endswith("List") and api.text.strip() == "v1":
        kinds = []
        entry = tree.find("items")
        if entry is not None and isinstance(entry.value, Sequence):
            for item in entry.value.items:
                if isinstance(item, Mapping):
                    kinds.extend(_objects(item, helm, out))
        return kinds
    metadata = section(tree, "metadata")
    name = value(metadata, "name") or value(metadata, "generateName")
    namespace = value(metadata, "namespace")
    first = next(iter(tree), None)
    out.append(
        KubeObject(
            api.text.strip(),
            kind.text.strip(),
            name.text.strip() if name is not None else "",
            namespace.text.strip() if namespace is not None else DEFAULT_NAMESPACE,
            tree,
            first.key_origin if first is not None else tree.origin,
            name,
            namespace,
            helm,
        )
    )
    return [kind.text.strip()]


# ---- static configuration from Traefik's container ----------------------------------------


def _flag_static(workload: Workload) -> tuple[StaticConfig, Document] | None:
    """The static configuration of a Traefik container given as ``args`` (Helm chart style)."""
    from traefik_doctor.schema.static import STATIC
    from traefik_doctor.schema.validate import IssueKind, validate

    container = next((c for c in workload.containers if c.is_traefik), None)
    if container is None or not container.args:
        return None
    pairs: list[tuple[list[str], str, Origin, Origin]] = []
    args = container.args
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        match = _FLAG.match(arg.text.strip())
        if match is None:
            continue
        parts = [part for part in match.group(1).split(".") if part]
        start = arg.at(0)
        if match.group(2) is None:
            follows = args[index] if index < len(args) else None
            if follows is not None and not follows.text.startswith("-"):
                pairs.append((parts, follows.text, start, follows.at(0)))
                index += 1
            else:
                pairs.append((parts, "true", start, start))
            continue
        pairs.append((parts, match.group(2), start, arg.at(match.start(2))))
    if not pairs or container.args_origin is None:
        return None
    # `--providers.kubernetescrd` enables the section that `--providers.kubernetescrd.x=y`
    # then fills: the bare flag gives way to the section (Traefik reads both).
    sections = {
        tuple(p.lower() for p in parts[:i]) for parts, *_ in pairs for i in range(1, len(parts))
    }
    pairs = [
        pair
        for pair in pairs
        if not (pair[1] == "true" and tuple(p.lower() for p in pair[0]) in sections)
    ]
    tree, _conflicts = unflatten(pairs, container.args_origin)
    source = container.args_origin.source
    file_source = source._file if isinstance(source, _Part) else source
    document = Document(file_source, Role.STATIC, "static", tree)
    document.schema_issues = [
        issue
        for issue in validate(tree, STATIC, flat=True)
        if not (issue.kind is IssueKind.WRONG_TYPE and _enabling(tree, issue.path))
    ]
    return build_static("flags", tree, container.args_origin), document


def _enabling(tree: Mapping, path: tuple[str, ...]) -> bool:
    """``--providers.kubernetescrd`` alone enables the section with its defaults."""
    node: Node | None = tree
    for part in path:
        entry = node.find(part) if isinstance(node, Mapping) else None
        node = entry.value if entry is not None else None
    return isinstance(node, Scalar) and node.text.strip().lower() == "true"


def manifest_static(found: Manifests) -> tuple[StaticConfig, Document] | None:
    """Traefik's static configuration from its container in the manifests, if any."""
    for obj in found.objects:
        if obj.kind in WORKLOAD_KINDS:
            workload = workload_of(obj)
            if workload.runs_traefik:
                result = _flag_static(workload)
                if result is not None:
                    return result
    return None


# ---- the whole -----------------------------------------------------------------------------


def apply_kubernetes(project: Project, found: Manifests, static_document: Document | None) -> None:
    """Add the manifests to a loaded project: documents, the model, and the routers,
    services... of the Kubernetes providers."""
    from traefik_doctor.loaders.project import merge_fragments
    from traefik_doctor.model.project import IssueKind, LoadIssue

    project.documents.extend(found.documents)
    if static_document is not None:
        project.documents.append(static_document)
    for source in found.oversized:
        project.issues.append(
            LoadIssue(
                IssueKind.NOT_CHECKED,
                f"`{source.display}` is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB,"
                " not checked",
                Origin(source, None),
            )
        )
    kube, builder = build_kubernetes(found.objects, project.static)
    project.kubernetes = kube
    fragment = builder.finish()
    if kube.traefik_workloads() or fragment.routers:
        project.in_container = True  # Traefik runs in a pod: loopback is its own
    by_provider: dict[str, DynamicFragment] = {}
    for attribute in (
        "routers",
        "services",
        "middlewares",
        "servers_transports",
        "tls_options",
        "tls_stores",
    ):
        for item in getattr(fragment, attribute):
            target = by_provider.setdefault(item.provider, DynamicFragment())
            getattr(target, attribute).append(item)
    holders = {doc.provider: doc for doc in found.documents if doc.tree is not None}
    pairs = []
    for provider, part in by_provider.items():
        holder = holders.get(provider) or next(iter(found.documents), None)
        if holder is not None:
            pairs.append((holder, part))
    merge_fragments(project.dynamic, pairs, project.issues)
    _match_go(project, kube)


def _match_go(project: Project, kube: KubernetesConfig) -> None:
    """Record which Go program serves each Service's pods (``model.kubematch``), for the Go
    cross-checks (``model.gomatch``): a match by the ``go-services`` setting or by the
    container's ports; pods without one are not matched by a bare port number."""
    from traefik_doctor.model.kubematch import program_dir, program_for

    if project.go is None:
        return
    for kref in kube.refs:
        name = kref.traefik_service
        if not name or not kref.endpoints:
            continue
        matches = [
            program_for(project.go, project.go_services, endpoint.workload, endpoint.container)
            for endpoint in kref.endpoints
        ]
        found = {(program_dir(m.program), m.how) for m in matches if m is not None}
        if len(found) == 1 and None not in matches:
            folder, how = found.pop()
            workloads = ", ".join(sorted({e.workload.obj.ref for e in kref.endpoints}))
            kube.programs[name] = (folder, f"{how} of {workloads}")
