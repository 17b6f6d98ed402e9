"""## What it does
Checks for router rules that do not parse: unbalanced parentheses, single-quoted strings,
a dangling `&&`, a newline inside an argument list. The finding points at the column where
Traefik's parser (Go's expression parser) stops. Arguments Traefik refuses when it builds a
matcher and that have no code of their own (an empty argument, a non-ASCII host, an invalid
`ClientIP` range, a bad v2 template, an invalid `HostSNI` or `ALPN` value) are reported here
too: Traefik words them as rule parsing errors as well.

## Why is this bad?
Traefik disables the router (`error while parsing rule ...`) and its requests get a bare
`404 page not found`, the same answer as "no router matched". Nothing fails at startup.

## Example
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`) && PathPrefix('/api')
      service: api
```

## Use instead
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`) && PathPrefix(`/api`)
      service: api
```

## Fix safety
No automatic fix: the intended rule is not always clear from the broken one.

## References
- shared/traefik-facts.md §2 (``Host(`bad.test``, ``Host(`bad2.test`) &&``)
- Traefik source `pkg/rules/parser.go` (vulcand/predicate on `go/parser.ParseExpr`)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.rtr._rules import issue_findings, parsed_rules

OTHER_FATAL = (
    "empty-argument",
    "invalid-template",
    "non-ascii",
    "invalid-ip",
    "invalid-hostsni",
    "invalid-alpn",
)
"""Rule issues that disable the router and have no code of their own: Traefik reports them
as `error while parsing rule ...` too."""


def check(context: Context) -> Iterator[Finding]:
    for parsed in parsed_rules(context):
        if parsed.error is None:
            continue
        yield RULE.finding(
            f"rule of router `{parsed.router.qualified}` does not parse: {parsed.error.message};"
            " Traefik disables the router (404)",
            parsed.at(parsed.error.offset),
            fix="Fix the rule syntax (backtick or double-quoted arguments, balanced parentheses)",
        )
    yield from issue_findings(context, RULE, OTHER_FATAL, lambda _p, _i: "Fix the argument")


RULE = Rule("RTR001", "rule-syntax-error", Severity.ERROR, check, __doc__ or "")
