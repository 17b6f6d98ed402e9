"""The text writer: layout, carets, colour, and that hostile input cannot reach the terminal."""

from __future__ import annotations

import re

import pytest

from traefik_doctor.findings import Finding, Fix, FixSafety, Location, Related, Severity
from traefik_doctor.reports import Report
from traefik_doctor.reports.base import clean_text
from traefik_doctor.reports.text import TextWriter
from traefik_doctor.source import Source

SGR = re.compile(r"\x1b\[[0-9;]*m")


def render_one(
    line: str, column: int | None, message: str = "msg", *, color: bool = False
) -> list[str]:
    source = Source("/r/a.yml", "a.yml", ("first\n" + line + "\nlast\n").encode())
    finding = Finding("TD1", "n", Severity.ERROR, message, Location("a.yml", 2, column))
    report = Report((finding,), {}, "/r", "0", {"a.yml": source})
    return TextWriter().render(report, color=color).splitlines()


def caret_under(lines: list[str]) -> str:
    """The source text the carets sit under (both lines share the gutter width)."""
    source, carets = lines[2], lines[3]
    start = carets.index("^")
    return source[start : carets.rindex("^") + 1]


def test_header_frame_and_summary() -> None:
    lines = render_one("  service: api@file", 12)
    assert lines[0] == "a.yml:2:12: TD1 [error] msg"
    assert lines[1:4] == ["  |", "2 |   service: api@file", "  |            ^^^^^^^^"]
    assert lines[-1] == "Found 1 error, 0 warnings, 0 info."


@pytest.mark.parametrize(
    ("line", "column", "underlined"),
    [
        ("  service: api@file", 12, "api@file"),
        ("  url: http://10.0.0.1:80/x, y", 8, "http://10.0.0.1:80/x"),
        ('  rule: "Host(`a`) && Path(`/`)"', 9, '"Host(`a`) && Path(`/`)"'),
        ("  rule: Host(`a b`)", 14, "`a b`"),
        ("  rule: 'open", 9, "'"),
        ("  - {x}", 5, "{"),
        ("  key: value", 7, " "),
    ],
)
def test_caret_extends_over_token(line: str, column: int, underlined: str) -> None:
    assert caret_under(render_one(line, column)) == underlined


def test_caret_past_end_of_line_is_one_wide() -> None:
    lines = render_one("abc", 10)
    assert lines[3] == "  |    ^"


def test_tabs_expand_and_caret_stays_aligned() -> None:
    lines = render_one("\tkey:\t\tvalue", 8)
    assert "\t" not in "\n".join(lines)
    assert caret_under(lines) == "value"


def test_wide_characters_keep_caret_aligned() -> None:
    lines = render_one("名前: value", 5)
    assert lines[3] == "  | " + " " * 6 + "^^^^^"  # 名前 take four cells, then ": "


def test_unknown_column_shows_line_without_caret() -> None:
    lines = render_one("  key: value", None)
    assert lines[0] == "a.yml:2: TD1 [error] msg"
    assert lines[2] == "2 |   key: value"
    assert "^" not in "\n".join(lines)


def test_no_frame_without_source_or_line() -> None:
    finding = Finding("TD1", "n", Severity.WARNING, "m", Location("gone.yml", 3, 1))
    no_line = Finding("TD2", "n", Severity.INFO, "m", Location("a.yml"))
    past_end = Finding("TD3", "n", Severity.INFO, "m", Location("a.yml", 99, 1))
    source = Source("/r/a.yml", "a.yml", b"x\n")
    report = Report((finding, no_line, past_end), {}, "/r", "0", {"a.yml": source})
    out = TextWriter().render(report, color=False)
    assert "|" not in out
    assert out.splitlines()[-1] == "Found 0 errors, 1 warning, 2 info."


def test_related_notes_and_fix() -> None:
    source = Source("/r/a.yml", "a.yml", b"\n".join(b"line%d" % i for i in range(1, 13)))
    finding = Finding(
        "TD1",
        "n",
        Severity.ERROR,
        "m",
        Location("a.yml", 2, 1),
        related=(Related(Location("a.yml", 12, 1), "other side"),),
        fix=Fix("do it", FixSafety.UNSAFE),
    )
    report = Report((finding,), {}, "/r", "0", {"a.yml": source})
    assert TextWriter().render(report, color=False).splitlines()[1:8] == [
        "   |",
        " 2 | line2",
        "   | ^^^^^",
        "   = note: a.yml:12:1: other side",
        "12 | line12",
        "   | ^^^^^^",
        "   = help: do it (unsafe fix)",
    ]


def test_no_findings() -> None:
    report = Report((), {}, "/r", "0", {})
    assert TextWriter().render(report, color=False) == "No problems found.\n"
    assert TextWriter().render(report, color=True) == "\x1b[1mNo problems found.\x1b[0m\n"


def test_colour_only_when_asked(report: Report) -> None:
    plain = TextWriter().render(report, color=False)
    coloured = TextWriter().render(report, color=True)
    assert "\x1b" not in plain
    assert "\x1b[1;31m[error]\x1b[0m" in coloured
    assert "\x1b[1;33m[warning]\x1b[0m" in coloured
    assert "\x1b[1;34m[info]\x1b[0m" in coloured
    assert SGR.sub("", coloured) == plain


@pytest.mark.parametrize("color", [False, True])
def test_control_characters_in_user_text_are_stripped(color: bool) -> None:
    hostile = "a\x1b]0;pwned\x07b\x1b[2Jc\x9b31m\x7f\u202ed\x00e"
    lines = render_one(f"key: {hostile}", 6, message=hostile, color=color)
    out = "\n".join(lines)
    # Only our own SGR sequences remain; nothing of the file's can steer the terminal.
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", SGR.sub("", out))
    assert "a]0;pwnedb[2Jc31mde" in SGR.sub("", out)


def test_hostile_path_and_related_message_are_stripped() -> None:
    finding = Finding(
        "TD1",
        "n",
        Severity.INFO,
        "m",
        Location("evil\x1b[2J.yml", 1, 1),
        related=(Related(Location("x\x07.yml"), "note\x1b]8;;http://x\x07"),),
        fix=Fix("fix\x1b[31m"),
    )
    out = TextWriter().render(Report((finding,), {}, "/r", "0", {}), color=False)
    assert "\x1b" not in out
    assert "\x07" not in out


def test_clean_text_keeps_tab_and_spaces_line_breaks() -> None:
    assert clean_text("a\tb\r\nc\nd\re\x0bf") == "a\tb c d e f"
    assert clean_text("名前 ok") == "名前 ok"
