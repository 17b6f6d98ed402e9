"""GitHub workflow commands: escaping as the runner expects, one command per line."""

from __future__ import annotations

import pytest

from traefik_doctor.findings import Finding, Location, Severity
from traefik_doctor.reports import WRITERS, Report
from traefik_doctor.reports.github import escape_data, escape_property


def render(*findings: Finding) -> str:
    return WRITERS["github"].render(Report(findings, {}, "/r", "0", {}), color=False)


def test_escape_data() -> None:
    assert escape_data("50% a\r\nb:c,d") == "50%25 a%0D%0Ab:c,d"
    assert escape_data("%0A") == "%250A"


def test_escape_property() -> None:
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


@pytest.mark.parametrize(
    ("severity", "command"),
    [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "notice")],
)
def test_levels(severity: Severity, command: str) -> None:
    out = render(Finding("TD1", "n", severity, "m", Location("a.yml", 3, 7)))
    assert out == f"::{command} file=a.yml,line=3,col=7,title=TD1 n::m\n"


def test_unknown_line_and_column_are_omitted() -> None:
    out = render(
        Finding("TD1", "n", Severity.ERROR, "m", Location("a.yml")),
        Finding("TD2", "n", Severity.ERROR, "m", Location("a.yml", 4)),
    )
    assert out.splitlines() == [
        "::error file=a.yml,title=TD1 n::m",
        "::error file=a.yml,line=4,title=TD2 n::m",
    ]


def test_hostile_text_cannot_start_a_command() -> None:
    finding = Finding(
        "TD1",
        "a,b:c",
        Severity.WARNING,
        "x\n::error file=pwn::owned\r\n100%\x1b[2J",
        Location("we,ird:path.yml", 1, 1),
    )
    (line,) = render(finding).splitlines()
    assert line == (
        "::warning file=we%2Cird%3Apath.yml,line=1,col=1,title=TD1 a%2Cb%3Ac"
        "::x%0A::error file=pwn::owned%0A100%25[2J"
    )


def test_sample(report: Report) -> None:
    lines = WRITERS["github"].render(report, color=False).splitlines()
    assert len(lines) == len(report.findings)
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert "%0Ahelp: point the router at `api-v2@file` (unsafe fix)" in lines[1]
