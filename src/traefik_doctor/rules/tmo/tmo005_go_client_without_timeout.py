"""## What it does
Checks for Go HTTP clients without a timeout: an `http.Client{}` literal that sets no
`Timeout`, and uses of the default client (`http.Get`, `http.Post`, `http.DefaultClient`),
which has none.

## Why is this bad?
A request to a server that accepts the connection but never answers blocks its goroutine
forever. Behind Traefik this turns one slow dependency into handlers that never finish:
Traefik's client eventually gives up, but the Go side keeps the goroutine, the connection
and whatever it holds, and goroutines pile up under load.

## Example
```go
resp, err := http.Get("http://billing.internal/charge")
```

## Use instead
```go
client := &http.Client{Timeout: 10 * time.Second}
resp, err := client.Get("http://billing.internal/charge")
```

## Fix safety
No automatic fix: the right timeout depends on the call.

## References
- net/http `Client.Timeout` ("A Timeout of zero means no timeout") and `DefaultClient`
- shared/research/go-analysis.md §4.8
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    scan = context.project.go
    if scan is None:
        return
    seen: set[tuple[str, int | None, int | None]] = set()
    for program in scan.programs:
        for client in program.clients:
            timeout = client.timeout
            if timeout is not None and (timeout.seconds is None or timeout.seconds > 0):
                continue
            key = (client.location.path, client.location.line, client.location.column)
            if key in seen:
                continue
            seen.add(key)
            if client.kind == "default-client":
                what = "this call uses `http.DefaultClient`, which has no Timeout"
            elif timeout is None:
                what = f"`{client.kind}` sets no Timeout"
            else:
                what = f"`{client.kind}` sets Timeout {timeout.text} (no limit)"
            yield RULE.finding(
                f"{what}: a server that accepts the connection but never"
                " answers blocks this request (and its goroutine) forever",
                client.location,
                fix="Use an `http.Client` with `Timeout` set (e.g. 10 * time.Second)",
            )


RULE = Rule("TMO005", "go-client-without-timeout", Severity.WARNING, check, __doc__ or "")
