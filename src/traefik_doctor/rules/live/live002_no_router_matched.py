"""## What it does
Checks for a synthesized request for a router that Traefik answered itself with `404 page
not found`: no router matched it. A live diagnosis made by `traefik-doctor probe` and
`doctor`; `check` never reports it.

## Why is this bad?
The router is enabled (or seems to be) but real traffic never reaches it. The access log
record has no `RouterName`. Typical causes: v2 placeholders under v3 syntax, a rule that
cannot match, a broken file that dropped the router.

## Example
```
rule: "Path(`/users/{id:[0-9]+}`)"   # v2 placeholder, never matches under v3
```

## Use instead
```
rule: "PathRegexp(`^/users/[0-9]+$`)"
```

## Fix safety
The diagnosis changes nothing; the fix is in the rule.

## References
- shared/fault-catalog.md LIVE002
- shared/traefik-facts.md §1, §2, §9
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live codes come from ``traefik_doctor.live.diagnose``; the static engine gets none."""
    del context
    yield from ()


RULE = Rule("LIVE002", "no-router-matched", Severity.ERROR, check, __doc__ or "")
