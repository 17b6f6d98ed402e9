"""## What it does
Checks for static options Traefik will silently ignore: CLI flags (a compose service's
`command:`) when a configuration file is found, `TRAEFIK_*` variables when CLI flags are given,
and a project `traefik.yml` that the Traefik container does not mount. One finding per ignored
flag or variable, pointing at it, with the source Traefik uses as the related location.

## Why is this bad?
Traefik takes its static configuration from exactly one source: a file if one is found, else
CLI flags, else environment variables. The others are dropped without a log line, so an entry
point, a provider or a log level set there simply does not exist.

## Example
```yaml
services:
  traefik:
    image: traefik:v3.7
    command: ["--log.level=DEBUG"]          # ignored: the mounted file wins
    volumes: ["./traefik.yml:/etc/traefik/traefik.yml:ro"]
```

## Use instead
```yaml
services:
  traefik:
    image: traefik:v3.7
    volumes: ["./traefik.yml:/etc/traefik/traefik.yml:ro"]   # log.level set in traefik.yml
```

## Fix safety
Moving options between sources is a manual change; no fix is offered.

## References
- shared/traefik-facts.md §0 item 10, §4 (`--configFile=mixed.yml`, `TRAEFIK_LOG_LEVEL` cases)
- https://doc.traefik.io/traefik/getting-started/configuration-overview/ (configuration sources)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.project import IssueKind
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    for issue in context.project.issues:
        if issue.kind is not IssueKind.IGNORED_STATIC_SOURCE:
            continue
        yield RULE.finding(
            issue.message,
            issue.origin,
            related=issue.related,
            fix="Set the option in the static source Traefik reads",
        )


RULE = Rule("CFG013", "ignored-static-source", Severity.WARNING, check, __doc__ or "")
