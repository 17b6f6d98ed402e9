"""Where a value came from: a source file, a byte offset in it, and the Traefik provider.

Positions are kept as byte offsets and turned into line and column only when a finding needs
one, so loading 10,000 routers costs no line arithmetic for values nothing reports on.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Protocol

from traefik_doctor.findings import Location


class Source:
    """One input: a file on disk, or a virtual source such as the environment.

    ``display`` is the path shown to users (relative to the checked directory). ``data`` is the
    raw bytes, kept for code frames and for turning offsets into lines.
    """

    __slots__ = ("_ascii", "_line_starts", "data", "display", "path")

    def __init__(self, path: str, display: str, data: bytes = b"") -> None:
        self.path = path
        self.display = display
        self.data = data
        self._line_starts: list[int] | None = None
        self._ascii: bool | None = None

    def __repr__(self) -> str:
        return f"Source({self.display!r})"

    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            find = self.data.find
            pos = find(b"\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find(b"\n", pos + 1)
            self._line_starts = starts
        return self._line_starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a byte offset."""
        starts = self.line_starts()
        index = bisect_right(starts, offset) - 1
        if self._ascii is None:
            self._ascii = self.data.isascii()
        if self._ascii:  # a byte is a character: no need to decode the line
            return index + 1, offset - starts[index] + 1
        prefix = self.data[starts[index] : offset]
        return index + 1, len(prefix.decode("utf-8", "replace")) + 1

    def offset_of(self, line: int, column: int) -> int:
        """Byte offset of a 1-based line and character column (for parsers that give lines)."""
        starts = self.line_starts()
        if not self.data or line < 1:
            return 0
        line = min(line, len(starts))
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.data)
        text = self.data[start:end].decode("utf-8", "replace")
        return start + len(text[: max(column - 1, 0)].encode("utf-8"))

    def line_text(self, line: int) -> str:
        starts = self.line_starts()
        if not 1 <= line <= len(starts):
            return ""
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.data)
        return self.data[start:end].decode("utf-8", "replace").rstrip("\r\n")


class Offsets(Protocol):
    """A parser that can compute later where a node starts (see yamltree)."""

    def offset(self, node: int, mode: int) -> int | None: ...


class Origin:
    """A value's origin: its source, byte offset and the provider that contributed it.

    The offset may be left to compute (``lazy``): the model keeps an origin for every value,
    but only the few that a finding points at ever need their position.
    """

    __slots__ = ("_lazy", "_offset", "provider", "source")

    def __init__(
        self,
        source: Source,
        offset: int | None = None,
        provider: str = "file",
        lazy: tuple[Offsets, int, int] | None = None,
    ) -> None:
        self.source = source
        self._offset = offset
        self.provider = provider
        self._lazy = lazy

    @property
    def offset(self) -> int | None:
        lazy = self._lazy
        if lazy is not None:
            self._offset = lazy[0].offset(lazy[1], lazy[2])
            self._lazy = None
        return self._offset

    def __repr__(self) -> str:
        return f"Origin({self.source.display!r}, {self.offset}, {self.provider!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Origin):
            return NotImplemented
        return (
            self.source is other.source
            and self.offset == other.offset
            and self.provider == other.provider
        )

    def __hash__(self) -> int:
        return hash((id(self.source), self.offset, self.provider))

    def location(self) -> Location:
        offset = self.offset
        if offset is None or not self.source.data:
            return Location(self.source.display)
        line, column = self.source.line_col(offset)
        return Location(self.source.display, line, column)

    def shifted(self, delta: int) -> Origin:
        """The origin ``delta`` bytes further on the same line (a column inside a value)."""
        offset = self.offset
        if offset is None:
            return self
        return Origin(self.source, offset + delta, self.provider)
