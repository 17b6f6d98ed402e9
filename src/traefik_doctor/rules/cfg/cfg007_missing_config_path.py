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
from pathlib import Path

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.project import IssueKind, Project, Role
from traefik_doctor.model.values import Value, section, value
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
    base = _base(project)
    for certificate in project.dynamic.certificates:
        yield from _check_pair(base, certificate.cert_file, certificate.key_file)
    for store in project.dynamic.tls_stores.values():
        default = section(store.body, "defaultCertificate")
        if default is not None:
            yield from _check_pair(base, value(default, "certFile"), value(default, "keyFile"))


def _base(project: Project) -> Path:
    for document in project.documents:
        if document.role is Role.STATIC and document.source.path:
            return Path(document.source.path).parent
    return project.root


def _check_pair(base: Path, cert: Value | None, key: Value | None) -> Iterator[Finding]:
    for label, configured in (("certFile", cert), ("keyFile", key)):
        if configured is None:
            continue
        text = configured.text.strip()
        if not text or text.startswith("-----BEGIN") or "\n" in text:
            continue  # inline PEM
        path = Path(text)
        if not path.is_absolute():
            path = base / path
        try:
            exists = path.exists()
        except OSError:
            exists = False
        if exists:
            continue
        yield RULE.finding(
            f"{label} `{text}` does not exist; Traefik takes the text as inline PEM, fails to"
            " parse it and serves its default certificate instead",
            configured.origin,
            fix=f"Point {label} at the existing file",
        )


RULE = Rule("CFG007", "missing-config-path", Severity.ERROR, check, __doc__ or "")
