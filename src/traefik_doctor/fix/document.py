"""Applying edits to a parsed document, the same way for YAML and TOML.

The format-specific part is an ``Adapter`` (``yaml_edit``, ``toml_edit``): how to look a
key up, replace a value keeping its style, add, delete and rename keys, and render the
document. Everything else lives here: resolving key paths the way Traefik matches struct
fields (exact, then without regard to case), refusing values shared through YAML anchors or
merge keys, composing several replacements in one string, deleting sections left empty
(Traefik rejects a whole file over ``{}``), and keeping each finding's edits all-or-nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from traefik_doctor.fix.edits import (
    AddKey,
    Data,
    DeleteKey,
    Edit,
    KeyPath,
    RenameKey,
    ReplaceText,
    SetValue,
    dotted,
)


class EditError(Exception):
    """An edit that cannot be applied as asked; the message says why, in one sentence."""


class Adapter(Protocol):
    """One parsed document of one format."""

    def root(self) -> Any: ...
    def is_map(self, node: Any) -> bool: ...
    def is_seq(self, node: Any) -> bool: ...
    def keys(self, node: Any) -> list[Any]:
        """The keys written in this mapping (not those a YAML merge key brings in)."""
        ...

    def merged(self, node: Any, key: str) -> bool:
        """Whether ``key`` reaches this mapping only through a YAML merge key (``<<``)."""
        ...

    def shared(self, node: Any) -> bool:
        """Whether the node carries a YAML anchor (editing it would edit every alias)."""
        ...

    def get(self, node: Any, key: Any) -> Any: ...
    def text(self, node: Any) -> str | None:
        """The string a scalar holds, or None when it is not a string."""
        ...

    def set(self, node: Any, key: Any, value: Data) -> None: ...
    def add(self, node: Any, key: str, value: Data) -> None: ...
    def delete(self, node: Any, key: Any) -> None: ...
    def rename(self, node: Any, key: Any, new_name: str) -> None: ...
    def render(self) -> str: ...
    def reload(self, text: str) -> None:
        """Parse ``text`` (a rendering of this document) in place of the current tree."""
        ...

    def data(self) -> object:
        """The document's data as plain Python (dicts, lists, scalars)."""
        ...

    def reparse(self, text: str) -> object:
        """The plain data ``text`` holds, read afresh (raises ``EditError`` if invalid)."""
        ...


def match_key(keys: list[Any], wanted: str | int) -> Any | None:
    """The key as written that ``wanted`` names: an exact match, else the one key equal to
    it without regard to case (Traefik's struct fields); None when absent."""
    for key in keys:
        if key == wanted or str(key) == str(wanted):
            return key
    if isinstance(wanted, int):
        return None
    folded = [key for key in keys if str(key).lower() == wanted.lower()]
    if len(folded) > 1:
        names = ", ".join(f"`{k}`" for k in folded)
        raise EditError(f"`{wanted}` is ambiguous here: {names}")
    return folded[0] if folded else None


@dataclass(slots=True)
class _Step:
    node: Any  # the container holding ``key``
    key: Any


