"""Each router's rule parsed once per project, with the syntax and kind it is checked under.

The syntax is the router's `ruleSyntax` if set, else the static `core.defaultRuleSyntax`
(default v3). HTTP routers parse as kind "http", TCP routers as "tcp"; UDP routers have no
rule. Several RTR rules read the same parse, so it is cached for the project being checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from traefik_doctor.findings import Finding
from traefik_doctor.model.dynamic import Router
from traefik_doctor.model.project import Project
from traefik_doctor.model.values import Value
from traefik_doctor.rulelang.ast import Expr, Matcher, matchers
from traefik_doctor.rulelang.parser import RuleSyntaxError, parse
from traefik_doctor.rulelang.validate import RuleIssue, check, effective_syntax
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.source import Origin


@dataclass(frozen=True, slots=True)
class ParsedRule:
    router: Router
    rule: Value
    syntax: str
    kind: str
    expr: Expr | None
    error: RuleSyntaxError | None
    issues: tuple[RuleIssue, ...] = ()

    def matchers(self) -> Iterator[Matcher]:
        if self.expr is not None:
            yield from matchers(self.expr)

    def at(self, offset: int) -> Origin:
        """Origin of a 0-based character offset in the rule."""
        return self.rule.at(max(0, min(offset, len(self.rule.text))))


_CACHE: dict[int, tuple[Project, dict[int, ParsedRule | None]]] = {}


def rule_syntax(context: Context, router: Router) -> Literal["v2", "v3"]:
    """Only the exact string ``v2`` selects the v2 matchers (rulelang.validate)."""
    if router.rule_syntax is not None and router.rule_syntax.text:
        return effective_syntax(router.rule_syntax.text)
    default = context.project.static.get("core", "defaultRuleSyntax")
    return effective_syntax(default.text if default is not None else None)


def parsed_rule(context: Context, router: Router) -> ParsedRule | None:
    """The parsed rule of an HTTP or TCP router with a non-empty rule, else None."""
    project = context.project
    cached = _CACHE.get(id(project))
    if cached is None or cached[0] is not project:
        _CACHE.clear()
        cached = (project, {})
        _CACHE[id(project)] = cached
    table = cached[1]
    key = id(router)
    if key in table:
        return table[key]
    result: ParsedRule | None = None
    if router.protocol in ("http", "tcp") and router.rule is not None and router.rule.text.strip():
        parsed = parse(router.rule.text)
        syntax = rule_syntax(context, router)
        if isinstance(parsed, RuleSyntaxError):
            result = ParsedRule(router, router.rule, syntax, router.protocol, None, parsed)
        else:
            kind: Literal["http", "tcp"] = "http" if router.protocol == "http" else "tcp"
            issues = tuple(check(parsed, syntax, kind))
            result = ParsedRule(router, router.rule, syntax, router.protocol, parsed, None, issues)
    table[key] = result
    return result


def parsed_rules(context: Context) -> Iterator[ParsedRule]:
    for router in context.project.dynamic.routers.values():
        parsed = parsed_rule(context, router)
        if parsed is not None:
            yield parsed


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
