"""Tree-sitter setup and bounded parsing of one Go file.

tree-sitter is imported here, at module import, and only the extractor imports this module:
the CLI loads it only when the checked directory holds Go code. A file is refused (and reported)
when it is larger than ``MAX_FILE_BYTES`` or not UTF-8; a tree with ERROR nodes is kept (error
recovery saves the rest of the file) and reported with the line of its first error.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import tree_sitter as ts
import tree_sitter_go as tsgo

from traefik_doctor.findings import Location
from traefik_doctor.goscan.facts import GoIssue

MAX_FILE_BYTES = 2 * 1024 * 1024

GO_LANGUAGE = ts.Language(tsgo.language())

PARSE_ERROR_MESSAGE = (
    "tree-sitter could not parse part of this file (Go syntax newer than the grammar?); "
    "facts from the rest of the file are kept"
)


@dataclass(slots=True)
class ParsedFile:
    """One parsed file: its tree lives only while its package is being processed."""

    rel: str
    source: bytes
    tree: ts.Tree

    @property
    def root(self) -> ts.Node:
        return self.tree.root_node


@lru_cache(maxsize=1)
def _parser() -> ts.Parser:
    return ts.Parser(GO_LANGUAGE)


@lru_cache(maxsize=64)
def query(source: str) -> ts.Query:
    """A compiled query (compiling costs about 1 ms, so each is compiled once)."""
    return ts.Query(GO_LANGUAGE, source)


def matches(q: ts.Query, node: ts.Node) -> list[tuple[int, dict[str, list[ts.Node]]]]:
    """``QueryCursor.matches``: one dict per match (never zip ``captures()`` lists)."""
    return ts.QueryCursor(q).matches(node)


def parse_bytes(source: bytes) -> ts.Tree:
    return _parser().parse(source)


def read_and_parse(path: Path, rel: str) -> ParsedFile | GoIssue:
    """Parse ``path``, or say why it was not parsed."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return GoIssue(
                Location(rel),
                f"file not analysed: {size} bytes is over the {MAX_FILE_BYTES} byte limit",
            )
        source = path.read_bytes()
    except OSError as exc:
        return GoIssue(Location(rel), f"file could not be read: {exc.strerror or exc}")
    if len(source) > MAX_FILE_BYTES:
        return GoIssue(Location(rel), "file not analysed: over the size limit")
    try:
        source.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = source.count(b"\n", 0, exc.start) + 1
        return GoIssue(Location(rel, line), "file not analysed: it is not valid UTF-8")
    return ParsedFile(rel, source, parse_bytes(source))


def first_error(root: ts.Node) -> ts.Node | None:
    """The first ERROR or MISSING node in document order, or None."""
    if not root.has_error:
        return None
    node = root
    while True:
        if node.is_error or node.is_missing:
            return node
        for child in node.children:
            if child.has_error or child.is_missing:
                node = child
                break
        else:
            return node


def error_issue(parsed: ParsedFile) -> GoIssue | None:
    bad = first_error(parsed.root)
    if bad is None:
        return None
    row, col = bad.start_point
    return GoIssue(Location(parsed.rel, row + 1, col + 1), PARSE_ERROR_MESSAGE)
