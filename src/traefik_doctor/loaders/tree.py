"""A small document tree shared by every input format (YAML, TOML, labels, flags).

Traefik decodes all of its formats into the same structs, so the checker does too: each loader
produces these nodes, each node knowing its origin, and one schema walk validates them all.
Scalars stay text: whether ``"42"`` is a valid priority is the schema's question, answered
the way Traefik's decoder answers it, not the YAML library's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from traefik_doctor.source import Origin


class Positions(Protocol):
    """A parser that can say later where a node is (see yamltree): positions of 100,000
    nodes are then computed only for the few a finding points at."""

    def origin(self, node: int, mode: int) -> Origin: ...


Lazy = tuple[Positions, int, int]


class Node:
    """Base of all nodes: where the value starts."""

    __slots__ = ("_lazy", "_origin")

    def __init__(self, origin: Origin | None, lazy: Lazy | None = None) -> None:
        self._origin = origin
        self._lazy = lazy

    @property
    def origin(self) -> Origin:
        found = self._origin
        if found is None:
            assert self._lazy is not None
            positions, node, mode = self._lazy
            found = self._origin = positions.origin(node, mode)
            self._lazy = None
        return found


class Scalar(Node):
    """A single value as written. ``quoted`` is true for quoted YAML and TOML strings."""

    __slots__ = ("quoted", "text")

    def __init__(
        self, origin: Origin | None, text: str, quoted: bool = False, lazy: Lazy | None = None
    ) -> None:
        super().__init__(origin, lazy)
        self.text = text
        self.quoted = quoted

    def __repr__(self) -> str:
        return f"Scalar({self.text!r})"


class Null(Node):
    """A key with no value (``routers:`` followed by nothing)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Null()"


class Entry:
    """A mapping entry: the key as written, where the key is, and the value."""

    __slots__ = ("_key_origin", "_lazy", "key", "value")

    def __init__(
        self, key: str, key_origin: Origin | None, value: Node, lazy: Lazy | None = None
    ) -> None:
        self.key = key
        self._key_origin = key_origin
        self._lazy = lazy
        self.value = value

    @property
    def key_origin(self) -> Origin:
        found = self._key_origin
        if found is None:
            assert self._lazy is not None
            positions, node, mode = self._lazy
            found = self._key_origin = positions.origin(node, mode)
            self._lazy = None
        return found


class Mapping(Node):
    """An ordered mapping. A key given twice keeps the first; the second is in ``duplicates``."""

    __slots__ = ("_folded", "all_duplicates", "duplicates", "entries")

    def __init__(self, origin: Origin | None, lazy: Lazy | None = None) -> None:
        super().__init__(origin, lazy)
        self.entries: dict[str, Entry] = {}
        self.duplicates: list[tuple[Entry, Entry]] = []
        self._folded: tuple[int, dict[str, Entry]] | None = None
        self.all_duplicates: list[tuple[Entry, Entry]] | None = None
        """On a document's root, when the parser recorded them: every duplicate below it."""

    def add(self, entry: Entry) -> None:
        first = self.entries.get(entry.key)
        if first is None:
            self.entries[entry.key] = entry
        else:
            self.duplicates.append((first, entry))

    def get(self, key: str) -> Node | None:
        entry = self.entries.get(key)
        return entry.value if entry is not None else None

    def find(self, key: str) -> Entry | None:
        """Look a struct field up the way Traefik does: without regard to case."""
        entry = self.entries.get(key)
        if entry is not None:
            return entry
        folded_key = key.lower()
        if len(self.entries) <= 8:
            for name, candidate in self.entries.items():
                if name.lower() == folded_key:
                    return candidate
            return None
        # Large mappings: index the folded keys once, and again only if entries were added.
        index = self._folded
        if index is None or index[0] != len(self.entries):
            folded: dict[str, Entry] = {}
            for name, candidate in self.entries.items():
                folded.setdefault(name.lower(), candidate)
            index = self._folded = (len(self.entries), folded)
        return index[1].get(folded_key)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        return f"Mapping({list(self.entries)})"


class Sequence(Node):
    """A list."""

    __slots__ = ("items",)

    def __init__(
        self, origin: Origin | None, items: list[Node] | None = None, lazy: Lazy | None = None
    ) -> None:
        super().__init__(origin, lazy)
        self.items: list[Node] = items if items is not None else []

    def __repr__(self) -> str:
        return f"Sequence({len(self.items)})"


def text_of(node: Node | None) -> str | None:
    """The text of a scalar, or None for anything else."""
    return node.text if isinstance(node, Scalar) else None


def duplicate_pairs(tree: Node) -> list[tuple[Entry, Entry]]:
    """Every (first, second) pair of a key given twice in one mapping, each node visited once
    (aliases share nodes, so an alias bomb costs no more than its distinct nodes)."""
    if isinstance(tree, Mapping) and tree.all_duplicates is not None:
        return tree.all_duplicates
    pairs: list[tuple[Entry, Entry]] = []
    stack: list[Node] = [tree]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Mapping):
            pairs.extend(node.duplicates)
            stack.extend(entry.value for entry in node)
        elif isinstance(node, Sequence):
            stack.extend(node.items)
    return pairs
