"""## What it does
Checks for `Path` and `PathPrefix` arguments that do not start with `/`, such as
``PathPrefix(`api`)``.

## Why is this bad?
Traefik 3.7 disables the router under both rule syntaxes (v3: `path "api" does not start
with a '/'`; v2: `mux: path must start with a slash`), so its requests get a 404.

## Example
```yaml
http:
  routers:
    api:
      rule: Host(`example.com`) && PathPrefix(`api`)
      service: api
```

## Use instead
```yaml
http:
  routers:
    api:
      rule: Host(`example.com`) && PathPrefix(`/api`)
      service: api
```

## Fix safety
Adding the leading slash is safe: request paths always start with `/`.

## References
- Measured with Traefik 3.7.15 (router disabled, error text above)
- Traefik source `pkg/muxer/http/matcher.go`
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.routing import ParsedRule
from traefik_doctor.rulelang.validate import RuleIssue
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.rtr._rules import issue_findings


def check(context: Context) -> Iterator[Finding]:
    yield from issue_findings(context, RULE, ("path-missing-slash",), _fix)


def _fix(parsed: ParsedRule, issue: RuleIssue) -> str:
    return "Start the path with `/`"


RULE = Rule("RTR016", "path-missing-slash", Severity.ERROR, check, __doc__ or "", fixable=True)
