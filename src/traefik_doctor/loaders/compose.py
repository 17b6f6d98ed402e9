"""Docker Compose: the Traefik service's static options and the other services' labels.

What is read (the way Traefik and Docker would read it):

- The compose file: ``compose.yaml``, ``compose.yml``, ``docker-compose.yml``,
  ``docker-compose.yaml`` in the project root, the first found.
- The Traefik service: the first service whose ``image`` contains ``traefik``. Its
  ``command:`` gives CLI flags (``--a.b=v``, ``--a.b v``, bare ``--flag`` = true), its
  ``environment:`` gives ``TRAEFIK_*`` variables (``_`` separates keys). Traefik uses exactly one
  static source (shared/traefik-facts.md §4): a config file if one is found (``--configFile``,
  else ``traefik.yml|yaml|toml`` in ``/etc/traefik``, ``$XDG_CONFIG_HOME``, ``$HOME/.config``
  or the working directory), else the flags, else the variables. The others are recorded as
  ``IGNORED_STATIC_SOURCE`` load issues, one per ignored flag or variable. A ``--configFile``
  that does not exist is silently ignored by Traefik: recorded as ``MISSING_PATH``.
- Volumes of the Traefik service map container paths back to the project; a path no bind mount
  covers (or a named volume) is recorded as ``UNMAPPED_PATH``.
- Every other service is a container for the docker provider; its ``traefik.*`` labels are a
  dynamic configuration of provider ``docker``.

Approximations of the docker provider (it needs a running engine; pkg/provider/docker):

- Names: Traefik names the default router and service after ``normalize(<service>_<project>)``
  (``com.docker.compose.service`` and ``.project`` labels); the project is the compose ``name:``
  or the folder name.
- ``loadbalancer.server.{port,scheme,url,weight,preservepath}`` labels (singular ``server``)
  are not part of the file schema: they are taken out of the tree before validation, checked
  against that small field list, and turned into one server whose URL is
  ``<scheme>://<compose service>:<port>`` (the container's IP is unknown; the service name is
  what resolves on the compose network). Without a port label the lowest exposed port is used
  (``expose`` and the container side of ``ports``; ports only declared in the image are
  unknown).
- A container with labels but no router gets the default router
  ``Host(`<normalized name>`)``; with no service it gets the default service; routers without a
  ``service`` label bind to the container's only service.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from traefik_doctor.loaders.files import display_path
from traefik_doctor.loaders.flat import unflatten
from traefik_doctor.loaders.tree import Entry, Mapping, Node, Scalar, Sequence, text_of
from traefik_doctor.model.docker import Container, Mount, TraefikContainer
from traefik_doctor.model.dynamic import Router, Server, Service, build_fragment
from traefik_doctor.model.project import Document, IssueKind, LoadIssue, Project, Role
from traefik_doctor.model.static import StaticConfig, build_static
from traefik_doctor.model.values import Value, section, value
from traefik_doctor.schema.dynamic import DYNAMIC
from traefik_doctor.schema.static import STATIC
from traefik_doctor.schema.types import Struct
from traefik_doctor.schema.validate import IssueKind as SchemaKind
from traefik_doctor.schema.validate import SchemaIssue, validate
from traefik_doctor.source import Origin, Source

COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
CONFIG_NAMES = ("traefik.yml", "traefik.yaml", "traefik.toml")
SERVER_LABEL_FIELDS = {"port", "scheme", "url", "weight", "preservepath"}
PROVIDER_LABELS = ("enable", "docker", "tags")
IGNORE_LABEL = "traefik-doctor.ignore"

Pair = tuple[list[str], str, Origin, Origin]


@dataclass(slots=True)
class StaticSource:
    """One of the three static sources, as flat pairs."""

    kind: str  # "flags" or "env"
    pairs: list[Pair] = field(default_factory=list)


@dataclass(slots=True)
class ComposeResult:
    document: Document
    traefik: TraefikContainer | None = None
    flags: StaticSource = field(default_factory=lambda: StaticSource("flags"))
    env: StaticSource = field(default_factory=lambda: StaticSource("env"))
    config_file: Path | None = None
    """The host file Traefik reads as its static configuration, when one is found."""
    config_origin: Origin | None = None
    containers: list[Container] = field(default_factory=list)
    label_trees: list[tuple[Container, Mapping]] = field(default_factory=list)
    suppress_ranges: list[tuple[str, int, int, frozenset[str]]] = field(default_factory=list)
    project_name: str = ""


def find_compose(root: Path) -> Path | None:
    for name in COMPOSE_NAMES:
        candidate = root / name
        if candidate.is_file():
            return candidate
    return None


def read_compose(document: Document, root: Path, issues: list[LoadIssue]) -> ComposeResult:
    """Read the services of a parsed compose document (a broken one yields nothing)."""
    result = ComposeResult(document)
    tree = document.tree if isinstance(document.tree, Mapping) else None
    name = value(tree, "name")
    result.project_name = _project_name(name.text if name else root.name)
    services = section(tree, "services")
    if services is None:
        return result
    entries = list(services)
    source = document.source
    for index, entry in enumerate(entries):
        body = entry.value if isinstance(entry.value, Mapping) else None
        if body is None:
            continue
        image = value(body, "image")
        first = source.line_col(entry.key_origin.offset or 0)[0]
        if index + 1 < len(entries):
            last = source.line_col(entries[index + 1].key_origin.offset or 0)[0] - 1
        else:
            last = _block_end(tree, services, source.line_starts())
        _suppressions(result, body, source.display, first, last)
        if result.traefik is None and image is not None and "traefik" in image.text.lower():
            result.traefik = _traefik_container(entry, body, root, result, issues)
            continue
        container, labels = _container(entry, body, first, last)
        result.containers.append(container)
        if labels is not None:
            result.label_trees.append((container, labels))
    if result.traefik is not None:
        _find_config_file(result, issues)
    return result


def _project_name(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "", text.lower())


def _block_end(tree: Mapping | None, services: Mapping, starts: list[int]) -> int:
    if tree is not None:
        keys = list(tree)
        for index, entry in enumerate(keys):
            if entry.value is services and index + 1 < len(keys):
                origin = keys[index + 1].key_origin
                return origin.source.line_col(origin.offset or 0)[0] - 1
    return len(starts)


# ---- the Traefik service -------------------------------------------------------------------


def _traefik_container(
    entry: Entry, body: Mapping, root: Path, result: ComposeResult, issues: list[LoadIssue]
) -> TraefikContainer:
    working = value(body, "working_dir")
    mode = value(body, "network_mode")
    traefik = TraefikContainer(
        entry.key,
        entry.key_origin,
        working_dir=working.text if working else "/",
        host_network=mode is not None and mode.text.strip() == "host",
    )
    traefik.mounts = _mounts(body, root)
    command = body.find("command")
    if command is not None:
        result.flags.pairs = _flags(command.value)
    environment = body.find("environment")
    if environment is not None:
        result.env.pairs = _env(environment.value)
    return traefik


def _mounts(body: Mapping, root: Path) -> list[Mount]:
    entry = body.find("volumes")
    if entry is None or not isinstance(entry.value, Sequence):
        return []
    mounts = []
    for item in entry.value.items:
        if isinstance(item, Scalar):
            parts = item.text.split(":")
            if len(parts) < 2:
                continue  # an anonymous volume: nothing from the project
            src, target = parts[0], parts[1]
            mounts.append(_mount(src, target, item.origin, root, bind=None))
        elif isinstance(item, Mapping):
            src_v, target_v, kind = (
                value(item, "source"),
                value(item, "target"),
                value(item, "type"),
            )
            if target_v is None:
                continue
            bind = kind.text == "bind" if kind is not None else None
            mounts.append(
                _mount(src_v.text if src_v else "", target_v.text, item.origin, root, bind)
            )
    return mounts


def _mount(src: str, target: str, origin: Origin, root: Path, bind: bool | None) -> Mount:
    is_path = src.startswith((".", "/", "~")) if bind is None else bind
    if not is_path or not src:
        return Mount(None, target, origin, src)
    host = Path(src).expanduser()
    return Mount((root / host).resolve() if not host.is_absolute() else host, target, origin, src)


_FLAG = re.compile(r"^--?([A-Za-z0-9_.\[\]-]+)(?:=(.*))?$", re.DOTALL)


def _flags(node: Node) -> list[Pair]:
    """``command:`` as flags; positions point at each flag in the compose file."""
    tokens: list[tuple[str, Origin]] = []
    if isinstance(node, Sequence):
        for item in node.items:
            if isinstance(item, Scalar):
                tokens.append((item.text, item.origin.shifted(1 if item.quoted else 0)))
    elif isinstance(node, Scalar):
        base = node.origin.shifted(1 if node.quoted else 0)
        lexer = shlex.shlex(node.text, posix=True, punctuation_chars=False)
        lexer.whitespace_split = True
        position = 0
        for token in lexer:
            found = node.text.find(token.split("=", 1)[0], position)
            at = found if found >= 0 else position
            tokens.append((token, base.shifted(len(node.text[:at].encode()))))
            position = at + 1
    pairs: list[Pair] = []
    index = 0
    while index < len(tokens):
        text, origin = tokens[index]
        index += 1
        match = _FLAG.match(text)
        if not match or text in ("traefik",):
            continue
        key, given = match.group(1), match.group(2)
        if given is None:
            follows = tokens[index][0] if index < len(tokens) else None
            if follows is not None and not follows.startswith("-"):
                pairs.append((_split(key), follows, origin, tokens[index][1]))
                index += 1
            else:
                pairs.append((_split(key), "true", origin, origin))
            continue
        offset = len(text[: match.start(2)].encode())
        pairs.append((_split(key), given, origin, origin.shifted(offset)))
    return pairs


def _split(key: str) -> list[str]:
    return [part for part in key.split(".") if part]


def _env(node: Node) -> list[Pair]:
    items: list[tuple[str, str, Origin, Origin]] = []
    if isinstance(node, Sequence):
        for item in node.items:
            if isinstance(item, Scalar) and "=" in item.text:
                name, _, val = item.text.partition("=")
                start = item.origin.shifted(1 if item.quoted else 0)
                items.append((name, val, start, start.shifted(len(name.encode()) + 1)))
    elif isinstance(node, Mapping):
        for entry in node:
            val = text_of(entry.value) or ""
            items.append((entry.key, val, entry.key_origin, entry.value.origin))
    pairs: list[Pair] = []
    for name, val, key_origin, value_origin in items:
        if not name.upper().startswith("TRAEFIK_"):
            continue
        parts = [part.lower() for part in name[len("TRAEFIK_") :].split("_") if part]
        pairs.append((parts, val, key_origin, value_origin))
    return pairs


def _find_config_file(result: ComposeResult, issues: list[LoadIssue]) -> None:
    traefik = result.traefik
    assert traefik is not None
    for parts, given, _key, value_origin in result.flags.pairs:
        if [p.lower() for p in parts] != ["configfile"]:
            continue
        host = traefik.host_path(given)
        if host is None:
            issues.append(
                LoadIssue(
                    IssueKind.UNMAPPED_PATH,
                    f"--configFile `{given}` is a container path no bind mount of service"
                    f" `{traefik.name}` provides; it cannot be mapped to the project",
                    value_origin,
                )
            )
            return
        if host.is_file():
            result.config_file, result.config_origin = host, value_origin
            return
        issues.append(
            LoadIssue(
                IssueKind.MISSING_PATH,
                f"--configFile `{given}` does not exist (mapped to `{host}`); Traefik silently"
                " ignores it and uses the CLI flags",
                value_origin,
            )
        )
        break
    for folder in ("/etc/traefik", traefik.resolve(".")):
        for name in CONFIG_NAMES:
            host = traefik.host_path(f"{folder.rstrip('/')}/{name}")
            if host is not None and host.is_file():
                mount = traefik.covering_mount(f"{folder.rstrip('/')}/{name}")
                result.config_file = host
                result.config_origin = mount.origin if mount else traefik.origin
                return


def ignored_sources(
    result: ComposeResult, used: str, used_origin: Origin | None, issues: list[LoadIssue]
) -> None:
    """Record each flag or variable Traefik will not read, and why."""
    ignored: list[tuple[StaticSource, str]] = []
    if used == "file":
        ignored = [
            (result.flags, "a configuration file is found"),
            (result.env, "a configuration file is found"),
        ]
    elif used == "flags":
        ignored = [(result.env, "CLI flags are given")]
    for source, reason in ignored:
        for parts, _given, key_origin, _value in source.pairs:
            if source.kind == "flags" and [p.lower() for p in parts] == ["configfile"]:
                continue
            what = "CLI flag `--" if source.kind == "flags" else "variable `TRAEFIK_"
            name = ".".join(parts) if source.kind == "flags" else "_".join(parts).upper()
            related = (
                ((used_origin, "the static configuration Traefik uses"),) if used_origin else ()
            )
            issues.append(
                LoadIssue(
                    IssueKind.IGNORED_STATIC_SOURCE,
                    f"{what}{name}` is ignored by Traefik because {reason}",
                    key_origin,
                    related,
                )
            )


def flat_tree(source: StaticSource, origin: Origin) -> Mapping:
    tree, _conflicts = unflatten(source.pairs, origin)
    return tree


# ---- other services: labels ----------------------------------------------------------------


def _labels(body: Mapping) -> list[tuple[str, str, Origin, Origin]]:
    entry = body.find("labels")
    if entry is None:
        return []
    out = []
    if isinstance(entry.value, Sequence):
        for item in entry.value.items:
            if isinstance(item, Scalar):
                key, _, val = item.text.partition("=")
                start = item.origin.shifted(1 if item.quoted else 0)
                out.append((key.strip(), val, start, start.shifted(len(key.encode()) + 1)))
    elif isinstance(entry.value, Mapping):
        for label in entry.value:
            text = text_of(label.value)
            if text is None:
                text = ""
            node = label.value
            vorigin = (
                node.origin.shifted(1) if isinstance(node, Scalar) and node.quoted else node.origin
            )
            out.append((label.key, text, label.key_origin, vorigin))
    return out


def _suppressions(
    result: ComposeResult, body: Mapping, display: str, first: int, last: int
) -> None:
    for key, val, _k, _v in _labels(body):
        if key.lower() == IGNORE_LABEL:
            codes = frozenset(code.strip().upper() for code in val.split(",") if code.strip())
            if codes:
                result.suppress_ranges.append((display, first, last, codes))


def _container(
    entry: Entry, body: Mapping, first: int, last: int
) -> tuple[Container, Mapping | None]:
    labels_entry = body.find("labels")
    container = Container(
        entry.key,
        entry.key_origin,
        None,
        labels_entry.key_origin if labels_entry else None,
        first_line=first,
        last_line=last,
    )
    build = body.find("build")
    if build is not None:
        context: Node | None = build.value
        if isinstance(context, Mapping):
            found_context = context.find("context")
            context = found_context.value if found_context is not None else None
        if isinstance(context, Scalar):
            container.build = Value(context.text, context.origin, context.quoted)
    networks = body.find("networks")
    if networks is not None:
        if isinstance(networks.value, Sequence):
            container.networks = [
                Value(i.text, i.origin, i.quoted)
                for i in networks.value.items
                if isinstance(i, Scalar)
            ]
        elif isinstance(networks.value, Mapping):
            container.networks = [Value(e.key, e.key_origin) for e in networks.value]
    for key in ("expose", "ports"):
        found = body.find(key)
        if found is None or not isinstance(found.value, Sequence):
            continue
        for item in found.value.items:
            port = _container_port(item, key == "ports")
            if port is not None:
                container.exposed_ports.append(port)
    pairs: list[Pair] = []
    for key, val, key_origin, value_origin in _labels(body):
        lowered = key.lower()
        if not lowered.startswith("traefik."):
            continue
        container.has_traefik_labels = True
        parts = key.split(".")[1:]
        head = parts[0].lower() if parts else ""
        label_value = Value(val, value_origin)
        if head == "enable":
            container.enabled = label_value
            continue
        if head == "docker":
            if [p.lower() for p in parts] == ["docker", "network"]:
                container.network_label = label_value
            continue
        if head in PROVIDER_LABELS:
            continue
        lowered_parts = [p.lower() for p in parts]
        if (
            len(parts) >= 6
            and lowered_parts[3:5] == ["loadbalancer", "server"]
            and lowered_parts[5] == "port"
        ):
            container.server_port_label = label_value
        pairs.append((parts, val, key_origin, value_origin))
    if not pairs:
        return container, None
    tree, _conflicts = unflatten(
        pairs, labels_entry.key_origin if labels_entry else entry.key_origin
    )
    return container, tree


def _container_port(item: Node, published: bool) -> Value | None:
    if isinstance(item, Mapping):
        target = value(item, "target")
        return target
    if not isinstance(item, Scalar):
        return None
    text = item.text.strip()
    start = item.origin.shifted(1 if item.quoted else 0)
    if not published:
        return Value(text, start)
    # [ip:][host:]container[/proto]
    proto = ""
    if "/" in text:
        text, _, proto = text.partition("/")
    at = text.rfind(":") + 1
    port = text[at:]
    return Value(port + (f"/{proto}" if proto else ""), start.shifted(len(text[:at].encode())))


def normalize(name: str) -> str:
    """Traefik's provider.Normalize: every run of non-alphanumerics becomes one dash."""
    return re.sub(r"[^a-zA-Z0-9]+", "-", name).strip("-")


