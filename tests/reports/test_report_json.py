"""The JSON writer's shape is a public contract: keys, order, nulls and the summary."""

from __future__ import annotations

import json

from traefik_doctor.findings import Finding, Location, Severity
from traefik_doctor.reports import WRITERS, Report, summary_counts


def test_shape_and_key_order(report: Report) -> None:
    data = json.loads(WRITERS["json"].render(report, color=False))
    assert list(data) == ["tool", "findings", "summary"]
    assert data["tool"] == {"name": "traefik-doctor", "version": "0.1.0-test"}
    first = data["findings"][1]
    assert list(first) == [
        "code",
        "name",
        "severity",
        "message",
        "location",
        "related",
        "fix",
    ]
    assert list(first["location"]) == ["path", "line", "column"]
    assert list(first["related"][0]) == ["path", "line", "column", "message"]
    assert first["fix"] == {"description": "point the router at `api-v2@file`", "safety": "unsafe"}
    assert data["findings"][3]["location"] == {"path": "traefik.toml", "line": None, "column": None}
    assert data["findings"][3]["fix"] is None
    assert data["summary"] == {"error": 1, "warning": 2, "info": 1}


def test_messages_survive_exactly(report: Report) -> None:
    data = json.loads(WRITERS["json"].render(report, color=False))
    assert [f["message"] for f in data["findings"]] == [f.message for f in report.findings]


def test_empty(empty_report: Report) -> None:
    data = json.loads(WRITERS["json"].render(empty_report, color=False))
    assert data["findings"] == []
    assert data["summary"] == {"error": 0, "warning": 0, "info": 0}


def test_summary_counts() -> None:
    def make(severity: Severity) -> Finding:
        return Finding("X", "x", severity, "m", Location("p"))

    found = [make(Severity.ERROR), make(Severity.INFO), make(Severity.ERROR)]
    assert summary_counts(found) == {"error": 2, "warning": 0, "info": 1}
    assert list(summary_counts([])) == ["error", "warning", "info"]
