r"""## What it does
Checks for a `.` between host-name characters in a `HostRegexp` pattern, such as
``HostRegexp(`^api.example.com$`)``, where a literal dot was meant.

## Why is this bad?
In a regexp `.` matches any character, so the router also matches hosts such as
`apixexample.com` or `api-example.com`, which an attacker can register and point at your
Traefik. The rule still works for the intended host, so nothing reveals the mistake.

## Example
```yaml
http:
  routers:
    api:
      rule: HostRegexp(`^api.example.com$`)
      service: api
```

## Use instead
```yaml
http:
  routers:
    api:
      rule: HostRegexp(`^api\.example\.com$`)
      service: api
```

## Fix safety
Escaping the dot narrows the match to what the pattern reads as; this is safe unless the
wider match was intended.

## References
- Go `regexp/syntax`; Traefik docs: routing/routers (`HostRegexp`)
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
    yield from issue_findings(context, RULE, ("unescaped-dot",), _fix)


def _fix(parsed: ParsedRule, issue: RuleIssue) -> str:
    found = _WRITE.search(issue.message)
    if found:
        return f"Escape the dots: `{found.group(1).strip('`')}`"
    return "Escape the dot (`\\.`)"


RULE = Rule(
    "RTR006", "unescaped-dot-in-regexp", Severity.WARNING, check, __doc__ or "", fixable=True
)
