"""## What it does
Checks for `InsecureSkipVerify: true` in the Go code (a `tls.Config` literal or an
assignment). When the value is not provably true (a variable, a flag) the finding is
informational.

## Why is this bad?
A Go client with `InsecureSkipVerify` accepts any certificate from the server it calls, so
anything that can answer on that address (a wrong container, an attacker on the network)
receives the requests and the credentials they carry. It is usually added to get past a
self-signed certificate in development and then ships. Under `--profile prod` a certain one
is an error.

## Example
```go
client := &http.Client{Transport: &http.Transport{
    TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
}}
```

## Use instead
```go
pool := x509.NewCertPool()
pool.AppendCertsFromPEM(internalCA)
client := &http.Client{Transport: &http.Transport{
    TLSClientConfig: &tls.Config{RootCAs: pool},
}}
```

## Fix safety
No automatic fix: the server's CA must be given instead.

## References
- crypto/tls `Config.InsecureSkipVerify` ("crypto/tls accepts any certificate presented by
  the server and any host name in that certificate")
- shared/fault-catalog.md TLS006 (the same setting on Traefik's side)
- gosec G402
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule

_FIX = "Remove `InsecureSkipVerify` and trust the server's CA through `RootCAs`"


def check(context: Context) -> Iterator[Finding]:
    scan = context.project.go
    if scan is None:
        return
    seen: set[tuple[str, int | None, int | None]] = set()
    for program in scan.programs:
        for insecure in program.insecure_tls:
            where = insecure.location
            if (where.path, where.line, where.column) in seen:
                continue
            seen.add((where.path, where.line, where.column))
            if insecure.certain:
                yield RULE.finding(
                    "the Go code sets `InsecureSkipVerify: true`: its TLS client accepts any"
                    " server certificate",
                    where,
                    fix=_FIX,
                )
            else:
                yield RULE.finding(
                    "the Go code sets `InsecureSkipVerify` to a value that may be true: if it"
                    " is, its TLS client accepts any server certificate",
                    where,
                    fix=_FIX,
                    severity=Severity.INFO,
                )


RULE = Rule(
    "TLS007",
    "go-client-insecure-skip-verify",
    Severity.WARNING,
    check,
    __doc__ or "",
    prod_severity=Severity.ERROR,
)