def split_server_labels(
    tree: Mapping,
) -> tuple[list[tuple[str, str, Mapping, Origin]], list[SchemaIssue]]:
    """Take ``<protocol>.services.<name>.loadbalancer.server`` out of a label tree.

    Returns (protocol, service name, server mapping, origin) and schema issues for unknown
    server fields."""
    servers: list[tuple[str, str, Mapping, Origin]] = []
    issues: list[SchemaIssue] = []
    for proto_entry in tree:
        if proto_entry.key.lower() not in ("http", "tcp", "udp") or not isinstance(
            proto_entry.value, Mapping
        ):
            continue
        services = proto_entry.value.find("services")
        if services is None or not isinstance(services.value, Mapping):
            continue
        for service in services.value:
            if not isinstance(service.value, Mapping):
                continue
            lb = service.value.find("loadbalancer")
            if lb is None or not isinstance(lb.value, Mapping):
                continue
            server = lb.value.find("server")
            if server is None:
                continue
            del lb.value.entries[server.key]
            if isinstance(server.value, Mapping):
                for field_entry in server.value:
                    if field_entry.key.lower() not in SERVER_LABEL_FIELDS:
                        issues.append(
                            SchemaIssue(
                                SchemaKind.UNKNOWN_FIELD,
                                f"unknown field `{field_entry.key}` in"
                                f" `{proto_entry.key}.services.{service.key}.loadbalancer.server`",
                                field_entry.key_origin,
                                (
                                    proto_entry.key,
                                    "services",
                                    service.key,
                                    "loadBalancer",
                                    "server",
                                    field_entry.key,
                                ),
                            )
                        )
                servers.append(
                    (proto_entry.key.lower(), service.key, server.value, server.key_origin)
                )
            else:
                servers.append(
                    (
                        proto_entry.key.lower(),
                        service.key,
                        Mapping(server.key_origin),
                        server.key_origin,
                    )
                )
    return servers, issues


