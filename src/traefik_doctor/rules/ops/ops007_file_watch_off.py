"""## What it does
Checks for `providers.file.watch: false` under the dev profile (Traefik's default is `true`,
`traefik --help`). Nothing is reported under `--profile prod`, where a fixed configuration
can be intended.

## Why is this bad?
Traefik reads the dynamic files once at start; every later edit is silently ignored until a
restart, so a fix that "does not work" may simply not be loaded.

## Example
```yaml
providers:
  file:
    directory: dynamic
    watch: false
```

## Use instead
```yaml
providers:
  file:
    directory: dynamic
```

## Fix safety
Removing `watch: false` is safe; edits then apply within about a second
(shared/traefik-facts.md §10). `traefik-doctor fix` deletes it from the static file (not
from flags or environment variables).

## References
- shared/fault-catalog.md OPS007
- `traefik --help`: `--providers.file.watch (Default: "true")`
- shared/traefik-facts.md §10
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.fix.edits import DeleteKey
from traefik_doctor.fix.targets import static_file, static_path
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    if context.profile == "prod":
        return
    watch = context.project.static.get("providers", "file", "watch")
    if watch is None or watch.as_bool() is not False:
        return
    file = static_file(context.project)
    path = static_path(context.project, "providers", "file", "watch")
    yield RULE.finding(
        "`providers.file.watch: false`: edits to the dynamic files are ignored until Traefik"
        " restarts",
        watch.origin,
        fix="Remove `watch: false`",
        edits=(DeleteKey(file, path, keep=2),) if file else (),
    )


RULE = Rule("OPS007", "file-watch-off", Severity.WARNING, check, __doc__ or "", fixable=True)
