"""## What it does
Checks for files in a file-provider directory that Traefik will not read: anything whose
extension is not `.yml`, `.yaml` or `.toml` (`.json`, `.txt`, a lone `app.yml.bak`…), and
symbolic links to directories, which Traefik does not follow. The extension's case does not
matter (`.YML` is read), and subdirectories are read. A backup next to its original
(`app.yml.bak` beside `app.yml`, as `traefik-doctor fix` leaves them) is not reported: the
configuration it held is still there.

## Why is this bad?
Traefik skips these files without a log line, even at DEBUG level. Configuration written in
`routes.json` or in a linked folder simply does not exist, and its routes answer 404.

## Example
```text
dynamic/
  app.yml
  api.json        # never read
```

## Use instead
```text
dynamic/
  app.yml
  api.yml
```

## Fix safety
No fix is offered: a backup file (`app.yml.bak`) is often meant to be ignored; rename the file
only if its content should be live. Hidden files (`.swp`, `.gitkeep`) are not reported.

## References
- shared/traefik-facts.md §3 (`bad.txt` is ignored); measured with 3.7.15: `a.YML`, `c.Yaml`,
  `f.TOML`, `sub/deeper/b.yml` and `.hidden.yml` are read, `d.yml.bak` and `e.json` are not,
  and a symbolic link to a directory is not followed
- Traefik source: `pkg/provider/file/file.go` (`loadFileConfigFromDirectory`: `os.ReadDir`,
  extension compared with `strings.ToLower`)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.project import IssueKind, LoadIssue
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.cfg._common import file_level


def check(context: Context) -> Iterator[Finding]:
    for issue in context.project.issues:
        if issue.kind is IssueKind.IGNORED_FILE and not _backup_beside_original(context, issue):
            yield RULE.finding(
                issue.message,
                file_level(issue.origin),
                related=issue.related,
                fix="Rename it to .yml, .yaml or .toml if its content should be loaded",
                unsafe=True,
            )


def _backup_beside_original(context: Context, issue: LoadIssue) -> bool:
    path = file_level(issue.origin).path
    if not path.endswith(".bak"):
        return False
    return (context.project.root / path.removesuffix(".bak")).is_file()


RULE = Rule("CFG009", "ignored-file", Severity.WARNING, check, __doc__ or "")
