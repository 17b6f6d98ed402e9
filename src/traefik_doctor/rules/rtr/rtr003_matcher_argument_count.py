"""## What it does
Checks for matcher calls with the wrong number of arguments for the router's rule syntax,
such as the v2 habit ``Host(`a`, `b`)`` under v3, where `Host` takes exactly one host, or
`Header` with only a name.

## Why is this bad?
Traefik disables the router (`unexpected number of parameters; got 2, expected one of
[1]`) and every one of the hosts gets a 404, not only the extra ones.

## Example
```yaml
http:
  routers:
    web:
      rule: Host(`example.com`, `www.example.com`)
      service: web
```

## Use instead
```yaml
http:
  routers:
    web:
      rule: Host(`example.com`) || Host(`www.example.com`)
      service: web
```

## Fix safety
Unsafe. `traefik-doctor fix --unsafe` rewrites the call as an `||` of single calls, which
keeps the v2 meaning, in parentheses when the call is an operand of `&&` or `!` (only for
rules in YAML or TOML files, not labels). It is unsafe because the router is disabled
today: the fix puts it in service, on its entry points, with a priority (the rule's length
by default) that now competes with the other routers; the check after the fix rolls it back
if that brings any new finding, such as a shadowed or ambiguous router (RTR011, RTR012).

## References
- shared/traefik-facts.md §2 (``Host(`a.com`,`b.com`)``)
- Traefik docs: migration v2 to v3 ("Host, HostSNI... take a single argument")
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.fix.targets import rule_rewrite
from traefik_doctor.model.routing import ParsedRule
from traefik_doctor.rulelang.ast import And, Expr, Matcher, Not, Or
from traefik_doctor.rulelang.validate import RuleIssue
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.rtr._rules import effect, rule_issues

_SINGLE = frozenset(
    {
        "host",
        "hostsni",
        "path",
        "pathprefix",
        "method",
        "clientip",
        "hostregexp",
        "pathregexp",
        "hostsniregexp",
        "alpn",
    }
)


def check(context: Context) -> Iterator[Finding]:
    for parsed, issue in rule_issues(context, "argument-count"):
        call = _call(parsed, issue)
        split = _split(parsed, call) if call is not None else None
        yield RULE.finding(
            f"rule of router `{parsed.router.qualified}`: {issue.message}{effect(issue)}",
            parsed.at(issue.start),
            fix=f"Write {split}" if split else None,
            unsafe=True,
            edits=rule_rewrite(context.project, parsed, call.start, call.end, split)
            if call is not None and split
            else (),
        )


def _call(parsed: ParsedRule, issue: RuleIssue) -> Matcher | None:
    call = next((m for m in parsed.matchers() if m.start == issue.start), None)
    if call is None or len(call.args) < 2 or call.name.lower() not in _SINGLE:
        return None
    return call


def _split(parsed: ParsedRule, call: Matcher) -> str:
    """``A(`a`) || A(`b`)``, in parentheses when an ``&&`` or ``!`` applies to the call and
    it is not in parentheses already (``||`` binds less tightly than ``&&``)."""
    joined = " || ".join(f"{call.name}({arg.raw})" for arg in call.args)
    text = parsed.rule.text
    before = text[: call.start].rstrip()
    after = text[call.end :].lstrip()
    wrapped = before.endswith("(") and after.startswith(")")
    if parsed.expr is not None and _binds_tighter(parsed.expr, call) and not wrapped:
        return f"({joined})"
    return joined


def _binds_tighter(expr: Expr, call: Matcher) -> bool:
    """Whether ``call``'s parent in ``expr`` is an ``&&`` or a ``!``."""
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        children: tuple[Expr, ...] = ()
        if isinstance(node, And | Or):
            children = (node.left, node.right)
        elif isinstance(node, Not):
            children = (node.operand,)
        if any(child is call for child in children):
            return not isinstance(node, Or)
        stack.extend(children)
    return False


RULE = Rule("RTR003", "matcher-argument-count", Severity.ERROR, check, __doc__ or "", fixable=True)
