"""Run ``check``: load the project, run the selected rules, apply suppressions and profile."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

from traefik_doctor.findings import Finding
from traefik_doctor.loaders.project import LoadCache, load_project
from traefik_doctor.model.project import Project
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.settings import Settings
from traefik_doctor.suppress import Suppressions


@dataclass(slots=True)
class CheckResult:
    project: Project
    findings: list[Finding]
    crashed: list[str] = field(default_factory=list)
    suppressed: int = 0


def run_check(
    target: Path,
    settings: Settings,
    rules: tuple[Rule, ...] | None = None,
    cache: LoadCache | None = None,
) -> CheckResult:
    """``cache`` (``watch``) reuses what did not change since the last load with it."""
    from traefik_doctor.rules.registry import RULES

    project = load_project(
        target,
        settings.static,
        go=settings.go,
        go_src=settings.go_src,
        go_services=settings.go_services,
        cache=cache,
    )
    context = Context(project, settings.profile)
    suppressions = Suppressions()
    for document in project.documents:
        suppressions.scan(document.source)
    suppressions.ranges.extend(project.suppress_ranges)
    scanned = {document.source.display for document in project.documents}
    findings: list[Finding] = []
    crashed: list[str] = []
    suppressed = 0
    for rule in rules if rules is not None else RULES:
        if not settings.selected(rule.code):
            continue
        try:
            produced = list(rule.run(context))
        except Exception:  # a crashing rule must not hide the others' findings
            crashed.append(f"{rule.code}: {traceback.format_exc(limit=3).strip().splitlines()[-1]}")
            continue
        for found in produced:
            path = found.location.path
            if path and path not in scanned:
                # A finding about a file Traefik's configuration does not load (a static file
                # compose does not mount, a Go file): its comments may still silence it.
                scanned.add(path)
                _scan_other(suppressions, project.root, path)
            if suppressions.covers(found):
                suppressed += 1
                continue
            findings.append(found)
    findings = sorted(set(findings), key=Finding.sort_key)
    return CheckResult(project, findings, crashed, suppressed)


def _scan_other(suppressions: Suppressions, root: Path, display: str) -> None:
    from traefik_doctor.loaders.files import read_bounded
    from traefik_doctor.source import Source

    path = root / display
    if not path.is_file():
        return
    data = read_bounded(path).data
    if data:
        suppressions.scan(Source(str(path), display, data))
