"""## What it does
Checks for configuration files that do not parse as YAML or TOML: syntax errors, tab
indentation, binary or non-UTF-8 content, unknown anchors, excessive aliasing.

## Why is this bad?
Traefik cannot read the file. A broken static file stops Traefik from starting; a broken
file in a file-provider directory makes Traefik drop every file of that provider, so every
route it defined answers `404 page not found`, and the only trace is one ERR log line.

## Example
```yaml
http:
  routers:
    api:
          rule: Host(`api.example.com`)   # a tab
```

## Use instead
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`)
```

## Fix safety
No fix is offered: the intended structure is not known.

## References
- shared/traefik-facts.md §3 (dynamic files), §4 (static file)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.project import Role
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    for document in context.project.documents:
        failure = document.failure
        if failure is None:
            continue
        if document.role is Role.STATIC:
            effect = "Traefik will not start"
        elif document.role is Role.DYNAMIC:
            effect = "Traefik rejects this file and every other file of its provider"
        elif document.role is Role.KUBERNETES:
            effect = "kubectl rejects this document, and its objects were not checked"
        else:
            effect = "its Traefik labels cannot be read"
        yield RULE.finding(f"{failure.message}; {effect}", failure.origin)


RULE = Rule("CFG001", "config-syntax-error", Severity.ERROR, check, __doc__ or "")
