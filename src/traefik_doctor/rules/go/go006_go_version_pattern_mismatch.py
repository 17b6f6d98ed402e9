"""## What it does
Checks for Go 1.22 `net/http` patterns (a method or host before the path, `{wildcards}`,
`{$}`) registered in a module whose `go.mod` says `go` below 1.22.

## Why is this bad?
The `go` line of `go.mod`, not the toolchain, selects the ServeMux semantics (through the
`httpmuxgo121` GODEBUG setting). Below 1.22 the old mux is used even when the binary is built
with Go 1.22 or later: `"GET /items/{id}"` is taken as a host pattern and `/items/{id}` as a
literal path, so the route never matches and every request gets `404 page not found`. It
compiles, and nothing is logged.

## Example
```go
// go.mod: go 1.21
mux.HandleFunc("GET /items/{id}", getItem)
```

## Use instead
```
// go.mod
go 1.22
```

## Fix safety
No automatic fix: raising the `go` line changes other behaviour too (loop variables, the
mux's path cleaning); read the Go 1.22 release notes first.

## References
- shared/research/go-analysis.md §4.8 and §9.6 (verified with Go 1.27: with `go 1.19` in
  go.mod, `"GET /api/v1/users/{id}"` returns 404; with `go 1.22`, 200)
- Go 1.22 release notes, "Enhanced routing patterns"; net/http `ServeMux` (GODEBUG
  `httpmuxgo121`)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule

_VERSION = re.compile(r"\s*(\d+)\.(\d+)")


def go_version(text: str | None) -> tuple[int, int] | None:
    """``"1.21.3"`` → (1, 21); None when absent or not a version."""
    if text is None:
        return None
    match = _VERSION.match(text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def check(context: Context) -> Iterator[Finding]:
    scan = context.project.go
    if scan is None:
        return
    seen: set[tuple[str, int | None]] = set()
    for program in scan.programs:
        version = go_version(program.go_version)
        if version is None or version >= (1, 22):
            continue
        for route in program.routes:
            if not route.go122:
                continue
            key = (route.location.path, route.location.line)
            if key in seen:
                continue
            seen.add(key)
            target = (route.host or "") + route.path
            pattern = f"{route.method} {target}" if route.method else target
            related = []
            if program.go_mod is not None:
                related.append((program.go_mod, f"go.mod says `go {program.go_version}`"))
            yield RULE.finding(
                f"the Go 1.22 pattern `{pattern}` is registered in a module whose go.mod says"
                f" `go {program.go_version}`: the old ServeMux rules apply, so it never matches"
                " and requests get 404",
                route.location,
                related=related,
                fix="Raise the `go` line of go.mod to 1.22 or later, or register the route"
                " without methods and wildcards",
            )


RULE = Rule("GO006", "go-version-pattern-mismatch", Severity.ERROR, check, __doc__ or "")
