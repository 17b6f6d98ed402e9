"""A project as the list of objects Traefik itself tells apart, each a normalised tree.

Identities are Traefik's own: routers, services, middlewares and servers transports by
protocol and qualified name (``api@file``), TLS options and stores by name, certificates by the
names they cover (their SANs; the file when it cannot be read), entry points, providers and
certificate resolvers by name, every other static section (``accessLog``, ``metrics``, ``api``,
``log``...) by its key. The Go side adds one object per Go server (program folder and
address) with its ``http.Server`` timeouts.

Names are compared qualified (a router's ``service: api`` is ``api@file``), a router's rule
without the blanks outside its strings, its entry points as a set (and, when it names none,
the set Traefik attaches it to).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from traefik_doctor.diff.tree import Anchor, Branch, Hook, Leaf, Reader, list_leaf
from traefik_doctor.findings import Location
from traefik_doctor.loaders.tree import Entry, Mapping, Node, Null
from traefik_doctor.model.dynamic import Middleware, qualify
from traefik_doctor.model.project import Project
from traefik_doctor.model.timeouts import format_seconds
from traefik_doctor.schema.defaults import default
from traefik_doctor.schema.types import MapOf, SchemaType, Struct
from traefik_doctor.source import Origin

GO_TIMEOUTS = ("ReadTimeout", "ReadHeaderTimeout", "WriteTimeout", "IdleTimeout")

DEFAULT_MIN_VERSION = Leaf("versiontls12", "VersionTLS12 (Traefik's default option)")
"""Traefik's built-in ``default`` TLS option: TLS 1.2 and up (pkg/tls/tlsmanager.go)."""

NAMED_SECTIONS = {
    "entryPoints": "entryPoint",
    "certificatesResolvers": "certificatesResolver",
}
"""Static sections whose entries are objects of their own."""


@dataclass(slots=True)
class Obj:
    """One comparable object. ``presence``: being on one side only is itself the difference
    (a router, ``accessLog``); otherwise an absent object compares as all defaults."""

    kind: str
    name: str
    protocol: str
    origin: Anchor
    tree: Branch
    presence: bool = True

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.protocol, self.name)

    @property
    def label(self) -> str:
        """``router api@file``, ``tcp router db@file``, ``accessLog``."""
        if self.kind == "static":
            return self.name
        prefix = f"{self.protocol} " if self.protocol not in ("", "http") else ""
        return f"{prefix}{self.kind} {self.name}"


def project_objects(project: Project) -> list[Obj]:
    """Every object of ``project``, static first, in a stable order."""
    objects = _static_objects(project)
    objects.extend(_dynamic_objects(project))
    objects.extend(_certificates(project))
    objects.extend(_go_servers(project))
    return objects


# ---- static ------------------------------------------------------------------------------------


def _static_objects(project: Project) -> list[Obj]:
    from traefik_doctor.schema.static import STATIC

    root = project.static.root
    if root is None:
        return []
    reader = Reader()
    out: list[Obj] = []
    for entry in root:
        found = STATIC.lookup(entry.key)
        name, schema = found if found is not None else (entry.key, None)
        if name in NAMED_SECTIONS and isinstance(entry.value, Mapping):
            inner = schema.value if isinstance(schema, MapOf) else None
            for item in entry.value:
                tree = reader.read(item.value, inner, f"{name}.<name>")
                out.append(Obj(NAMED_SECTIONS[name], item.key, "", item, tree))
            continue
        if name == "providers" and isinstance(entry.value, Mapping) and isinstance(schema, Struct):
            rest = Branch(entry)
            for item in entry.value:
                inner_found = schema.lookup(item.key)
                inner_name, inner = inner_found if inner_found else (item.key, None)
                tree = reader.read(item.value, inner, f"providers.{inner_name}")
                if isinstance(inner, Struct):
                    out.append(Obj("provider", inner_name, "", item, tree))
                else:
                    single = reader.read(_single(item.key, entry.value), schema, "providers")
                    rest.children.update(single.children)
            if rest.children:
                out.append(Obj("static", "providers", "", entry, rest, presence=False))
            continue
        tree = reader.read(entry.value, schema, name)
        if not isinstance(schema, Struct):
            tree = Branch(entry, {"": _as_leaf(tree, entry.value, schema, name)})
        presence = name != "log" and default(name) == "false"
        out.append(Obj("static", name, "", entry, tree, presence=presence))
    return out


