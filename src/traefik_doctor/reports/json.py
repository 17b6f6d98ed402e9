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
    """``{"tool", "findings", "summary"}``, keys in a fixed order so diffs stay readable."""

    name = "json"

    def render(self, report: Report, *, color: bool) -> str:
        document = {
            "tool": {"name": TOOL_NAME, "version": report.version},
            "findings": [_finding(finding) for finding in report.findings],
            "summary": summary_counts(report.findings),
        }
        return json.dumps(document, indent=2) + "\n"


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
        else {"description": fix.description, "safety": fix.safety.value},
    }
