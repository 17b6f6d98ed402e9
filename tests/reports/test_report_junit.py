"""JUnit output parses as XML and its counts match its testcases, whatever the messages hold."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from traefik_doctor.findings import Finding, Location, Severity
from traefik_doctor.reports import WRITERS, Report


def parse(report: Report) -> ET.Element:
    text = WRITERS["junit"].render(report, color=False)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_counts_match(report: Report) -> None:
    root = parse(report)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "traefik-doctor"
    cases = suite.findall("testcase")
    failures = suite.findall("testcase/failure")
    assert len(cases) == int(suite.get("tests", "")) == int(root.get("tests", "")) == 4
    assert len(failures) == int(suite.get("failures", "")) == 4
    assert suite.get("errors") == "0"
    assert [c.get("classname") for c in cases] == ["TD301", "TD101", "TD205", "TD401"]
    assert cases[1].get("name") == "dynamic/routers.yml:5:16 unknown-service"
    assert cases[3].get("name") == "traefik.toml missing-entrypoint"
    assert [f.get("type") for f in failures] == ["info", "error", "warning", "warning"]
    assert failures[1].get("message") == report.findings[1].message
    assert "= help: point the router at `api-v2@file` (unsafe fix)" in (failures[1].text or "")


def test_no_findings_is_one_passing_case(empty_report: Report) -> None:
    suite = parse(empty_report).find("testsuite")
    assert suite is not None
    (case,) = suite.findall("testcase")
    assert case.get("name") == "traefik-doctor check"
    assert case.find("failure") is None
    assert (suite.get("tests"), suite.get("failures")) == ("1", "0")


def test_markup_and_control_characters_stay_data() -> None:
    message = 'a <b> & "c" \x00\x1b[31m\x0c ]]> \ud800 名前'
    finding = Finding("T<1>", "n&m", Severity.ERROR, message, Location("a&b.yml", 1, 1))
    root = parse(Report((finding,), {}, "/r", "0", {}))
    case = root.find("testsuite/testcase")
    assert case is not None
    assert case.get("classname") == "T<1>"
    assert case.get("name") == "a&b.yml:1:1 n&m"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == 'a <b> & "c" [31m ]]>  名前'
