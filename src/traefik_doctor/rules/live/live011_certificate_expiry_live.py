"""## What it does
Checks for certificates presented live that have expired or expire soon: the one a TLS
entry point serves for each router's host, and the one each `https://` backend serves.
Expired is an error; expiring within 30 days (`--cert-days`) a warning. A live diagnosis
made by `traefik-doctor probe` and `doctor`; `check` never reports it (TLS003 judges the
certificate files it can read).

## Why is this bad?
An expired certificate at the entry point makes every client refuse the connection; one at
a backend makes Traefik answer 500 for the whole service. What is served can differ from
the files: a certificate renewed on disk but not reloaded, one from a certificate resolver
or a TLS store, one a backend loads on its own.

## Example
```
entry point websecure, Host app.test: certificate expires in 3 days
```

## Use instead
Renew the certificate (or fix its automatic renewal) and check that the running process
serves the new one.

## Fix safety
The diagnosis changes nothing.

## References
- shared/fault-catalog.md LIVE011
- shared/fault-catalog.md TLS003
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live codes come from ``traefik_doctor.live.diagnose``; the static engine gets none."""
    del context
    yield from ()


RULE = Rule("LIVE011", "certificate-expiry-live", Severity.WARNING, check, __doc__ or "")
