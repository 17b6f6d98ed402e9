"""## What it does
Checks for a Go server behind Traefik whose keep-alive idle timeout is not longer than the
`idleConnTimeout` Traefik uses for that service. The Go side's idle timeout is `IdleTimeout`,
else `ReadTimeout` (net/http uses it when `IdleTimeout` is zero), else there is none; Traefik's
comes from the service's `serversTransport`, else the static `serversTransport` (90s by
default).

## Why is this bad?
Traefik keeps connections to the backend in a pool and reuses them for up to
`idleConnTimeout`. When the Go server closes an idle connection first, Traefik can pick it
from the pool just as it closes: the request fails with `502 Bad Gateway` (`EOF` or
`connection reset`, logged at DEBUG only). Traefik retries this for idempotent requests, but
not for POST, so the failures show up as rare, unexplained 502s on writes.

## Example
```go
srv := &http.Server{Addr: ":8080", IdleTimeout: 30 * time.Second} // Traefik: 90s
```

## Use instead
```go
srv := &http.Server{Addr: ":8080", IdleTimeout: 120 * time.Second}
```
or lower Traefik's side below the Go server's:
```yaml
http:
  serversTransports:
    app:
      forwardingTimeouts:
        idleConnTimeout: 25s
```

## Fix safety
No automatic fix: either side can move, and the right value depends on the deployment.

## References
- shared/traefik-facts.md §1, §5, §13 (idleConnTimeout default 90s; the race is rare per
  request, so LIVE009 names this rule as the likely cause of sporadic 502 EOF)
- net/http `Server.IdleTimeout`: "If zero, the value of ReadTimeout is used"
- Traefik docs: routing/services, `serversTransport.forwardingTimeouts.idleConnTimeout`
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.timeouts import format_seconds, forwarding_timeouts, go_idle_timeout
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.go.common import go_matches


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    seen: set[tuple[str, int | None, str]] = set()
    for match in go_matches(project):
        listener = match.backend.server
        if listener is None or listener.grpc:
            continue
        if not listener.timeouts_known and "IdleTimeout" not in listener.timeouts:
            continue
        go_idle = go_idle_timeout(listener)
        traefik = forwarding_timeouts(project, match.service)
        if go_idle is None or traefik is None:
            continue
        field, duration = go_idle
        idle = traefik.idle_conn
        if idle.seconds is None or duration.seconds is None:
            continue
        if idle.seconds > 0 and duration.seconds > idle.seconds:
            continue
        key = (duration.location.path, duration.location.line, traefik.transport)
        if key in seen:
            continue
        seen.add(key)
        go_side = f"{field} {format_seconds(duration.seconds)}"
        if field == "ReadTimeout":
            go_side += " (no IdleTimeout, so net/http uses ReadTimeout)"
        if idle.seconds > 0:
            where = "" if idle.is_default else f" at {idle.where}"
            traefik_side = (
                f"keeps idle connections for {idle.shown}{where} (transport `{traefik.transport}`)"
            )
        else:
            traefik_side = (
                f"never closes idle connections ({idle.shown}, transport `{traefik.transport}`)"
            )
        related = [
            (
                idle.origin or match.service.origin,
                f"service `{match.service.qualified}` uses {idle.shown}"
                f" (transport `{traefik.transport}`); Go server matched by {match.backend.how}",
            )
        ]
        yield RULE.finding(
            f"the Go server closes idle keep-alive connections after {go_side}, while Traefik"
            f" {traefik_side} for service `{match.service.qualified}`: a request sent on a"
            " connection the server is closing fails with 502 (POSTs are not retried)",
            duration.location,
            related=related,
            fix=(
                f"Set `IdleTimeout` above Traefik's idleConnTimeout (e.g."
                f" {format_seconds(idle.seconds + 30)} when Traefik has"
                f" {format_seconds(idle.seconds)}), or lower `idleConnTimeout` in a"
                " serversTransport"
                if idle.seconds > 0
                else "Set `idleConnTimeout` in a serversTransport below the Go server's"
                " idle timeout"
            ),
        )


RULE = Rule("TMO001", "backend-idle-shorter-than-proxy", Severity.WARNING, check, __doc__ or "")
