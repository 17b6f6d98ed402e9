"""What every report writer gets, and the few helpers more than one of them needs.

Writers take one ``Report`` and return text, so the CLI owns files, streams and exit codes and
a writer can be tested as a pure function.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.source import Source

TOOL_NAME = "traefik-doctor"


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What reports need to know about a rule (SARIF lists rules apart from their results)."""

    code: str
    name: str
    summary: str
    severity: Severity
    help_uri: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """One check's outcome: findings already sorted and filtered, plus what renders them."""

    findings: tuple[Finding, ...]
    rules: Mapping[str, RuleInfo]
    root: str
    version: str
    sources: Mapping[str, Source]


class Writer(Protocol):
    """A report format; ``color`` matters only to formats read in a terminal."""

    name: str

    def render(self, report: Report, *, color: bool) -> str: ...


def summary_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Findings per severity, worst first, every severity present even at zero."""
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity.value] += 1
    return counts


def rule_info(report: Report, finding: Finding) -> RuleInfo:
    """The finding's rule, or one made from the finding when the caller did not pass it."""
    info = report.rules.get(finding.code)
    if info is not None:
        return info
    return RuleInfo(finding.code, finding.name, finding.name, finding.severity)


# C0 and C1 controls, DEL, and the bidi overrides that can reorder what a terminal shows
# ("Trojan Source"). Line-breaking controls become a space so words do not run together;
# tab is kept because code frames expand it themselves.
_CLEAN: dict[int, str | None] = {code: None for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_CLEAN.update(dict.fromkeys(range(0x0A, 0x0E), " "))
del _CLEAN[0x09]
_CLEAN.update(dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"), None))
_CLEAN.update(dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"), None))


def clean_text(text: str) -> str:
    """User text with control characters removed, so a hostile file cannot drive the terminal."""
    return text.replace("\r\n", "\n").translate(_CLEAN)
