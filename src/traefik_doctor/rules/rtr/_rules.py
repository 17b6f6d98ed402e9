"""Turning the issues of parsed router rules (``model.routing``) into findings."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from traefik_doctor.findings import Finding
from traefik_doctor.model import routing
from traefik_doctor.model.dynamic import Router
from traefik_doctor.model.routing import ParsedRule
from traefik_doctor.rulelang.validate import RuleIssue
from traefik_doctor.rules.base import Context, Rule


def parsed_rules(context: Context) -> Iterator[ParsedRule]:
    return routing.parsed_rules(context.project)


def parsed_rule(context: Context, router: Router) -> ParsedRule | None:
    return routing.parsed_rule(context.project, router)


def rule_issues(context: Context, *kinds: str) -> Iterator[tuple[ParsedRule, RuleIssue]]:
    """Every issue of the given kinds, router by router, left to right in each rule."""
    for parsed in parsed_rules(context):
        for issue in parsed.issues:
            if issue.kind in kinds:
                yield parsed, issue


def effect(issue: RuleIssue) -> str:
    """What Traefik does with the router because of ``issue`` (the messages of issues that
    leave the router enabled already say what goes wrong)."""
    return "; Traefik disables the router (404)" if issue.fatal else ""


def issue_findings(
    context: Context,
    rule: Rule,
    kinds: tuple[str, ...],
    fix: Callable[[ParsedRule, RuleIssue], str | None],
    *,
    unsafe: bool = False,
) -> Iterator[Finding]:
    """One finding per rule issue of ``kinds``, pointing at the issue's column."""
    for parsed, issue in rule_issues(context, *kinds):
        yield rule.finding(
            f"rule of router `{parsed.router.qualified}`: {issue.message}{effect(issue)}",
            parsed.at(issue.start),
            fix=fix(parsed, issue),
            unsafe=unsafe,
        )
