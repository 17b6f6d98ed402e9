"""## What it does
Checks for dynamic configuration (`http`, `tcp`, `udp` or `tls` sections) written in the static
configuration file.

## Why is this bad?
Traefik reads routers, services, middlewares and TLS settings only from providers. In the
static file these sections are unknown top-level keys, which Traefik ignores without a word,
even at DEBUG level: the routes, middlewares and certificates written there do not exist and
their requests answer 404.

## Example
```yaml
# traefik.yml
entryPoints:
  web:
    address: ":80"
http:
  routers:
    api:
      rule: Host(`api.example.com`)
      service: api
```

## Use instead
```yaml
# traefik.yml
entryPoints:
  web:
    address: ":80"
providers:
  file:
    directory: dynamic   # and move the `http:` section to dynamic/api.yml
```

## Fix safety
No fix is offered: moving the section needs a file provider, which may not be configured.

## References
- shared/traefik-facts.md §4 (an unknown top-level key in the static file is ignored, nothing
  logged); measured with 3.7.15: `http.routers` and `tls.options` in `traefik.yml` start
  normally and no such router appears in the API
- https://doc.traefik.io/traefik/getting-started/configuration-overview/
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.project import Role
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.cfg._common import DYNAMIC_TOP_LEVEL
from traefik_doctor.schema.validate import IssueKind


def check(context: Context) -> Iterator[Finding]:
    for document in context.project.documents:
        if document.role is not Role.STATIC:
            continue
        for issue in document.schema_issues:
            if issue.kind is not IssueKind.UNKNOWN_TOP_LEVEL:
                continue
            key = issue.path[-1]
            if key.lower() not in DYNAMIC_TOP_LEVEL:
                continue
            yield RULE.finding(
                f"`{key}` is dynamic configuration in the static file"
                f" `{document.source.display}`; Traefik ignores it silently,"
                " with everything under it",
                issue.origin,
                fix=f"Move the `{key}` section to a file of the file provider",
            )


RULE = Rule("CFG005", "dynamic-config-in-static-file", Severity.ERROR, check, __doc__ or "")
