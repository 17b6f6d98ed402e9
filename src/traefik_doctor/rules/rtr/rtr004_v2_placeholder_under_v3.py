"""## What it does
Checks for v2 `{name}` / `{name:regexp}` placeholders in `Host`, `HostRegexp`, `Path` and
`PathPrefix` arguments of rules parsed with rule syntax v3.

## Why is this bad?
Under v3 the braces are taken literally (in `HostRegexp` `{` is a literal character when it
is not a repetition), so the rule is accepted, the router shows `enabled` with no error,
and it never matches a real request: every request falls through to another router or 404.

## Example
```yaml
http:
  routers:
    users:
      rule: Path(`/users/{id:[0-9]+}`)
      service: users
```

## Use instead
```yaml
http:
  routers:
    users:
      rule: PathRegexp(`^/users/[0-9]+$`)
      service: users
```

## Fix safety
Safe. The suggested regexp reproduces the v2 template; `PathPrefix` templates become a
regexp without a `$` anchor so they still match the paths below. `traefik-doctor fix`
replaces the matcher call in the rule (in YAML or TOML files, not labels) when the new
call parses cleanly under the router's syntax. The rule gets longer, and so does its
default priority (the rule's length): the check after the fix rolls it back if that brings
any new finding, such as a shadowed or ambiguous router (RTR011, RTR012).

## References
- shared/traefik-facts.md §0 item 4, §2 (``HostRegexp(`{sub:[a-z]+}.example.com`)``,
  ``Path(`/users/{id:[0-9]+}`)``)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.fix.edits import Edit
from traefik_doctor.fix.targets import rule_rewrite
from traefik_doctor.model.project import Project
from traefik_doctor.model.routing import ParsedRule
from traefik_doctor.rulelang.validate import RuleIssue
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.rtr._rules import effect, rule_issues

_WRITE = re.compile(r"; write (.+)$")


def check(context: Context) -> Iterator[Finding]:
    for parsed, issue in rule_issues(context, "v2-placeholder"):
        found = _WRITE.search(issue.message)
        yield RULE.finding(
            f"rule of router `{parsed.router.qualified}`: {issue.message}{effect(issue)}",
            parsed.at(issue.start),
            fix=f"Write {found.group(1)}"
            if found
            else "Use a v3 regexp matcher, or set `ruleSyntax: v2` on the router",
            edits=_edits(context.project, parsed, issue, found.group(1)) if found else (),
        )


def _edits(project: Project, parsed: ParsedRule, issue: RuleIssue, new: str) -> tuple[Edit, ...]:
    """Replace the whole matcher call holding the placeholder with the v3 call."""
    call = next((m for m in parsed.matchers() if m.start <= issue.start < m.end), None)
    if call is None or len(call.args) != 1:  # the v3 call replaces the whole call
        return ()
    return rule_rewrite(project, parsed, call.start, call.end, new)


RULE = Rule("RTR004", "v2-placeholder-under-v3", Severity.ERROR, check, __doc__ or "", fixable=True)
