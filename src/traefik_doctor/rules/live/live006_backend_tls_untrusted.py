"""## What it does
Checks for a `500 Internal Server Error` from Traefik for an `https://` backend whose
certificate fails verification. A live diagnosis made by `traefik-doctor probe` and
`doctor`; `check` never reports it.

## Why is this bad?
Traefik verifies backend certificates against the system store; a self-signed or private-CA
certificate makes every request a 500 (not a 502), logged at ERR.

## Example
```
servers:
  - url: "https://127.0.0.1:8443"   # self-signed certificate
```

## Use instead
```
serversTransports:
  internal-ca: {rootCAs: [/etc/ssl/internal-ca.pem]}
```

## Fix safety
Trusting the right CA is safe; `insecureSkipVerify` is not.

## References
- shared/fault-catalog.md LIVE006
- shared/traefik-facts.md §1 (TLS verification failure: 500)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live codes come from ``traefik_doctor.live.diagnose``; the static engine gets none."""
    del context
    yield from ()


RULE = Rule("LIVE006", "backend-tls-untrusted", Severity.ERROR, check, __doc__ or "")
