"""TOML to document tree.

``tomllib`` decodes exactly but keeps no positions, so a light line scanner records where each
table header and ``key =`` line is; nested values inside inline tables and arrays take the
position of the key that holds them.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from traefik_doctor.loaders.tree import Entry, Mapping, Node, Scalar, Sequence
from traefik_doctor.loaders.yamltree import ParseFailure, check_text
from traefik_doctor.source import Origin, Source

_ERROR_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*)\s*=\s*"""
)
_PART = re.compile(r"""[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'""")

Path = tuple[str | int, ...]


def _split_key(text: str) -> list[str]:
    parts = []
    for raw in _PART.findall(text):
        if raw.startswith('"'):
            parts.append(raw[1:-1].encode().decode("unicode_escape"))
        elif raw.startswith("'"):
            parts.append(raw[1:-1])
        else:
            parts.append(raw)
    return parts


def _scan_positions(source: Source) -> dict[Path, tuple[int, int]]:
    """(key offset, value offset) of each table header and ``key = value`` line."""
    positions: dict[Path, tuple[int, int]] = {}
    table: list[str | int] = []
    array_counts: dict[Path, int] = {}
    offset = 0
    depth = 0  # open brackets/braces of a value spanning lines
    in_multiline: str | None = None
    for raw in source.data.split(b"\n"):
        line = raw.decode("utf-8", "replace")
        line_offset = offset
        offset += len(raw) + 1
        if in_multiline is not None:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        if depth > 0:
            depth += _balance(line)
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            parts: list[str | int] = list(_split_key(header.group(2)))
            if header.group(1) == "[[":
                key = tuple(parts)
                index = array_counts.get(key, 0)
                array_counts[key] = index + 1
                parts.append(index)
            table = parts
            start = line_offset + line.index("[")
            positions.setdefault(tuple(table), (start, start))
            continue
        match = _KEY.match(line)
        if not match:
            continue
        key_parts = _split_key(match.group(1))
        key_start = line_offset + len(line[: match.start(1)].encode())
        value_start = line_offset + len(line[: match.end()].encode())
        positions.setdefault((*table, *key_parts), (key_start, value_start))
        rest = line[match.end() :]
        for quote in ('"""', "'''"):
            if rest.startswith(quote) and rest.count(quote) == 1:
                in_multiline = quote
        depth = max(_balance(rest), 0)
    return positions


def _balance(text: str) -> int:
    depth = 0
    quote: str | None = None
    for char in text:
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return depth


def load_toml(source: Source, provider: str = "file") -> Node | ParseFailure:
    """Parse ``source`` into a tree."""
    bad = check_text(source)
    if bad is not None:
        return bad
    try:
        data = tomllib.loads(source.data.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        text = str(exc)
        where = _ERROR_AT.search(text)
        offset = None
        if where:
            offset = source.offset_of(int(where.group(1)), int(where.group(2)))
            text = text[: where.start()].strip()
        return ParseFailure(f"invalid TOML: {text}", Origin(source, offset, provider))
    positions = _scan_positions(source)

    def origin_for(path: Path, fallback: Origin, value: bool) -> Origin:
        found = positions.get(path)
        if found is None:
            return fallback
        return Origin(source, found[1] if value else found[0], provider)

    root_origin = Origin(source, 0, provider)

    def build(value: Any, path: Path, origin: Origin) -> Node:
        if isinstance(value, dict):
            node = Mapping(origin)
            for key, child in value.items():
                child_path = (*path, key)
                key_origin = origin_for(child_path, origin, value=False)
                child_origin = origin_for(child_path, key_origin, value=True)
                node.add(Entry(key, key_origin, build(child, child_path, child_origin)))
            return node
        if isinstance(value, list):
            items = [
                build(item, (*path, i), origin_for((*path, i), origin, value=True))
                for i, item in enumerate(value)
            ]
            return Sequence(origin, items)
        if isinstance(value, bool):
            return Scalar(origin, "true" if value else "false")
        if isinstance(value, str):
            return Scalar(origin, value, quoted=True)
        return Scalar(origin, str(value))

    return build(data, (), root_origin)
