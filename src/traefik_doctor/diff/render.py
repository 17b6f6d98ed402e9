"""``diff`` output: text grouped by area, and JSON with a stable shape.

Text, one difference per line, the places under it (A's, then B's), a note and the risks
under those::

    Routing
      ~ router api@file: rule Host(`a`) -> Host(`b`)
          the requests it matches may differ: hosts a -> b
          A staging/dynamic/app.yml:5:13  B prod/dynamic/app.yml:5:13
      - router admin@file (only in A): rule Host(`admin`), service admin@file
          A staging/dynamic/app.yml:12:5
          ! risk: DIFF B has no such router: requests it routes in A get 404 in B

JSON (``format_version`` 1; differences in the text's order)::

    {"tool", "version", "format_version": 1, "a", "b", "profile", "risk_checked",
     "differences": [{"area", "op" (changed|added|removed), "object": {"kind", "protocol",
       "name"}, "field", "a": {"value", "default", "location"} | null, "b": ..., "note",
       "risks": [{"code", "severity", "message", "location"}]}],
     "risks": [...], "problems": [{"side", "message", "location"}],
     "summary": {"differences", "risky", "by_area": {area: count}}}

Locations in JSON are ``{"path", "line", "column"}`` relative to that side's directory, as in
``check``'s JSON; text joins them to the directory given on the command line.
"""

from __future__ import annotations

import json
import os

from traefik_doctor import __version__
from traefik_doctor.diff.model import (
    ADDED,
    AREAS,
    CHANGED,
    OPS,
    Change,
    DiffResult,
    Risk,
    Side,
)
from traefik_doctor.findings import Location

FORMAT_VERSION = 1


def _place(base: str, location: Location | None) -> str | None:
    if location is None or not location.path:
        return None
    path = location.path if base in ("", ".") else os.path.join(base, location.path)
    return str(Location(os.path.normpath(path), location.line, location.column))


def _value(side: Side | None) -> str:
    if side is None:
        return "(none)"
    if side.default:
        return f"{side.value} (default)" if "(" not in side.value else side.value
    return side.value


def _headline(change: Change) -> str:
    subject = change.label
    if not change.field:
        side = change.b if change.op == ADDED else change.a
        where = "only in B" if change.op == ADDED else "only in A"
        return f"{change.op} {subject} ({where}): {_value(side)}"
    if change.op == CHANGED:
        return f"{change.op} {subject}: {change.field} {_value(change.a)} -> {_value(change.b)}"
    side = change.b if change.op == ADDED else change.a
    where = "not in A" if change.op == ADDED else "not in B"
    value = _value(side)
    detail = "" if value in ("", "{}") or change.field.endswith(f"[{value}]") else f" {value}"
    return f"{change.op} {subject}: {change.field}{detail} ({where})"


def render_text(result: DiffResult, base_a: str, base_b: str) -> str:
    lines: list[str] = []
    grouped: dict[str, list[Change]] = {}
    for change in result.changes:
        grouped.setdefault(change.area, []).append(change)
    for area in AREAS:
        changes = grouped.get(area)
        if not changes:
            continue
        if lines:
            lines.append("")
        lines.append(area)
        for change in changes:
            lines.append(f"  {_headline(change)}")
            if change.note:
                lines.append(f"      {change.note}")
            places = [
                f"{side} {place}"
                for side, place in (
                    ("A", _place(base_a, change.a.location if change.a else None)),
                    ("B", _place(base_b, change.b.location if change.b else None)),
                )
                if place is not None
            ]
            if places:
                lines.append("      " + "  ".join(places))
            for risk in change.risks:
                lines.append(f"      ! risk: {_risk_text(risk, base_b, with_place=False)}")
    if result.risks:
        if lines:
            lines.append("")
        lines.append("Risks in B that no compared difference explains")
        for risk in result.risks:
            lines.append(f"  ! {_risk_text(risk, base_b, with_place=True)}")
    if result.problems:
        if lines:
            lines.append("")
        for problem in result.problems:
            base = base_a if problem.side == "A" else base_b
            place = _place(base, problem.location)
            prefix = f"{place}: " if place else ""
            lines.append(f"note: {problem.side}: {prefix}{problem.message}")
    if lines:
        lines.append("")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def _risk_text(risk: Risk, base_b: str, *, with_place: bool) -> str:
    text = f"{risk.code} [{risk.severity}] {risk.message}"
    place = _place(base_b, risk.location) if with_place else None
    return f"{place}: {text}" if place else text


def summary_line(result: DiffResult) -> str:
    """``12 differences (Routing 5, TLS 2, ...); 4 risky under --profile prod``."""
    if not result.changes and not result.risks:
        line = "no differences"
    else:
        counts = by_area(result)
        parts = ", ".join(f"{area} {count}" for area, count in counts.items())
        total = len(result.changes)
        line = f"{total} difference{'s' if total != 1 else ''}" + (f" ({parts})" if parts else "")
    if result.risk_checked:
        risky = result.risk_count
        line += (
            f"; {risky} risky under --profile prod"
            if risky
            else "; none risky under --profile prod"
        )
    elif result.changes:
        line += "; risks not assessed (add --profile prod)"
    return line


def by_area(result: DiffResult) -> dict[str, int]:
    counts: dict[str, int] = {}
    for area in AREAS:
        count = sum(1 for change in result.changes if change.area == area)
        if count:
            counts[area] = count
    return counts


def _location_json(location: Location | None) -> dict[str, object] | None:
    if location is None or not location.path:
        return None
    return {"path": location.path, "line": location.line, "column": location.column}


def _side_json(side: Side | None) -> dict[str, object] | None:
    if side is None:
        return None
    return {"value": side.value, "default": side.default, "location": _location_json(side.location)}


def _risk_json(risk: Risk) -> dict[str, object]:
    return {
        "code": risk.code,
        "severity": risk.severity,
        "message": risk.message,
        "location": _location_json(risk.location),
    }


def render_json(result: DiffResult, profile: str) -> str:
    document = {
        "tool": "traefik-doctor",
        "version": __version__,
        "format_version": FORMAT_VERSION,
        "a": result.a,
        "b": result.b,
        "profile": profile,
        "risk_checked": result.risk_checked,
        "differences": [
            {
                "area": change.area,
                "op": OPS[change.op],
                "object": {"kind": change.kind, "protocol": change.protocol, "name": change.name},
                "field": change.field,
                "a": _side_json(change.a),
                "b": _side_json(change.b),
                "note": change.note or None,
                "risks": [_risk_json(risk) for risk in change.risks],
            }
            for change in sorted(result.changes, key=lambda change: AREAS.index(change.area))
        ],
        "risks": [_risk_json(risk) for risk in result.risks],
        "problems": [
            {
                "side": problem.side,
                "message": problem.message,
                "location": _location_json(problem.location),
            }
            for problem in result.problems
        ],
        "summary": {
            "differences": len(result.changes),
            "risky": result.risk_count,
            "by_area": by_area(result),
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