def label_document(
    result: ComposeResult, container: Container, tree: Mapping, schema: Struct
) -> Document:
    """Validate one container's labels and build its fragment, with docker defaults."""

    doc = Document(result.document.source, Role.DYNAMIC, "docker", tree)
    servers, server_issues = split_server_labels(tree)
    emptied = {(protocol, "services", name, "loadbalancer") for protocol, name, _m, _o in servers}
    kept = [
        issue
        for issue in validate(tree, schema, flat=True)
        if not (
            issue.kind is SchemaKind.EMPTY_SECTION
            and tuple(p.lower() if i != 2 else p for i, p in enumerate(issue.path)) in emptied
        )
    ]
    doc.schema_issues = sorted(kept + server_issues, key=lambda i: i.origin.offset or 0)
    fragment = build_fragment(tree, "docker")
    default_name = normalize(f"{container.name}_{result.project_name}")
    ports = sorted(container.port_numbers(), key=lambda p: p[0])
    for protocol, name, server, origin in servers:
        target = next(
            (s for s in fragment.services if s.protocol == protocol and s.name == name), None
        )
        if target is None:
            continue
        target.servers.append(_server(protocol, container, server, origin, ports))
    http_services = [s for s in fragment.services if s.protocol == "http"]
    http_routers = [r for r in fragment.routers if r.protocol == "http"]
    if container.exposed and not http_services and (http_routers or not fragment.routers):
        service = Service(
            default_name, "docker", "http", container.origin, None, "loadBalancer", container.origin
        )
        service.servers_origin = container.origin
        service.servers.append(
            _server("http", container, Mapping(container.origin), container.origin, ports)
        )
        fragment.services.append(service)
    if container.exposed and not fragment.routers:
        router = Router(default_name, "docker", "http", container.origin, None)
        router.rule = Value(f"Host(`{default_name}`)", container.origin)
        fragment.routers.append(router)
    for router in fragment.routers:
        if router.service is None:
            same = [s for s in fragment.services if s.protocol == router.protocol]
            if len(same) == 1:
                router.service = Value(same[0].name, router.origin)
    doc.fragment = fragment
    return doc


