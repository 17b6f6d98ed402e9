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

import difflib
from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.dynamic import qualify
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.svc._refs import provider_loaded

BUILT_IN = frozenset({"default@internal"})


def check(context: Context) -> Iterator[Finding]:
    dynamic = context.project.dynamic
    for service in dynamic.services.values():
        ref = service.servers_transport
        if ref is None or not ref.text.strip():
            continue
        target = qualify(ref.text.strip(), service.provider)
        if target in BUILT_IN or f"{service.protocol}:{target}" in dynamic.servers_transports:
            continue
        provider = target.rsplit("@", 1)[1]
        if not provider_loaded(context.project, provider):
            continue
        candidates = [
            t.name
            for t in dynamic.servers_transports.values()
            if t.protocol == service.protocol and t.provider == provider
        ]
        close = difflib.get_close_matches(target.rsplit("@", 1)[0], candidates, n=1)
        hint = f"; did you mean `{close[0]}`?" if close else ""
        yield RULE.finding(
            f"service `{service.qualified}` uses servers transport `{target}`,"
            f" {context.project.missing_reason(provider)}; Traefik disables the service and"
            f" its routers (404){hint}",
            ref.origin,
            fix=f"Use servers transport `{close[0]}`" if close else "Define the servers transport",
            unsafe=True,
        )


RULE = Rule(
    "SVC010", "undefined-servers-transport", Severity.ERROR, check, __doc__ or "", fixable=True
)
