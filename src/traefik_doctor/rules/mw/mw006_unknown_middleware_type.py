"""## What it does
Checks for middlewares whose type key Traefik does not know (`stripPrefx`, `basicauthh`), and
suggests the nearest type; and for middlewares with an empty body (`name: {}`).

## Why is this bad?
An unknown type key is a decode error: Traefik rejects the whole file provider (`field not
found, node: stripPrefx`), so every router of every file in it disappears and clients get
404. An empty body loads, but the middleware has no type: every router using it is disabled
(`invalid middleware "x@file" configuration: invalid middleware type or middleware does not
exist`) and answers 404.

## Example
```yaml
http:
  middlewares:
    strip:
      stripPrefx:
        prefixes: ["/api"]
    noop: {}
```

## Use instead
```yaml
http:
  middlewares:
    strip:
      stripPrefix:
        prefixes: ["/api"]
```

## Fix safety
The suggested type is a guess by spelling; check it before applying.

## References
- shared/traefik-facts.md §3 (unknown nested keys reject the provider)
- Measured with Traefik 3.7.15: `bad: {stripPrefx: {...}}` → `field not found, node:
  stripPrefx`, no router of the provider loads; `emptymw: {}` → router disabled with
  `invalid middleware "emptymw@file" configuration: invalid middleware type or middleware does
  not exist`
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.loaders.tree import Mapping
from traefik_doctor.model.dynamic import qualify
from traefik_doctor.model.project import Project, Role
from traefik_doctor.model.values import section
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.schema.validate import IssueKind, SchemaIssue
from traefik_doctor.source import Origin

PROTOCOLS = ("http", "tcp")


def is_type_key_issue(issue: SchemaIssue) -> bool:
    """An unknown key directly under a middleware: MW006's, not CFG002's."""
    path = issue.path
    return (
        issue.kind is IssueKind.UNKNOWN_FIELD
        and len(path) == 4
        and path[0].lower() in PROTOCOLS
        and path[1].lower() == "middlewares"
    )


def _users(project: Project, protocol: str, qualified: str) -> list[tuple[Origin, str]]:
    out: list[tuple[Origin, str]] = []
    for router in project.dynamic.routers.values():
        if router.protocol != protocol:
            continue
        for ref in router.middlewares:
            if qualify(ref.text.strip(), router.provider) == qualified:
                out.append((ref.origin, f"router `{router.qualified}` uses it"))
    return out


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    for document in project.documents:
        if document.role is Role.STATIC:
            continue
        for issue in document.schema_issues:
            if not is_type_key_issue(issue):
                continue
            protocol, _, name, key = issue.path
            hint = f" (did you mean `{issue.suggestion}`?)" if issue.suggestion else ""
            yield RULE.finding(
                f"middleware `{name}@{document.provider}` has unknown type `{key}`{hint};"
                " Traefik rejects the whole provider",
                issue.origin,
                fix=f"Rename `{key}` to `{issue.suggestion}`" if issue.suggestion else None,
                unsafe=True,
            )
        if document.role is not Role.DYNAMIC or not isinstance(document.tree, Mapping):
            continue
        for protocol in PROTOCOLS:
            middlewares = section(section(document.tree, protocol), "middlewares")
            if middlewares is None:
                continue
            for entry in middlewares:
                if not isinstance(entry.value, Mapping) or len(entry.value) != 0:
                    continue
                qualified = f"{entry.key}@{document.provider}"
                yield RULE.finding(
                    f"middleware `{qualified}` has an empty body and no type; Traefik disables"
                    " every router that uses it (404)",
                    entry.key_origin,
                    related=_users(project, protocol, qualified),
                    fix="Give the middleware a type, or remove it and its uses",
                )


RULE = Rule("MW006", "unknown-middleware-type", Severity.ERROR, check, __doc__ or "", fixable=True)
