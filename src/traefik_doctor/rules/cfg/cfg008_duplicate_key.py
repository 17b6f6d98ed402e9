"""## What it does
Checks for a YAML mapping that gives the same key twice.

## Why is this bad?
Traefik's YAML decoder refuses a duplicate key (`mapping key "api" already defined at line
3`). In the static file Traefik will not start; in a file-provider file Traefik rejects that
file and with it every other file of the provider, so every route answers 404. Editors and most
YAML tools silently keep the last value, so the file looks fine everywhere but in Traefik.

## Example
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`)
      service: api
    api:
      rule: Host(`api2.example.com`)
      service: api
```

## Use instead
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`)
      service: api
    api2:
      rule: Host(`api2.example.com`)
      service: api
```

## Fix safety
No fix is offered: which of the two definitions is meant is not known.

## References
- shared/traefik-facts.md §0 item 1, §3 (`duplicate YAML key in one file`: the directory is
  rejected with `mapping key "r-bad" already defined at line 3`)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.cfg._common import rejection_effect


def check(context: Context) -> Iterator[Finding]:
    for document in context.project.documents:
        if document.tree is None:
            continue
        effect = rejection_effect(document.role)
        for first, second in document.duplicates:
            line = first.key_origin.location().line
            yield RULE.finding(
                f"key `{second.key}` is already defined at line {line} of this mapping; {effect}",
                second.key_origin,
                related=[(first.key_origin, f"`{first.key}` first defined here")],
                fix=f"Rename or remove one of the two `{second.key}` keys",
            )


RULE = Rule("CFG008", "duplicate-key", Severity.ERROR, check, __doc__ or "")
