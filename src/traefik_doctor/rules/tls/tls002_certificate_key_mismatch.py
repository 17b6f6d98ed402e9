"""## What it does
Checks for a `keyFile` whose private key does not belong to the certificate in its `certFile`
(the public keys differ).

## Why is this bad?
Traefik cannot build the certificate pair, logs an error and skips the entry; clients get
Traefik's default certificate for the hosts it should have served.

## Example
```yaml
tls:
  certificates:
    - certFile: /certs/app.crt
      keyFile: /certs/other.key
```

## Use instead
```yaml
tls:
  certificates:
    - certFile: /certs/app.crt
      keyFile: /certs/app.key
```

## Fix safety
No fix is offered: the matching key is not known.

## References
- shared/fault-catalog.md TLS002
- Go `crypto/tls.X509KeyPair` ("private key does not match public key"), used by Traefik's
  `pkg/tls/certificate.go`
- Measured with Traefik 3.7: `ERR ... Unable to parse certificate ... tls: private key does
  not match public key`; routers stay enabled and `CN=TRAEFIK DEFAULT CERT` is served
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.certs import loaded_certificates
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    for entry in loaded_certificates(context.project):
        cert, key = entry.cert, entry.key
        if cert is None or key is None or not cert.ok or not key.ok or entry.key_file is None:
            continue
        if cert.public_key_fingerprint == key.public_key_fingerprint:
            continue
        subject = cert.common_name or cert.subject or "the certificate"
        related = [(entry.cert_file.origin, f"certificate `{subject}`")] if entry.cert_file else []
        yield RULE.finding(
            f"the private key in `keyFile` does not belong to the certificate `{subject}`"
            " in `certFile`; Traefik skips the pair and serves its default certificate",
            entry.key_file.origin,
            related=related,
            fix="Use the key the certificate was issued for",
        )


RULE = Rule("TLS002", "certificate-key-mismatch", Severity.ERROR, check, __doc__ or "")
