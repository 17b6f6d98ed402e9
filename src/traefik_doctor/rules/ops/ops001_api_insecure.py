"""## What it does
Checks for `api.insecure: true` in the static configuration.

## Why is this bad?
It publishes the API and dashboard without any authentication on the `traefik` entry point
(port 8080 by default): anyone who reaches that port reads every router, service, middleware
and backend address. Under `--profile prod` this is an error.

## Example
```yaml
api:
  insecure: true
```

## Use instead
```yaml
api:
  dashboard: true   # served by a router with an auth middleware
```

## Fix safety
Removing `insecure` is unsafe: tools that read the API on port 8080 stop working until a
router with authentication serves `api@internal`. `traefik-doctor fix --unsafe` sets
`api.insecure: false` in the static file (not in flags or environment variables).

## References
- shared/fault-catalog.md OPS001
- `traefik --help`: `--api.insecure (Default: "false")`
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.fix.edits import SetValue
from traefik_doctor.fix.targets import static_file, static_path
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    flag = project.static.get("api", "insecure")
    if flag is None or not flag.as_bool():
        return
    file = static_file(project)
    yield RULE.finding(
        "`api.insecure: true` serves the Traefik API and dashboard without authentication on"
        " the `traefik` entry point",
        flag.origin,
        fix="Remove `api.insecure` and expose `api@internal` through a router with authentication",
        unsafe=True,
        edits=(SetValue(file, static_path(project, "api", "insecure"), False),) if file else (),
    )


RULE = Rule(
    "OPS001",
    "api-insecure",
    Severity.WARNING,
    check,
    __doc__ or "",
    prod_severity=Severity.ERROR,
    fixable=True,
)
