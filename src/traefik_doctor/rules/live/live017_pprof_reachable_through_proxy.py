"""## What it does
Checks for Go's `/debug/pprof/` index answering through a Traefik entry point. A live
diagnosis made by `traefik-doctor probe` and `doctor`; `check` never reports it.

## Why is this bad?
Anyone who can reach the entry point can read heap and goroutine dumps (secrets in memory)
and run CPU profiles.

## Example
```
mux.Handle("/debug/pprof/", http.DefaultServeMux)   // behind a PathPrefix(`/`) router
```

## Use instead
```
Serve pprof on a separate loopback-only listener.
```

## Fix safety
Removing pprof from the public mux is safe.

## References
- shared/fault-catalog.md LIVE017
- shared/fault-catalog.md GO002
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live codes come from ``traefik_doctor.live.diagnose``; the static engine gets none."""
    del context
    yield from ()


RULE = Rule("LIVE017", "pprof-reachable-through-proxy", Severity.WARNING, check, __doc__ or "")
