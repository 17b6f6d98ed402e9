"""Compare two projects' objects field by field.

Objects pair by identity (``diff.objects``); within a pair the normalised trees are walked
together. A field set on one side only is compared with Traefik's default
(``schema/defaults.py``): ``healthCheck.interval: 30s`` against an unset interval is no
difference, ``readTimeout: 5s`` against an unset one is ``60s (default) -> 5s``. A branch whose
presence matters (``tls``, ``healthCheck``, a server) on one side only is one ``+``/``-``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TypeVar

from traefik_doctor.diff.areas import area_of
from traefik_doctor.diff.model import ADDED, CHANGED, REMOVED, Change, Side
from traefik_doctor.diff.objects import Obj
from traefik_doctor.diff.tree import Anchor, Branch, Item, Leaf, default_leaf, resolve
from traefik_doctor.findings import Location

SUMMARY_FIELDS = 4
"""Fields shown for an object or section on one side only."""

T = TypeVar("T")

_PREFERRED = ("rule", "entryPoints", "service", "address", "url", "servers", "path", "format")


def compare(a: list[Obj], b: list[Obj]) -> list[Change]:
    """Every difference between objects ``a`` and ``b``, in A's order then B's."""
    first: dict[tuple[str, str, str], Obj] = {}
    second: dict[tuple[str, str, str], Obj] = {}
    for obj in a:
        first.setdefault(obj.key, obj)
    for obj in b:
        second.setdefault(obj.key, obj)
    keys = list(first) + [key for key in second if key not in first]
    changes: list[Change] = []
    for key in keys:
        left, right = first.get(key), second.get(key)
        model = left or right
        assert model is not None
        if left is not None and right is not None:
            changes.extend(_walk(model, left.tree, right.tree, ""))
        elif left is not None and left.presence:
            changes.append(_whole(model, REMOVED, left.tree, left.origin))
        elif right is not None and right.presence:
            changes.append(_whole(model, ADDED, right.tree, right.origin))
        else:
            changes.extend(
                _walk(model, left.tree if left else Branch(), right.tree if right else Branch(), "")
            )
    return _fold_rule_priority(changes)


def _whole(obj: Obj, op: str, tree: Branch, origin: Anchor) -> Change:
    return _change(obj, op, "", *_by_side(op, Side(summary(tree), where(origin)), None))


def where(anchor: Anchor) -> Location | None:
    return resolve(anchor)


def summary(tree: Branch, skip: str = "") -> str:
    """The first few fields of a branch: ``rule Host(`a`), service api@file, ...``;
    ``skip``: a value already shown (a list item's key, ``servers[http://a]``)."""
    leaves = [
        (path, leaf)
        for path, leaf in tree.leaves()
        if (not skip or leaf.shown != skip) and not (path == "priority" and leaf.origin is None)
    ]
    rank = {name.lower(): index for index, name in enumerate(_PREFERRED)}

    def order(item: tuple[int, tuple[str, Leaf]]) -> tuple[int, int]:
        index, (path, _) = item
        head = path.split(".", 1)[0].split("[", 1)[0].lower()
        return (rank.get(head, len(rank)), index)

    ordered = [pair for _, pair in sorted(enumerate(leaves), key=order)]
    shown = [_field_text(path, leaf) for path, leaf in ordered]
    if not shown:
        return "" if skip else "{}"
    text = ", ".join(shown[:SUMMARY_FIELDS])
    return text + (", ..." if len(shown) > SUMMARY_FIELDS else "")


def _field_text(path: str, leaf: Leaf) -> str:
    """``path value``; a list item's key leaf is its path alone (``servers[http://a]``)."""
    if not path:
        return leaf.shown
    head = path.rpartition(".")[0]
    if head.endswith(f"[{leaf.shown}]"):
        return head
    return f"{path} {leaf.shown}"


def _join(path: str, name: str) -> str:
    if not name:
        return path
    if name.startswith("[") or not path:
        return f"{path}{name}"
    return f"{path}.{name}"


def _walk(obj: Obj, a: Branch, b: Branch, path: str) -> Iterator[Change]:
    names = list(a.children) + [name for name in b.children if name not in a.children]
    for name in names:
        yield from _pair(obj, a.children.get(name), b.children.get(name), _join(path, name))


def _pair(obj: Obj, a: Item | None, b: Item | None, path: str) -> Iterator[Change]:
    if isinstance(a, Branch) and isinstance(b, Branch):
        yield from _walk(obj, a, b, path)
        return
    if isinstance(a, Leaf) and isinstance(b, Leaf):
        if a.key != b.key:
            change = _change(obj, CHANGED, path, _side(a), _side(b))
            yield replace(change, note=_list_note(a, b, path))
        return
    if a is not None and b is None:
        yield from _one_side(obj, a, path, REMOVED)
        return
    if a is None and b is not None:
        yield from _one_side(obj, b, path, ADDED)
        return
    # A value on one side, a section on the other.
    yield _change(obj, CHANGED, path, _any_side(a), _any_side(b))


def _by_side(op: str, mine: T, other: T) -> tuple[T, T]:
    """(A's, B's) for an item on one side only: ``mine`` is A's when ``op`` is REMOVED."""
    return (mine, other) if op == REMOVED else (other, mine)


def _one_side(obj: Obj, item: Item, path: str, op: str) -> Iterator[Change]:
    """An item A has and B has not (``op`` REMOVED), or the other way round (ADDED): a
    branch whose presence matters is one change, another is walked field by field; a value
    is compared with Traefik's default for it."""
    if isinstance(item, Branch):
        if item.presence:
            skip = path[path.rfind("[") + 1 : -1] if path.endswith("]") else ""
            side = Side(summary(item, skip=skip), where(item.origin))
            yield _change(obj, op, path, *_by_side(op, side, None))
        else:
            yield from _walk(obj, *_by_side(op, item, Branch()), path)
        return
    fallback = default_leaf(item.schema_path, item.schema)
    if fallback is not None and fallback.key == item.key:
        return
    if fallback is None:
        yield _change(obj, op, path, *_by_side(op, _side(item), None))
    else:
        default = Side(fallback.shown, None, default=True)
        yield _change(obj, CHANGED, path, *_by_side(op, _side(item), default))


def _list_note(a: Leaf, b: Leaf, path: str) -> str:
    """Say so when two lists hold the same items in another order (a middleware chain runs
    in list order; for most other lists the order is the only change)."""
    if not (a.key.startswith("[") and b.key.startswith("[")):
        return ""
    first = sorted(item.strip() for item in a.key[1:-1].split(","))
    second = sorted(item.strip() for item in b.key[1:-1].split(","))
    if first != second:
        return ""
    if path.lower().endswith("middlewares"):
        return "the same middlewares in another order: they run in list order"
    return "the same items in another order"


def _side(leaf: Leaf) -> Side:
    return Side(leaf.shown, where(leaf.origin), default=leaf.origin is None)


def _any_side(item: Item | None) -> Side | None:
    if item is None:
        return None
    if isinstance(item, Leaf):
        return _side(item)
    return Side("{" + summary(item) + "}", where(item.origin))


def _change(obj: Obj, op: str, path: str, a: Side | None, b: Side | None) -> Change:
    return Change(area_of(obj, path), op, obj.kind, obj.protocol, obj.name, obj.label, path, a, b)


def _fold_rule_priority(changes: list[Change]) -> list[Change]:
    """A router's rule change gets a note on what it matches; when the priority is Traefik's
    default (the rule's length), its change is told in that note rather than on its own."""
    from traefik_doctor.diff.rules import rule_note

    by_router = {
        change.ident: change
        for change in changes
        if change.kind == "router"
        and change.field == "priority"
        and change.a is not None
        and change.b is not None
        and change.a.default
        and change.b.default
    }
    out: list[Change] = []
    folded: set[tuple[str, str, str]] = set()
    for change in changes:
        if change.kind == "router" and change.field == "rule" and change.a and change.b:
            priority = by_router.get(change.ident)
            note = rule_note(change.a.value, change.b.value)
            if priority is not None and priority.a is not None and priority.b is not None:
                note += (
                    f"; default priority (the rule's length) {priority.a.value.split()[0]}"
                    f" -> {priority.b.value.split()[0]}"
                )
                folded.add(change.ident)
            out.append(replace(change, note=note))
            continue
        out.append(change)
    return [change for change in out if not (change.ident in folded and change.field == "priority")]
