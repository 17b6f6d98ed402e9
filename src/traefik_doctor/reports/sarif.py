"""SARIF 2.1.0, the format GitHub code scanning and most CI dashboards import.

Fixes are not SARIF ``fixes``: those need exact replacement regions, and ours are advice, so
they go in the result's property bag instead of an invalid or misleading ``fixes`` entry, as
does the evidence of a live diagnosis (what was sent and seen).
"""

from __future__ import annotations

import json
import posixpath
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from traefik_doctor.findings import Location, Severity
from traefik_doctor.reports.base import TOOL_NAME, Report, RuleInfo, rule_info

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/traefik-doctor/"
SRCROOT = "%SRCROOT%"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


class SarifWriter:
    """One run; paths relative to ``%SRCROOT%`` so the log does not depend on the checkout."""

    name = "sarif"

    def render(self, report: Report, *, color: bool) -> str:
        rules = dict(report.rules)
        for finding in report.findings:
            rules.setdefault(finding.code, rule_info(report, finding))
        ordered = [rules[code] for code in sorted(rules)]
        index = {info.code: i for i, info in enumerate(ordered)}

        results: list[dict[str, Any]] = []
        for finding in report.findings:
            result: dict[str, Any] = {
                "ruleId": finding.code,
                "ruleIndex": index[finding.code],
                "level": _LEVEL[finding.severity],
                "message": {"text": finding.message},
                "locations": [{"physicalLocation": _physical(finding.location)}],
            }
            if finding.related:
                result["relatedLocations"] = [
                    {
                        "id": i,
                        "physicalLocation": _physical(rel.location),
                        "message": {"text": rel.message},
                    }
                    for i, rel in enumerate(finding.related)
                ]
            properties: dict[str, Any] = {}
            if finding.fix is not None:
                fix = {"description": finding.fix.description, "safety": finding.fix.safety.value}
                properties["fix"] = fix
            if finding.evidence:
                properties["evidence"] = [
                    {"kind": e.kind, "text": e.text} for e in finding.evidence
                ]
            if properties:
                result["properties"] = properties
            results.append(result)

        run = {
            "tool": {
                "driver": {
                    "name": TOOL_NAME,
                    "version": report.version,
                    "informationUri": INFORMATION_URI,
                    "rules": [_rule(info) for info in ordered],
                }
            },
            "originalUriBaseIds": {SRCROOT: {"uri": _root_uri(report.root)}},
            # Our columns count characters (code points), not UTF-16 units as SARIF assumes.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }
        document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
        return json.dumps(document, indent=2) + "\n"


def _rule(info: RuleInfo) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
    }
    if info.help_uri:
        rule["helpUri"] = info.help_uri
    rule["defaultConfiguration"] = {"level": _LEVEL[info.severity]}
    return rule


def _physical(location: Location) -> dict[str, Any]:
    path = location.path.replace("\\", "/")
    artifact: dict[str, Any]
    if posixpath.isabs(path):
        artifact = {"uri": PurePosixPath(path).as_uri()}
    else:
        artifact = {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if location.line is not None:
        region = {"startLine": max(location.line, 1)}
        if location.column is not None:
            region["startColumn"] = max(location.column, 1)
        physical["region"] = region
    return physical


def _root_uri(root: str) -> str:
    uri = PurePosixPath(root.replace("\\", "/")).as_uri()
    return uri if uri.endswith("/") else uri + "/"
