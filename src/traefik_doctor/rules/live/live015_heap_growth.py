"""## What it does
Checks for a Go process whose heap in use, read from the `runtime.MemStats` block at the end
of `/debug/pprof/heap?debug=1` (`# HeapInuse = N`) several times over a window, is above a
threshold (default 1 GiB) or grew on every sample by more than a margin (default 1 MiB).
Only pprof addresses the user gives (`--pprof URL`) or the Go facts point at are read. Live
only: reported by `probe` and `doctor`, never by `check`.

## Why is this bad?
A heap that only grows ends in an out-of-memory kill, and long before that in garbage
collection eating CPU and latency.

## Example
```go
var cache = map[string][]byte{}

func handler(w http.ResponseWriter, r *http.Request) {
        cache[r.URL.String()] = make([]byte, 1<<20) // never evicted
}
```

## Use instead
```go
var cache = lru.New(1000) // bounded
```

## Fix safety
No fix is offered: `go tool pprof -sample_index=inuse_space URL/debug/pprof/heap` shows which
allocation sites hold the memory.

## References
- shared/fault-catalog.md LIVE015, GO002
- Go `runtime.MemStats.HeapInuse`, `net/http/pprof`
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    """Live only: diagnosed by ``traefik_doctor.live.metrics_diagnose``."""
    del context
    yield from ()


RULE = Rule("LIVE015", "heap-growth", Severity.WARNING, check, __doc__ or "")
