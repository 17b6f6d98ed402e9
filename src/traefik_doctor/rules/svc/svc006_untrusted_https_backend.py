"""## What it does
Checks for `https://` servers on a private address (an IP literal, `localhost`, a single-label
container name or a `.local`/`.internal`/`.lan`... name) that no servers transport trusts:
the service names no `serversTransport` with `rootCAs`, `insecureSkipVerify` or `spiffe`, and
the static `serversTransport` (the default for services that name none) sets none of them.

## Why is this bad?
Traefik verifies backend certificates against the system roots. A certificate for a private
name or address is self-signed or from a private CA, so verification fails and every request
gets 500 `Internal Server Error` (logged at ERR as `tls: failed to verify certificate`).

## Example
```yaml
http:
  services:
    app:
      loadBalancer:
        servers:
          - url: https://10.0.0.5:8443
```

## Use instead
```yaml
http:
  services:
    app:
      loadBalancer:
        serversTransport: internal-ca
        servers:
          - url: https://10.0.0.5:8443
  serversTransports:
    internal-ca:
      rootCAs: [/certs/internal-ca.pem]
```

## Fix safety
No automatic fix: trusting the right CA needs its certificate. Public host names are not
checked, since a publicly trusted certificate needs no transport. If the private CA is in the
Traefik host's system store, suppress this finding.

## References
- shared/traefik-facts.md §1 (self-signed TLS backend → 500; `insecureSkipVerify` → 200)
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.loaders.tree import Mapping
from traefik_doctor.model.dynamic import qualify
from traefik_doctor.model.values import value, values
from traefik_doctor.rules.base import Context, Rule

PRIVATE_SUFFIXES = (".local", ".internal", ".lan", ".localhost", ".home", ".corp", ".svc", ".test")
_HTTPS = re.compile(r"^\s*https://(?:[^@/]*@)?(\[[^\]]*\]|[^:/?#]*)", re.IGNORECASE)


def private_host(host: str) -> bool:
    host = host.strip("[]").lower().rstrip(".")
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    if host == "localhost" or "." not in host:
        return True
    return host.endswith(PRIVATE_SUFFIXES) or ".svc.cluster." in host


def trusts(body: Mapping | None) -> bool:
    if body is None:
        return False
    skip = value(body, "insecureSkipVerify")
    if skip is not None and skip.as_bool():
        return True
    if values(body, "rootCAs"):
        return True
    return body.find("spiffe") is not None


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    dynamic = project.dynamic
    static_trusts = trusts(project.static.section("serversTransport"))
    for service in dynamic.services.values():
        if service.protocol != "http" or service.kind != "loadBalancer":
            continue
        ref = service.servers_transport
        if ref is not None and ref.text.strip():
            target = qualify(ref.text.strip(), service.provider)
            transport = dynamic.servers_transports.get(f"http:{target}")
            if transport is None or trusts(transport.body):
                continue  # undefined transports are SVC010's
            how = f"servers transport `{target}` sets no `rootCAs` or `insecureSkipVerify`"
        else:
            if static_trusts:
                continue
            how = "it names no `serversTransport`"
        for server in service.servers:
            if server.url is None:
                continue
            match = _HTTPS.match(server.url.text)
            if match is None or not private_host(match.group(1)):
                continue
            yield RULE.finding(
                f"service `{service.qualified}` sends HTTPS to private host"
                f" `{match.group(1)}`, but {how}; Traefik cannot verify its certificate and"
                " answers 500",
                server.url.origin,
                fix="Give the service a serversTransport with `rootCAs` for the backend's CA",
            )


RULE = Rule("SVC006", "untrusted-https-backend", Severity.ERROR, check, __doc__ or "")
