"""What appeared and what was resolved between two checks, tolerant of lines that moved.

A finding's line changes whenever the user inserts a line above it, and its message may quote
another file's ``path:line``; neither makes it a new problem. So a finding is known by its
code, its file, its message with quoted line numbers blanked (``services.yml:_``), and the
*text* of the line it points at (its anchor). Findings are paired in three passes, each on
what the previous one left:

1. code + file + message + anchor: the same finding, wherever its line went;
2. code + file + message: the same finding on an edited line (paired in line order);
3. code + file + anchor: the same place, reworded (``8 routers vanish`` became ``9``):
   reported as *changed*, not as one resolved and one new.

What is left is new (``+``) or resolved (``-``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from traefik_doctor.findings import Finding
from traefik_doctor.source import Source

_QUOTED_PLACE = re.compile(r"((?:[\w.-]+/)*[\w.-]+\.[A-Za-z]{1,5}):\d+(?::\d+)?")


@dataclass(frozen=True, slots=True)
class Seen:
    """A finding with the text of the line it points at, when it was found."""

    finding: Finding
    anchor: str


@dataclass(frozen=True, slots=True)
class Diff:
    appeared: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = ()
    changed: tuple[tuple[Finding, Finding], ...] = ()
    """(before, after) pairs: the same place and code, another message."""

    @property
    def empty(self) -> bool:
        return not (self.appeared or self.resolved or self.changed)


def normalized_message(message: str) -> str:
    """The message with quoted ``file:line[:col]`` places blanked (``file:_``)."""
    return _QUOTED_PLACE.sub(r"\1:_", message)


def anchor_text(finding: Finding, sources: Mapping[str, Source]) -> str:
    """The stripped text of the line the finding points at ("" when there is none)."""
    location = finding.location
    source = sources.get(location.path)
    if source is None or location.line is None or not source.data:
        return ""
    return source.line_text(location.line).strip()


def seen(findings: Iterable[Finding], sources: Mapping[str, Source]) -> tuple[Seen, ...]:
    return tuple(Seen(f, anchor_text(f, sources)) for f in findings)


@dataclass(slots=True)
class _Pool:
    items: list[Seen]
    left: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.left = set(range(len(self.items)))

    def groups(self, key: Callable[[Seen], Hashable | None]) -> dict[Hashable, list[int]]:
        grouped: dict[Hashable, list[int]] = {}
        for index in sorted(self.left, key=lambda i: _line_order(self.items[i])):
            value = key(self.items[index])
            if value is not None:
                grouped.setdefault(value, []).append(index)
        return grouped


def _line_order(item: Seen) -> tuple[int, int]:
    loc = item.finding.location
    return (loc.line or 0, loc.column or 0)


def _exact(item: Seen) -> Hashable:
    f = item.finding
    return (f.code, f.location.path, normalized_message(f.message), item.anchor)


def _message(item: Seen) -> Hashable:
    f = item.finding
    return (f.code, f.location.path, normalized_message(f.message))


def _place(item: Seen) -> Hashable | None:
    f = item.finding
    return (f.code, f.location.path, item.anchor) if item.anchor else None


def diff(before: Sequence[Seen], after: Sequence[Seen]) -> Diff:
    old, new = _Pool(list(before)), _Pool(list(after))
    changed: list[tuple[Finding, Finding]] = []
    for key in (_exact, _message, _place):
        old_groups, new_groups = old.groups(key), new.groups(key)
        for value, old_indexes in old_groups.items():
            new_indexes = new_groups.get(value, [])
            for i, j in zip(old_indexes, new_indexes, strict=False):
                old.left.discard(i)
                new.left.discard(j)
                if key is _place:
                    changed.append((old.items[i].finding, new.items[j].finding))
    return Diff(
        appeared=tuple(sorted((new.items[j].finding for j in new.left), key=Finding.sort_key)),
        resolved=tuple(sorted((old.items[i].finding for i in old.left), key=Finding.sort_key)),
        changed=tuple(sorted(changed, key=lambda pair: pair[1].sort_key())),
    )
