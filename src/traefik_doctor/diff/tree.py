"""A configuration object as a normalised tree, so that two projects compare by meaning.

Traefik decodes every format into the same Go structs, matching keys without regard to case,
reading ``"10s"`` and ``10`` as the same duration, ``True`` and ``true`` as the same bool. Two
configurations that decode alike must compare equal, so each object's document tree is read
through the schema (``schema/``) into ``Branch`` and ``Leaf`` nodes:

- struct fields get Traefik's spelling (``healthcheck`` -> ``healthCheck``); map keys (router
  names, header names) stay as written;
- scalars are normalised by their Go type (bool, duration, int, float); a list of strings is one
  leaf, ``[a, b]``, whose order counts;
- a list of structs is keyed by what identifies an item (a server by its ``url``, a certificate
  by its ``certFile``), so reordering servers is no difference;
- ``presence`` marks a branch whose mere presence changes behaviour (a router's ``tls``, a
  service's ``healthCheck``, ``accessLog``, a middleware's type): one side without it is one
  difference, not one per field.

Leaves keep where they are written as an ``Anchor`` (the document node or entry), turned into
file, line and column only for the few differences a report shows (``resolve``). ``schema_path``
spells map keys as ``<name>`` and list items as ``[n]``, the way ``schema/defaults.py`` keys
them, so looking a default up for 10,000 routers is one cached lookup. ``hooks`` let the
caller normalise a field with knowledge the schema does not have (a rule, a qualified name).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from traefik_doctor.findings import Location
from traefik_doctor.loaders.tree import Entry, Mapping, Node, Null, Scalar, Sequence
from traefik_doctor.model.timeouts import format_seconds
from traefik_doctor.schema.defaults import default, parse_duration_seconds
from traefik_doctor.schema.types import ListOf, MapOf, ScalarKind, SchemaType, Struct
from traefik_doctor.schema.types import Scalar as ScalarType
from traefik_doctor.source import Origin

PRESENCE_FIELDS = frozenset(
    {"tls", "healthcheck", "passivehealthcheck", "redirections", "sticky", "accesslog"}
)
"""Fields (lower-cased) whose presence alone changes behaviour, besides those the schema marks
as allowed empty and the sections Traefik's ``--help`` prints as ``false`` until written."""

LIST_KEYS = ("url", "address", "name", "main", "certFile", "service")
"""What identifies an item of a list of structs, in order of preference (else its index)."""

_BOOL_TRUE = frozenset({"1", "t", "true", "yes", "y", "on"})
_BOOL_FALSE = frozenset({"0", "f", "false", "no", "n", "off"})


Anchor = Origin | Location | Node | Entry | None
"""Where a value is written: resolved to a place only when shown (``resolve``)."""


def resolve(anchor: Anchor) -> Location | None:
    """The file, line and column of an anchor (an entry: its key)."""
    if anchor is None or isinstance(anchor, Location):
        return anchor
    if isinstance(anchor, Entry):
        return anchor.key_origin.location()
    if isinstance(anchor, Node):
        return anchor.origin.location()
    return anchor.location()


@dataclass(frozen=True, slots=True)
class Leaf:
    """A value: ``key`` is what compares, ``shown`` what the report prints; ``schema`` and
    ``schema_path`` find Traefik's default when the other side leaves the field unset."""

    key: str
    shown: str
    origin: Anchor = None
    schema: SchemaType | None = field(default=None, compare=False)
    schema_path: str = field(default="", compare=False)


@dataclass(slots=True)
class Branch:
    origin: Anchor = None
    children: dict[str, Item] = field(default_factory=dict)
    presence: bool = False
    """Present or absent is itself a difference (see the module docstring)."""

    def leaves(self, prefix: str = "") -> Iterator[tuple[str, Leaf]]:
        """Every leaf below, with its dotted path (for summaries)."""
        for name, child in self.children.items():
            path = f"{prefix}.{name}" if prefix and not name.startswith("[") else prefix + name
            if isinstance(child, Leaf):
                yield path, child
            else:
                yield from child.leaves(path)


Item = Leaf | Branch

Hook = Callable[[Leaf | None, str], Leaf | None]
"""``(leaf or None when unset, schema path) -> leaf``: a field normalised by the caller."""


