"""Human output in the style of ruff and rustc: a header line, a code frame, notes and help.

Everything that came from the user's files (paths, messages, source lines) goes through
``clean_text`` first: the terminal must show a hostile file, never obey it. Source lines go
through ``redact_line`` too: a frame must not show the password it warns about.
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from traefik_doctor.findings import Finding, FixSafety, Location, Severity
from traefik_doctor.redact import redact_line
from traefik_doctor.reports.base import Report, clean_text, summary_counts
from traefik_doctor.source import Source

TAB_WIDTH = 4

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_SEVERITY_STYLE = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;34m",
}

# What a caret extends over when it starts on a name, a path or a ``service@provider``.
_TOKEN_CHARS = frozenset(string.ascii_letters + string.digits + "_.-/@:")
_QUOTES = "`\"'"


@dataclass(frozen=True, slots=True)
class _Frame:
    """One source line ready to print, with where (in screen columns) its caret goes."""

    number: int
    text: str
    caret_start: int | None
    caret_width: int


class TextWriter:
    """The default format, for people at a terminal."""

    name = "text"

    def render(self, report: Report, *, color: bool) -> str:
        blocks = [render_finding(report, finding, color=color) for finding in report.findings]
        blocks.append(_summary(report, color=color))
        return "\n\n".join(blocks) + "\n"


def render_finding(report: Report, finding: Finding, *, color: bool) -> str:
    """One finding as lines without a trailing newline (JUnit bodies reuse it)."""
    paint = _Painter(color)
    style = _SEVERITY_STYLE[finding.severity]
    main = _frame(report.sources, finding.location)
    notes = [(rel, _frame(report.sources, rel.location)) for rel in finding.related]
    numbers = [f.number for f in (main, *(frame for _, frame in notes)) if f is not None]
    width = len(str(max(numbers))) if numbers else 1
    pad = " " * (width + 1)

    lines = [
        f"{_where(finding.location)}: {paint(_BOLD, clean_text(finding.code))} "
        f"{paint(style, '[' + finding.severity.value + ']')} {clean_text(finding.message)}"
    ]
    if main is not None:
        lines.append(paint(_DIM, pad + "|"))
        lines.extend(_frame_lines(main, width, paint, style))
    for related, frame in notes:
        lines.append(
            f"{pad}{paint(_BOLD, '= note:')} {_where(related.location)}: "
            f"{clean_text(related.message)}"
        )
        if frame is not None:
            lines.extend(_frame_lines(frame, width, paint, _BOLD))
    lines.extend(
        f"{pad}{paint(_DIM, '= ' + clean_text(e.kind) + ':')} {clean_text(e.text)}"
        for e in finding.evidence
    )
    if finding.fix is not None:
        unsafe = " (unsafe fix)" if finding.fix.safety is FixSafety.UNSAFE else ""
        lines.append(
            f"{pad}{paint(_BOLD, '= help:')} {clean_text(finding.fix.description)}{unsafe}"
        )
    return "\n".join(line.rstrip() for line in lines)


def _summary(report: Report, *, color: bool) -> str:
    return summary_line(report.findings, color=color)


def summary_line(findings: Sequence[Finding], *, color: bool = False) -> str:
    """``Found 2 errors, 1 warning, 0 info.`` (or ``No problems found.``), the last line of
    every text report."""
    text = f"Found {counted(findings)}." if findings else "No problems found."
    return _Painter(color)(_BOLD, text)


def counted(findings: Iterable[Finding]) -> str:
    """``2 errors, 1 warning, 0 info``."""
    counts = summary_counts(findings)
    errors, warnings = counts["error"], counts["warning"]
    return (
        f"{errors} error{'' if errors == 1 else 's'}, "
        f"{warnings} warning{'' if warnings == 1 else 's'}, {counts['info']} info"
    )


def _where(location: Location) -> str:
    return clean_text(str(location))


class _Painter:
    """Wraps text in an ANSI style, or returns it unchanged when colour is off."""

    __slots__ = ("enabled",)

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, style: str, text: str) -> str:
        return f"{style}{text}{_RESET}" if self.enabled and text else text


def _frame_lines(frame: _Frame, width: int, paint: _Painter, caret_style: str) -> list[str]:
    gutter = f"{frame.number:>{width}} |"
    lines = [f"{paint(_DIM, gutter)} {frame.text}"]
    if frame.caret_start is not None:
        carets = " " * frame.caret_start + paint(caret_style, "^" * frame.caret_width)
        lines.append(f"{paint(_DIM, ' ' * width + ' |')} {carets}")
    return lines


def _frame(sources: Mapping[str, Source], location: Location) -> _Frame | None:
    """The source line a location points at, or None when there is nothing to show."""
    source = sources.get(location.path)
    line = location.line
    if source is None or line is None or not source.data:
        return None
    if not 1 <= line <= len(source.line_starts()):
        return None
    original = source.line_text(line)
    raw, moved = redact_line(source.line_text, line)
    if location.column is None:
        text, _ = _display(raw, 0)
        return _Frame(line, text, None, 0)
    start = moved(min(max(location.column - 1, 0), len(original)))
    end = _token_end(raw, start)
    before, col = _display(raw[:start], 0)
    token, token_end = _display(raw[start:end], col)
    after, _ = _display(raw[end:], token_end)
    return _Frame(line, before + token + after, col, max(token_end - col, 1))


def _token_end(line: str, start: int) -> int:
    """End (exclusive) of the token a column points at: a quoted span or a run of name chars."""
    if start >= len(line):
        return start
    first = line[start]
    if first in _QUOTES:
        close = line.find(first, start + 1)
        return close + 1 if close != -1 else start + 1
    if first not in _TOKEN_CHARS:
        return start + 1
    end = start + 1
    while end < len(line) and line[end] in _TOKEN_CHARS:
        end += 1
    return end


def _display(text: str, column: int) -> tuple[str, int]:
    """Cleaned text with tabs expanded from screen ``column``, and the column it ends at.

    Wide (East Asian) characters take two cells and combining marks none, so carets stay under
    the token in the terminal, not just in the string.
    """
    cleaned = clean_text(text)
    if cleaned.isascii() and "\t" not in cleaned:
        return cleaned, column + len(cleaned)  # printable ASCII: one cell a character
    out: list[str] = []
    for char in cleaned:
        if char == "\t":
            spaces = TAB_WIDTH - column % TAB_WIDTH
            out.append(" " * spaces)
            column += spaces
            continue
        out.append(char)
        if unicodedata.combining(char):
            continue
        column += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return "".join(out), column
