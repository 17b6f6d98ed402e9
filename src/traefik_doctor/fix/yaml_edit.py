"""YAML documents edited with ruamel.yaml's round-trip mode: comments, key order, quoting
and flow/block style are kept; a replaced string keeps the quotes of the one it replaces.

ruamel re-emits the whole document, and a few constructs come out differently from how they
were written (``[{url: x}]`` loses its braces, some comment spacing). ``splice`` therefore
takes only the lines the edits changed from ruamel's output and keeps every other line of
the file as it was; the indentation ruamel uses is guessed from the file so new lines match.
"""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    PlainScalarString,
    SingleQuotedScalarString,
)

from traefik_doctor.fix.document import EditError
from traefik_doctor.fix.edits import Data, Map, Seq

_KEY_LINE = re.compile(r"^[^#]*:\s*(#.*)?$")


def guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as ruamel's ``YAML.indent`` takes
    them, from the most common steps in the file (2, 4, 2 for ``servers:\\n  - url: x``)."""
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    maps: Counter[int] = Counter()
    seqs: Counter[tuple[int, int]] = Counter()
    for above, below in itertools.pairwise(lines):
        parent = len(above) - len(above.lstrip(" "))
        content = above.strip()
        if content.startswith("- "):
            parent += 2
            content = content[2:]
        if not _KEY_LINE.match(content):
            continue
        child = len(below) - len(below.lstrip(" "))
        body = below.lstrip(" ")
        if body.startswith("- "):
            rest = body[1:]
            gap = len(rest) - len(rest.lstrip(" ")) + 1
            seqs[(child - parent, child - parent + gap)] += 1
        elif child > parent:
            maps[child - parent] += 1
    mapping = maps.most_common(1)[0][0] if maps else 2
    if seqs:
        offset, sequence = seqs.most_common(1)[0][0]
    else:
        offset, sequence = 0, mapping
    offset = max(offset, 0)
    return mapping, max(sequence, offset + 2), offset


def _yaml(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never fold a long line that was one line
    mapping, sequence, offset = guess_indent(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _load(yaml: YAML, text: str) -> Any:
    try:
        documents = list(yaml.load_all(text))
    except YAMLError as exc:
        raise EditError(f"ruamel.yaml cannot read it: {_first_line(exc)}") from None
    except (ValueError, TypeError, RecursionError) as exc:  # a malformed document
        raise EditError(f"ruamel.yaml cannot read it: {exc}") from None
    if len(documents) != 1:
        raise EditError("it holds several YAML documents; Traefik reads one")
    return documents[0]


def _first_line(exc: Exception) -> str:
    return " ".join(str(exc).split("\n", 1)[0].split())


class YamlAdapter:
    """A ruamel round-trip tree behind the ``document.Adapter`` interface."""

    def __init__(self, text: str) -> None:
        self._yaml = _yaml(text)
        data = _load(self._yaml, text)
        if not isinstance(data, CommentedMap):
            raise EditError("its top level is not a mapping")
        self._data: CommentedMap = data

    # -- reading -----------------------------------------------------------------------

    def root(self) -> Any:
        return self._data

    def is_map(self, node: Any) -> bool:
        return isinstance(node, CommentedMap)

    def is_seq(self, node: Any) -> bool:
        return isinstance(node, CommentedSeq)

    def keys(self, node: Any) -> list[Any]:
        own = getattr(node, "_ok", None)
        return [key for key in node if own is None or key in own]

    def merged(self, node: Any, key: str) -> bool:
        return any(str(k).lower() == key.lower() for k in node)

    def shared(self, node: Any) -> bool:
        anchor = getattr(node, "anchor", None)
        return anchor is not None and getattr(anchor, "value", None) is not None

    def get(self, node: Any, key: Any) -> Any:
        return node[key]

    def text(self, node: Any) -> str | None:
        return str(node) if isinstance(node, str) else None

    # -- writing -----------------------------------------------------------------------

    def set(self, node: Any, key: Any, value: Data) -> None:
        old = node[key]
        new = _make(value, old)
        if isinstance(node, CommentedMap):
            position = list(node).index(key)
            comment = node.ca.items.get(key)
            node.pop(key)
            node.insert(position, key, new)
            if comment is not None:
                node.ca.items[key] = comment
        else:
            node[key] = new

    def add(self, node: Any, key: str, value: Data) -> None:
        if not node and node.fa.flow_style() is None:
            node.fa.set_flow_style()  # an empty mapping can only have been written `{}`
        node[key] = _make(value, None)

    def delete(self, node: Any, key: Any) -> None:
        del node[key]

    def rename(self, node: Any, key: Any, new_name: str) -> None:
        position = list(node).index(key)
        value = node[key]
        comment = node.ca.items.get(key)
        node.pop(key)
        node.insert(position, new_name, value)
        if comment is not None:
            node.ca.items[new_name] = comment

    def render(self) -> str:
        out = io.StringIO()
        self._yaml.dump(self._data, out)
        return out.getvalue()

    def reload(self, text: str) -> None:
        data = _load(self._yaml, text)
        assert isinstance(data, CommentedMap)
        self._data = data

    def data(self) -> object:
        return _plain(self._data)

    def reparse(self, text: str) -> object:
        return _plain(_load(YAML(typ="rt"), text))


def _make(value: Data, like: Any) -> Any:
    """The ruamel value to write for ``value``, in the style of ``like`` (what it replaces)."""
    if isinstance(value, Map):
        mapping = CommentedMap()
        for key, item in value.items:
            mapping[key] = _make(item, None)
        return mapping
    if isinstance(value, Seq):
        sequence = CommentedSeq(_make(item, None) for item in value.items)
        flow = value.flow and not any(isinstance(item, Map | Seq) for item in value.items)
        if isinstance(like, CommentedSeq) and like:  # keep the style of the list replaced
            flow = bool(like.fa.flow_style()) and flow
        if flow:
            sequence.fa.set_flow_style()
        return sequence
    if isinstance(value, str):
        for style in (
            DoubleQuotedScalarString,
            SingleQuotedScalarString,
            LiteralScalarString,
            FoldedScalarString,
            PlainScalarString,
        ):
            if isinstance(like, style):
                if style in (LiteralScalarString, FoldedScalarString) and "\n" not in value:
                    break  # a block scalar of one line would add a newline to the value
                return style(value)
        return value
    return value


def _plain(node: Any) -> object:
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node
