"""## What it does
Checks for TLS routers (a `tls` section, or attached to an entry point with `http.tls`)
without a certificate resolver when the configuration loads no usable certificate at all
(TLS004 reports uncovered hosts when one is loaded): Traefik then has only its default
certificate. Each host of such a router is reported; a resolver on the router or on its
entry point counts.

## Why is this bad?
Traefik then answers the TLS handshake with its self-signed `TRAEFIK DEFAULT CERT`;
browsers and HTTP clients reject it, so the route fails for every client that verifies
certificates, while the router looks healthy in the dashboard.

## Example
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`)
      service: api
      tls: {}
tls:
  certificates:
    - certFile: certs/www.example.com.crt     # covers only www.example.com
      keyFile: certs/www.example.com.key
```

## Use instead
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`)
      service: api
      tls:
        certResolver: le
```

## Fix safety
No automatic fix: add a certificate that covers the host, or a certificate resolver.

## References
- Traefik docs: https/tls ("Default Certificate"), routing/routers ("certResolver")
- shared/traefik-facts.md §1 (TLS behaviour)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.certs import usable_certificates
from traefik_doctor.model.dynamic import Router
from traefik_doctor.model.kubernetes import certificate_from_secret
from traefik_doctor.model.values import value
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.rtr._common import router_entry_points
from traefik_doctor.rules.rtr._rules import parsed_rule


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    if usable_certificates(project):
        return  # some certificate is loaded: an uncovered host is TLS004's
    for router in project.dynamic.http_routers():
        if not _is_tls(context, router) or _has_resolver(context, router):
            continue
        if certificate_from_secret(project.kubernetes, router):
            continue  # a Kubernetes TLS Secret: its certificate is not on disk
        parsed = parsed_rule(context, router)
        if parsed is None:
            continue
        for host, origin in parsed.hosts():
            yield RULE.finding(
                f"TLS router `{router.qualified}` serves host `{host}`, but no certificate is"
                " loaded and it has no certificate resolver; Traefik serves its self-signed"
                " default certificate for it",
                origin,
                fix="Add a certificate covering the host or set `tls.certResolver`",
            )


def _is_tls(context: Context, router: Router) -> bool:
    if router.tls is not None:
        return True
    eps = context.project.static.entry_points
    return any(
        (ep := eps.get(name)) is not None and ep.tls is not None
        for name in router_entry_points(context, router)
    )


def _has_resolver(context: Context, router: Router) -> bool:
    if router.tls is not None:
        if router.tls.cert_resolver is not None and router.tls.cert_resolver.text.strip():
            return True
        if router.tls.passthrough is not None and router.tls.passthrough.as_bool():
            return True
    eps = context.project.static.entry_points
    for name in router_entry_points(context, router):
        ep = eps.get(name)
        tls = ep.tls if ep is not None else None
        resolver = value(tls, "certResolver")
        if resolver is not None and resolver.text.strip():
            return True
    return False


RULE = Rule("RTR018", "tls-host-without-certificate", Severity.ERROR, check, __doc__ or "")
