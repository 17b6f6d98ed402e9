"""Reading the fields of a manifest's objects, beyond what ``model.values`` reads.

Kubernetes objects hold lists of objects (``routes``, ``services``, ``ports``) and string maps
(``labels``, ``selector``, ``annotations``) where Traefik's own configuration holds named
sections; these are the few readers the translation needs for them.
"""

from __future__ import annotations

from traefik_doctor.loaders.tree import Mapping, Scalar, Sequence
from traefik_doctor.model.kubernetes import KubeObject
from traefik_doctor.model.values import Value, node_at, section


def items(node: Mapping | None, key: str) -> list[Mapping]:
    """The objects of a list field; anything else in the list is not an object Traefik (or
    Kubernetes) would decode, so it is passed over."""
    found = node_at(node, key)
    if not isinstance(found, Sequence):
        return []
    return [item for item in found.items if isinstance(item, Mapping)]


def strings(node: Mapping | None) -> dict[str, Value]:
    """A string map (``labels``, ``selector``, ``annotations``), keys exactly as written."""
    out: dict[str, Value] = {}
    for entry in node or ():
        if isinstance(entry.value, Scalar):
            out[entry.key] = Value(entry.value.text, entry.value.origin, entry.value.quoted)
    return out


def annotations_of(obj: KubeObject) -> dict[str, Value]:
    return strings(section(section(obj.body, "metadata"), "annotations"))


def text(found: Value | None) -> str:
    """The stripped text of an optional value ('' when absent): Go's zero value."""
    return found.text.strip() if found is not None else ""
