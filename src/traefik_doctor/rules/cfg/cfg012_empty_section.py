"""## What it does
Checks for sections with no value or an empty body: `routers:` with nothing under it, a
section written as `{}` (`loadBalancer: {}`), and a router, service or middleware whose body is
missing (`auth:` followed by nothing).

## Why is this bad?
Traefik's decoder drops a key that has no value. When that leaves its section empty, or a
section is written as `{}`, the decoder fails with `routers cannot be a standalone element`:
the static file stops Traefik from starting, and a file-provider file makes Traefik drop every
file of the provider. A named router, service or middleware with no body is dropped silently
when it has siblings: routers that use it are disabled with `does not exist`. A few sections
may be empty on purpose (`tls: {}` on a router, `api: {}`, `healthCheck: {}`); they are not
reported. A bare top-level `http:` is harmless.

## Example
```yaml
http:
  routers:
  services:
    api:
      loadBalancer: {}
```

## Use instead
```yaml
http:
  services:
    api:
      loadBalancer:
        servers:
          - url: http://127.0.0.1:8080
```

## Fix safety
No fix is offered: remove the empty key, or fill it in.

## References
- shared/traefik-facts.md §3
- Measured with 3.7.15: `http: {routers: }`, `routers: {x: }`, `middlewares: {x: }`,
  `services: {x: }`, `routers: {}`, `loadBalancer: {}` and `tls: {certificates: }` each reject
  the directory (`<key> cannot be a standalone element`); `http:` alone, an empty document,
  `middlewares: {x: {}}` and a null `middlewares:` beside other sections load; `middlewares:
  {x: , y: {...}}` loads without `x`, and a router using `x` is disabled; `metrics: {}` in the
  static file stops Traefik
- Traefik source: `github.com/traefik/paerser/parser` (`allowEmpty` tag)
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
            if issue.kind is IssueKind.EMPTY_SECTION:
                yield RULE.finding(
                    f"{issue.message}; {rejection_effect(document.role)}",
                    issue.origin,
                    fix=f"Remove `{issue.path[-1]}` or give it a value" if issue.path else None,
                )
            elif issue.kind is IssueKind.NULL_ENTRY:
                yield RULE.finding(
                    f"{issue.message}: whatever refers to `{issue.path[-1]}` finds nothing",
                    issue.origin,
                    fix=f"Give `{issue.path[-1]}` a body or remove it",
                )


RULE = Rule("CFG012", "empty-section", Severity.ERROR, check, __doc__ or "")
