"""YAML to document tree, with rapidyaml.

Why rapidyaml: Traefik loads 10,000 routers in about 1.4 s; PyYAML's C parser alone needs about
as long, rapidyaml parses the same file 40 times faster. Positions are byte offsets computed
from the memoryviews rapidyaml hands out (see ``_bufaddr``).

Go's YAML decoder (which Traefik uses) and this loader agree on what matters for
configuration: syntax errors, duplicate keys (both reject them), anchors, aliases and merge
keys (``<<``). Aliases are shared, not copied, and their expanded size is bounded, so an alias
bomb is reported as a syntax error the way Go reports "excessive aliasing".
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import ryml

from traefik_doctor.loaders._bufaddr import address
from traefik_doctor.loaders.tree import Entry, Mapping, Node, Null, Scalar, Sequence
from traefik_doctor.source import Origin, Source

MAX_DEPTH = 200
"""Deeper nesting than this is refused: no Traefik configuration needs it."""

MAX_EXPANDED_NODES = 2_000_000
"""Aliases may not expand the document beyond this many nodes."""

_NONE = ryml.NONE


@dataclass(frozen=True, slots=True)
class ParseFailure:
    """Why a file could not be read as YAML or TOML, and where."""

    message: str
    origin: Origin


class _Failed(Exception):
    def __init__(self, message: str, offset: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def check_text(source: Source) -> ParseFailure | None:
    """Refuse bytes no YAML/TOML decoder accepts: NUL bytes and invalid UTF-8."""
    data = source.data
    nul = data.find(b"\x00")
    if nul != -1:
        return ParseFailure("binary file: contains a NUL byte", Origin(source, nul))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return ParseFailure(
            f"not UTF-8 text: invalid byte 0x{data[exc.start]:02x}", Origin(source, exc.start)
        )
    return None


def _parse(buffer: bytearray) -> object:
    # rapidyaml prints its error report on file descriptor 2 before raising; the report is
    # also on the exception, so the print is silenced.
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        return ryml.parse_in_place(buffer)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def load_yaml(source: Source, provider: str = "file") -> Node | ParseFailure:
    """Parse ``source`` into a tree; an empty document is ``Null``."""
    bad = check_text(source)
    if bad is not None:
        return bad
    buffer = bytearray(source.data)
    try:
        tree = _parse(buffer)
    except ryml.ExceptionBasic as exc:
        return _failure_from(exc, source, provider)
    base = address(buffer)
    try:
        return _Converter(tree, source, base, provider).convert()
    except _Failed as exc:
        return ParseFailure(exc.message, Origin(source, exc.offset, provider))


def _failure_from(exc: ryml.ExceptionBasic, source: Source, provider: str) -> ParseFailure:
    message = str(getattr(exc, "msg", "") or "invalid YAML")
    offset: int | None = None
    data = getattr(exc, "errdata_parse", None)
    if data is not None:
        loc = data.ymlloc
        if loc.line:
            offset = source.offset_of(int(loc.line), int(loc.col) or 1)
    return ParseFailure(f"invalid YAML: {message}", Origin(source, offset, provider))


class _Converter:
    """Walks the rapidyaml tree once, iteratively (deep input must not hit Python's stack)."""

    def __init__(self, tree: object, source: Source, base: int, provider: str) -> None:
        self.t = tree
        self.source = source
        self.base = base
        self.provider = provider
        self.anchors: dict[str, Node] = {}
        self.sizes: dict[int, int] = {}
        self.expanded = 0

    def origin(self, offset: int | None) -> Origin:
        return Origin(self.source, offset, self.provider)

    def _offset(self, view: object, quoted: bool) -> int | None:
        addr = address(view)
        if not addr:
            return None
        offset = addr - self.base
        if not 0 <= offset <= len(self.source.data):
            return None
        return offset - 1 if quoted and offset > 0 else offset

    def convert(self) -> Node:
        t = self.t
        root = t.root_id()
        if t.is_stream(root):
            root = t.first_child(root)
            if root == _NONE:
                return Null(self.origin(0))
        return self._build(root)

    def _key_of(self, n: int) -> tuple[str, Origin]:
        t = self.t
        view = t.key(n)
        text = bytes(view).decode("utf-8", "replace")
        return text, self.origin(self._offset(view, bool(t.is_key_quoted(n))))

    def _value_start(self, n: int) -> int | None:
        """Where a node's value begins: its scalar, or its first descendant with a position."""
        t = self.t
        probe = n
        for _ in range(MAX_DEPTH):
            if t.has_val(probe) and not t.val_is_null(probe):
                view = t.val(probe)
                if view is not None and len(view):
                    return self._offset(view, bool(t.is_val_quoted(probe)))
            child = t.first_child(probe)
            if child == _NONE:
                break
            if t.has_key(child):
                return self._offset(t.key(child), bool(t.is_key_quoted(child)))
            probe = child
        return None

    def _build(self, top: int) -> Node:
        t = self.t
        # Work stack of (ryml node, parent container, key entry or None, depth).
        result: list[Node] = []
        stack: list[tuple[int, Mapping | Sequence | None, tuple[str, Origin] | None, int]] = [
            (top, None, None, 0)
        ]
        merges: list[tuple[Mapping, Node]] = []
        while stack:
            n, parent, key, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise _Failed(
                    f"nesting deeper than {MAX_DEPTH} levels", key[1].offset if key else None
                )
            node = self._node(n, key)
            if t.is_container(n) and not self._is_ref(n):
                children = []
                c = t.first_child(n)
                while c != _NONE:
                    children.append(c)
                    c = t.next_sibling(c)
                container = node
                assert isinstance(container, Mapping | Sequence)
                for c in reversed(children):
                    ckey = self._key_of(c) if t.is_map(n) else None
                    stack.append((c, container, ckey, depth + 1))
            self._anchor(n, node)
            if parent is None:
                result.append(node)
            elif isinstance(parent, Mapping):
                assert key is not None
                if key[0] == "<<" and not t.is_key_quoted(n):
                    merges.append((parent, node))
                else:
                    parent.add(Entry(key[0], key[1], node))
            else:
                parent.items.append(node)
        # Merge keys: explicit keys win over merged ones, whatever their order.
        for target, merged in reversed(merges):
            sources = merged.items if isinstance(merged, Sequence) else [merged]
            for src in sources:
                if not isinstance(src, Mapping):
                    raise _Failed("map merge requires map or sequence of maps", None)
                for entry in src:
                    if entry.key not in target.entries:
                        target.entries[entry.key] = entry
        return result[0]

    def _is_ref(self, n: int) -> bool:
        return bool(self.t.is_val_ref(n)) or bool(self.t.is_key_ref(n))

    def _anchor(self, n: int, node: Node) -> None:
        t = self.t
        if t.has_val_anchor(n):
            name = bytes(t.val_anchor(n)).decode("utf-8", "replace")
            self.anchors[name] = node

    def _node(self, n: int, key: tuple[str, Origin] | None) -> Node:
        t = self.t
        if t.is_val_ref(n):
            name = bytes(t.val_ref(n)).decode("utf-8", "replace")
            target = self.anchors.get(name)
            if target is None:
                start = self._value_start(n)
                raise _Failed(f"unknown anchor '{name}' referenced", start)
            self.expanded += _size(target, self.sizes)
            if self.expanded > MAX_EXPANDED_NODES:
                raise _Failed("document contains excessive aliasing", self._value_start(n))
            return target
        self.expanded += 1
        key_offset = key[1].offset if key else None
        if t.is_map(n):
            start = self._value_start(n)
            return Mapping(self.origin(start if start is not None else key_offset))
        if t.is_seq(n):
            start = self._value_start(n)
            return Sequence(self.origin(start if start is not None else key_offset))
        if not t.has_val(n) or t.val_is_null(n):
            return Null(self.origin(key_offset))
        view = t.val(n)
        quoted = bool(t.is_val_quoted(n))
        if view is None:
            return Null(self.origin(key_offset))
        text = bytes(view).decode("utf-8", "replace")
        if not quoted and text in ("~", "null", "Null", "NULL"):
            return Null(self.origin(key_offset))
        offset = self._offset(view, quoted) if len(view) else key_offset
        return Scalar(self.origin(offset), text, quoted)


def _size(node: Node, memo: dict[int, int]) -> int:
    """Nodes a subtree stands for once aliases are expanded (memoised: shared subtrees)."""
    known = memo.get(id(node))
    if known is not None:
        return known
    order: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in memo:
            continue
        order.append(current)
        if isinstance(current, Mapping):
            stack.extend(entry.value for entry in current)
        elif isinstance(current, Sequence):
            stack.extend(current.items)
    for current in reversed(order):
        if isinstance(current, Mapping):
            total = 1 + sum(memo.get(id(e.value), 1) for e in current)
        elif isinstance(current, Sequence):
            total = 1 + sum(memo.get(id(i), 1) for i in current.items)
        else:
            total = 1
        memo[id(current)] = total
    return memo[id(node)]
