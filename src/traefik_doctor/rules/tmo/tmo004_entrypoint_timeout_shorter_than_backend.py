"""## What it does
Checks for an entry point whose `respondingTimeouts` are shorter than what the Go server
behind its routers allows: `readTimeout` (60s by default) below the Go server's
`ReadTimeout`, or a non-zero `writeTimeout` below the Go server's `WriteTimeout`.

## Why is this bad?
The Go developer sized `ReadTimeout` for the slowest upload the handlers accept, but the
client talks to Traefik first: Traefik stops reading a request body after its own
`readTimeout` and answers `499 Client Closed Request`, so uploads that the Go server would
accept are cut at the proxy. Likewise a `writeTimeout` on the entry point ends responses
the Go server is still allowed to write.

## Example
```yaml
entryPoints:
  web:
    address: ":80"   # readTimeout: 60s by default
```
```go
srv := &http.Server{Addr: ":8080", ReadTimeout: 5 * time.Minute} // large uploads
```

## Use instead
```yaml
entryPoints:
  web:
    address: ":80"
    transport:
      respondingTimeouts:
        readTimeout: 5m
```

## Fix safety
No automatic fix: raising an entry point timeout affects every router on it.

## References
- shared/traefik-facts.md §5 (`readTimeout: 3s` cuts a slow request body after 3s with
  `499 Client Closed Request`; it does not affect the wait for the response; defaults
  readTimeout 60s, writeTimeout 0)
- Traefik docs: entryPoints `transport.respondingTimeouts`
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.timeouts import (
    Timeout,
    entry_points_of,
    format_seconds,
    go_timeout,
    responding_timeouts,
)
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.go.common import go_matches

_EFFECT = {
    "readTimeout": "requests (uploads) that take longer are cut by Traefik with 499",
    "writeTimeout": "responses that take longer are cut by Traefik",
}


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    seen: set[tuple[str, str, int | None, str]] = set()
    for match in go_matches(project):
        listener = match.backend.server
        if listener is None:
            continue
        for name, router in entry_points_of(project, match.service):
            responding = responding_timeouts(project, name)
            if responding is None:
                continue
            pairs: list[tuple[Timeout, str]] = [
                (responding.read, "ReadTimeout"),
                (responding.write, "WriteTimeout"),
            ]
            for limit, field in pairs:
                go = go_timeout(listener, field)
                if go is None or go.seconds is None or not limit.limited:
                    continue
                assert limit.seconds is not None
                if limit.seconds >= go.seconds:
                    continue
                key = (name, go.location.path, go.location.line, limit.name)
                if key in seen:
                    continue
                seen.add(key)
                ep = project.static.entry_points[name]
                yield RULE.finding(
                    f"entry point `{name}` has {limit.shown}, shorter than the Go server's"
                    f" {field} {format_seconds(go.seconds)} (`{go.location}`) behind router"
                    f" `{router.qualified}`: {_EFFECT[limit.name]}",
                    limit.origin or (ep.address.origin if ep.address else ep.origin),
                    related=[
                        (
                            go.location,
                            f"Go {field} {format_seconds(go.seconds)}; matched to service"
                            f" `{match.service.qualified}` by {match.backend.how}",
                        )
                    ],
                    fix=(
                        f"Raise `{limit.name}` of entry point `{name}` to at least"
                        f" {format_seconds(go.seconds)}, or lower the Go {field}"
                    ),
                )


RULE = Rule(
    "TMO004", "entrypoint-timeout-shorter-than-backend", Severity.WARNING, check, __doc__ or ""
)
