"""Which differences make B (the target: prod) riskier than A.

The rules already say what is risky in production, so the first judge is ``check --profile
prod`` run on both projects: a finding (warning or error) that B has and A does not is a risk
B takes on. Findings pair across the projects in two passes, as ``watch`` pairs them across
saves: by code and message (quoted ``file:line`` blanked), then by code and the object they
point into (``router api@file``), so a finding whose wording changed with the values is not
new. Each new finding is tied to the difference that explains it: the one written on the
same line of B, else one of the same object (in the finding's area when there are several),
else one whose object the message names (``no `accessLog` ``).

Some risky differences have no rule, because the state in B alone is fine (a router that A
has and B has not; a timeout that B shortened). ``judge`` gives those a one-line reason,
with the code ``DIFF``, when no finding already explains the difference.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from traefik_doctor.diff.areas import area_of_code
from traefik_doctor.diff.model import (
    ADDED,
    CHANGED,
    OBSERVABILITY,
    REMOVED,
    TIMEOUTS,
    Change,
    Risk,
)
from traefik_doctor.diff.objects import Obj, tls_version_rank
from traefik_doctor.diff.tree import Anchor, Branch, resolve
from traefik_doctor.findings import Finding, Location, Severity
from traefik_doctor.loaders.tree import Entry, Node
from traefik_doctor.schema.defaults import parse_duration_seconds

_QUOTED_PLACE = re.compile(r"((?:[\w.-]+/)*[\w.-]+\.[A-Za-z]{1,5}):\d+(?::\d+)?")
_TICKED = re.compile(r"`([^`]+)`")
_VERBOSE = ("debug", "trace")
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

ObjKey = tuple[str, str, str]


class Places:
    """Where each object of a project is written, to tell which object (and which field of
    it) a finding points into. Lines are computed per file, and only for the files a finding
    left unpaired by its message points into: most are paired without it."""

    def __init__(self, objects: Iterable[Obj]) -> None:
        self._objects = list(objects)
        self._by_file: dict[str, list[Obj]] | None = None
        self._files: dict[str, tuple[dict[int, tuple[ObjKey, str]], list[tuple[int, ObjKey]]]] = {}

    def _file(self, path: str) -> tuple[dict[int, tuple[ObjKey, str]], list[tuple[int, ObjKey]]]:
        found = self._files.get(path)
        if found is not None:
            return found
        if self._by_file is None:
            self._by_file = {}
            for obj in self._objects:
                self._by_file.setdefault(_file_of(obj.origin), []).append(obj)
        lines: dict[int, tuple[ObjKey, str]] = {}
        starts: list[tuple[int, ObjKey]] = []
        for obj in self._by_file.get(path, []):
            start = resolve(obj.origin)
            if start is not None and start.line is not None:
                starts.append((start.line, obj.key))
                lines.setdefault(start.line, (obj.key, ""))
            for field, anchor in _anchors(obj.tree, ""):
                place = resolve(anchor)
                if place is not None and place.line is not None and place.path == path:
                    lines.setdefault(place.line, (obj.key, field))
        starts.sort()
        self._files[path] = (lines, starts)
        return lines, starts

    def hit(self, location: Location) -> tuple[ObjKey, str] | None:
        """The object and field written on the line of ``location``, if any."""
        if location.line is None or not location.path:
            return None
        return self._file(location.path)[0].get(location.line)

    def object_at(self, location: Location) -> ObjKey | None:
        """The object written on that line, else the last one that starts above it."""
        hit = self.hit(location)
        if hit is not None:
            return hit[0]
        if location.line is None or not location.path:
            return None
        best: ObjKey | None = None
        for line, key in self._file(location.path)[1]:
            if line > location.line:
                break
            best = key
        return best


def _file_of(anchor: Anchor) -> str:
    if anchor is None:
        return ""
    if isinstance(anchor, Location):
        return anchor.path
    if isinstance(anchor, Entry):
        return anchor.key_origin.source.display
    if isinstance(anchor, Node):
        return anchor.origin.source.display
    return anchor.source.display


def _anchors(tree: Branch, prefix: str) -> Iterable[tuple[str, Anchor]]:
    for name, child in tree.children.items():
        path = f"{prefix}.{name}" if prefix and not name.startswith("[") else f"{prefix}{name}"
        yield path, child.origin
        if isinstance(child, Branch):
            yield from _anchors(child, path)


def _normalized(message: str) -> str:
    return _QUOTED_PLACE.sub(r"\1:_", message)


def new_findings(
    a: Sequence[Finding], b: Sequence[Finding], places_a: Places, places_b: Places
) -> list[Finding]:
    """B's warnings and errors that A does not have (see the module docstring)."""
    relevant = [f for f in b if f.severity.rank >= Severity.WARNING.rank]
    left = list(a)
    unpaired: list[Finding] = []
    pool: dict[tuple[str, str], int] = {}
    for finding in left:
        key = (finding.code, _normalized(finding.message))
        pool[key] = pool.get(key, 0) + 1
    second: list[Finding] = []
    for finding in relevant:
        key = (finding.code, _normalized(finding.message))
        if pool.get(key, 0) > 0:
            pool[key] -= 1
        else:
            second.append(finding)
    if not second:
        return []
    # A's findings that their message did not pair, counted by code and object.
    objects: dict[tuple[str, ObjKey], int] = {}
    codes = {finding.code for finding in second}
    for finding in left:
        key = (finding.code, _normalized(finding.message))
        if finding.code not in codes or pool.get(key, 0) <= 0:
            continue
        pool[key] -= 1
        obj = places_a.object_at(finding.location)
        if obj is not None:
            objects[(finding.code, obj)] = objects.get((finding.code, obj), 0) + 1
    for finding in second:
        obj_b = places_b.object_at(finding.location)
        if obj_b is not None and objects.get((finding.code, obj_b), 0) > 0:
            objects[(finding.code, obj_b)] -= 1
        else:
            unpaired.append(finding)
    return unpaired


