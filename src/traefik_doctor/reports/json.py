"""Machine-readable findings in a small, stable shape of our own (SARIF is the standard one).

Non-ASCII and control characters are written as ``\\u`` escapes: the data stays exact and
the output is safe to print and encoding-agnostic.
"""

from __future__ import annotations

import json
from typing import Any

from traefik_doctor.findings import Finding
from traefik_doctor.reports.base import TOOL_NAME, Report, summary_counts


class JsonWriter:
    """``{"tool", "findings", "summary"}``, keys in a fixed order so diffs stay readable.

    One finding per line: readable, greppable, and written by the C encoder (an indented
    dump goes through Python's slow encoder, a third of the run time for 10,000 findings).
    """

    name = "json"

    def render(self, report: Report, *, color: bool) -> str:
        tool = json.dumps({"name": TOOL_NAME, "version": report.version})
        summary = json.dumps(summary_counts(report.findings))
        lines = [json.dumps(_finding(finding)) for finding in report.findings]
        findings = "[\n    " + ",\n    ".join(lines) + "\n  ]" if lines else "[]"
        return f'{{\n  "tool": {tool},\n  "findings": {findings},\n  "summary": {summary}\n}}\n'


def _finding(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    fix = finding.fix
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "location": {"path": loc.path, "line": loc.line, "column": loc.column},
        "related": [
            {
                "path": rel.location.path,
                "line": rel.location.line,
                "column": rel.location.column,
                "message": rel.message,
            }
            for rel in finding.related
        ],
        "fix": None
        if fix is None
        else {
            "description": fix.description,
            "safety": fix.safety.value,
            "applicable": fix.applicable,  # `traefik-doctor fix` can apply it
        },
        "evidence": [{"kind": e.kind, "text": e.text} for e in finding.evidence],
    }
