"""## What it does
Checks for a router, service, middleware, servers transport or TLS option defined under the
same name in two files of one provider.

## Why is this bad?
Traefik keeps the definition of the file it reads first and drops the other with only a
warning in the log (`HTTP router already configured, skipping`). The API shows one healthy
router with no error, so an edit to the dropped definition has no effect and nobody is told.
Traefik reads a directory depth-first in name order, so `a/x.yml` is read before `b.yml`.

## Example
```yaml
# dynamic/a.yml
http:
  routers:
    api: {rule: "Host(`api.example.com`)", service: api}
# dynamic/b.yml
http:
  routers:
    api: {rule: "Host(`api.example.org`)", service: api}   # dropped
```

## Use instead
```yaml
# dynamic/b.yml
http:
  routers:
    api-org: {rule: "Host(`api.example.org`)", service: api}
```

## Fix safety
No fix is offered: which definition is meant is not known.

## References
- shared/traefik-facts.md §2 (duplicate router across files: the file whose name sorts first
  wins, `WRN ... merge.go:272 > HTTP router already configured, skipping`); measured with
  3.7.15: `a/x.yml` wins over `b.yml`, and `m.yml` over `n/x.yml`
- Traefik source: `pkg/provider/merge.go`
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.project import IssueKind
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    for issue in context.project.issues:
        if issue.kind is IssueKind.CONFLICT:
            yield RULE.finding(
                issue.message,
                issue.origin,
                related=issue.related,
                fix="Rename one of the two definitions, or remove the duplicate",
            )


RULE = Rule("CFG010", "conflicting-definition", Severity.WARNING, check, __doc__ or "")
