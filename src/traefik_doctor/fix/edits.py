"""Machine-applicable fixes: edits expressed on the document structure, never on text offsets.

A rule that knows how to repair what it reports attaches edits to its finding's ``Fix``
(``Rule.finding(..., edits=...)``). Each edit names the file (``Source.path``, as loaded) and
a key path from the document's root, such as ``("http", "routers", "legacy", "rule")``.
Struct fields are matched as Traefik matches them, without regard to case, after an exact
match is tried; names (routers, services...) match exactly first as well.

Edits are frozen and hashable (findings are compared and deduplicated), so values are
``Data``: scalars, ``Map`` and ``Seq``. This module imports nothing from the project: the
``findings`` module depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass

KeyPath = tuple[str | int, ...]
"""Keys from the document's root; an ``int`` indexes a sequence."""


@dataclass(frozen=True, slots=True)
class Map:
    """A mapping to write (block style in YAML, a table in TOML), keys in this order."""

    items: tuple[tuple[str, Data], ...]


@dataclass(frozen=True, slots=True)
class Seq:
    """A list to write; ``flow`` writes ``[a, b]`` in YAML when every item is a scalar."""

    items: tuple[Data, ...]
    flow: bool = True


Data = str | bool | int | float | Map | Seq


@dataclass(frozen=True, slots=True)
class SetValue:
    """Replace the value at ``path`` (which must exist). A string keeps the quoting style of
    the value it replaces. With ``expect``, the current value must be that string."""

    file: str
    path: KeyPath
    value: Data
    expect: str | None = None


@dataclass(frozen=True, slots=True)
class ReplaceText:
    """Replace ``old`` at characters ``start:end`` of the string at ``path`` with ``new``.
    Several replacements in one string compose when they do not overlap (a rule with two
    v2 placeholders gets both fixed)."""

    file: str
    path: KeyPath
    start: int
    end: int
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class RenameKey:
    """Rename the last key of ``path`` to ``new_name``, keeping its value and position."""

    file: str
    path: KeyPath
    new_name: str


@dataclass(frozen=True, slots=True)
class DeleteKey:
    """Delete the key at ``path``. A mapping left empty by the deletion is deleted too, up
    the path, as long as its own path is longer than ``keep``: Traefik rejects a whole file
    over an empty section (``{}``), so an emptied mapping at depth ``keep`` or above makes
    the edit fail instead (``keep=0`` allows emptying every level but the root)."""

    file: str
    path: KeyPath
    keep: int = 1


@dataclass(frozen=True, slots=True)
class AddKey:
    """Add the last key of ``path`` with ``value`` to the mapping at ``path[:-1]``, which
    must exist; the key must not (under any case)."""

    file: str
    path: KeyPath
    value: Data


Edit = SetValue | ReplaceText | RenameKey | DeleteKey | AddKey


def dotted(path: KeyPath) -> str:
    """``http.routers.app.rule`` (``servers[0]`` for an index) for messages."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "(root)"


def describe(edit: Edit) -> str:
    """One line saying what the edit does."""
    where = dotted(edit.path)
    if isinstance(edit, SetValue):
        return f"set `{where}` to {render(edit.value)}"
    if isinstance(edit, ReplaceText):
        return f"in `{where}`, replace {edit.old!r} with {edit.new!r}"
    if isinstance(edit, RenameKey):
        return f"rename `{where}` to `{edit.new_name}`"
    if isinstance(edit, DeleteKey):
        return f"delete `{where}`"
    return f"add `{where}`: {render(edit.value)}"


def render(value: Data) -> str:
    """A value in YAML flow notation, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Map):
        return "{" + ", ".join(f"{k}: {render(v)}" for k, v in value.items) + "}"
    if isinstance(value, Seq):
        return "[" + ", ".join(render(v) for v in value.items) + "]"
    if isinstance(value, str):
        return repr(value) if not value or value.strip() != value else value
    return str(value)


def to_plain(value: Data) -> object:
    """The value as plain Python data (dict, list, scalars)."""
    if isinstance(value, Map):
        return {key: to_plain(item) for key, item in value.items}
    if isinstance(value, Seq):
        return [to_plain(item) for item in value.items]
    return value