def _single(key: str, parent: Mapping) -> Mapping:
    """A mapping with just ``key`` (to read one top-level scalar of a section)."""
    single = Mapping(parent.origin)
    entry = parent.find(key)
    if entry is not None:
        single.add(entry)
    return single


def _as_leaf(tree: Branch, node: Node, schema: SchemaType | None, name: str) -> Leaf:
    """A top-level scalar (``configFile``); a key Traefik does not know, which it ignores at
    the top level, compares as empty."""
    leaf = tree.children.get("")
    if isinstance(leaf, Leaf):
        return leaf
    return Leaf("", "", node, schema, name)


# ---- dynamic -----------------------------------------------------------------------------------


def _dynamic_objects(project: Project) -> list[Obj]:
    from traefik_doctor.schema.dynamic import DYNAMIC

    dynamic = project.dynamic
    default_eps = project.static.default_entry_points()
    out: list[Obj] = []

    def schema_of(*path: str) -> SchemaType | None:
        found: SchemaType | None = DYNAMIC
        for part in path:
            found = found.fields.get(part) if isinstance(found, Struct) else None
        return found.value if isinstance(found, MapOf) else None

    for router in dynamic.routers.values():
        hooks = _router_hooks(router.provider, default_eps)
        path = f"{router.protocol}.routers.<name>"
        tree = Reader(hooks).read(router.body, schema_of(router.protocol, "routers"), path)
        if "entryPoints" not in tree.children and router.protocol != "udp":
            made = hooks["entrypoints"](None, f"{path}.entryPoints")
            if made is not None:
                tree.children["entryPoints"] = made
        if (
            "priority" not in tree.children
            and router.rule is not None
            and router.protocol == "http"
        ):
            # Traefik's default priority is the rule's length, blanks included.
            length = str(len(router.rule.text))
            tree.children["priority"] = Leaf(length, f"{length} (not set: the rule's length)")
        out.append(Obj("router", router.qualified, router.protocol, router.origin, tree))
    for service in dynamic.services.values():
        path = f"{service.protocol}.services.<name>"
        reader = Reader(_service_hooks(service.provider))
        tree = reader.read(service.body, schema_of(service.protocol, "services"), path)
        out.append(Obj("service", service.qualified, service.protocol, service.origin, tree))
    for middleware in dynamic.middlewares.values():
        path = f"{middleware.protocol}.middlewares.<name>"
        body = _middleware_body(middleware)
        reader = Reader({"chain.middlewares": _qualified(middleware.provider)})
        tree = reader.read(body, schema_of(middleware.protocol, "middlewares"), path)
        out.append(
            Obj("middleware", middleware.qualified, middleware.protocol, middleware.origin, tree)
        )
    for transport in dynamic.servers_transports.values():
        path = f"{transport.protocol}.serversTransports.<name>"
        schema = schema_of(transport.protocol, "serversTransports")
        tree = Reader().read(transport.body, schema, path)
        out.append(
            Obj("serversTransport", transport.qualified, transport.protocol, transport.origin, tree)
        )
    has_default = False
    for option in dynamic.tls_options.values():
        reader = Reader({"minversion": _tls_version, "maxversion": _tls_version})
        path = "tls.options.<name>"
        tree = reader.read(option.body, schema_of("tls", "options"), path)
        name = _tls_name(option.name, option.provider)
        if name == "default":
            if has_default:
                continue
            has_default = True
            tree.children.setdefault("minVersion", DEFAULT_MIN_VERSION)
        out.append(Obj("tls options", name, "", option.origin, tree, presence=name != "default"))
    if not has_default:
        # Traefik always has a `default` TLS option: compare a written one with the built-in.
        tree = Branch(None, {"minVersion": DEFAULT_MIN_VERSION})
        out.append(Obj("tls options", "default", "", None, tree, presence=False))
    for store in dynamic.tls_stores.values():
        tree = Reader().read(store.body, schema_of("tls", "stores"), "tls.stores.<name>")
        out.append(Obj("tls store", store.name, "", store.origin, tree))
    return out