def normalise_scalar(text: str, kind: ScalarKind | None) -> str:
    """The comparison key of a scalar of Go type ``kind`` (None: unknown, compared as text)."""
    stripped = text.strip()
    if kind is None or kind is ScalarKind.STRING or kind is ScalarKind.ANY:
        return stripped
    lowered = stripped.lower()
    if kind is ScalarKind.BOOL:
        if lowered in _BOOL_TRUE:
            return "true"
        if lowered in _BOOL_FALSE:
            return "false"
        return stripped
    if kind is ScalarKind.DURATION:
        seconds = parse_duration_seconds(stripped)
        return format_seconds(seconds) if seconds is not None else stripped
    if kind is ScalarKind.GO_DURATION:
        if stripped.lstrip("+-").isdigit():  # time.Duration: a bare integer is nanoseconds
            return format_seconds(int(stripped) / 1e9)
        seconds = parse_duration_seconds(stripped)
        return format_seconds(seconds) if seconds is not None else stripped
    if kind in (ScalarKind.INT, ScalarKind.UINT):
        try:
            return str(int(stripped.replace("_", ""), 0))
        except ValueError:
            try:
                return str(int(stripped))
            except ValueError:
                return stripped
    if kind is ScalarKind.FLOAT:
        try:
            return f"{float(stripped):g}"
        except ValueError:
            return stripped
    return stripped


def _scalar_kind(schema: SchemaType | None) -> ScalarKind | None:
    return schema.kind if isinstance(schema, ScalarType) else None


def list_leaf(
    items: list[tuple[str, str]],
    origin: Anchor,
    schema: SchemaType | None = None,
    schema_path: str = "",
) -> Leaf:
    """A list of scalars: ``[(key, shown), ...]`` in order."""
    return Leaf(
        "[" + ", ".join(key for key, _ in items) + "]",
        "[" + ", ".join(shown for _, shown in items) + "]",
        origin,
        schema,
        schema_path,
    )


def default_leaf(schema_path: str, schema: SchemaType | None) -> Leaf | None:
    """Traefik's default for an unset field, as a leaf without origin (None: none known)."""
    text = default(schema_path)
    if text is None and _scalar_kind(schema) is ScalarKind.BOOL:
        text = "false"  # Go's zero value: a bool Traefik sets no default for
    if text is None or isinstance(schema, Struct | MapOf):
        return None
    if isinstance(schema, ListOf):
        item_kind = _scalar_kind(schema.item)
        parts = [p.strip() for p in text.split(",") if p.strip()]
        pairs = [(normalise_scalar(p, item_kind), p) for p in parts]
        return list_leaf(pairs, None, schema, schema_path)
    kind = _scalar_kind(schema)
    key = normalise_scalar(text, kind)
    if key == "" and kind is not ScalarKind.STRING:
        return None
    return Leaf(key, text if kind in (ScalarKind.STRING, None) else key, None, schema, schema_path)


@lru_cache(maxsize=4096)
def _off_until_written(schema_path: str) -> bool:
    """Sections Traefik's ``--help`` prints as ``false``: off until written (``accessLog``)."""
    return default(schema_path) == "false"


