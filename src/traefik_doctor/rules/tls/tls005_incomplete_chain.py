"""## What it does
Checks for a certificate file that holds only a leaf issued by some other certificate
authority: the issuer is not the certificate itself, and no intermediate follows the leaf in
the PEM.

## Why is this bad?
Traefik sends exactly the chain in the file. Browsers often repair a missing intermediate
from their cache, but `curl`, Go, Java, mobile apps and monitoring probes do not: they fail
with "unable to get local issuer certificate" / "x509: certificate signed by unknown
authority", so the site works in a browser and fails for API clients. A leaf issued by a
public CA needs its intermediates; a leaf issued directly by a private root works only for
clients that were given that root, which this warning also reminds of.

## Example
```yaml
tls:
  certificates:
    - certFile: /certs/app.crt        # the leaf only
      keyFile: /certs/app.key
```

## Use instead
```yaml
tls:
  certificates:
    - certFile: /certs/fullchain.pem  # leaf, then intermediates
      keyFile: /certs/app.key
```

## Fix safety
No fix is offered: the intermediates must come from the issuer.

## References
- shared/fault-catalog.md TLS005
- Go `crypto/tls.LoadX509KeyPair` keeps every certificate of the file, in order, as the chain
  sent to clients
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.certs import loaded_certificates
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    for entry in loaded_certificates(context.project):
        cert = entry.cert
        if cert is None or not cert.ok or entry.cert_file is None:
            continue
        if cert.is_self_signed or cert.chain_length > 1:
            continue
        subject = cert.common_name or cert.subject
        yield RULE.finding(
            f"certificate `{subject}` is issued by `{cert.issuer}` but the file holds no"
            " intermediate certificate; clients that do not already have the issuer (curl, Go,"
            " mobile apps) fail to verify it",
            entry.cert_file.origin,
            fix="Append the issuer's intermediates to the certificate file, after the leaf",
        )


RULE = Rule("TLS005", "incomplete-chain", Severity.WARNING, check, __doc__ or "")
