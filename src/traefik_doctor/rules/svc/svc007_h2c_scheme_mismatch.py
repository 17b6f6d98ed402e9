"""## What it does
Checks for a server URL whose scheme does not fit the Go server behind it: a gRPC or h2c
(HTTP/2 without TLS) Go server behind an `http://` URL, or an `h2c://` URL in front of a
plain HTTP/1 Go server.

## Why is this bad?
With `http://`, Traefik speaks HTTP/1.1 to the backend. A gRPC server without TLS only
speaks HTTP/2 (prior knowledge), so it rejects the connection and every call fails (502);
gRPC needs `h2c://` in the server URL. The reverse, `h2c://` to a server that only speaks
HTTP/1.1, fails the same way because the server does not understand the HTTP/2 preface.

## Example
```yaml
http:
  services:
    grpc:
      loadBalancer:
        servers:
          - url: http://127.0.0.1:9090
```
```go
srv := &http.Server{Addr: ":9090", Handler: h2c.NewHandler(mux, &http2.Server{})}
```

## Use instead
```yaml
http:
  services:
    grpc:
      loadBalancer:
        servers:
          - url: h2c://127.0.0.1:9090
```

## Fix safety
No automatic fix: check that the server really speaks HTTP/2 without TLS first.

## References
- Traefik docs: user-guides/grpc ("use the h2c scheme for a non-TLS gRPC backend")
- golang.org/x/net/http2/h2c
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.go.common import go_matches, listener_text


def check(context: Context) -> Iterator[Finding]:
    for match in go_matches(context.project):
        listener = match.backend.server
        url = match.server.url
        if listener is None or url is None or listener.tls:
            continue
        scheme = match.backend.url.scheme
        speaks_h2 = listener.grpc or listener.h2c
        kind = "gRPC" if listener.grpc else "h2c"
        if scheme == "http" and speaks_h2:
            message = (
                f"service `{match.service.qualified}` reaches the {kind} Go server at"
                f" `{listener.location}` with `http://` ({url.text.strip()}): Traefik speaks"
                " HTTP/1.1 to a server that only speaks HTTP/2, so requests fail"
            )
            fix = "Use the `h2c://` scheme in the server URL"
        elif scheme == "h2c" and not speaks_h2:
            message = (
                f"service `{match.service.qualified}` uses `h2c://` ({url.text.strip()}) for"
                f" the Go server at `{listener.location}`, which speaks plain HTTP/1.1:"
                " Traefik's HTTP/2 preface is rejected, so requests fail"
            )
            fix = "Use the `http://` scheme, or serve HTTP/2 with `h2c.NewHandler` in Go"
        else:
            continue
        yield RULE.finding(
            message,
            url.origin,
            related=[
                (
                    listener.location,
                    f"Go listener `{listener.kind}` on {listener_text(listener)}; matched by"
                    f" {match.backend.how}",
                )
            ],
            fix=fix,
        )


RULE = Rule("SVC007", "h2c-scheme-mismatch", Severity.ERROR, check, __doc__ or "")
