"""## What it does
Checks for `log.level` set to `DEBUG` or `TRACE` in the static configuration.

## Why is this bad?
Debug logging writes several lines per request and per configuration reload, which costs CPU
and disk under load and buries the errors that matter. Under `--profile prod` this is an
error. (In development it is useful: 502 and 504 errors are only logged at DEBUG,
shared/traefik-facts.md §1.)

## Example
```yaml
log:
  level: DEBUG
```

## Use instead
```yaml
log:
  level: INFO
```

## Fix safety
Lowering the level is safe; fewer log lines are written. `traefik-doctor fix` sets
`log.level: INFO` in the static file (not in flags or environment variables).

## References
- shared/fault-catalog.md OPS002
- `traefik --help`: `--log.level (Default: "ERROR")`
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.fix.edits import SetValue
from traefik_doctor.fix.targets import static_file, static_path
from traefik_doctor.rules.base import Context, Rule

VERBOSE = frozenset({"debug", "trace"})


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    level = project.static.get("log", "level")
    if level is None or level.text.strip().lower() not in VERBOSE:
        return
    file = static_file(project)
    path = static_path(project, "log", "level")
    yield RULE.finding(
        f"`log.level: {level.text.strip()}` logs every request and reload at debug detail",
        level.origin,
        fix="Set `log.level: INFO` (or WARN)",
        edits=(SetValue(file, path, "INFO", expect=level.text),) if file else (),
    )


RULE = Rule(
    "OPS002",
    "debug-logging",
    Severity.INFO,
    check,
    __doc__ or "",
    prod_severity=Severity.ERROR,
    fixable=True,
)
