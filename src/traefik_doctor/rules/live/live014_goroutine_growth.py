"""## What it does
Checks for a Go process whose goroutine count, read from
`/debug/pprof/goroutine?debug=1` (`goroutine profile: total N`) several times over a window,
is above a threshold (default 10,000) or grew on every sample by more than a margin
(default 10). Only pprof addresses the user gives (`--pprof URL`) or the Go facts point at are
read. Live only: reported by `probe` and `doctor`, never by `check`.

## Why is this bad?
Goroutines that only grow are a leak: a handler that starts a goroutine that never ends
(blocked on a channel, a request without a timeout, a ticker never stopped). Each holds its
stack and everything it references, until the process runs out of memory.

## Example
```go
func leak(w http.ResponseWriter, r *http.Request) {
        ch := make(chan int)
        go func() { <-ch }() // never sent to: the goroutine lives forever
}
```
Samples: 104, 204, 304 goroutines over 2 s.

## Use instead
```go
func handler(w http.ResponseWriter, r *http.Request) {
        ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
        defer cancel()
        go work(ctx) // returns when ctx is done
}
```

## Fix safety
No fix is offered: the leak is in the Go code; `/debug/pprof/goroutine?debug=1` groups the
goroutines by stack and shows where they wait.

## References
- shared/fault-catalog.md LIVE014, GO002
- Go `net/http/pprof`, `runtime/pprof` (`goroutine profile: total N`)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live only: diagnosed by ``traefik_doctor.live.metrics_diagnose``."""
    del context
    yield from ()


RULE = Rule("LIVE014", "goroutine-growth", Severity.WARNING, check, __doc__ or "")
