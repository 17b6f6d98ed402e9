"""## What it does
Checks for keys Traefik does not know at the place they are written, and suggests the
nearest known key. Keys are matched without regard to case, as Traefik does (`healthcheck`
is fine).

## Why is this bad?
A misspelled key below the top level of a dynamic file makes Traefik reject the whole file
provider (every route answers 404, the API shows nothing wrong); in the static file it stops
Traefik from starting. A misspelled top-level key (`htp:`) is silently ignored, and with it
everything written under it. (Dynamic sections in the static file are CFG005, static
sections in a dynamic file CFG006.)

## Example
```yaml
http:
  services:
    api:
      loadBalancer:
        healtCheck:
          path: /healthz
```

## Use instead
```yaml
http:
  services:
    api:
      loadBalancer:
        healthCheck:
          path: /healthz
```

## Fix safety
The suggested key is a guess by spelling; check it before applying.

## References
- shared/traefik-facts.md §0 (items 1 and 2), §3, §4
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.project import Document, Role
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.cfg._common import DYNAMIC_TOP_LEVEL, is_static_key
from traefik_doctor.rules.mw.mw006_unknown_middleware_type import is_type_key_issue
from traefik_doctor.schema.validate import IssueKind


def check(context: Context) -> Iterator[Finding]:
    for document in context.project.documents:
        for issue in document.schema_issues:
            if issue.kind not in (IssueKind.UNKNOWN_FIELD, IssueKind.UNKNOWN_TOP_LEVEL):
                continue
            if is_type_key_issue(issue):
                continue  # an unknown middleware type: reported as MW006
            if issue.kind is IssueKind.UNKNOWN_TOP_LEVEL and _reported_elsewhere(
                document, issue.path[-1]
            ):
                continue  # CFG005 / CFG006: a key of the other kind of configuration
            if issue.kind is IssueKind.UNKNOWN_TOP_LEVEL:
                effect = "Traefik ignores it silently"
            elif document.role is Role.STATIC:
                effect = "Traefik will not start"
            elif document.provider == "docker":
                # The docker provider decodes each container's labels on their own and
                # skips the container whose labels fail (pkg/provider/docker, config.go).
                effect = "Traefik skips this container's labels, so none of its routes exist"
            else:
                effect = "Traefik rejects the whole provider"
            fix = f"Rename `{issue.path[-1]}` to `{issue.suggestion}`" if issue.suggestion else None
            hint = f" (did you mean `{issue.suggestion}`?)" if issue.suggestion else ""
            message = f"{issue.message}{hint}; {effect}"
            yield RULE.finding(message, issue.origin, fix=fix, unsafe=True)


def _reported_elsewhere(document: Document, key: str) -> bool:
    if document.role is Role.STATIC:
        return key.lower() in DYNAMIC_TOP_LEVEL
    if document.role is Role.DYNAMIC:
        return is_static_key(key)
    return False


RULE = Rule("CFG002", "unknown-field", Severity.ERROR, check, __doc__ or "", fixable=True)