def link(
    changes: list[Change], findings: Sequence[Finding], places_b: Places
) -> tuple[list[Change], list[Risk]]:
    """Attach each new finding to the differences that explain it; return the changes (with
    ``risks``) and the findings no difference explains."""
    attached: dict[int, list[Risk]] = {}
    loose: list[Risk] = []
    for finding in findings:
        risk = Risk(finding.code, finding.severity.value, finding.message, finding.location)
        targets = _targets(changes, finding, places_b)
        if not targets:
            loose.append(risk)
        for index in targets:
            attached.setdefault(index, []).append(risk)
    out = []
    for index, change in enumerate(changes):
        risks = attached.get(index, [])
        if not risks:
            reason = judge(change)
            if reason is not None:
                where = change.b.location if change.b is not None else None
                risks = [Risk("DIFF", Severity.WARNING.value, reason, where)]
        out.append(replace(change, risks=tuple(risks)) if risks else change)
    return out, loose


def _targets(changes: list[Change], finding: Finding, places_b: Places) -> list[int]:
    location = finding.location
    same_line = [
        index
        for index, change in enumerate(changes)
        if change.b is not None
        and change.b.location is not None
        and location.line is not None
        and change.b.location.path == location.path
        and change.b.location.line == location.line
    ]
    if same_line:
        return same_line
    hit = places_b.hit(location)
    if hit is not None:
        obj_key, field = hit
        containing = [
            index
            for index, change in enumerate(changes)
            if change.ident == obj_key and _related(field, change.field)
        ]
        if containing:
            return _prefer_area(containing, changes, area_of_code(finding.code))
        if field:
            # It points at a value that is the same in A: the cause is not a difference that
            # was compared (Go code, another file...).
            return []
    area = area_of_code(finding.code)
    obj = places_b.object_at(location)
    if obj is not None:
        found = _prefer_area([i for i, c in enumerate(changes) if c.ident == obj], changes, area)
        if found:
            return found
    named = set(_TICKED.findall(finding.message))
    mentioned = [index for index, change in enumerate(changes) if _named(change, named)]
    return _prefer_area(mentioned, changes, area)


