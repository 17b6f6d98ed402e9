"""Load two projects and compare them: the ``diff`` pipeline, without argument parsing.

Both projects are read by the same loaders as ``check`` (so a broken file is what Traefik
makes of it: a file it rejects contributes nothing), each with its own layout settings
(``static``, ``go-src``, ``go-services``). With ``assess_risk`` both are checked with the prod
profile and B's new findings become the risks of the differences (``diff.risk``); both are
then judged by B's ``select``/``ignore``, so a rule one side ignores cannot look like a risk.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from traefik_doctor.diff.compare import compare
from traefik_doctor.diff.model import Change, DiffResult, Problem, Side
from traefik_doctor.diff.objects import project_objects
from traefik_doctor.diff.risk import Places, link, new_findings
from traefik_doctor.findings import Finding
from traefik_doctor.model.project import IssueKind, Project
from traefik_doctor.redact import redact_text, redact_users
from traefik_doctor.settings import Settings


def diff_projects(
    a: Path,
    b: Path,
    settings_a: Settings,
    settings_b: Settings,
    *,
    assess_risk: bool,
    labels: tuple[str, str] = ("A", "B"),
) -> tuple[DiffResult, list[str]]:
    """The differences from ``a`` to ``b``, and the rules that crashed (``check``'s)."""
    crashed: list[str] = []
    findings: list[list[Finding]] = []
    projects: list[Project] = []
    for target, settings in ((a, settings_a), (b, settings_b)):
        if assess_risk:
            from traefik_doctor.engine import run_check

            judged = replace(
                settings, profile="prod", select=settings_b.select, ignore=settings_b.ignore
            )
            result = run_check(target, judged)
            projects.append(result.project)
            findings.append(result.findings)
            crashed.extend(result.crashed)
        else:
            from traefik_doctor.loaders.project import load_project

            projects.append(
                load_project(
                    target,
                    settings.static,
                    go=settings.go,
                    go_src=settings.go_src,
                    go_services=settings.go_services,
                )
            )
    objects_a, objects_b = project_objects(projects[0]), project_objects(projects[1])
    changes = compare(objects_a, objects_b)
    out = DiffResult(labels[0], labels[1], risk_checked=assess_risk)
    if assess_risk:
        places_a, places_b = Places(objects_a), Places(objects_b)
        new = new_findings(findings[0], findings[1], places_a, places_b)
        changes, out.risks = link(changes, new, places_b)
    out.changes = [_without_secrets(change) for change in changes]
    for side, project in (("A", projects[0]), ("B", projects[1])):
        out.problems.extend(problems(side, project))
    return out, crashed


def _without_secrets(change: Change) -> Change:
    """Auth middlewares' users (hashes and plain-text passwords) and anything else that looks
    like a secret are masked before anything is shown: a diff is read in CI logs."""
    text = (
        f"{change.field} {change.a.value if change.a else ''} {change.b.value if change.b else ''}"
    )
    users = change.kind == "middleware" and "users" in text.lower()
    clean = redact_users if users else redact_text

    def side(value: Side | None) -> Side | None:
        return None if value is None else replace(value, value=clean(value.value))

    return replace(change, field=clean(change.field), a=side(change.a), b=side(change.b))


def problems(side: str, project: Project) -> list[Problem]:
    """What makes one side's model incomplete, for a note under the report."""
    found: list[Problem] = []
    if not project.static.present:
        found.append(
            Problem(side, "no static configuration (traefik.yml): only dynamic files compared")
        )
    for document in project.documents:
        if not document.rejected:
            continue
        reason = "Traefik rejects it"
        where = None
        if document.failure is not None:
            reason, where = document.failure.message, document.failure.origin
        elif document.duplicates:
            reason = f"key `{document.duplicates[0][1].key}` given twice"
            where = document.duplicates[0][1].key_origin
        elif document.schema_issues:
            reason, where = document.schema_issues[0].message, document.schema_issues[0].origin
        consequence = (
            f"what it defines is missing from {side}"
            if document.tree is None
            else "Traefik would not load it; what it defines is compared as written"
        )
        found.append(
            Problem(
                side,
                f"`{document.source.display}` does not load ({reason}): {consequence}",
                where.location() if where is not None else None,
            )
        )
    for issue in project.issues:
        if issue.kind is IssueKind.MISSING_PATH:
            found.append(Problem(side, issue.message, issue.origin.location()))
    return found
