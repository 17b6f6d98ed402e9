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
Splitting a multi-argument call into an `||` of single calls keeps the v2 meaning. Wrap the
result in parentheses when the call is part of a larger `&&` expression.

## References
- shared/traefik-facts.md §2 (``Host(`a.com`,`b.com`)``)
- Traefik docs: migration v2 to v3 ("Host, HostSNI... take a single argument")
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.routing import ParsedRule
from traefik_doctor.rulelang.ast import Matcher
from traefik_doctor.rulelang.validate import RuleIssue
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.rtr._rules import issue_findings

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
    yield from issue_findings(context, RULE, ("argument-count",), _fix, unsafe=True)


def _fix(parsed: ParsedRule, issue: RuleIssue) -> str | None:
    call = next((m for m in parsed.matchers() if m.start == issue.start), None)
    if call is None or len(call.args) < 2 or call.name.lower() not in _SINGLE:
        return None
    return f"Write {_split(call)}"


def _split(call: Matcher) -> str:
    return " || ".join(f"{call.name}({arg.raw})" for arg in call.args)


RULE = Rule("RTR003", "matcher-argument-count", Severity.ERROR, check, __doc__ or "", fixable=True)
