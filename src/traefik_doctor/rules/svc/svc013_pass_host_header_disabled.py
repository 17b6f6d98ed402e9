"""## What it does
Checks for `passHostHeader: false` on a service whose Go program reads the request's host
(`r.Host`, `r.URL.Host`, gin's `c.Request.Host`...).

## Why is this bad?
With `passHostHeader: false`, Traefik replaces the client's `Host` with the server URL's
host and port: the Go code sees `127.0.0.1:8080` instead of `app.example.com`. Redirects,
absolute links, multi-tenant lookups and cookie domains built from the host then point at
the internal address. The original host is still in `X-Forwarded-Host`, but only for code
that reads it.

## Example
```yaml
http:
  services:
    app:
      loadBalancer:
        passHostHeader: false
        servers:
          - url: http://127.0.0.1:8080
```
```go
http.Redirect(w, r, "https://"+r.Host+"/login", http.StatusFound)
```

## Use instead
```yaml
http:
  services:
    app:
      loadBalancer:
        servers:
          - url: http://127.0.0.1:8080
```

## Fix safety
Removing `passHostHeader: false` is unsafe when the backend needs its own host name (a
virtual-hosted upstream); check why it was set.

## References
- shared/traefik-facts.md §7 (`passHostHeader: false`: the backend gets `Host:
  127.0.0.1:18100`, `X-Forwarded-Host` is still the original)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.go.common import go_matches


def check(context: Context) -> Iterator[Finding]:
    seen: set[str] = set()
    for match in go_matches(context.project):
        service = match.service
        flag = service.pass_host_header
        reads = match.backend.program.host_reads
        if flag is None or flag.as_bool() is not False or not reads:
            continue
        if service.qualified in seen:
            continue
        seen.add(service.qualified)
        first = reads[0]
        more = f" (and {len(reads) - 1} more)" if len(reads) > 1 else ""
        yield RULE.finding(
            f"service `{service.qualified}` sets `passHostHeader: false`, but Go program"
            f" `{match.backend.program.package}` reads the request host (`{first.expression}`"
            f" at `{first.location}`{more}): it sees the server URL's host"
            f" ({match.backend.url.host}) instead of the client's",
            flag.origin,
            related=[
                (read.location, f"reads `{read.expression}`; matched by {match.backend.how}")
                for read in reads
            ],
            fix="Remove `passHostHeader: false`, or read `X-Forwarded-Host` in the Go code",
            unsafe=True,
        )


RULE = Rule("SVC013", "pass-host-header-disabled", Severity.WARNING, check, __doc__ or "")
