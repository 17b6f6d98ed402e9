"""## What it does
Checks for TLS routers (a `tls` section, or attached to an entry point with `http.tls`)
whose ``Host(...)`` names no certificate in `tls.certificates` (or a store's
`defaultCertificate`) covers, and that have no certificate resolver (on the router or on
its entry point). Wildcard certificates (`*.example.com`) cover one label.

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
from pathlib import Path

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.dynamic import Router
from traefik_doctor.model.values import Value, section, value
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.rtr._common import router_entry_points
from traefik_doctor.rules.rtr._rules import parsed_rule


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    candidates = [r for r in project.dynamic.http_routers() if _is_tls(context, r)]
    candidates = [r for r in candidates if not _has_resolver(context, r)]
    if not candidates:
        return
    names = _covered_names(context)
    if names is None:
        return  # a certificate could not be read: coverage unknown (TLS rules report it)
    for router in candidates:
        parsed = parsed_rule(context, router)
        if parsed is None or parsed.expr is None or router.rule is None:
            continue
        for matcher in parsed.matchers():
            if matcher.name.lower() != "host":
                continue
            for literal in matcher.args:
                host = literal.value.strip().lower().rstrip(".")
                if not host or _covered(host, names):
                    continue
                yield RULE.finding(
                    f"TLS router `{router.qualified}` serves host `{host}`, which no configured"
                    " certificate covers, and it has no certificate resolver; Traefik serves"
                    " its self-signed default certificate for it",
                    router.rule.at(literal.start),
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


def _covered_names(context: Context) -> list[str] | None:
    """DNS names of every configured certificate, or None when one cannot be read."""
    project = context.project
    files: list[Value] = [c.cert_file for c in project.dynamic.certificates if c.cert_file]
    for store in project.dynamic.tls_stores.values():
        default = section(store.body, "defaultCertificate")
        cert = value(default, "certFile")
        if cert is not None:
            files.append(cert)
    names: list[str] = []
    for cert_file in files:
        found = _read_names(cert_file.text, project.root)
        if found is None:
            return None
        names.extend(found)
    return names


def _read_names(text: str, root: Path) -> list[str] | None:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    data: bytes
    if text.lstrip().startswith("-----BEGIN"):
        data = text.encode()
    else:
        path = Path(text)
        if not path.is_absolute():
            path = root / path
        try:
            data = path.read_bytes()
        except OSError:
            return None
    try:
        cert = x509.load_pem_x509_certificate(data)
    except ValueError:
        return None
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        names = [n.lower() for n in ext.value.get_values_for_type(x509.DNSName)]
    except x509.ExtensionNotFound:
        names = []
    if not names:
        for attribute in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME):
            names.append(str(attribute.value).lower())
    return names


def _covered(host: str, names: list[str]) -> bool:
    for written in names:
        name = written.rstrip(".")
        if name == host:
            return True
        if name.startswith("*.") and "." in host and host.split(".", 1)[1] == name[2:]:
            return True
    return False


RULE = Rule("RTR018", "tls-host-without-certificate", Severity.ERROR, check, __doc__ or "")
