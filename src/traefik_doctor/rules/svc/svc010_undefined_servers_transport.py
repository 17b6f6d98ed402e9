"""## What it does
Checks for services whose `serversTransport` names a servers transport that no provider
defines. A name without `@provider` refers to the service's own provider.

## Why is this bad?
Traefik cannot build the proxy for the service: the service and every router using it are
disabled (`servers transport not found nosuch@file`), and clients get Traefik's bare 404.

## Example
```yaml
http:
  services:
    app:
      loadBalancer:
        serversTransport: internal-ca
        servers:
          - url: https://app:8443
  serversTransports:
    internal-cas:
      rootCAs: [/certs/ca.pem]
```

## Use instead
```yaml
http:
  services:
    app:
      loadBalancer:
        serversTransport: internal-ca
        servers:
          - url: https://app:8443
  serversTransports:
    internal-ca:
      rootCAs: [/certs/ca.pem]
```

## Fix safety
The suggested name is a guess by spelling; check it before applying.

## References
- Measured with Traefik 3.7.15: `serversTransport: nosuch` and `serversTransport: skip@docker`
  (no docker provider) both disable the router with `error building proxy for server URL ...:
  getting RoundTripper: servers transport not found nosuch@file`; `skip@file` resolves
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.references import missing
from traefik_doctor.rules.base import Context, Rule

BUILT_IN = frozenset({"default@internal"})


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    for service in project.dynamic.services.values():
        ref = service.servers_transport
        if ref is None:
            continue
        found = missing(
            project,
            project.dynamic.servers_transports,
            service.protocol,
            ref.text,
            service.provider,
            builtin=BUILT_IN,
        )
        if found is None:
            continue
        yield RULE.finding(
            f"service `{service.qualified}` uses servers transport `{found.target}`,"
            f" {found.reason}; Traefik disables the service and its routers (404){found.hint}",
            ref.origin,
            fix=f"Use servers transport `{found.suggestion}`"
            if found.suggestion
            else "Define the servers transport",
            unsafe=True,
        )


RULE = Rule(
    "SVC010", "undefined-servers-transport", Severity.ERROR, check, __doc__ or "", fixable=True
)
