"""JUnit XML, for CI systems that show test reports but not code-scanning results.

Each finding is a failed testcase whose body is the text report of that finding. XML 1.0
cannot carry most control characters even escaped, so they are dropped before writing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from traefik_doctor.reports.base import TOOL_NAME, Report
from traefik_doctor.reports.text import render_finding

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class JunitWriter:
    """``testsuites > testsuite name="traefik-doctor"``, one testcase per finding."""

    name = "junit"

    def render(self, report: Report, *, color: bool) -> str:
        count = len(report.findings)
        counts = {"tests": str(max(count, 1)), "failures": str(count), "errors": "0"}
        suites = ET.Element("testsuites", {"name": TOOL_NAME, **counts})
        suite = ET.SubElement(suites, "testsuite", {"name": TOOL_NAME, **counts, "skipped": "0"})
        for finding in report.findings:
            case = ET.SubElement(
                suite,
                "testcase",
                {
                    "classname": _xml(finding.code),
                    "name": _xml(f"{finding.location} {finding.name}"),
                },
            )
            failure = ET.SubElement(
                case,
                "failure",
                {"message": _xml(finding.message), "type": finding.severity.value},
            )
            failure.text = _xml(render_finding(report, finding, color=False))
        if not report.findings:
            ET.SubElement(
                suite, "testcase", {"classname": TOOL_NAME, "name": "traefik-doctor check"}
            )
        ET.indent(suites)
        body = ET.tostring(suites, encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)