def _server(
    protocol: str,
    container: Container,
    server: Mapping,
    origin: Origin,
    ports: list[tuple[int, Value]],
) -> Server:
    url = value(server, "url")
    port = value(server, "port")
    scheme = value(server, "scheme")
    if port is None and ports:
        port = ports[0][1]
    port_text = port.text.split("/", 1)[0] if port else ""
    where = port.origin if port else origin
    if protocol == "http":
        if url is None and port is not None:
            url = Value(
                f"{scheme.text if scheme else 'http'}://{container.name}:{port_text}", where
            )
        return Server(url, None, origin, value(server, "preservepath"), value(server, "weight"))
    address = Value(f"{container.name}:{port_text}", where) if port is not None else None
    return Server(None, address, origin, None, value(server, "weight"))


# ---- integration with load_project ---------------------------------------------------------


def load_compose(
    target: Path, root: Path, documents: list[Document], issues: list[LoadIssue]
) -> ComposeResult | None:
    """Find and read the compose file; a broken one is a document with a failure (CFG001)."""
    from traefik_doctor.loaders.project import read_document

    path = find_compose(target)
    if path is None:
        return None
    document, issue = read_document(path, root, Role.COMPOSE, "docker")
    documents.append(document)
    if issue is not None:
        issues.append(issue)
    return read_compose(document, root, issues)