def _middleware_body(middleware: Middleware) -> Mapping | None:
    """A middleware's body (its type key and options; the model keeps them apart)."""
    if middleware.kind is None:
        return None
    body = Mapping(middleware.origin)
    origin = middleware.kind_origin or middleware.origin
    body.add(Entry(middleware.kind, origin, middleware.options or Null(origin)))
    return body


def _tls_name(name: str, provider: str) -> str:
    """TLS options are global in Traefik: ``default`` is one option whatever defines it."""
    return name if name == "default" or "@" in name else f"{name}@{provider}"


_TLS_VERSIONS = {
    "versiontls10": "1.0",
    "versiontls11": "1.1",
    "versiontls12": "1.2",
    "versiontls13": "1.3",
}


def _tls_version(leaf: Leaf | None, schema_path: str) -> Leaf | None:
    if leaf is None:
        return None
    return replace(leaf, key=leaf.key.lower())


def tls_version_rank(text: str) -> float | None:
    """``VersionTLS12`` -> 1.2 (None: not a version name)."""
    found = _TLS_VERSIONS.get(text.strip().lower())
    return float(found) if found else None


def _qualified(provider: str) -> Hook:
    def hook(leaf: Leaf | None, schema_path: str) -> Leaf | None:
        if leaf is None:
            return None
        if leaf.key.startswith("[") and leaf.key.endswith("]"):
            names = [n.strip() for n in leaf.key[1:-1].split(",") if n.strip()]
            shown = [n.strip() for n in leaf.shown[1:-1].split(",") if n.strip()]
            made = list_leaf(
                [(qualify(n, provider), s) for n, s in zip(names, shown, strict=False)],
                leaf.origin,
            )
            return replace(made, schema=leaf.schema, schema_path=leaf.schema_path)
        return replace(leaf, key=qualify(leaf.key, provider))

    return hook


def normalise_rule(text: str) -> str:
    """The rule without blanks outside its string literals: Go's expression parser ignores
    them, so ``Host(`a`)&&Path(`/`)`` and ``Host(`a`) && Path(`/`)`` are the same rule."""
    out: list[str] = []
    quote: str | None = None
    escaped = False
    for ch in text:
        if quote is not None:
            out.append(ch)
            if quote == '"' and ch == "\\" and not escaped:
                escaped = True
                continue
            if ch == quote and not escaped:
                quote = None
            escaped = False
        elif ch in "`\"'":
            quote = ch
            out.append(ch)
        elif not ch.isspace():
            out.append(ch)
    return "".join(out)


def _rule(leaf: Leaf | None, schema_path: str) -> Leaf | None:
    if leaf is None:
        return None
    return replace(leaf, key=normalise_rule(leaf.shown))


def _router_hooks(provider: str, default_eps: list[str]) -> dict[str, Hook]:
    def entry_points(leaf: Leaf | None, schema_path: str) -> Leaf | None:
        if leaf is None:
            if not default_eps:
                return None
            made = list_leaf([(n, n) for n in default_eps], None)
            return replace(
                made,
                shown=f"{made.shown} (not set: Traefik's default entry points)",
                schema_path=schema_path,
            )
        names = sorted({n.strip() for n in leaf.key[1:-1].split(",") if n.strip()})
        return replace(leaf, key="[" + ", ".join(names) + "]")

    return {
        "rule": _rule,
        "service": _qualified(provider),
        "middlewares": _qualified(provider),
        "entrypoints": entry_points,
        "tls.options": lambda leaf, path: (
            replace(leaf, key=_tls_name(leaf.key, provider)) if leaf is not None else None
        ),
    }


