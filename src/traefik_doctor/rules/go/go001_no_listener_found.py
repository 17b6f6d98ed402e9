"""## What it does
Checks for Go programs whose listen address could not be worked out from the source: every
server found has an address the analysis cannot resolve (a value read from a config file, a
function result), or no server was found at all. A program without any server is only
reported when no Go program of the project has a resolved listener, since command-line tools
often sit beside the service.

## Why is this bad?
The cross-checks between Traefik and the Go code (port, scheme, timeouts, health handler,
routes) need to know which port the program listens on. Without it they are skipped for this
program, silently unless this rule says so; a wrong port in Traefik would then go unnoticed
until it answers 502.

## Example
```go
cfg := loadConfig("config.yaml")
http.ListenAndServe(cfg.Addr, mux)
```

## Use instead
```go
addr := os.Getenv("ADDR")
if addr == "" {
    addr = ":8080"
}
http.ListenAndServe(addr, mux)
```
or map the service to the program in the settings (`go-services`).

## Fix safety
No fix: this is information about what could not be checked.

## References
- shared/research/go-analysis.md §4.4-§4.5 (what the value resolver understands: literals,
  constants, `os.Getenv` with fallbacks, flags, `fmt.Sprintf`, `net.JoinHostPort`)
- src/traefik_doctor/model/gomatch.py
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    scan = context.project.go
    if scan is None or not scan.programs:
        return
    any_resolved = any(s.addr.resolved for p in scan.programs for s in p.servers)
    for program in scan.programs:
        if any(server.addr.resolved for server in program.servers):
            continue
        if not program.servers:
            if any_resolved:
                continue
            folder = posixpath.dirname(program.location.path)
            issues = [
                issue
                for issue in scan.unresolved
                if posixpath.dirname(issue.location.path) == folder
            ]
            why = (
                f"{issues[0].message} (`{issues[0].location}`)"
                if issues
                else "no `http.ListenAndServe`, started `http.Server`, gin `Run`, echo `Start`..."
            )
            yield RULE.finding(
                f"no HTTP server with a known address was found in Go program"
                f" `{program.package}` ({why}): the cross-checks with Traefik are skipped for it",
                program.location,
                fix="Map the Traefik service to the program with the `go-services` setting, or"
                " start the server in a way the analysis can follow",
            )
            continue
        for server in program.servers:
            yield RULE.finding(
                f"the listen address of `{server.kind}` in Go program `{program.package}` could"
                f" not be resolved (`{server.addr.text}`): the cross-checks with Traefik are"
                " skipped for it",
                server.location,
                fix="Give the address a literal default (a constant, or `os.Getenv` with a"
                " fallback) so it can be checked",
            )


RULE = Rule("GO001", "no-listener-found", Severity.INFO, check, __doc__ or "")