def unmapped(traefik: TraefikContainer, what: str, configured: Value) -> LoadIssue:
    return LoadIssue(
        IssueKind.UNMAPPED_PATH,
        f"{what} `{configured.text}` is a path inside the Traefik container, and no bind mount"
        f" of compose service `{traefik.name}` provides it: it cannot be mapped to the project",
        configured.origin,
        ((traefik.origin, f"compose service `{traefik.name}` runs Traefik"),),
    )


def container_static(
    result: ComposeResult, root_static: Path | None, root: Path, issues: list[LoadIssue]
) -> Path | None:
    """The static file Traefik reads in its container (None: it uses flags or variables)."""
    chosen = result.config_file
    if root_static is not None and (chosen is None or root_static.resolve() != chosen.resolve()):
        try:
            data = root_static.read_bytes()
        except OSError:
            data = b""
        source = Source(str(root_static), display_path(root_static, root), data)
        assert result.traefik is not None
        uses = (
            f"`{display_path(chosen, root)}`"
            if chosen is not None
            else "its CLI flags and variables"
        )
        issues.append(
            LoadIssue(
                IssueKind.IGNORED_STATIC_SOURCE,
                f"`{source.display}` is not mounted into the Traefik container (compose service"
                f" `{result.traefik.name}`), so Traefik does not read it; it uses {uses}",
                Origin(source, 0, "static"),
                ((result.config_origin or result.traefik.origin, "what the container uses"),),
            )
        )
    if chosen is not None:
        ignored_sources(result, "file", result.config_origin, issues)
    return chosen


