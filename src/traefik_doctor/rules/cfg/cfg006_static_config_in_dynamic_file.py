"""## What it does
Checks for static configuration (`entryPoints`, `providers`, `api`, `log`, `accessLog`,
`metrics`, `ping`, `certificatesResolvers`, `serversTransport`…) at the top of a file read by
the file provider.

## Why is this bad?
The file provider reads only dynamic configuration (`http`, `tcp`, `udp`, `tls`). Any other
top-level key is ignored without a word: the entry point, the log level or the certificate
resolver written there does not exist, and routers that name it are disabled.

## Example
```yaml
# dynamic/app.yml
entryPoints:
  websecure:
    address: ":443"
```

## Use instead
```yaml
# traefik.yml (the static configuration)
entryPoints:
  websecure:
    address: ":443"
```

## Fix safety
No fix is offered: the static file may set the same option differently.

## References
- shared/traefik-facts.md §0 item 2, §3 (`htp:` at the top of a dynamic file is ignored);
  measured with 3.7.15: `entryPoints`, `log` and `providers` in a dynamic file load with no log
  line and no such entry point
- https://doc.traefik.io/traefik/getting-started/configuration-overview/
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.project import Role
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.cfg._common import is_static_key
from traefik_doctor.schema.validate import IssueKind


def check(context: Context) -> Iterator[Finding]:
    static_file = next(
        (doc.source.display for doc in context.project.documents if doc.role is Role.STATIC),
        "the static configuration",
    )
    for document in context.project.documents:
        if document.role is not Role.DYNAMIC:
            continue
        for issue in document.schema_issues:
            if issue.kind is not IssueKind.UNKNOWN_TOP_LEVEL or not is_static_key(issue.path[-1]):
                continue
            key = issue.path[-1]
            yield RULE.finding(
                f"`{key}` is static configuration in the dynamic file"
                f" `{document.source.display}`; Traefik ignores it silently,"
                " with everything under it",
                issue.origin,
                fix=f"Move the `{key}` section to {static_file}",
            )


RULE = Rule("CFG006", "static-config-in-dynamic-file", Severity.ERROR, check, __doc__ or "")
