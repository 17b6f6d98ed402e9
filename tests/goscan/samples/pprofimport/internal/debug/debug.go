// Package debug turns on profiling for the binaries that import it.
package debug

import (
	_ "net/http/pprof" // registers /debug/pprof/ on http.DefaultServeMux
)

// Enabled tells the caller the profiler is linked in.
const Enabled = true
