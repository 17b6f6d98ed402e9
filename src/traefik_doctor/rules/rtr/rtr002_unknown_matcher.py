"""## What it does
Checks for matcher names Traefik does not register under the router's rule syntax: typos
(`Hostname`), v2-only names under v3 (`Headers`, `HeadersRegexp`, `Query` with a pair), HTTP
matchers in TCP rules and the reverse, and spellings other than the four Traefik registers
(`PathPrefix`, `pathprefix`, `PATHPREFIX`, `Pathprefix`).

## Why is this bad?
Traefik disables the router (`unsupported function: Headers`) and answers 404. Rules copied
from v2 documentation are the usual cause.

## Example
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`) && Headers(`X-Env`, `prod`)
      service: api
```

## Use instead
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`) && Header(`X-Env`, `prod`)
      service: api
```

## Fix safety
The suggested matcher is a guess by spelling; the v3 matcher can take its arguments
differently from the v2 one (check the migration guide).

## References
- shared/traefik-facts.md §2 (``Hostname(`um.test`)``)
- Traefik source `pkg/muxer/http/matcher.go`, `matcher_v2.go`; docs: migration v2 to v3
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.routing import ParsedRule
from traefik_doctor.rulelang.validate import RuleIssue
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.rtr._rules import issue_findings

_HINT = re.compile(r"did you mean (\w+)\?")


def check(context: Context) -> Iterator[Finding]:
    yield from issue_findings(context, RULE, ("unknown-matcher",), _fix, unsafe=True)


def _fix(parsed: ParsedRule, issue: RuleIssue) -> str:
    found = _HINT.search(issue.message)
    if found:
        return f"Use the matcher `{found.group(1)}`"
    return f"Use a matcher of rule syntax {parsed.syntax}"


RULE = Rule("RTR002", "unknown-matcher", Severity.ERROR, check, __doc__ or "", fixable=True)