def flag_static(
    result: ComposeResult, documents: list[Document], issues: list[LoadIssue]
) -> StaticConfig:
    """The static configuration from CLI flags, else ``TRAEFIK_*`` variables."""

    chosen = result.flags if result.flags.pairs else result.env if result.env.pairs else None
    if chosen is None:
        return StaticConfig("none", None)
    origin = chosen.pairs[0][2]
    tree = flat_tree(chosen, origin)
    document = Document(result.document.source, Role.STATIC, "static", tree)
    document.schema_issues = [
        issue for issue in validate(tree, STATIC, flat=True) if not _enabling_flag(tree, issue)
    ]
    documents.append(document)
    if chosen.kind == "flags":
        ignored_sources(result, "flags", origin, issues)
    return build_static(chosen.kind, tree, origin)


def _enabling_flag(tree: Mapping, issue: SchemaIssue) -> bool:
    """``--providers.docker`` (``=true``) enables a section with its defaults: not an error."""
    if issue.kind is not SchemaKind.WRONG_TYPE:
        return False
    node: Node | None = tree
    for part in issue.path:
        entry = node.find(part) if isinstance(node, Mapping) else None
        node = entry.value if entry is not None else None
    return isinstance(node, Scalar) and node.text.strip().lower() == "true"


def apply_compose(project: Project, result: ComposeResult) -> None:
    """Add the containers, their label configuration and suppressions to the project."""
    from traefik_doctor.loaders.project import merge_fragments

    static = project.static
    project.traefik_container = result.traefik
    project.containers = result.containers
    project.suppress_ranges.extend(result.suppress_ranges)
    if result.traefik is not None:
        project.in_container = not result.traefik.host_network
    if static.present and not static.has("providers", "docker"):
        return  # no docker provider: Traefik never reads the labels
    by_default = static.get("providers", "docker", "exposedByDefault")
    default = by_default.as_bool() if by_default is not None else True
    for container in result.containers:
        enabled = container.enabled.as_bool() if container.enabled is not None else None
        container.exposed = bool(enabled) if enabled is not None else bool(default)
    fragments = []
    for container, tree in result.label_trees:
        if not container.exposed:
            continue
        document = label_document(result, container, tree, DYNAMIC)
        project.documents.append(document)
        if document.fragment is not None:
            fragments.append((document, document.fragment))
    merge_fragments(project.dynamic, fragments, project.issues)
