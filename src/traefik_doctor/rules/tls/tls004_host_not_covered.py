"""## What it does
Checks for TLS router hosts (from `Host(...)`/`HostSNI(...)` and `tls.domains`) that no
available certificate covers, when a certificate source exists: a resolver or a usable
loaded certificate (RTR018 covers routers with neither).

The split with RTR018 (tls-host-without-certificate), so one host is reported once:

- RTR018: a TLS router without `certResolver` when the configuration loads no usable
  certificate at all: only Traefik's default certificate exists.
- TLS004, for routers without `certResolver` and at least one usable loaded certificate: each
  rule host and each `tls.domains` `main`/`sans` entry that no loaded certificate's names
  (common name, DNS and IP SANs, `*.` wildcards for one label) cover.
- TLS004, for routers with a `certResolver` and `tls.domains`: each rule host that neither
  the domains (the only names the resolver requests) nor a loaded certificate cover. A
  resolver without `tls.domains` requests the rule's hosts, which are then covered.

TLS comes from the router's `tls` section or from its entry points' `http.tls`; TCP routers
with `passthrough` are skipped (the backend presents its own certificate).

## Why is this bad?
For a host no certificate covers, Traefik serves its default certificate (`CN=TRAEFIK DEFAULT
CERT`, measured with 3.7): clients fail with a name mismatch while the router stays enabled.

## Example
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`)
      tls: {}
tls:
  certificates:
    - certFile: /certs/app.example.com.crt   # SAN app.example.com only
      keyFile: /certs/app.example.com.key
```

## Use instead
```yaml
tls:
  certificates:
    - certFile: /certs/wildcard.example.com.crt   # SAN *.example.com
      keyFile: /certs/wildcard.example.com.key
```

## Fix safety
No fix is offered: a certificate (or domain list) must be changed.

## References
- shared/fault-catalog.md TLS004, RTR018
- Traefik docs: routing/routers `tls.domains` (used by the certificate resolver only)
- Traefik source `pkg/tls/certificate_store.go` (certificates are matched by common name and
  SANs; unmatched SNI gets the default certificate)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.loaders.tree import Mapping, Sequence
from traefik_doctor.model.certs import CertInfo, name_covers, usable_certificates
from traefik_doctor.model.dynamic import Router
from traefik_doctor.model.kubernetes import certificate_from_secret
from traefik_doctor.model.routing import parsed_rule
from traefik_doctor.model.static import StaticConfig
from traefik_doctor.model.values import Value, value, values
from traefik_doctor.rules.base import Context, Rule


def _strip_port(host: str) -> str:
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host


def _entry_point_tls(router: Router, static: StaticConfig) -> list[Mapping]:
    names = [ep.text for ep in router.entry_points] or static.default_entry_points()
    found = []
    for name in names:
        ep = static.entry_points.get(name)
        tls = ep.tls if ep is not None else None
        if tls is not None:
            found.append(tls)
    return found


def _domains(tls: Mapping | None) -> list[tuple[Value | None, list[Value]]]:
    entry = tls.find("domains") if tls is not None else None
    if entry is None or not isinstance(entry.value, Sequence):
        return []
    return [
        (value(item, "main"), values(item, "sans"))
        for item in entry.value.items
        if isinstance(item, Mapping)
    ]


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    certs = usable_certificates(project)
    for router in project.dynamic.routers.values():
        if router.protocol == "udp" or certificate_from_secret(project.kubernetes, router):
            continue  # (a Kubernetes TLS Secret: its certificate is not on disk)
        ep_tls = _entry_point_tls(router, project.static) if router.protocol == "http" else []
        if router.tls is None and not ep_tls:
            continue
        if (
            router.tls is not None
            and router.tls.passthrough is not None
            and router.tls.passthrough.as_bool()
        ):
            continue
        resolver = router.tls.cert_resolver if router.tls is not None else None
        domains = list(router.tls.domains) if router.tls is not None else []
        for tls in ep_tls:
            resolver = resolver or value(tls, "certResolver")
            domains = domains or _domains(tls)
        parsed = parsed_rule(project, router)
        hosts = [(_strip_port(h), o) for h, o in (parsed.hosts() if parsed else [])]
        if resolver is not None:
            if not domains:
                continue
            names = [v.text for main, sans in domains for v in ([main] if main else []) + sans]
            for host, origin in hosts:
                if any(name_covers(n, host) for n in names) or _covered(certs, host):
                    continue
                yield RULE.finding(
                    f"router `{router.qualified}` host `{host}` is not in its `tls.domains`"
                    f" ({', '.join(names)}), the only names certificate resolver"
                    f" `{resolver.text}` requests; Traefik serves its default certificate for it",
                    origin,
                    related=[(resolver.origin, "certificate resolver")],
                    fix=f"Add `{host}` to `tls.domains` sans, or drop `tls.domains`",
                )
            continue
        if not certs:
            continue  # RTR018: no certificate at all
        for host, origin in hosts:
            if _covered(certs, host):
                continue
            yield RULE.finding(
                f"router `{router.qualified}` host `{host}` is covered by no loaded certificate"
                f" ({_summary(certs)}); Traefik serves its default certificate for it",
                origin,
                fix=f"Add a certificate for `{host}` or a `certResolver`",
            )
        for main, sans in domains:
            for domain in ([main] if main else []) + sans:
                name = domain.text.strip()
                if not name or _covered(certs, name):
                    continue
                yield RULE.finding(
                    f"router `{router.qualified}` lists domain `{name}` in `tls.domains`, but no"
                    f" loaded certificate covers it ({_summary(certs)}); without a"
                    " `certResolver` the domains do not obtain a certificate",
                    domain.origin,
                    fix=f"Add a certificate for `{name}` or a `certResolver`",
                )


def _covered(certs: list[CertInfo], host: str) -> bool:
    return any(cert.covers(host) for cert in certs)


def _summary(certs: list[CertInfo]) -> str:
    names = sorted({name for cert in certs for name in cert.names()})
    shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
    return f"names: {shown}" if shown else "no names"


RULE = Rule("TLS004", "host-not-covered", Severity.ERROR, check, __doc__ or "")
