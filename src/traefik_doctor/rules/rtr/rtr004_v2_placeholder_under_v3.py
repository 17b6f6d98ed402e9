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
The suggested regexp reproduces the v2 template; `PathPrefix` templates become a regexp
without a `$` anchor so they still match the paths below.

## References
- shared/traefik-facts.md §0 item 4, §2 (``HostRegexp(`{sub:[a-z]+}.example.com`)``,
  ``Path(`/users/{id:[0-9]+}`)``)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.routing import ParsedRule
from traefik_doctor.rulelang.validate import RuleIssue
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.rtr._rules import issue_findings

_WRITE = re.compile(r"; write (.+)$")


def check(context: Context) -> Iterator[Finding]:
    yield from issue_findings(context, RULE, ("v2-placeholder",), _fix)


def _fix(parsed: ParsedRule, issue: RuleIssue) -> str:
    found = _WRITE.search(issue.message)
    if found:
        return f"Write {found.group(1)}"
    return "Use a v3 regexp matcher, or set `ruleSyntax: v2` on the router"


RULE = Rule("RTR004", "v2-placeholder-under-v3", Severity.ERROR, check, __doc__ or "", fixable=True)
