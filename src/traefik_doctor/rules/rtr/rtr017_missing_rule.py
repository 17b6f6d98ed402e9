"""## What it does
Checks for HTTP routers without a `rule` (or with an empty one).

## Why is this bad?
Traefik does not treat a missing rule as "match everything": it fails to parse the empty
rule and disables the router (error `error while parsing rule : parsing rule : 1:1: expected
operand, found 'EOF'`), so none of its requests are served.

## Example
```yaml
http:
  routers:
    app:
      service: app
```

## Use instead
```yaml
http:
  routers:
    app:
      rule: PathPrefix(`/`)
      service: app
```

## Fix safety
No fix is offered: only you know which requests the router should match.

## References
- shared/traefik-facts.md §2 (no `rule:` at all)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    for router in context.project.dynamic.http_routers():
        if router.body is None:
            continue
        if router.rule is not None and router.rule.text.strip():
            continue
        origin = router.rule.origin if router.rule is not None else router.origin
        yield RULE.finding(
            f"router `{router.qualified}` has no rule; Traefik fails to parse the empty rule"
            " (`expected operand, found 'EOF'`) and disables the router",
            origin,
            fix="Add a `rule`, e.g. PathPrefix(`/`)",
        )


RULE = Rule("RTR017", "missing-rule", Severity.ERROR, check, __doc__ or "")
