"""Benchmark the Go extractor on synthetic modules and on real Go sources.

    .venv/bin/python bench/go_extract.py [--files 2000] [--corpus DIR ...] [--jobs N]

Corpora: ``dense`` (every file registers 8 routes and builds a server: the worst case),
``mixed`` (one file in five is HTTP code, the rest plain business logic, closer to a real
service), and each ``--corpus`` (default: Go 1.19's ``net/http`` and the whole standard
library when present). Each is scanned once to warm the page cache, then timed (best of
``--rounds``) with one process and with the default worker count.

Reported: MB/s and the peak RSS of this process (``resource.getrusage``; a peak only grows,
so read the column top-down). Workers run the same per-package code, so a worker's peak is
bounded like the one-process figure: by the largest package (trees take about 25x the source).
The target is >= 5 MB/s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from traefik_doctor.goscan.extract import scan

_HANDLER = """
// {name} handles {path}.
func {name}(w http.ResponseWriter, r *http.Request) {{
	if r.Method != http.MethodGet {{
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}}
	id := r.URL.Query().Get("id")
	payload := map[string]any{{"id": id, "host": r.Host, "n": {n}}}
	for i := 0; i < {n}; i++ {{
		payload[strconv.Itoa(i)] = fmt.Sprintf("%d-%s", i, id)
	}}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(payload); err != nil {{
		log.Printf("encode: %v", err)
	}}
}}
"""

_HEADER = """// Code for the extractor benchmark. DO NOT EDIT.
package {pkg}

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"time"
)

const (
	defaultTimeout{i} = {t} * time.Second
	prefix{i}         = "/api/{pkg}/v{i}"
)

var _ = time.Now
"""

_REGISTER = """
// Register{i} adds this file's routes.
func Register{i}(mux *http.ServeMux) {{
{lines}
}}

func newServer{i}(addr string) *http.Server {{
	srv := &http.Server{{Addr: addr, Handler: http.NewServeMux(), ReadTimeout: defaultTimeout{i}}}
	srv.IdleTimeout = 2 * defaultTimeout{i}
	return srv
}}
"""

_MAIN = """package main

import (
	"log"
	"net/http"
	"os"
	"time"
{imports}
)

func main() {{
	port := os.Getenv("PORT")
	if port == "" {{
		port = "8080"
	}}
	mux := http.NewServeMux()
{calls}
	srv := &http.Server{{Addr: ":" + port, Handler: mux, ReadHeaderTimeout: 5 * time.Second}}
	log.Fatal(srv.ListenAndServe())
}}
"""


_PLAIN = """
// {name} is plain business logic: no HTTP in sight.
type {name} struct {{
	ID      int64
	Name    string
	Tags    []string
	Weights map[string]float64
}}

// Score{name} ranks the value.
func (v *{name}) Score(limit int) (float64, error) {{
	if v == nil {{
		return 0, errors.New("nil {name}")
	}}
	total := 0.0
	for i, tag := range v.Tags {{
		if i >= limit {{
			break
		}}
		w, ok := v.Weights[tag]
		if !ok {{
			w = float64(len(tag)) / {n}.0
		}}
		total += w * float64(i+1)
	}}
	switch {{
	case total > 100:
		return 100, nil
	case strings.HasPrefix(v.Name, "x"):
		return total / 2, nil
	}}
	return total, nil
}}
"""

_PLAIN_HEADER = """// Code for the extractor benchmark. DO NOT EDIT.
package {pkg}

import (
	"errors"
	"strings"
)

var _ = strings.HasPrefix
"""


def generate(root: Path, files: int, seed: int = 7, http_share: float = 1.0) -> int:
    """Write a module of ``files`` Go files (40 packages) under ``root``; return its size.

    ``http_share`` of the files are HTTP code (handlers, routes, servers); the rest are plain.
    """
    rnd = random.Random(seed)
    (root / "go.mod").write_text("module example.com/bench\n\ngo 1.19\n")
    packages = 40
    total = 0
    registered: list[int] = []
    for index in range(files - 1):
        pkg = f"pkg{index % packages}"
        directory = root / "internal" / pkg
        directory.mkdir(parents=True, exist_ok=True)
        if rnd.random() >= http_share:
            plain = [_PLAIN_HEADER.format(pkg=pkg)]
            plain.extend(
                _PLAIN.format(name=f"Value{index}x{k}", n=rnd.randint(1, 9)) for k in range(8)
            )
            text = "".join(plain)
            (directory / f"file{index}.go").write_text(text)
            total += len(text)
            continue
        registered.append(index)
        parts = [_HEADER.format(pkg=pkg, i=index, t=rnd.randint(1, 60))]
        lines = []
        for h in range(8):
            name = f"handle{index}x{h}"
            path = f"/{pkg}/{index}/{h}"
            parts.append(_HANDLER.format(name=name, path=path, n=rnd.randint(1, 9)))
            lines.append(f'\tmux.HandleFunc(prefix{index}+"/{h}", {name})')
        parts.append(_REGISTER.format(i=index, lines="\n".join(lines)))
        text = "".join(parts)
        (directory / f"file{index}.go").write_text(text)
        total += len(text)
    used = sorted({i % packages for i in registered[:packages]})
    imports = "\n".join(f'\t"example.com/bench/internal/pkg{p}"' for p in used)
    calls = "\n".join(f"\tpkg{i % packages}.Register{i}(mux)" for i in registered[:packages])
    main = _MAIN.format(imports=imports, calls=calls)
    (root / "cmd" / "bench").mkdir(parents=True)
    (root / "cmd" / "bench" / "main.go").write_text(main)
    return total + len(main)


def _rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


Row = tuple[str, int, int, float, float, float, float]


def run(label: str, root: Path, rounds: int, jobs: int | None) -> Row:
    scan([root], root, jobs=jobs)  # warm the page cache and the imports
    best = float("inf")
    result = None
    for _ in range(rounds):
        start = time.perf_counter()
        result = scan([root], root, jobs=jobs)
        best = min(best, time.perf_counter() - start)
    assert result is not None
    mb = result.bytes / 1e6
    return (
        label,
        jobs or 0,
        result.files,
        mb,
        best,
        mb / best,
        _rss_mib(),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--jobs", type=int, action="append", help="worker counts (default: 1, auto)"
    )
    parser.add_argument("--corpus", type=Path, action="append")
    args = parser.parse_args()
    corpora = args.corpus or [
        p
        for p in (Path("/usr/lib/go-1.19/src/net/http"), Path("/usr/lib/go-1.19/src"))
        if p.is_dir()
    ]
    job_counts: list[int | None] = list(args.jobs) if args.jobs else [1, None]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, share in (("dense", 1.0), ("mixed", 0.2)):
            root = Path(tmp) / name
            root.mkdir()
            generate(root, args.files, http_share=share)
            rows.extend(run(f"synthetic {name}", root, args.rounds, jobs) for jobs in job_counts)
    for corpus in corpora:
        rows.extend(run(str(corpus), corpus, args.rounds, jobs) for jobs in job_counts)
    print(
        f"{'corpus':<32} {'jobs':>4} {'files':>6} {'MB':>6} {'s':>6} {'files/s':>7} "
        f"{'MB/s':>5} {'RSS MiB':>7}"
    )
    for label, jobs, files, mb, secs, mbps, rss in rows:
        print(
            f"{label[-32:]:<32} {jobs or 'auto':>4} {files:>6} {mb:>6.2f} {secs:>6.2f} "
            f"{files / secs:>7.0f} {mbps:>5.2f} {rss:>7.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
