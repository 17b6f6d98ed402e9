"""Each router's rule parsed once per project, with the syntax and kind it is checked under.

The syntax is the router's `ruleSyntax` if set, else the static `core.defaultRuleSyntax`
(default v3). HTTP routers parse as kind "http", TCP routers as "tcp"; UDP routers have no
rule. Several RTR rules read the same parse, so it is cached for the project being checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from traefik_doctor.model.dynamic import Router
from traefik_doctor.model.project import Project
from traefik_doctor.model.values import Value
from traefik_doctor.rulelang.ast import Expr, Matcher, matchers
from traefik_doctor.rulelang.parser import RuleSyntaxError, parse
from traefik_doctor.rules.base import Context
from traefik_doctor.source import Origin


@dataclass(frozen=True, slots=True)
class ParsedRule:
    router: Router
    rule: Value
    syntax: str
    kind: str
    expr: Expr | None
    error: RuleSyntaxError | None

    def matchers(self) -> Iterator[Matcher]:
        if self.expr is not None:
            yield from matchers(self.expr)

    def at(self, offset: int) -> Origin:
        """Origin of a 0-based character offset in the rule."""
        return self.rule.at(max(0, min(offset, len(self.rule.text))))


_CACHE: dict[int, tuple[Project, dict[int, ParsedRule | None]]] = {}


def rule_syntax(context: Context, router: Router) -> str:
    if router.rule_syntax is not None and router.rule_syntax.text.strip():
        return router.rule_syntax.text.strip().lower()
    return context.project.static.default_rule_syntax()


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
            result = ParsedRule(router, router.rule, syntax, router.protocol, parsed, None)
    table[key] = result
    return result


def parsed_rules(context: Context) -> Iterator[ParsedRule]:
    for router in context.project.dynamic.routers.values():
        parsed = parsed_rule(context, router)
        if parsed is not None:
            yield parsed
