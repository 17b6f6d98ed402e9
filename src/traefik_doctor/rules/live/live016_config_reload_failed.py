"""## What it does
Checks for routers defined in the provider files that Traefik's API does not have: Traefik
kept an old or empty configuration. A live diagnosis made by `traefik-doctor probe` and
`doctor`; `check` never reports it.

## Why is this bad?
One file the file provider cannot load makes Traefik drop every file of that directory at
start-up, or freeze at the last good configuration at runtime; the API and the metrics show
nothing wrong.

## Example
```
dyn/bad.yml:
  http:
    routers:
      r: {rulee: "Host(`x`)"}   # unknown key: the whole directory is rejected
```

## Use instead
```
Fix or remove the broken file; `traefik-doctor check` names it (CFG004).
```

## Fix safety
The diagnosis changes nothing.

## References
- shared/fault-catalog.md LIVE016
- shared/traefik-facts.md §3, §10
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live codes come from ``traefik_doctor.live.diagnose``; the static engine gets none."""
    del context
    yield from ()


RULE = Rule("LIVE016", "config-reload-failed", Severity.ERROR, check, __doc__ or "")
