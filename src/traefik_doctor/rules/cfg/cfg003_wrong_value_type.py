"""## What it does
Checks for values of the wrong type or form: a word where Traefik needs a number
(`priority: "high"`), a duration that does not parse (`interval: soon`), a list where a section
belongs, or a middleware or service that sets two types at once.

## Why is this bad?
Traefik decodes every file into typed Go structs. A value that does not decode makes the
decoder fail: a static file stops Traefik from starting, and one such value in a file-provider
directory makes Traefik drop every file of that provider, so every route it defined answers
`404 page not found` while the API shows nothing wrong. Numeric strings are fine: Traefik
turns `priority: "42"` into 42.

## Example
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`)
      service: api
      priority: high
```

## Use instead
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`)
      service: api
      priority: 100
```

## Fix safety
No fix is offered: the intended value is not known. A server URL without a scheme is reported
by SVC001 (invalid-server-url), because Traefik disables only that service, not the provider.

## References
- shared/traefik-facts.md §3 (`priority: "high"`, `healthCheck.port: "eighty"` reject the whole
  directory; `priority: "42"` is coerced), §4 (`readTimeout: soon` stops Traefik)
- Traefik source: `github.com/traefik/paerser` (the file decoder), `pkg/config/dynamic`
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.cfg._common import rejection_effect
from traefik_doctor.schema.validate import IssueKind


def check(context: Context) -> Iterator[Finding]:
    for document in context.project.documents:
        for issue in document.schema_issues:
            if issue.kind not in (IssueKind.WRONG_TYPE, IssueKind.TWO_TYPES):
                continue
            yield RULE.finding(f"{issue.message}; {rejection_effect(document.role)}", issue.origin)


RULE = Rule("CFG003", "wrong-value-type", Severity.ERROR, check, __doc__ or "")
