"""## What it does
Checks for regular expressions in `HostRegexp`, `PathRegexp`, `HeaderRegexp`, `QueryRegexp`
and `HostSNIRegexp` (and v2 template patterns) that Go's RE2 engine rejects: look-ahead and
look-behind, back-references, atomic groups, possessive quantifiers, unknown escapes.

## Why is this bad?
Traefik compiles the pattern when it builds the router; a pattern Go rejects disables the
router (`error parsing regexp: invalid or unsupported Perl syntax: (?!`) and its requests
get a 404. Patterns tested with Python, PCRE or JavaScript often use exactly these features.

## Example
```yaml
http:
  routers:
    api:
      rule: PathRegexp(`^/api(?!/internal)`)
      service: api
```

## Use instead
```yaml
http:
  routers:
    api:
      rule: PathPrefix(`/api`) && !PathPrefix(`/api/internal`)
      service: api
```

## Fix safety
No automatic fix: rewriting a look-around usually needs a second matcher.

## References
- Go `regexp/syntax` (RE2 syntax); Traefik source `pkg/muxer/http/matcher.go`
- Measured with Traefik 3.7.15: `compiling PathPrefix matcher: error parsing regexp: invalid
  or unsupported Perl syntax` (router disabled)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.routing import ParsedRule
from traefik_doctor.rulelang.validate import RuleIssue
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.rtr._rules import issue_findings


def check(context: Context) -> Iterator[Finding]:
    yield from issue_findings(context, RULE, ("invalid-regexp",), _fix)


def _fix(parsed: ParsedRule, issue: RuleIssue) -> str:
    return "Rewrite the pattern in RE2 syntax (no look-around or back-references)"


RULE = Rule("RTR005", "invalid-regexp", Severity.ERROR, check, __doc__ or "")
