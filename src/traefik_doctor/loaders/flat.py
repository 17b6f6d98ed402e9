"""Flat dotted keys (labels, CLI flags, ``TRAEFIK_*`` variables) to a document tree.

Traefik reads ``traefik.http.routers.api.rule=...`` labels and ``--entrypoints.web.address``
flags with the same decoder as its files, after unflattening the keys. Doing the same here lets
one schema walk validate every source. Each leaf keeps the origin of its label or flag.
"""

from __future__ import annotations

from collections.abc import Iterable

from traefik_doctor.loaders.tree import Entry, Mapping, Node, Scalar
from traefik_doctor.source import Origin


def unflatten(
    pairs: Iterable[tuple[list[str], str, Origin, Origin]], root_origin: Origin
) -> tuple[Mapping, list[tuple[str, Origin]]]:
    """Build a tree from ``(key parts, value, key origin, value origin)``.

    Returns the tree and the keys that conflicted (both a value and a section); for those the
    first definition is kept, as Traefik reports an error for them.
    """
    root = Mapping(root_origin)
    conflicts: list[tuple[str, Origin]] = []
    for parts, value, key_origin, value_origin in pairs:
        node: Mapping = root
        ok = True
        for part in parts[:-1]:
            entry = node.entries.get(part)
            if entry is None:
                child = Mapping(key_origin)
                node.add(Entry(part, key_origin, child))
                node = child
            elif isinstance(entry.value, Mapping):
                node = entry.value
            else:
                conflicts.append((".".join(parts), key_origin))
                ok = False
                break
        if not ok or not parts:
            continue
        leaf: Node = Scalar(value_origin, value)
        existing = node.entries.get(parts[-1])
        if existing is not None and isinstance(existing.value, Mapping):
            conflicts.append((".".join(parts), key_origin))
            continue
        node.add(Entry(parts[-1], key_origin, leaf))
    return root, conflicts
