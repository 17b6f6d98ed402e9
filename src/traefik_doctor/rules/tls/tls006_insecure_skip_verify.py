"""## What it does
Checks for `insecureSkipVerify: true` in a servers transport: the static `serversTransport`,
a dynamic `http.serversTransports.<name>`, or a `tcp.serversTransports.<name>.tls`.

## Why is this bad?
Traefik then accepts any certificate from the backend, so anything that can answer on the
backend's address (a wrong container, an attacker on the network) receives the traffic and
its credentials. It also hides real certificate problems until the flag is removed. Under
`--profile prod` this is an error.

## Example
```yaml
http:
  serversTransports:
    backend:
      insecureSkipVerify: true
```

## Use instead
```yaml
http:
  serversTransports:
    backend:
      serverName: backend.internal
      rootCAs:
        - /certs/internal-ca.pem
```

## Fix safety
No fix is offered: the backend's CA must be given instead.

## References
- shared/fault-catalog.md TLS006
- shared/traefik-facts.md §1 (a self-signed backend returns 500 without it, 200 with it)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.values import section, value
from traefik_doctor.rules.base import Context, Rule

_FIX = "Remove `insecureSkipVerify` and give the backend's CA in `rootCAs`"


def check(context: Context) -> Iterator[Finding]:
    static = context.project.static.get("serversTransport", "insecureSkipVerify")
    if static is not None and static.as_bool():
        yield RULE.finding(
            "the static `serversTransport` sets `insecureSkipVerify: true`: Traefik accepts any"
            " backend certificate for every service",
            static.origin,
            fix=_FIX,
        )
    for transport in context.project.dynamic.servers_transports.values():
        body = transport.body
        if transport.protocol == "tcp":
            body = section(body, "tls")
        flag = value(body, "insecureSkipVerify")
        if flag is None or not flag.as_bool():
            continue
        yield RULE.finding(
            f"servers transport `{transport.qualified}` ({transport.protocol}) sets"
            " `insecureSkipVerify: true`: Traefik accepts any backend certificate",
            flag.origin,
            fix=_FIX,
        )


RULE = Rule(
    "TLS006",
    "insecure-skip-verify",
    Severity.WARNING,
    check,
    __doc__ or "",
    prod_severity=Severity.ERROR,
)
