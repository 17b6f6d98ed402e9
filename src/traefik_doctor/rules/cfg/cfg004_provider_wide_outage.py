"""## What it does
Checks for a file-provider directory in which one file fails to load, names that file, and
counts the routers of the other files that vanish with it.

## Why is this bad?
Traefik reads a provider directory as one unit: when one file has a syntax error, a duplicate
key, an unknown nested key or a value of the wrong type, Traefik drops every file of that
provider. At startup no router of the provider exists and every route answers
`404 page not found`; at runtime the provider freezes at its last good configuration and later
edits to the good files are ignored. The API shows no error and the only trace is one ERR log
line, so one typo in a rarely used file takes down unrelated applications.

## Example
```yaml
# dynamic/app.yml is fine; dynamic/legacy.yml has
http:
  routers:
    legacy:
      rulee: Host(`old.example.com`)
```

## Use instead
```yaml
# fix the failing file (here the key `rule`), or move it out of the provider directory
http:
  routers:
    legacy:
      rule: Host(`old.example.com`)
```

## Fix safety
No fix is offered: the rule that reports the failure itself (CFG001, CFG002, CFG003, CFG008,
CFG012) says what to change.

## References
- shared/traefik-facts.md §0 item 1, §3 (one bad file rejects the directory), §10 (the provider
  freezes at runtime)
- Traefik source: `pkg/provider/file/file.go` (`loadFileConfigFromDirectory` returns the first
  file's error for the whole directory)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.cfg._common import first_rejection
from traefik_doctor.source import Origin


def check(context: Context) -> Iterator[Finding]:
    provider = context.project.file_provider
    if provider is None or not provider.is_directory:
        return
    documents = provider.documents
    good = [doc for doc in documents if not doc.rejected]
    if not good:
        return
    routers = sum(doc.fragment.router_count() for doc in good if doc.fragment is not None)
    names = ", ".join(f"`{doc.source.display}`" for doc in good[:3])
    if len(good) > 3:
        names += f" and {len(good) - 3} more"
    related: list[tuple[Origin, str]] = []
    if provider.configured is not None:
        related.append((provider.configured, "the file provider reads this directory as one unit"))
    for document in documents:
        if not document.rejected:
            continue
        origin = first_rejection(document)
        if origin is None:
            continue
        files = "file" if len(good) == 1 else "files"
        noun = "router vanishes" if routers == 1 else "routers vanish"
        message = (
            f"`{document.source.display}` fails to load, so Traefik drops the whole file provider:"
            f" {routers} {noun} with it from {len(good)} other {files} ({names}),"
            " their routes answer 404 and the API shows no error"
        )
        yield RULE.finding(
            message,
            origin,
            related=related,
            fix=f"Fix `{document.source.display}` or move it out of the provider directory",
        )


RULE = Rule("CFG004", "provider-wide-outage", Severity.ERROR, check, __doc__ or "")
