"""## What it does
Checks for a Go HTTP server that never bounds how long a client may take to send the request
headers: `http.ListenAndServe`, gin's `Run`, or an `http.Server` with neither
`ReadHeaderTimeout` nor `ReadTimeout` (which also bounds the headers). Only servers whose
construction the Go analysis could follow are judged.

## Why is this bad?
Without a header timeout, every connection that sends half a request stays open forever
(Slowloris): a few hundred of them exhaust the server's file descriptors and memory. Even
behind Traefik the server is usually reachable on its own port from inside the network, and
`http.ListenAndServe` gives no way to set any timeout at all.

## Example
```go
http.ListenAndServe(":8080", mux)
```

## Use instead
```go
srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
srv.ListenAndServe()
```

## Fix safety
No automatic fix: the Go code has to change.

## References
- net/http `Server.ReadHeaderTimeout` ("If zero, the value of ReadTimeout is used")
- shared/research/go-analysis.md §4.8 (a Slowloris probe against a real server is cut after
  `ReadHeaderTimeout`)
- gosec G112 (potential Slowloris attack)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.goscan.facts import GoServer
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.go.common import listener_text


def _bounded(server: GoServer) -> bool:
    for field in ("ReadHeaderTimeout", "ReadTimeout"):
        found = server.timeouts.get(field)
        if found is not None and (found.seconds is None or found.seconds > 0):
            return True
    return False


def check(context: Context) -> Iterator[Finding]:
    scan = context.project.go
    if scan is None:
        return
    for program in scan.programs:
        for server in program.servers:
            if server.grpc or not server.timeouts_known or _bounded(server):
                continue
            yield RULE.finding(
                f"`{server.kind}` on {listener_text(server)} sets no ReadHeaderTimeout (nor"
                " ReadTimeout): clients that send half a request hold a connection forever"
                " (Slowloris)",
                server.location,
                fix="Serve through an `http.Server` with `ReadHeaderTimeout` set (e.g. 5s)",
            )


RULE = Rule("TMO003", "go-server-without-timeouts", Severity.WARNING, check, __doc__ or "")
