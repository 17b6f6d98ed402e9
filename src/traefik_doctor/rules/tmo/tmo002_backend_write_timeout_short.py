"""## What it does
Checks for a Go server whose `WriteTimeout` is shorter than what Traefik waits for it: the
service's `responseHeaderTimeout` (when set) or the `writeTimeout` of an entry point whose
routers reach the service (when set). When Traefik sets no limit at all, a Go
`WriteTimeout` is the developer's choice and nothing is reported.

## Why is this bad?
`WriteTimeout` bounds the whole handler, from the end of the request headers to the end of
the response. A handler that runs longer has its connection closed without a response, and
Traefik answers `502 Bad Gateway` (`error=EOF`, logged at DEBUG only) instead of the `504
Gateway Timeout` its own timeout would give. The 502 looks like a crash, not a slow
handler, and the timeout configured in Traefik never gets a chance to apply.

## Example
```go
srv := &http.Server{Addr: ":8080", WriteTimeout: 10 * time.Second}
```
```yaml
http:
  serversTransports:
    slow:
      forwardingTimeouts:
        responseHeaderTimeout: 60s
```

## Use instead
```go
srv := &http.Server{Addr: ":8080", WriteTimeout: 75 * time.Second}
```

## Fix safety
No automatic fix: raise the Go `WriteTimeout` above Traefik's limit, or lower Traefik's.

## References
- shared/traefik-facts.md §1 and §13 (Go `WriteTimeout` 1s with a 2s handler: 502 after
  2.01s, `502 Bad Gateway error=EOF` at DEBUG; `responseHeaderTimeout` 1s: 504)
- net/http `Server.WriteTimeout`
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.timeouts import (
    Timeout,
    entry_points_of,
    format_seconds,
    forwarding_timeouts,
    go_timeout,
    responding_timeouts,
)
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.go.common import go_matches


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    seen: set[tuple[str, int | None, str]] = set()
    for match in go_matches(project):
        listener = match.backend.server
        if listener is None or listener.grpc:
            continue
        write = go_timeout(listener, "WriteTimeout")
        if write is None or write.seconds is None:
            continue
        limits: list[tuple[Timeout, str]] = []
        forwarding = forwarding_timeouts(project, match.service)
        if forwarding is not None and forwarding.response_header.limited:
            limits.append(
                (
                    forwarding.response_header,
                    f"service `{match.service.qualified}` (transport `{forwarding.transport}`)",
                )
            )
        for name, router in entry_points_of(project, match.service):
            responding = responding_timeouts(project, name)
            if responding is not None and responding.write.limited:
                limits.append(
                    (responding.write, f"entry point `{name}` (router `{router.qualified}`)")
                )
        for limit, owner in limits:
            assert limit.seconds is not None
            if write.seconds >= limit.seconds:
                continue
            key = (write.location.path, write.location.line, f"{owner}{limit.path}")
            if key in seen:
                continue
            seen.add(key)
            outcome = (
                "instead of Traefik's 504"
                if limit.name == "responseHeaderTimeout"
                else "long before the entry point's limit"
            )
            yield RULE.finding(
                f"the Go server's WriteTimeout {format_seconds(write.seconds)} is shorter than"
                f" {limit.shown} of {owner} ({limit.where}): a handler slower than"
                f" {format_seconds(write.seconds)} gets its connection closed and the client"
                f" sees 502 Bad Gateway (EOF) {outcome}",
                write.location,
                related=[
                    (
                        limit.origin or match.service.origin,
                        f"{limit.shown} for {owner}; Go server matched by {match.backend.how}",
                    )
                ],
                fix=(
                    f"Raise `WriteTimeout` above {format_seconds(limit.seconds)}, or lower"
                    f" `{limit.name}` in Traefik"
                ),
            )


RULE = Rule("TMO002", "backend-write-timeout-short", Severity.WARNING, check, __doc__ or "")
