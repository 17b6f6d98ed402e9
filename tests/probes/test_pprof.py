"""The pprof probe: parsing Go's text profiles, growth over samples, hostile endpoints, and a
real Go service that leaks goroutines (LIVE014) next to a steady one (nothing)."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest
from hostile import HostileServer

from golab import http_get, run_process, session_build, wait_http
from traefik_doctor.live.metrics_diagnose import Thresholds, diagnose_pprof
from traefik_doctor.probes.pprof import (
    PprofSample,
    PprofSeries,
    grows_every_step,
    parse_goroutines,
    parse_heap_inuse,
    pprof_base,
    sample_pprof,
    slope,
)
from traefik_lab import free_port

HEAP_TAIL = """\
heap profile: 3: 24576 [10: 81920] @ heap/1048576
1: 8192 [1: 8192] @ 0x40c5a5 0x4
#	0x40c5a4	runtime.malg+0x24	/usr/lib/go-1.19/src/runtime/proc.go:4269

# runtime.MemStats
# Alloc = 1234567
# TotalAlloc = 2345678
# Sys = 12345678
# HeapAlloc = 1234567
# HeapSys = 7864320
# HeapIdle = 5000000
# HeapInuse = 2826240
# HeapReleased = 4000000
# NumGC = 3
"""


def test_parse_profiles() -> None:
    assert parse_goroutines("goroutine profile: total 1234\n5 @ 0x1\n") == 1234
    assert parse_goroutines("<html>") is None
    assert parse_heap_inuse(HEAP_TAIL) == 2826240
    assert parse_heap_inuse("heap profile: 0: 0 [0: 0] @ heap/1\n") is None


def test_base_url() -> None:
    assert pprof_base("http://127.0.0.1:6060") == "http://127.0.0.1:6060/debug/pprof"
    assert pprof_base("127.0.0.1:6060/") == "http://127.0.0.1:6060/debug/pprof"
    assert pprof_base("http://h:1/debug/pprof/") == "http://h:1/debug/pprof"
    assert pprof_base("http://h:1/app/debug/pprof/heap?debug=1") == "http://h:1/app/debug/pprof"


def test_growth_and_thresholds() -> None:
    assert grows_every_step([100, 200, 300], 10)
    assert not grows_every_step([100, 200, 205], 10)
    assert not grows_every_step([100], 10)
    assert slope([(0.0, 100), (1.0, 200), (2.0, 300)]) == pytest.approx(100.0)
    steady = PprofSeries(
        "http://h/debug/pprof",
        tuple(PprofSample(float(i), 12_000, 10 << 20) for i in range(3)),
    )
    found = diagnose_pprof(steady)
    assert [d.code for d in found] == ["LIVE014"]  # above 10,000, not growing
    assert "above the 10,000 threshold" in found[0].message
    heap = PprofSeries(
        "http://h/debug/pprof",
        tuple(PprofSample(float(i), 10, (10 + 5 * i) << 20) for i in range(3)),
    )
    found = diagnose_pprof(heap)
    assert [d.code for d in found] == ["LIVE015"]
    assert "10.0 MiB -> 15.0 MiB -> 20.0 MiB" in found[0].evidence[1].text


@pytest.mark.parametrize(
    ("mode", "failures"),
    [
        ("silent", {"timeout"}),
        ("drip", {"timeout"}),
        ("endless", {"body_too_large", "not_pprof"}),
        ("garbage", {"not_http"}),
        ("redirect", {"status_code"}),
    ],
)
def test_hostile_endpoints(mode: str, failures: set[str]) -> None:
    with HostileServer(mode) as server:
        started = time.monotonic()
        result, series = asyncio.run(sample_pprof(server.url, samples=3, timeout=1.0))
        elapsed = time.monotonic() - started
    assert series is None and not result.success
    assert result.failure in failures, (result.failure, result.detail)
    assert elapsed < 2.0


GO_LEAK = """\
package main

import (
	"net/http"
	_ "net/http/pprof"
	"os"
)

var hold [][]byte
var block = make(chan struct{})

func main() {
	http.HandleFunc("/leak", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 100; i++ {
			go func() { <-block }()
		}
		hold = append(hold, make([]byte, 1<<20))
		w.Write([]byte("leaked\\n"))
	})
	http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil)
}
"""


@pytest.mark.go
def test_real_go_leak_and_steady(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    src = tmp_path / "leaky"
    src.mkdir()
    (src / "go.mod").write_text("module leaky\n\ngo 1.19\n", encoding="utf-8")
    (src / "main.go").write_text(GO_LEAK, encoding="utf-8")
    binary = session_build(src, tmp_path_factory)
    leaky_port, steady_port = free_port(), free_port()
    with (
        run_process([str(binary)], tmp_path / "leaky.out", env={"PORT": str(leaky_port)}) as a,
        run_process([str(binary)], tmp_path / "steady.out", env={"PORT": str(steady_port)}) as b,
    ):
        deadline = time.monotonic() + 10
        assert wait_http(f"http://127.0.0.1:{leaky_port}/debug/pprof/", deadline), a.output()
        assert wait_http(f"http://127.0.0.1:{steady_port}/debug/pprof/", deadline), b.output()
        stop = threading.Event()

        def leak() -> None:
            while not stop.is_set():
                assert http_get(leaky_port, "/leak").status == 200
                time.sleep(0.05)

        leaker = threading.Thread(target=leak)
        started = time.monotonic()
        leaker.start()
        try:

            async def both() -> tuple[object, object]:
                return await asyncio.gather(
                    sample_pprof(f"http://127.0.0.1:{leaky_port}", samples=3, interval=0.5),
                    sample_pprof(f"http://127.0.0.1:{steady_port}/", samples=3, interval=0.5),
                )

            leaky_run, steady_run = asyncio.run(both())
        finally:
            stop.set()
            leaker.join(timeout=5)
        elapsed = time.monotonic() - started
    assert isinstance(leaky_run, tuple) and isinstance(steady_run, tuple)
    leaky_result, leaky = leaky_run
    steady_result, steady = steady_run
    assert isinstance(leaky, PprofSeries), leaky_result
    assert isinstance(steady, PprofSeries), steady_result

    counts = leaky.goroutines()
    assert len(counts) == 3 and counts[0] < counts[1] < counts[2], counts
    assert leaky.window == pytest.approx(1.0, abs=0.6)
    found = diagnose_pprof(leaky, Thresholds())
    codes = [d.code for d in found]
    assert "LIVE014" in codes, (counts, leaky.heap())
    live014 = next(d for d in found if d.code == "LIVE014")
    assert "grew by more than 10 on every sample" in live014.message
    assert "goroutine profile: total" in live014.evidence[1].text
    heap = leaky.heap()
    assert heap[0] < heap[1] < heap[2], heap  # 1 MiB kept per /leak call
    assert "LIVE015" in codes, heap

    assert diagnose_pprof(steady, Thresholds()) == [], (steady.goroutines(), steady.heap())
    assert steady.goroutines()[0] < 50
    assert elapsed < 10
