"""## What it does
Checks for files that traefik-doctor itself could not check: a file larger than its size
limit (16 MiB), or a file it could not read (a symbolic link loop, an I/O error).

## Why is this bad?
Nothing in such a file was checked, so a clean report says nothing about it. A symbolic link
loop is also fatal to Traefik: its file provider cannot watch or read the file and does not
start, so none of its routes exist.

## Example
```text
dynamic/
  app.yml -> other.yml
  other.yml -> app.yml     # a loop
```

## Use instead
```text
dynamic/
  app.yml                  # a regular file, or a link to one
```

## Fix safety
No fix is offered.

## References
- This is a traefik-doctor code, not a Traefik behaviour: it reports the limits of the check.
- Measured with 3.7.15: two `.yml` links pointing at each other give `Cannot start the
  provider *file.Provider error="error adding file watcher for .../a.yml: too many levels of
  symbolic links"` and no router of the provider appears.
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.project import IssueKind
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.cfg._common import file_level


def check(context: Context) -> Iterator[Finding]:
    for issue in context.project.issues:
        if issue.kind is IssueKind.UNMAPPED_PATH:
            # Traefik runs in a container and reads a path no bind mount shows us.
            yield RULE.finding(
                f"{issue.message}; what it holds was not checked",
                issue.origin,
                related=issue.related,
                fix="Bind-mount the path from the project, or check it with --static / a path",
            )
            continue
        if issue.kind is not IssueKind.NOT_CHECKED:
            continue
        path = issue.origin.source.display
        loop = "symbolic link" in issue.message.lower()
        if loop:
            message = (
                f"`{path}` is a symbolic link loop, so it was not checked; Traefik cannot read"
                " it either, and its file provider does not start"
            )
        elif "not checked" in issue.message:
            message = issue.message
        else:
            message = f"{issue.message}: not checked"
        yield RULE.finding(
            message,
            file_level(issue.origin),
            related=issue.related,
            severity=Severity.ERROR if loop else None,
        )


RULE = Rule("CFG014", "file-not-checked", Severity.WARNING, check, __doc__ or "")