def _related(field: str, changed: str) -> bool:
    """Is the value at ``field`` the changed one, inside it, or a section holding it?"""
    if not field or not changed or field == changed:
        return True
    return field.startswith((f"{changed}.", f"{changed}[")) or changed.startswith(
        (f"{field}.", f"{field}[")
    )


def _named(change: Change, named: set[str]) -> bool:
    """Does a finding's message name the object of ``change`` (in backticks)?"""
    if change.kind == "static":
        return change.name in named or any(t.startswith(f"{change.name}.") for t in named)
    return change.name in named


def _prefer_area(indexes: list[int], changes: list[Change], area: str) -> list[int]:
    preferred = [i for i in indexes if changes[i].area == area]
    return preferred or indexes


def _host(address: str) -> str:
    text = address.strip().split("/", 1)[0]
    return text.rsplit(":", 1)[0].strip("[]") if ":" in text else ""


def _seconds(text: str) -> float | None:
    head = text.split(" ", 1)[0]
    if head == "none":
        return 0.0
    return parse_duration_seconds(head)


def judge(change: Change) -> str | None:
    """Why ``change`` makes B riskier than A, in one line; None when it does not (as far as a
    difference alone can tell)."""
    field = change.field.lower()
    leaf = field.rsplit(".", 1)[-1]
    b_value = change.b.value.strip().lower() if change.b is not None else ""
    if change.kind == "router" and change.op == REMOVED and not field:
        return "B has no such router: requests it routes in A get 404 in B"
    if change.kind == "router" and field == "tls" and change.op == REMOVED:
        return "the router loses TLS in B: it serves plain HTTP only"
    if change.kind == "entryPoint" and field == "http.redirections" and change.op == REMOVED:
        return "B no longer redirects this entry point to HTTPS: clients stay on plain HTTP"
    if change.kind == "entryPoint" and field == "http.tls" and change.op == REMOVED:
        return "the entry point loses TLS in B"
    if field.endswith("healthcheck") and change.op == REMOVED:
        return "no health check in B: a server that is down stays in rotation"
    if leaf == "insecureskipverify" and b_value == "true":
        return "B accepts any backend certificate (no verification)"
    if leaf in ("minversion",) and change.a is not None and change.b is not None:
        before, after = tls_version_rank(change.a.value), tls_version_rank(change.b.value)
        if before is not None and after is not None and after < before:
            return f"B accepts older TLS versions ({change.a.value} -> {change.b.value})"
    if change.kind == "static" and change.area == OBSERVABILITY and change.op == REMOVED:
        what = f"{change.name}.{change.field}" if change.field else change.name
        return f"`{what}` is off in B: less to diagnose an incident with"
    static = change.kind == "static"
    if static and change.name == "log" and leaf == "level" and b_value in _VERBOSE:
        return f"log level {b_value.upper()} in B: heavy logging under load"
    if static and change.name == "api" and leaf in ("insecure", "debug") and b_value == "true":
        return f"`api.{leaf}: true` in B exposes the API without authentication"
    if change.kind == "entryPoint" and field == "address" and change.a and change.b:
        host_a, host_b = _host(change.a.value), _host(change.b.value)
        if host_a in _LOOPBACK and host_b not in _LOOPBACK:
            return f"B listens on every interface ({change.b.value}), A on loopback only"
    if leaf == "exposedbydefault" and b_value == "true":
        return "B exposes every container by default"
    if change.area == TIMEOUTS and change.op in (CHANGED, REMOVED, ADDED):
        return _timeout_risk(change)
    return None


def _timeout_risk(change: Change) -> str | None:
    if change.a is None or change.b is None:
        return None
    before, after = _seconds(change.a.value), _seconds(change.b.value)
    if before is None or after is None or before == after:
        return None
    if after == 0 and before > 0:
        return f"no limit in B (A: {change.a.value}): a slow peer holds the connection for ever"
    if 0 < after < before and "idle" not in change.field.lower():
        return (
            f"shorter in B ({change.a.value} -> {change.b.value}): what takes longer than"
            f" {change.b.value} fails in B"
        )
    return None
