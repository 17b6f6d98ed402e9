"""## What it does
Checks for a static configuration without `accessLog` (access logging is off by default,
`traefik --help`: `--accesslog (Default: "false")`).

## Why is this bad?
Without an access log "which router and service served this request, with what status and
duration" cannot be answered after the fact; Traefik's own log does not record requests
(502/504 are logged at DEBUG only, shared/traefik-facts.md §1). Under `--profile prod` this
is an error.

## Example
```yaml
log:
  level: INFO
```

## Use instead
```yaml
accessLog:
  format: json
```

## Fix safety
Enabling the access log is safe; it writes one line per request. `traefik-doctor fix` adds
`accessLog: {format: json}` to the static file (not to flags or environment variables).

## References
- shared/fault-catalog.md OPS004
- shared/traefik-facts.md §9 (JSON access log fields `RouterName`, `ServiceName`)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.fix.edits import AddKey, Map
from traefik_doctor.fix.targets import static_file
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.ops._static import static_start


def check(context: Context) -> Iterator[Finding]:
    static = context.project.static
    start = static_start(static)
    if start is None or static.has("accessLog"):
        return
    file = static_file(context.project)
    yield RULE.finding(
        "no `accessLog`: which router and service served a request (and with what status) is"
        " recorded nowhere",
        start,
        fix="Add `accessLog: {format: json}`",
        edits=(AddKey(file, ("accessLog",), Map((("format", "json"),))),) if file else (),
    )


RULE = Rule(
    "OPS004",
    "access-log-missing",
    Severity.INFO,
    check,
    __doc__ or "",
    prod_severity=Severity.ERROR,
    fixable=True,
)
