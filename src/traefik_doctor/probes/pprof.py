"""Go's ``net/http/pprof``: goroutine count and heap in use, sampled over a window.

Only addresses the user gives (``--pprof URL``) or the Go facts point at are read. Two text
endpoints, both with ``debug=1``:

* ``/debug/pprof/goroutine?debug=1`` starts with ``goroutine profile: total N``; only the
  first line is read (at most ``first_line_bytes``), then the connection is dropped.
* ``/debug/pprof/heap?debug=1`` ends with the ``runtime.MemStats`` comment block, which
  holds ``# HeapInuse = N`` (bytes); the body is read up to ``max_bytes``.

Sampling ``samples`` times ``interval`` seconds apart gives the counts and their growth: the
least-squares slope per second, and whether every step grew.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from traefik_doctor.probes.metrics import fetch_text, make_client
from traefik_doctor.probes.result import ProbeResult

DEFAULT_SAMPLES = 3
MAX_SAMPLES = 20
DEFAULT_INTERVAL = 1.0
MAX_INTERVAL = 30.0
DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
FIRST_LINE_BYTES = 4096

_GOROUTINES = re.compile(r"^goroutine profile: total (\d+)")
_HEAP_INUSE = re.compile(r"^# HeapInuse = (\d+)\s*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class PprofSample:
    at: float  # seconds since the first sample started
    goroutines: int | None
    heap_inuse: int | None  # bytes


@dataclass(frozen=True, slots=True)
class PprofSeries:
    """What ``samples`` reads of one Go process's pprof say."""

    base: str  # http://127.0.0.1:6060/debug/pprof
    samples: tuple[PprofSample, ...]

    @property
    def window(self) -> float:
        return self.samples[-1].at - self.samples[0].at if len(self.samples) > 1 else 0.0

    def goroutines(self) -> list[int]:
        return [s.goroutines for s in self.samples if s.goroutines is not None]

    def heap(self) -> list[int]:
        return [s.heap_inuse for s in self.samples if s.heap_inuse is not None]

    def goroutine_slope(self) -> float | None:
        """Goroutines per second (least squares), None with fewer than two samples."""
        return slope([(s.at, s.goroutines) for s in self.samples if s.goroutines is not None])

    def heap_slope(self) -> float | None:
        """Heap bytes in use per second (least squares)."""
        return slope([(s.at, s.heap_inuse) for s in self.samples if s.heap_inuse is not None])


def slope(points: list[tuple[float, int]]) -> float | None:
    if len(points) < 2:
        return None
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    den = sum((x - mean_x) ** 2 for x, _ in points)
    if den == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / den


def grows_every_step(values: list[int], margin: float) -> bool:
    """True when there are at least two values and each one exceeds the previous by more
    than ``margin``."""
    return len(values) >= 2 and all(b - a > margin for a, b in itertools.pairwise(values))


def parse_goroutines(text: str) -> int | None:
    match = _GOROUTINES.match(text.lstrip())
    return int(match.group(1)) if match else None


def parse_heap_inuse(text: str) -> int | None:
    found = _HEAP_INUSE.findall(text)
    return int(found[-1]) if found else None


def pprof_base(url: str) -> str:
    """``http://h:p``, ``http://h:p/``, ``http://h:p/debug/pprof/`` or a profile's URL ->
    ``http://h:p/debug/pprof`` (a prefix before ``/debug/pprof`` is kept)."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    path = parts.path
    index = path.find("/debug/pprof")
    path = path[:index] if index >= 0 else path.rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, f"{path}/debug/pprof", "", ""))


async def sample_pprof(
    url: str,
    *,
    samples: int = DEFAULT_SAMPLES,
    interval: float = DEFAULT_INTERVAL,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[ProbeResult, PprofSeries | None]:
    """Read goroutines and heap ``samples`` times (at most ``MAX_SAMPLES``), ``interval``
    seconds apart (at most ``MAX_INTERVAL``); each read bounded by ``timeout`` and bytes.
    The first failed read ends the probe with its reason (no retry)."""
    samples = min(max(samples, 1), MAX_SAMPLES)
    interval = min(max(interval, 0.0), MAX_INTERVAL)
    base = pprof_base(url)
    goroutine_url = f"{base}/goroutine?debug=1"
    heap_url = f"{base}/heap?debug=1"
    started = time.monotonic()
    taken: list[PprofSample] = []
    phases: dict[str, float] = {}
    client = make_client(timeout)
    try:
        for index in range(samples):
            if index:
                next_at = started + index * interval
                await asyncio.sleep(max(next_at - time.monotonic(), 0.0))
            at = time.monotonic() - started
            g_result, g_text = await fetch_text(
                client,
                goroutine_url,
                probe="pprof",
                timeout=timeout,
                max_bytes=FIRST_LINE_BYTES,
                stop_at_newline=True,
            )
            if g_text is None:
                return g_result, None
            goroutines = parse_goroutines(g_text)
            if goroutines is None:
                return _not_pprof(g_result, "no `goroutine profile: total N` first line"), None
            h_result, h_text = await fetch_text(
                client, heap_url, probe="pprof", timeout=timeout, max_bytes=max_bytes
            )
            if h_text is None:
                return h_result, None
            heap = parse_heap_inuse(h_text)
            if heap is None:
                return _not_pprof(h_result, "no `# HeapInuse = N` line in the heap profile"), None
            phases[f"sample{index + 1}"] = g_result.duration + h_result.duration
            taken.append(PprofSample(at, goroutines, heap))
    finally:
        await client.aclose()
    series = PprofSeries(base, tuple(taken))
    result = ProbeResult(
        probe="pprof",
        target=f"GET {base}/{{goroutine,heap}}?debug=1 x{samples}",
        success=True,
        duration=time.monotonic() - started,
        phases=phases,
        observations={
            "goroutines": series.goroutines(),
            "heap_inuse": series.heap(),
            "window": series.window,
        },
    )
    return result, series


def _not_pprof(result: ProbeResult, detail: str) -> ProbeResult:
    return ProbeResult(
        probe=result.probe,
        target=result.target,
        success=False,
        duration=result.duration,
        phases=result.phases,
        failure="not_pprof",
        detail=f"not Go's pprof text output: {detail}",
        observations=result.observations,
    )