def _service_hooks(provider: str) -> dict[str, Hook]:
    qualified = _qualified(provider)
    return {
        "loadbalancer.serverstransport": qualified,
        "weighted.services[].name": qualified,
        "highestrandomweight.services[].name": qualified,
        "mirroring.service": qualified,
        "mirroring.mirrors[].name": qualified,
        "failover.service": qualified,
        "failover.fallback": qualified,
    }


# ---- certificates ------------------------------------------------------------------------------


def _certificates(project: Project) -> list[Obj]:
    from traefik_doctor.model.certs import loaded_certificates

    out: list[Obj] = []
    seen: set[str] = set()
    for loaded in loaded_certificates(project):
        tree = Branch(loaded.origin)
        cert = loaded.cert
        name = ""
        if loaded.cert_file is not None:
            tree.children["certFile"] = _text_leaf(
                _short_path(loaded.cert_file.text), loaded.cert_file.origin
            )
        if loaded.key_file is not None:
            tree.children["keyFile"] = _text_leaf(
                _short_path(loaded.key_file.text), loaded.key_file.origin
            )
        if loaded.store_default is not None:
            tree.children["defaultCertificateOf"] = _text_leaf(loaded.store_default, loaded.origin)
        if cert is not None and cert.ok:
            name = ", ".join(sorted(set(cert.names())))
            tree.children["issuer"] = _text_leaf(
                "self-signed" if cert.is_self_signed else cert.issuer, loaded.origin
            )
            if cert.not_after is not None:
                tree.children["notAfter"] = _text_leaf(
                    cert.not_after.date().isoformat(), loaded.origin
                )
        elif cert is not None:
            tree.children["readable"] = _text_leaf(f"no: {cert.error}", loaded.origin)
        if not name:
            name = loaded.cert_file.text.strip() if loaded.cert_file is not None else "(inline)"
            name = _short_path(name)
        while name in seen:
            name += "'"
        seen.add(name)
        out.append(Obj("certificate", name, "", loaded.origin, tree))
    return out


def _short_path(text: str) -> str:
    stripped = text.strip()
    if "\n" in stripped or "-----BEGIN" in stripped:
        return "(inline PEM)"
    return str(PurePosixPath(stripped))


def _text_leaf(text: str, origin: Origin | Location | None) -> Leaf:
    return Leaf(text, text, origin)


# ---- Go ----------------------------------------------------------------------------------------


def _go_servers(project: Project) -> list[Obj]:
    scan = project.go
    if scan is None:
        return []
    out: list[Obj] = []
    seen: set[str] = set()
    for program in scan.programs:
        folder = str(PurePosixPath(program.location.path).parent)
        for server in program.servers:
            address = server.addr.default if server.addr.default is not None else server.addr.text
            name = f"{folder} {address or '(default address)'}"
            while name in seen:
                name += "'"
            seen.add(name)
            tree = Branch(server.location)
            for timeout in GO_TIMEOUTS:
                found = server.timeouts.get(timeout)
                if found is not None:
                    shown = (
                        format_seconds(found.seconds) if found.seconds is not None else found.text
                    )
                    tree.children[timeout] = Leaf(shown, shown, found.location)
                elif server.timeouts_known:
                    tree.children[timeout] = Leaf("none", "not set (no timeout)", server.location)
            tree.children["tls"] = _text_leaf("true" if server.tls else "false", server.location)
            out.append(Obj("Go server", name, "", server.location, tree))
    return out
