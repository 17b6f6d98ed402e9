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
        "evidence",
    ]
    assert list(first["location"]) == ["path", "line", "column"]
    assert list(first["related"][0]) == ["path", "line", "column", "message"]
    assert first["fix"] == {
        "description": "point the router at `api-v2@file`",
        "safety": "unsafe",
        "applicable": False,
    }
    assert data["findings"][3]["location"] == {"path": "traefik.toml", "line": None, "column": None}
    assert data["findings"][3]["fix"] is None
    assert first["evidence"] == []
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


def test_live_evidence_is_structured() -> None:
    from traefik_doctor.findings import Evidence

    finding = Finding(
        "LIVE004",
        "backend-refused",
        Severity.ERROR,
        "router `r@file`: 502",
        Location("dynamic.yml", 3, 5),
        evidence=(
            Evidence("request", "GET http://127.0.0.1:8000/ Host: a.test"),
            Evidence("direct-probe", "tcp 127.0.0.1:9: connection_refused"),
        ),
    )
    report = Report((finding,), {}, "/p", "0", {})
    data = json.loads(WRITERS["json"].render(report, color=False))
    assert data["findings"][0]["message"] == "router `r@file`: 502"
    assert data["findings"][0]["evidence"] == [
        {"kind": "request", "text": "GET http://127.0.0.1:8000/ Host: a.test"},
        {"kind": "direct-probe", "text": "tcp 127.0.0.1:9: connection_refused"},
    ]
    sarif = json.loads(WRITERS["sarif"].render(report, color=False))
    result = sarif["runs"][0]["results"][0]
    assert result["properties"]["evidence"][1]["kind"] == "direct-probe"
    text = WRITERS["text"].render(report, color=False)
    assert "= direct-probe: tcp 127.0.0.1:9: connection_refused" in text
    github = WRITERS["github"].render(report, color=False)
    assert "evidence: request: GET http" in github
