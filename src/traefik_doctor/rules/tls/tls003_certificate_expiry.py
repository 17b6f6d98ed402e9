"""## What it does
Checks for certificates that have expired (error) or expire within 30 days (warning), and
for certificates that are not valid yet (error).

## Why is this bad?
Traefik still serves an expired certificate; every client refuses the connection with a
certificate error. A certificate loaded from a file is not renewed by Traefik.

## Example
```yaml
tls:
  certificates:
    - certFile: /certs/app-2023.crt   # notAfter 2024-01-01
      keyFile: /certs/app-2023.key
```

## Use instead
```yaml
tls:
  certificates:
    - certFile: /certs/app-2025.crt
      keyFile: /certs/app-2025.key
```

## Fix safety
No fix is offered: a new certificate must be issued.

## References
- shared/fault-catalog.md TLS003
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.certs import loaded_certificates
from traefik_doctor.rules.base import Context, Rule

SOON = timedelta(days=30)


def check(context: Context) -> Iterator[Finding]:
    now = datetime.now(UTC)
    for entry in loaded_certificates(context.project):
        cert = entry.cert
        if cert is None or not cert.ok or entry.cert_file is None or cert.not_after is None:
            continue
        subject = cert.common_name or cert.subject or "certificate"
        end = cert.not_after.strftime("%Y-%m-%d %H:%M UTC")
        if cert.not_after <= now:
            yield RULE.finding(
                f"certificate `{subject}` expired on {end}; clients reject it",
                entry.cert_file.origin,
                fix="Install a renewed certificate",
            )
        elif cert.not_before is not None and cert.not_before > now:
            start = cert.not_before.strftime("%Y-%m-%d %H:%M UTC")
            yield RULE.finding(
                f"certificate `{subject}` is not valid before {start};"
                " clients reject it until then",
                entry.cert_file.origin,
                fix="Check the issuing machine's clock or install a current certificate",
            )
        elif cert.not_after - now <= SOON:
            days = (cert.not_after - now).days
            yield RULE.finding(
                f"certificate `{subject}` expires on {end}, in {days} days",
                entry.cert_file.origin,
                fix="Renew the certificate",
                severity=Severity.WARNING,
            )


RULE = Rule("TLS003", "certificate-expiry", Severity.ERROR, check, __doc__ or "")
