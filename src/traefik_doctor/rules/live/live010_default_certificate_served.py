"""## What it does
Checks for a TLS entry point that presents `TRAEFIK DEFAULT CERT` for a router's host name.
A live diagnosis made by `traefik-doctor probe` and `doctor`; `check` never reports it.

## Why is this bad?
No configured certificate covers the host, so clients get a self-signed certificate for
another name and refuse the connection.

## Example
```
tls: {}   # router on websecure, no certificate for app.test
```

## Use instead
```
tls:
  certificates:
    - {certFile: app.crt, keyFile: app.key}
```

## Fix safety
The diagnosis changes nothing.

## References
- shared/fault-catalog.md LIVE010
- shared/fault-catalog.md RTR018
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live codes come from ``traefik_doctor.live.diagnose``; the static engine gets none."""
    del context
    yield from ()


RULE = Rule("LIVE010", "default-certificate-served", Severity.WARNING, check, __doc__ or "")
