"""Each router's rule, parsed once per project, with the syntax and kind Traefik uses for it.

The syntax is the router's ``ruleSyntax`` if set, else the static ``core.defaultRuleSyntax``
(v3 by default; only the exact string ``v2`` selects v2). HTTP routers parse as kind "http",
TCP routers as "tcp"; UDP routers have no rule. Many rules read the same parse (rule errors,
TLS hosts, later routing), so the project keeps it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from traefik_doctor.model.dynamic import Router
from traefik_doctor.model.project import Project
from traefik_doctor.model.values import Value
from traefik_doctor.rulelang.ast import Expr, Matcher, matchers
from traefik_doctor.rulelang.parser import RuleSyntaxError, parse
from traefik_doctor.rulelang.validate import RuleIssue, check, effective_syntax
from traefik_doctor.source import Origin

HOST_MATCHERS = frozenset({"host", "hostsni"})


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

    def hosts(self) -> Iterator[tuple[str, Origin]]:
        """The literal names of its ``Host``/``HostSNI`` matchers, lower-cased, each with the
        origin of its first character (``HostSNI(`*`)`` and empty names left out)."""
        for matcher in self.matchers():
            if matcher.name.lower() not in HOST_MATCHERS:
                continue
            for literal in matcher.args:
                host = literal.value.strip().lower().rstrip(".")
                if host and host != "*":
                    yield host, self.at(literal.start + 1)


def rule_syntax(
    project: Project, router: Router, default: Literal["v2", "v3"] | None = None
) -> Literal["v2", "v3"]:
    """The router's effective rule syntax (``default``: the project's, if already known)."""
    if router.rule_syntax is not None and router.rule_syntax.text:
        return effective_syntax(router.rule_syntax.text)
    return default_syntax(project) if default is None else default


def default_syntax(project: Project) -> Literal["v2", "v3"]:
    """The static ``core.defaultRuleSyntax``, as Traefik reads it."""
    default = project.static.get("core", "defaultRuleSyntax")
    return effective_syntax(default.text if default is not None else None)


def parsed_rule(project: Project, router: Router) -> ParsedRule | None:
    """The parsed rule of an HTTP or TCP router with a non-empty rule, else None."""
    table = project.parsed_rules
    key = id(router)
    if key in table:
        return table[key]
    return _parse(project, router, None)


def _parse(
    project: Project, router: Router, default: Literal["v2", "v3"] | None
) -> ParsedRule | None:
    result: ParsedRule | None = None
    if router.protocol in ("http", "tcp") and router.rule is not None and router.rule.text.strip():
        parsed = parse(router.rule.text)
        syntax = rule_syntax(project, router, default)
        if isinstance(parsed, RuleSyntaxError):
            result = ParsedRule(router, router.rule, syntax, router.protocol, None, parsed)
        else:
            kind: Literal["http", "tcp"] = "http" if router.protocol == "http" else "tcp"
            issues = tuple(check(parsed, syntax, kind))
            result = ParsedRule(router, router.rule, syntax, router.protocol, parsed, None, issues)
    project.parsed_rules[id(router)] = result
    return result


def parsed_rules(project: Project) -> Iterator[ParsedRule]:
    """The parsed rule of every router that has one (all parsed by the first call)."""
    table = project.parsed_rules
    default: Literal["v2", "v3"] | None = None
    for router in project.dynamic.routers.values():
        key = id(router)
        if key in table:
            parsed = table[key]
        else:
            if default is None:  # read once, not once per router
                default = default_syntax(project)
            parsed = _parse(project, router, default)
        if parsed is not None:
            yield parsed