@dataclass(slots=True)
class Editor:
    """Applies edits to one document; each ``apply`` is all-or-nothing."""

    adapter: Adapter
    _done: set[Edit] = field(default_factory=set)
    """Edits applied: the same edit asked again (by two findings) is already done."""
    _spans: dict[KeyPath, list[tuple[int, int, int]]] = field(default_factory=dict)
    """Replacements made in each string: (start, end) in the original text and the change
    in length, so later replacements given in original positions land in the right place."""

    def apply(self, edits: tuple[Edit, ...]) -> None:
        """Apply one finding's edits, or none of them (raising ``EditError``)."""
        edits = tuple(edit for edit in edits if edit not in self._done)
        if len(edits) == 1:
            self._one(edits[0])
        elif edits:
            snapshot = self.adapter.render()
            spans = {path: list(found) for path, found in self._spans.items()}
            try:
                for edit in edits:
                    self._one(edit)
            except EditError:
                self.adapter.reload(snapshot)
                self._spans = spans
                raise
        self._done.update(edits)

    # -- resolving paths ---------------------------------------------------------------

    def _chain(self, path: KeyPath) -> list[_Step]:
        """The containers along ``path`` (each with the key as written): ``[i]`` holds
        ``path[i]``. Every key but the last must exist."""
        adapter = self.adapter
        node = adapter.root()
        steps: list[_Step] = []
        for index, part in enumerate(path):
            if index and adapter.shared(node):
                raise EditError(
                    f"`{dotted(path[:index])}` is shared through a YAML anchor; edit it by hand"
                )
            if adapter.is_map(node):
                key = match_key(adapter.keys(node), part)
                if key is None and isinstance(part, str) and adapter.merged(node, part):
                    raise EditError(
                        f"`{dotted(path[: index + 1])}` comes from a YAML merge key (<<);"
                        " edit it by hand"
                    )
            elif adapter.is_seq(node) and isinstance(part, int):
                key = part if 0 <= part < len(node) else None
            else:
                raise EditError(f"`{dotted(path[:index])}` is not a mapping")
            steps.append(_Step(node, key if key is not None else part))
            if key is None:
                if index == len(path) - 1:
                    break
                raise EditError(f"`{dotted(path[: index + 1])}` is not in the file")
            if index < len(path) - 1:
                node = adapter.get(node, key)
        return steps

    def _existing(self, path: KeyPath) -> tuple[_Step, Any]:
        steps = self._chain(path)
        last = steps[-1]
        if match_key(self._keys(last.node), last.key) is None:
            raise EditError(f"`{dotted(path)}` is not in the file")
        value = self.adapter.get(last.node, last.key)
        if self.adapter.shared(value):
            raise EditError(f"`{dotted(path)}` is shared through a YAML anchor; edit it by hand")
        return last, value

    def _keys(self, node: Any) -> list[Any]:
        if self.adapter.is_seq(node):
            return list(range(len(node)))
        return self.adapter.keys(node)

    # -- the operations ----------------------------------------------------------------

    def _one(self, edit: Edit) -> None:
        if isinstance(edit, SetValue):
            self._set(edit)
        elif isinstance(edit, ReplaceText):
            self._replace(edit)
        elif isinstance(edit, RenameKey):
            self._rename(edit)
        elif isinstance(edit, DeleteKey):
            self._delete(edit)
        else:
            self._add(edit)

    def _set(self, edit: SetValue) -> None:
        step, value = self._existing(edit.path)
        if edit.expect is not None and self.adapter.text(value) != edit.expect:
            raise EditError(f"`{dotted(edit.path)}` is no longer `{edit.expect}`")
        self.adapter.set(step.node, step.key, edit.value)

    def _replace(self, edit: ReplaceText) -> None:
        step, value = self._existing(edit.path)
        text = self.adapter.text(value)
        if text is None:
            raise EditError(f"`{dotted(edit.path)}` is not a string")
        done = self._spans.setdefault(edit.path, [])
        for start, end, _ in done:
            if edit.start < end and start < edit.end:
                raise EditError(f"another fix already changed this part of `{dotted(edit.path)}`")
        shift = sum(delta for start, end, delta in done if end <= edit.start)
        begin, finish = edit.start + shift, edit.end + shift
        if text[begin:finish] != edit.old:
            raise EditError(f"`{dotted(edit.path)}` no longer contains {edit.old!r} there")
        self.adapter.set(step.node, step.key, text[:begin] + edit.new + text[finish:])
        done.append((edit.start, edit.end, len(edit.new) - len(edit.old)))

    def _rename(self, edit: RenameKey) -> None:
        step, _ = self._existing(edit.path)
        clash = match_key(self.adapter.keys(step.node), edit.new_name)
        if clash is not None and clash != step.key:
            where = dotted((*edit.path[:-1], edit.new_name))
            raise EditError(f"`{where}` already exists")
        if not isinstance(step.key, str):
            raise EditError(f"`{dotted(edit.path)}` is not a named key")
        self.adapter.rename(step.node, step.key, edit.new_name)

    def _delete(self, edit: DeleteKey) -> None:
        steps = self._chain(edit.path)
        if match_key(self._keys(steps[-1].node), steps[-1].key) is None:
            raise EditError(f"`{dotted(edit.path)}` is not in the file")
        # Find the highest container the deletion empties: delete that one instead.
        level = len(steps) - 1
        while level >= 1:
            holder = steps[level].node
            if not self.adapter.is_map(holder) or len(self.adapter.keys(holder)) != 1:
                break
            if level <= edit.keep:
                where = dotted(edit.path[:level])
                raise EditError(
                    f"deleting it would leave `{where}` empty, and Traefik rejects an empty section"
                )
            level -= 1
        self.adapter.delete(steps[level].node, steps[level].key)

    def _add(self, edit: AddKey) -> None:
        if not edit.path or not isinstance(edit.path[-1], str):
            raise EditError(f"`{dotted(edit.path)}` is not a key to add")
        steps = self._chain(edit.path)
        last = steps[-1]
        if match_key(self._keys(last.node), last.key) is not None:
            raise EditError(f"`{dotted(edit.path)}` already exists")
        if not self.adapter.is_map(last.node):
            raise EditError(f"`{dotted(edit.path[:-1])}` is not a mapping")
        self.adapter.add(last.node, edit.path[-1], edit.value)
