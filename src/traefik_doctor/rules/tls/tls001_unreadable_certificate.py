"""## What it does
Checks for certificates and keys (`tls.certificates`, a TLS store's `defaultCertificate`) that
cannot be read or parsed. A `certFile`/`keyFile` value that is not an existing file is taken by
Traefik as inline PEM text, so a mistyped path is reported here too.

## Why is this bad?
Traefik logs an error for the entry and skips it; clients then get Traefik's self-signed
default certificate (`TRAEFIK DEFAULT CERT`) for those hosts, and browsers refuse the
connection, while every router stays enabled.

## Example
```yaml
tls:
  certificates:
    - certFile: /certs/app.crt   # the file is /certs/app.pem
      keyFile: /certs/app.key
```

## Use instead
```yaml
tls:
  certificates:
    - certFile: /certs/app.pem
      keyFile: /certs/app.key
```

## Fix safety
No fix is offered: the right file is not known.

## References
- shared/fault-catalog.md TLS001
- Traefik source `pkg/tls/certificate.go` (`FileOrContent.Read`: a value that is not an
  existing file is used as the PEM content itself)
- Measured with Traefik 3.7: a missing `certFile` path logs
  `ERR ... Unable to parse certificate ... failed to find any PEM data in certificate input`,
  the router stays enabled and `CN=TRAEFIK DEFAULT CERT` is served
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.certs import base_dirs, loaded_certificates, missing_file
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    dirs = base_dirs(context.project)
    for entry in loaded_certificates(context.project):
        owner = (
            f" of the default certificate of TLS store `{entry.store_default}`"
            if entry.store_default
            else ""
        )
        if (
            entry.cert_file is not None
            and entry.cert is not None
            and entry.cert.error
            and not missing_file(entry.cert_file.text, dirs)  # CFG007 reports missing paths
        ):
            yield RULE.finding(
                f"`certFile`{owner} cannot be used: {entry.cert.error}; Traefik skips it and"
                " serves its default certificate",
                entry.cert_file.origin,
                fix="Point `certFile` at a PEM certificate file",
            )
        if (
            entry.key_file is not None
            and entry.key is not None
            and entry.key.error
            and not missing_file(entry.key_file.text, dirs)
        ):
            yield RULE.finding(
                f"`keyFile`{owner} cannot be used: {entry.key.error}; Traefik skips the"
                " certificate and serves its default certificate",
                entry.key_file.origin,
                fix="Point `keyFile` at an unencrypted PEM private key file",
            )


RULE = Rule("TLS001", "unreadable-certificate", Severity.ERROR, check, __doc__ or "")
