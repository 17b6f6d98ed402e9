"""TOML documents edited with tomlkit, which keeps every comment, blank line and the layout
of what it does not touch. A replaced string keeps its kind (basic or literal) when the new
text allows it; new mappings become tables (``[a.b]``), or inline tables inside one."""

from __future__ import annotations

import tomllib
from typing import Any

import tomlkit
from tomlkit.container import Container, OutOfOrderTableProxy
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Array, InlineTable, Item, String, StringType, Table

from traefik_doctor.fix.document import EditError
from traefik_doctor.fix.edits import Data, Map, Seq

_MAPS = (Container, Table, InlineTable, OutOfOrderTableProxy)


def _parse(text: str) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(text)
    except (TOMLKitError, ValueError) as exc:
        raise EditError(f"tomlkit cannot read it: {exc}") from None


class TomlAdapter:
    """A tomlkit document behind the ``document.Adapter`` interface."""

    def __init__(self, text: str) -> None:
        self._doc = _parse(text)

    def root(self) -> Any:
        return self._doc

    def is_map(self, node: Any) -> bool:
        return isinstance(node, _MAPS)

    def is_seq(self, node: Any) -> bool:
        return isinstance(node, Array | AoT)

    def keys(self, node: Any) -> list[Any]:
        return list(node.keys())

    def merged(self, node: Any, key: str) -> bool:
        return False

    def shared(self, node: Any) -> bool:
        return False

    def get(self, node: Any, key: Any) -> Any:
        return node[key]

    def text(self, node: Any) -> str | None:
        return str(node) if isinstance(node, str) else None

    def set(self, node: Any, key: Any, value: Data) -> None:
        node[key] = _make(value, node[key], inline=isinstance(node, InlineTable | Array))

    def add(self, node: Any, key: str, value: Data) -> None:
        node[key] = _make(value, None, inline=isinstance(node, InlineTable | Array))

    def delete(self, node: Any, key: Any) -> None:
        del node[key]

    def rename(self, node: Any, key: Any, new_name: str) -> None:
        container = node if isinstance(node, Container) else getattr(node, "value", None)
        if not isinstance(container, Container):
            raise EditError(f"cannot rename `{key}` in this TOML table")
        item = container[key]
        try:
            container._replace(key, new_name, item)
        except (TOMLKitError, KeyError, ValueError) as exc:
            raise EditError(f"tomlkit cannot rename `{key}`: {exc}") from None
        _forget_headers(item)

    def render(self) -> str:
        return tomlkit.dumps(self._doc)

    def reload(self, text: str) -> None:
        self._doc = _parse(text)

    def data(self) -> object:
        return self._doc.unwrap()

    def reparse(self, text: str) -> object:
        """Read by Python's own strict TOML parser, independent of tomlkit."""
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise EditError(f"the result is not valid TOML: {exc}") from None


def _forget_headers(item: Any) -> None:
    """Table headers are kept as written (``[a.b.old]``): after a rename, have tomlkit
    write the renamed table's headers, and those of the tables below it, from the keys."""
    if isinstance(item, Table):
        item.display_name = None
        for _, child in item.value.body:
            _forget_headers(child)
    elif isinstance(item, AoT):
        for table in item.body:
            _forget_headers(table)


def _make(value: Data, like: Any, *, inline: bool) -> Item:
    if isinstance(value, Map):
        table: Table | InlineTable = tomlkit.inline_table() if inline else tomlkit.table()
        for key, item in value.items:
            table.add(key, _make(item, None, inline=inline or not isinstance(item, Map)))
        return table
    if isinstance(value, Seq):
        array = tomlkit.array()
        for item in value.items:
            array.append(_make(item, None, inline=True))
        return array
    if isinstance(value, str):
        if isinstance(like, String):
            literal = like.type in (StringType.SLL, StringType.MLL)
            multiline = like.type in (StringType.MLB, StringType.MLL)
            if literal and ("'" in value or "\n" in value):
                literal = False
            try:
                return tomlkit.string(value, literal=literal, multiline=multiline)
            except (TOMLKitError, ValueError):
                pass
        return tomlkit.string(value)
    return tomlkit.item(value)
