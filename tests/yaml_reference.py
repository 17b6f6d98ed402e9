"""The previous YAML loader (one rapidyaml call per node and field), kept as the oracle of
tests/test_yamltree_equivalence.py. Do not use it from the program.

Original notes: YAML to document tree, with rapidyaml.

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
from typing import Any

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


class _ConversionError(Exception):
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


def _parse(buffer: bytearray) -> Any:
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
        return _Converter(tree, buffer, source, base, provider).convert()
    except _ConversionError as exc:
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


_MAP, _SEQ, _VAL = ryml.MAP, ryml.SEQ, ryml.VAL
_VALREF, _KEYREF, _VALANCH = ryml.VALREF, ryml.KEYREF, ryml.VALANCH
_VALQUO, _KEYQUO = ryml.VALQUO, ryml.KEYQUO
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_KEY_START, _VALUE_START, _CONTAINER_START = 0, 1, 2


class _Converter:
    """Walks the rapidyaml tree once, iteratively (deep input must not hit Python's stack).

    It stays alive behind the origins it hands out (with the parsed buffer), so positions
    are computed only for the values a finding points at.
    """

    def __init__(
        self, tree: Any, buffer: bytearray, source: Source, base: int, provider: str
    ) -> None:
        self.t = tree
        self.buffer = buffer
        self.source = source
        self.base = base
        self.provider = provider
        self.anchors: dict[str, Node] = {}
        self.sizes: dict[int, int] = {}
        self.expanded = 0

    def origin(self, n: int, mode: int) -> Origin:
        return Origin(self.source, None, self.provider, (self, n, mode))

    def offset(self, n: int, mode: int) -> int | None:
        """Byte offset of node ``n``'s key, value, or first descendant (``mode``)."""
        t = self.t
        if mode == _VALUE_START:
            ty = t.type(n)
            if ty & _VAL:
                view = t.val(n)
                if view is not None and len(view):
                    return self._offset(view, bool(ty & _VALQUO))
            return self.offset(n, _KEY_START) if t.has_key(n) else None
        if mode == _CONTAINER_START:
            start = self._value_start(n)
            if start is not None:
                return start
            return self.offset(n, _KEY_START) if t.has_key(n) else None
        if not t.has_key(n):
            return self.offset(n, _CONTAINER_START) if t.is_container(n) else None
        return self._offset(t.key(n), bool(t.type(n) & _KEYQUO))

    def _offset(self, view: object, quoted: bool) -> int | None:
        # Fixed here too (was a TypeError): a key with no text (`: x`) has no view.
        addr = address(view) if view is not None else 0
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
                return Null(Origin(self.source, 0, self.provider))
        return self._build(root)

    def _value_start(self, n: int) -> int | None:
        """Where a container's value begins: its first descendant with a position."""
        t = self.t
        probe = n
        for _ in range(MAX_DEPTH):
            child = t.first_child(probe)
            if child == _NONE:
                break
            if t.has_key(child):
                return self._offset(t.key(child), bool(t.type(child) & _KEYQUO))
            ty = t.type(child)
            if ty & _VAL and not ty & (_MAP | _SEQ):
                view = t.val(child)
                if view is not None and len(view):
                    return self._offset(view, bool(ty & _VALQUO))
            probe = child
        return None

    def _build(self, top: int) -> Node:
        t = self.t
        first_child = t.first_child
        next_sibling = t.next_sibling
        node_type = t.type
        key_of = t.key
        val_of = t.val
        merges: list[tuple[Mapping, Node]] = []
        duplicates: list[tuple[Entry, Entry]] = []
        root = self._leaf(top, node_type(top), top_level=True)
        if not isinstance(root, Mapping | Sequence) or node_type(top) & _VALREF:
            return root
        # Depth-first, in document order (anchors come before their aliases): one frame per
        # open container holding its next child; scalars are handled in place.
        stack: list[list[Any]] = [[first_child(top), root]]
        while stack:
            frame = stack[-1]
            c = frame[0]
            if c == _NONE:
                stack.pop()
                continue
            frame[0] = next_sibling(c)
            parent = frame[1]
            ty = node_type(c)
            node: Node
            if ty & _VALREF:
                node = self._alias(c)
            elif ty & (_MAP | _SEQ):
                self.expanded += 1
                where = (self, c, _CONTAINER_START)
                node = Mapping(None, where) if ty & _MAP else Sequence(None, None, where)
                if len(stack) >= MAX_DEPTH:
                    raise _ConversionError(f"nesting deeper than {MAX_DEPTH} levels", None)
                stack.append([first_child(c), node])
            else:
                self.expanded += 1
                view = val_of(c) if ty & _VAL else None
                text = str(view, "utf-8", "replace") if view is not None else ""
                if not ty & _VALQUO and text in _NULLS:
                    node = Null(
                        None, (self, c, _KEY_START if parent.__class__ is Mapping else _VALUE_START)
                    )
                else:
                    node = Scalar(None, text, bool(ty & _VALQUO), (self, c, _VALUE_START))
            if ty & _VALANCH:
                self.anchors[str(t.val_anchor(c), "utf-8", "replace")] = node
            if parent.__class__ is Mapping:
                kview = key_of(c)  # a key with no text (`: x`) is an empty key, not a crash
                key = str(kview, "utf-8", "replace") if kview is not None else ""
                if key == "<<" and not ty & _KEYQUO:
                    merges.append((parent, node))
                    continue
                entries = parent.entries
                entry = Entry(key, None, node, (self, c, _KEY_START))
                first = entries.get(key)
                if first is None:
                    entries[key] = entry
                else:
                    parent.duplicates.append((first, entry))
                    duplicates.append((first, entry))
            else:
                parent.items.append(node)
        # Merge keys: explicit keys win over merged ones, whatever their order.
        for target, merged in reversed(merges):
            sources = merged.items if isinstance(merged, Sequence) else [merged]
            for src in sources:
                if not isinstance(src, Mapping):
                    raise _ConversionError("map merge requires map or sequence of maps", None)
                for entry in src:
                    if entry.key not in target.entries:
                        target.entries[entry.key] = entry
        if isinstance(root, Mapping):
            root.all_duplicates = duplicates
        return root

    def _leaf(self, n: int, ty: int, *, top_level: bool) -> Node:
        """The document's root node (its children are filled by ``_build``)."""
        if ty & _VALREF:
            return self._alias(n)
        self.expanded += 1
        where = (self, n, _CONTAINER_START)
        if ty & _MAP:
            node: Node = Mapping(None, where)
        elif ty & _SEQ:
            node = Sequence(None, None, where)
        else:
            view = self.t.val(n) if ty & _VAL else None
            text = str(view, "utf-8", "replace") if view is not None else ""
            if not ty & _VALQUO and text in _NULLS:
                node = Null(Origin(self.source, 0, self.provider))
            else:
                node = Scalar(None, text, bool(ty & _VALQUO), (self, n, _VALUE_START))
        if ty & _VALANCH:
            self.anchors[str(self.t.val_anchor(n), "utf-8", "replace")] = node
        return node

    def _alias(self, n: int) -> Node:
        name = bytes(self.t.val_ref(n)).decode("utf-8", "replace")
        target = self.anchors.get(name)
        where = self.offset(n, _VALUE_START)
        if target is None:
            raise _ConversionError(f"unknown anchor '{name}' referenced", where)
        self.expanded += _size(target, self.sizes)
        if self.expanded > MAX_EXPANDED_NODES:
            raise _ConversionError("document contains excessive aliasing", where)
        return target


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