@dataclass(slots=True)
class Reader:
    """Reads document nodes into normalised trees. ``hooks`` are keyed by the field path
    inside the object, lower-cased (``rule``, ``loadbalancer.serverstransport``; a list item
    is ``[]``: ``weighted.services[].name``)."""

    hooks: dict[str, Hook] = field(default_factory=dict)

    def read(self, node: Node | None, schema: SchemaType | None, schema_path: str) -> Branch:
        """The object at ``node`` (a mapping, or nothing) as a branch; ``schema_path`` is its
        path in ``schema/defaults.py``'s spelling (``http.routers.<name>``)."""
        item = self._item(node, schema, schema_path, "", node)
        if isinstance(item, Branch):
            return item
        return Branch(node, {"": item} if item is not None else {})

    def _item(
        self,
        node: Node | None,
        schema: SchemaType | None,
        schema_path: str,
        path: str,
        anchor: Anchor,
    ) -> Item | None:
        if self.hooks:
            hook = self.hooks.get(path.lower())
            if hook is not None and not isinstance(node, Mapping):
                return hook(self._plain(node, schema, schema_path, anchor), schema_path)
        if isinstance(node, Mapping):
            return self._mapping(node, schema, schema_path, path, anchor)
        if isinstance(node, Sequence):
            return self._sequence(node, schema, schema_path, path, anchor)
        if isinstance(node, Null):
            return Branch(anchor) if isinstance(schema, Struct) else None
        if isinstance(node, Scalar) and isinstance(schema, Struct):
            # Labels and flags write an empty struct as ``tls=true``.
            lowered = node.text.strip().lower()
            if lowered in _BOOL_TRUE:
                return Branch(anchor)
            if lowered in _BOOL_FALSE:
                return None
        return self._plain(node, schema, schema_path, anchor)

    def _plain(
        self,
        node: Node | None,
        schema: SchemaType | None,
        schema_path: str,
        anchor: Anchor,
    ) -> Leaf | None:
        """A scalar, or a list of scalars, as one leaf (None: not a scalar value)."""
        if isinstance(node, Scalar):
            if isinstance(schema, ListOf):
                kind = _scalar_kind(schema.item)
                parts = [p.strip() for p in node.text.split(",") if p.strip()]
                pairs = [(normalise_scalar(p, kind), p) for p in parts]
                return list_leaf(pairs, node, schema, schema_path)
            text = node.text
            shown = " ".join(text.split())
            key = normalise_scalar(text, _scalar_kind(schema))
            return Leaf(key, shown, node, schema, schema_path)
        if isinstance(node, Sequence):
            items = node.items
            if not all(isinstance(i, Scalar) for i in items):
                return None
            kind = _scalar_kind(schema.item) if isinstance(schema, ListOf) else None
            pairs = [
                (normalise_scalar(i.text, kind), " ".join(i.text.split()))
                for i in items
                if isinstance(i, Scalar)
            ]
            return list_leaf(pairs, items[0] if items else anchor, schema, schema_path)
        return None

    def _mapping(
        self,
        node: Mapping,
        schema: SchemaType | None,
        schema_path: str,
        path: str,
        anchor: Anchor,
    ) -> Branch:
        branch = Branch(anchor)
        children = branch.children
        for entry in node:
            child_schema: SchemaType | None = None
            name = entry.key
            child_schema_path = f"{schema_path}.{name}"
            presence = False
            if isinstance(schema, Struct):
                found = schema.lookup(name)
                if found is not None:
                    name, child_schema = found
                    child_schema_path = f"{schema_path}.{name}"
                    presence = schema.exclusive or _presence_field(schema.name, name)
            elif isinstance(schema, MapOf):
                child_schema = schema.value
                child_schema_path = f"{schema_path}.<name>"
                presence = True
            child_path = f"{path}.{name}" if path else name
            child = self._item(entry.value, child_schema, child_schema_path, child_path, entry)
            if child is None:
                continue
            if isinstance(child, Branch):
                child.presence = child.presence or presence or _off_until_written(child_schema_path)
            children[name] = child
        return branch

    def _sequence(
        self,
        node: Sequence,
        schema: SchemaType | None,
        schema_path: str,
        path: str,
        anchor: Anchor,
    ) -> Item | None:
        item_schema = schema.item if isinstance(schema, ListOf) else None
        if not isinstance(item_schema, Struct) and all(isinstance(i, Scalar) for i in node.items):
            return self._plain(node, schema, schema_path, anchor)
        branch = Branch(anchor)
        for index, item in enumerate(node.items):
            label = _item_label(item, index)
            child = self._item(item, item_schema, f"{schema_path}[n]", f"{path}[]", item)
            if child is None:
                continue
            if isinstance(child, Branch):
                child.presence = True
            while label in branch.children:  # the same key twice: keep both
                label += "'"
            branch.children[label] = child
        return branch


def _item_label(item: Node, index: int) -> str:
    if isinstance(item, Mapping):
        for key in LIST_KEYS:
            entry = item.find(key)
            if entry is not None and isinstance(entry.value, Scalar) and entry.value.text.strip():
                return f"[{entry.value.text.strip()}]"
    return f"[{index}]"


@lru_cache(maxsize=1024)
def _presence_field(struct: str, name: str) -> bool:
    from traefik_doctor.schema.dynamic import ALLOW_EMPTY as DYNAMIC_EMPTY
    from traefik_doctor.schema.static import ALLOW_EMPTY as STATIC_EMPTY

    return (
        name.lower() in PRESENCE_FIELDS
        or (struct, name) in DYNAMIC_EMPTY
        or (struct, name) in STATIC_EMPTY
    )
