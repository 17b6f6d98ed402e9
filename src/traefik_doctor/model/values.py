"""A configuration value together with where it was written."""

from __future__ import annotations

from dataclasses import dataclass

from traefik_doctor.loaders.tree import Mapping, Node, Scalar, Sequence
from traefik_doctor.source import Origin


@dataclass(frozen=True, slots=True)
class Value:
    """A scalar as written (``text``) and its origin."""

    text: str
    origin: Origin
    quoted: bool = False

    def at(self, index: int) -> Origin:
        """The origin of the character at ``index`` of ``text`` (past an opening quote)."""
        shift = (1 if self.quoted else 0) + len(self.text[:index].encode())
        return self.origin.shifted(shift)

    def as_bool(self) -> bool | None:
        lowered = self.text.strip().lower()
        if lowered in ("1", "t", "true", "yes", "y", "on"):
            return True
        if lowered in ("0", "f", "false", "no", "n", "off"):
            return False
        return None

    def as_int(self) -> int | None:
        try:
            return int(self.text.strip().replace("_", ""), 0)
        except ValueError:
            try:
                return int(self.text.strip())
            except ValueError:
                return None


def value(node: Mapping | None, key: str) -> Value | None:
    """The scalar at a struct field (case-insensitive), or None."""
    if node is None:
        return None
    entry = node.find(key)
    if entry is None or not isinstance(entry.value, Scalar):
        return None
    return Value(entry.value.text, entry.value.origin, entry.value.quoted)


def section(node: Mapping | None, key: str) -> Mapping | None:
    """The mapping at a struct field (case-insensitive), or None."""
    if node is None:
        return None
    entry = node.find(key)
    if entry is None or not isinstance(entry.value, Mapping):
        return None
    return entry.value


def values(node: Mapping | None, key: str) -> list[Value]:
    """A list of strings: a sequence, or one comma-separated value (labels and flags)."""
    if node is None:
        return []
    entry = node.find(key)
    if entry is None:
        return []
    found = entry.value
    if isinstance(found, Sequence):
        return [
            Value(item.text, item.origin, item.quoted)
            for item in found.items
            if isinstance(item, Scalar)
        ]
    if isinstance(found, Scalar):
        whole = Value(found.text, found.origin, found.quoted)
        out = []
        position = 0
        for part in found.text.split(","):
            stripped = part.strip()
            if stripped:
                lead = len(part) - len(part.lstrip())
                out.append(Value(stripped, whole.at(position + lead)))
            position += len(part) + 1
        return out
    return []


def key_origin(node: Mapping | None, key: str) -> Origin | None:
    if node is None:
        return None
    entry = node.find(key)
    return entry.key_origin if entry is not None else None


def node_at(node: Mapping | None, key: str) -> Node | None:
    if node is None:
        return None
    entry = node.find(key)
    return entry.value if entry is not None else None
