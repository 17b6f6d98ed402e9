"""## What it does
Checks for configured files and directories that do not exist: the file provider's
`directory` or `filename`, and the `certFile`/`keyFile` of a certificate under
`tls.certificates` or of a TLS store's `defaultCertificate`.

## Why is this bad?
A missing provider directory or file leaves Traefik with no routes from that provider. A
`certFile` or `keyFile` that does not exist is worse than an error: Traefik takes the text as
inline PEM content, fails to parse it (`failed to find any PEM data`), logs one ERR line and
serves its self-signed default certificate for those hosts, so browsers show a certificate
warning while the routers look healthy.

## Example
```yaml
tls:
  certificates:
    - certFile: /etc/traefik/certs/example.crt   # the file is in /etc/traefik/cert/
      keyFile: /etc/traefik/certs/example.key
```

## Use instead
```yaml
tls:
  certificates:
    - certFile: /etc/traefik/cert/example.crt
      keyFile: /etc/traefik/cert/example.key
```

## Fix safety
No fix is offered: the intended path is not known. A value that starts with `-----BEGIN` is
inline PEM and is not checked as a path. Relative paths are taken from the static file's
folder (where Traefik is normally started); when Traefik runs in a container its paths are
container paths and are not checked here.

## References
- shared/traefik-facts.md §4 (a nonexistent `--configFile` is silently ignored); measured with
  3.7.15: `certFile: /nonexistent/cert.pem` logs `Unable to parse certificate ... failed to find
  any PEM data in certificate input` and the router stays enabled
- Traefik source: `pkg/tls/certificate.go` (`FileOrContent`: a path that cannot be read is
  taken as content)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.certs import base_dirs, loaded_certificates, missing_file
from traefik_doctor.model.project import IssueKind
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    for issue in project.issues:
        if issue.kind is IssueKind.MISSING_PATH:
            yield RULE.finding(
                f"{issue.message}; Traefik loads no configuration from it",
                issue.origin,
                related=issue.related,
                fix="Point the setting at an existing path",
            )
    if project.in_container:
        return  # container paths: another rule maps them
    dirs = base_dirs(project)
    for entry in loaded_certificates(project):
        for label, configured in (("certFile", entry.cert_file), ("keyFile", entry.key_file)):
            if configured is None or not missing_file(configured.text, dirs):
                continue
            text = configured.text.strip()
            yield RULE.finding(
                f"{label} `{text}` does not exist; Traefik takes the text as inline PEM, fails"
                " to parse it and serves its default certificate instead",
                configured.origin,
                fix=f"Point {label} at the existing file",
            )


RULE = Rule("CFG007", "missing-config-path", Severity.ERROR, check, __doc__ or "")
