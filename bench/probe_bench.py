"""Benchmark: ``traefik-doctor probe`` on N routers through one real Traefik, against the usual
shell-script approach (one ``curl`` per route, one after another) in the same run (issue 5).

It generates a project in a temporary directory: ``traefik.yml`` (entry point ``web`` and the
insecure API on free loopback ports, the file provider, a JSON access log that keeps
``X-Diag-Id``) and ``dynamic/*.yml`` with N routers (``Host``; ``Host && PathPrefix`` behind a
``stripPrefix``; host-less ``Path``; ``Host && Method(POST) && Header``; ``Host || Host`` with a
``PathPrefix``; ``Host && Path && Query``) over four services whose servers are a few asyncio
backends on loopback (two services with a ``healthCheck`` path). It starts the real Traefik
(``.venv/bin/traefik``), waits until the API lists every router and every server is up, then:

- times ``traefik-doctor probe PROJECT --format json`` as a subprocess (the real CLI, static
  ``check`` included), ``--repeat`` times; the sanity check: the JSON has no LIVE finding and
  the access log received one request with a distinct ``X-Diag-Id`` per router;
- times a generated bash script that does the same checks one by one with ``curl``: one
  request per router (same method, ``Host``, headers and ``X-Diag-Id``), ``/api/http/routers``,
  ``/api/http/services`` and each backend's health path; its sanity check: every answer is 200.

It prints a table and a one-line summary with the ratio curl/probe. When the probe's median is
over the 10 s target, or with ``--profile``, it runs the probe three more times to say where
the time goes: wall time per phase (check, plan, probing, diagnose, report), imports (``python
-X importtime``, summed per module) and the functions with the most own time (cProfile). Every
process and server it starts is stopped in ``finally`` blocks, also on Ctrl-C; every address is
127.0.0.1.

Run: ``.venv/bin/python bench/probe_bench.py [--routers 1000] [--repeat 3] [--profile]``

Measured (2 vCPUs shared with other test runs, load average 1.5-3, Python 3.11, Traefik
3.7.15, 1,000 routers, median of 3, two sessions): ``probe`` 2.65 / 2.96 s, curl one by one
6.43 / 8.24 s, ratio 2.4x / 2.8x. Before ``probes/http.py`` dropped keep-alive and the failing
``import sniffio`` (the code of commit 5dbd449, same sessions): ``probe`` 6.11 / 6.38 s, curl
6.81 / 8.27 s, ratio 1.1x / 1.3x; 5.5 s of it was probing, most of that in httpcore's
connection-pool bookkeeping over 32 kept-alive connections and 14,600 failed imports.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import pstats
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from traefik_lab import Running, free_port, run_traefik, wait_for_api

BIN = Path(sys.executable).parent
TARGET_SECONDS = 10.0
DOMAIN = "bench.test"
HEALTH_PATHS = {"svc-0": "/healthz", "svc-1": "/health/ready"}


# -- backends -------------------------------------------------------------------------------


class Backends:
    """``count`` HTTP/1.1 keep-alive servers on 127.0.0.1 in one asyncio loop on a thread:
    every request gets ``200 ok`` (Traefik's connections are kept alive, so a thread per
    connection is not needed and 1,000s of requests cost milliseconds)."""

    RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n"

    def __init__(self, count: int) -> None:
        self.count = count
        self.ports: list[int] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    def __enter__(self) -> Backends:
        self._thread = threading.Thread(target=self._main, name="bench-backends", daemon=True)
        self._thread.start()
        if not self._ready.wait(10) or self._error is not None:
            self.close()
            raise RuntimeError(f"the backends did not start: {self._error}")
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop has just finished
                self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported by __enter__
            self._error = exc
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        servers = []
        try:
            for _ in range(self.count):
                server = await asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=1024)
                servers.append(server)
                self.ports.append(int(server.sockets[0].getsockname()[1]))
            self._ready.set()
            await self._stop.wait()
        finally:
            for server in servers:
                server.close()
            # Handlers still on an idle keep-alive connection are cancelled by asyncio.run.

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lowered = head.lower()
                length = 0
                for line in lowered.split(b"\r\n"):
                    if line.startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                if length:
                    await reader.readexactly(length)
                elif b"transfer-encoding: chunked" in lowered:
                    await reader.readuntil(b"0\r\n\r\n")
                writer.write(self.RESPONSE)
                await writer.drain()
                if b"connection: close" in lowered:
                    break
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()


# -- the generated project ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Route:
    """One router and the request that exercises it (what ``probe`` synthesizes, too)."""

    name: str
    rule: str
    service: str
    method: str = "GET"
    host: str | None = None
    path: str = "/"
    headers: tuple[tuple[str, str], ...] = ()
    middlewares: tuple[str, ...] = ()


def routes(count: int) -> list[Route]:
    """``count`` routers, six shapes in turn, spread over four services."""
    out = []
    for i in range(count):
        host = f"h{i}.{DOMAIN}"
        service = f"svc-{i % 4}"
        name = f"r{i:05d}"
        kind = i % 6
        if kind == 0:
            out.append(Route(name, f"Host(`{host}`)", service, host=host))
        elif kind == 1:
            prefix = f"/api/v{i}"
            out.append(
                Route(
                    name,
                    f"Host(`{host}`) && PathPrefix(`{prefix}`)",
                    service,
                    host=host,
                    path=prefix,
                    middlewares=("strip-api",),
                )
            )
        elif kind == 2:
            path = f"/p/{i}/status"
            out.append(Route(name, f"Path(`{path}`)", service, path=path))
        elif kind == 3:
            rule = f"Host(`{host}`) && Method(`POST`) && Header(`X-Tenant`, `t{i}`)"
            out.append(
                Route(name, rule, service, "POST", host, "/", headers=(("X-Tenant", f"t{i}"),))
            )
        elif kind == 4:
            rule = f"(Host(`{host}`) || Host(`www.{host}`)) && PathPrefix(`/v1`)"
            out.append(Route(name, rule, service, host=host, path="/v1"))
        else:
            rule = f"Host(`{host}`) && Path(`/items`) && Query(`page`, `{i}`)"
            out.append(Route(name, rule, service, host=host, path=f"/items?page={i}"))
    return out


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return json.dumps(text)


def write_project(
    root: Path, run: Path, table: list[Route], backend_ports: Sequence[int], files: int
) -> tuple[int, int]:
    """Write ``traefik.yml`` and ``dynamic/``; returns (web port, API port)."""
    web, api = free_port(), free_port()
    while api == web:
        api = free_port()
    (root / "dynamic").mkdir(parents=True)
    (root / "traefik.yml").write_text(
        "global: {checkNewVersion: false, sendAnonymousUsage: false}\n"
        "entryPoints:\n"
        f'  web: {{address: "127.0.0.1:{web}"}}\n'
        f'  traefik: {{address: "127.0.0.1:{api}"}}\n'
        "api: {insecure: true}\n"
        f"log: {{level: ERROR, noColor: true, filePath: {_q(str(run / 'traefik.log'))}}}\n"
        "accessLog:\n"
        f"  filePath: {_q(str(run / 'access.json'))}\n"
        "  format: json\n"
        "  fields: {headers: {names: {X-Diag-Id: keep}}}\n"
        "providers:\n"
        "  file: {directory: dynamic}\n",
        encoding="utf-8",
    )
    per_file = max(1, -(-len(table) // max(1, files)))
    for index in range(0, len(table), per_file):
        lines = ["http:", "  routers:"]
        for route in table[index : index + per_file]:
            lines += [
                f"    {route.name}:",
                "      entryPoints: [web]",
                f"      rule: {_q(route.rule)}",
                f"      service: {route.service}",
            ]
            if route.middlewares:
                lines.append(f"      middlewares: [{', '.join(route.middlewares)}]")
        name = f"routers-{index // per_file:03d}.yml"
        (root / "dynamic" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    ports = list(backend_ports)
    lines = ["http:", "  middlewares:", "    strip-api:", "      stripPrefix:"]
    lines += ["        prefixes: [/api]", "  services:"]
    for k in range(4):
        service = f"svc-{k}"
        # svc-0 and svc-2 balance over every backend, svc-1 and svc-3 use one.
        servers = ports if k % 2 == 0 else [ports[k % len(ports)]]
        lines += [f"    {service}:", "      loadBalancer:"]
        if service in HEALTH_PATHS:
            lines += [
                "        healthCheck:",
                f"          path: {HEALTH_PATHS[service]}",
                "          interval: 10s",
                "          timeout: 2s",
            ]
        lines.append("        servers:")
        lines += [f'          - url: "http://127.0.0.1:{port}"' for port in servers]
    (root / "dynamic" / "services.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return web, api


def health_targets(backend_ports: Sequence[int]) -> list[str]:
    """The health URLs ``probe`` checks directly: one per (service with a path, server)."""
    ports = list(backend_ports)
    out = []
    for k in range(4):
        service = f"svc-{k}"
        if service not in HEALTH_PATHS:
            continue
        servers = ports if k % 2 == 0 else [ports[k % len(ports)]]
        out += [f"http://127.0.0.1:{port}{HEALTH_PATHS[service]}" for port in servers]
    return out


def wait_loaded(traefik: Running, count: int, timeout: float = 60.0) -> float:
    """Wait until the API lists ``count`` enabled file routers and every server is UP;
    returns the seconds waited."""
    start = time.monotonic()
    deadline = start + timeout
    while time.monotonic() < deadline:
        if not traefik.alive():
            raise RuntimeError(f"Traefik exited:\n{traefik.log()[-2000:]}")
        try:
            routers = traefik.get("/api/http/routers?per_page=100000")
            services = traefik.get("/api/http/services?per_page=100000")
        except (OSError, ValueError):
            time.sleep(0.05)
            continue
        enabled = sum(
            1 for r in routers if r["name"].endswith("@file") and r.get("status") == "enabled"
        )
        servers_up = all(
            status == "UP"
            for s in services
            if s["name"].endswith("@file")
            for status in (s.get("serverStatus") or {"?": "UP"}).values()
        )
        if enabled >= count and servers_up:
            return time.monotonic() - start
        time.sleep(0.05)
    raise RuntimeError(f"Traefik did not load {count} routers in {timeout:g} s")


# -- the access log -------------------------------------------------------------------------


def log_size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def diag_ids_since(path: Path, offset: int, settle: float = 0.5) -> dict[str, int]:
    """Distinct ``X-Diag-Id`` values logged after byte ``offset`` -> their DownstreamStatus.

    Traefik writes a record when the response ends; wait until the file stops growing."""
    last, still = -1, time.monotonic()
    while time.monotonic() - still < settle:
        size = log_size(path)
        if size != last:
            last, still = size, time.monotonic()
        time.sleep(0.05)
    out: dict[str, int] = {}
    with path.open("rb") as handle:
        handle.seek(offset)
        for raw in handle:
            with contextlib.suppress(ValueError):
                record = json.loads(raw)
                diag = record.get("request_X-Diag-Id")
                if isinstance(diag, str):
                    out[diag] = int(record.get("DownstreamStatus", 0))
    return out


# -- the two approaches ---------------------------------------------------------------------


@dataclass(slots=True)
class Timing:
    label: str
    times: list[float] = field(default_factory=list)
    requests: int = 0
    sane: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")


def probe_command(project: Path) -> list[str]:
    return [str(BIN / "traefik-doctor"), "probe", str(project), "--format", "json"]


def run_timed(command: Sequence[str]) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    """Run ``command`` in its own process group; (wall seconds, result). On the way out (also
    on Ctrl-C) the whole group is killed: a ``curl`` still running under the killed ``bash``
    would otherwise outlive the bench."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate()
        elapsed = time.perf_counter() - start
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return elapsed, subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def time_probe(project: Path, access_log: Path, count: int, repeat: int) -> Timing:
    timing = Timing("traefik-doctor probe")
    for _ in range(repeat):
        offset = log_size(access_log)
        elapsed, done = run_timed(probe_command(project))
        timing.times.append(elapsed)
        ids = diag_ids_since(access_log, offset)
        try:
            report = json.loads(done.stdout)
            live = [f for f in report["findings"] if str(f["code"]).startswith("LIVE")]
        except (ValueError, KeyError, TypeError):
            timing.sane = False
            timing.notes.append(
                f"exit {done.returncode}, no JSON: {done.stderr[-500:].decode(errors='replace')}"
            )
            continue
        ok = sum(1 for status in ids.values() if status == 200)
        timing.requests = len(ids)
        if live:
            timing.sane = False
            shown = "; ".join(f"{f['code']} {f['message'][:120]}" for f in live[:3])
            timing.notes.append(f"{len(live)} LIVE findings on healthy routes: {shown}")
        if len(ids) != count or ok != count:
            timing.sane = False
            timing.notes.append(
                f"the access log got {len(ids)} X-Diag-Id requests ({ok} answered 200),"
                f" expected {count}"
            )
        stderr = done.stderr.decode("utf-8", "replace").strip()
        if stderr:
            timing.notes.append(f"probe stderr: {stderr[:300]}")
    return timing


def curl_script(table: list[Route], web: int, api: int, health: list[str]) -> str:
    """The usual shell script: every check one after another, one curl each."""
    fmt = shlex.quote("%{http_code}\n")
    base = f"curl -s -o /dev/null -w {fmt} --max-time 5"
    lines = [
        "#!/usr/bin/env bash",
        "# Generated by bench/probe_bench.py: check every route with curl, one by one.",
        "set -u",
        f"{base} 'http://127.0.0.1:{api}/api/http/routers?per_page=100000'",
        f"{base} 'http://127.0.0.1:{api}/api/http/services?per_page=100000'",
    ]
    lines += [f"{base} {shlex.quote(url)}" for url in health]
    for number, route in enumerate(table):
        args = [] if route.method == "GET" else ["-X", route.method]
        if route.host:
            args += ["-H", f"Host: {route.host}"]
        args += [item for name, value in route.headers for item in ("-H", f"{name}: {value}")]
        args += ["-H", f"X-Diag-Id: curl-{number}", f"http://127.0.0.1:{web}{route.path}"]
        lines.append(f"{base} {shlex.join(args)}")
    return "\n".join(lines) + "\n"


def time_curl(script: Path, access_log: Path, count: int, repeat: int) -> Timing:
    timing = Timing("curl one by one (bash)")
    for _ in range(repeat):
        offset = log_size(access_log)
        elapsed, done = run_timed(["bash", str(script)])
        timing.times.append(elapsed)
        codes = done.stdout.decode("ascii", "replace").split()
        ids = diag_ids_since(access_log, offset)
        timing.requests = len(codes)
        bad = [code for code in codes if code != "200"]
        if done.returncode != 0 or bad or len(ids) != count:
            timing.sane = False
            timing.notes.append(
                f"curl: exit {done.returncode}, {len(bad)} non-200 answers"
                f" ({sorted(set(bad))[:5]}), {len(ids)} X-Diag-Id requests logged"
            )
    return timing


# -- where the probe's time goes ------------------------------------------------------------


PHASES = (
    ("traefik_doctor.engine", "run_check", "check (run_check: load + static rules)"),
    ("traefik_doctor.live.plan", "build_plan", "plan (build_plan)"),
    ("traefik_doctor.live.run", "run_plan", "probing (run_plan), of which:"),
    ("traefik_doctor.live.run", "wait_settled", "  waiting for the API to settle"),
    ("traefik_doctor.live.run", "read_api", "  reading the API"),
    ("traefik_doctor.live.run", "_read_log", "  reading the access log"),
    ("traefik_doctor.live.diagnose", "diagnose", "diagnose"),
    ("traefik_doctor.probe_command", "_report", "report"),
)
"""(module, function, label) whose wall time ``profile_probe`` measures; a name the code no
longer has is skipped (the live modules change often)."""

_PHASE_DRIVER = """
import asyncio, importlib, json, sys, time
started = time.perf_counter()
spent = {}
def wrap(module_name, attr, label):
    try:
        module = importlib.import_module(module_name)
        original = getattr(module, attr)
    except (ImportError, AttributeError):
        return
    if asyncio.iscoroutinefunction(original):
        async def timed(*args, **kwargs):
            begin = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - begin
    else:
        def timed(*args, **kwargs):
            begin = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - begin
    setattr(module, attr, timed)
for spec in json.loads(sys.argv.pop(1)):
    wrap(*spec)
spent["imports of those modules"] = time.perf_counter() - started
from traefik_doctor.cli import main
try:
    code = main(sys.argv[1:])
finally:
    sys.stderr.write("PHASES " + json.dumps(spent) + "\\n")
sys.exit(code)
"""


def profile_probe(project: Path, out: Path, top: int = 12) -> list[str]:
    """Where one probe run's time goes: wall time per phase (the phase functions wrapped in a
    driver process), imports (``python -X importtime``, summed per module, so a failing import
    repeated at run time shows up) and the functions with the most own time (cProfile)."""
    lines: list[str] = []
    python = str(BIN / "python")
    cli = probe_command(project)[1:]

    wall, done = run_timed([python, "-c", _PHASE_DRIVER, json.dumps(PHASES), *cli])
    spent: dict[str, float] = {}
    for raw in done.stderr.decode("utf-8", "replace").splitlines():
        if raw.startswith("PHASES "):
            spent = json.loads(raw.removeprefix("PHASES "))
    lines.append(f"phases (wall clock, one run of {wall:.2f} s):")
    for label in ["imports of those modules", *(label for _, _, label in PHASES)]:
        if label in spent:
            lines.append(f"  {spent[label]:7.3f} s  {label}")
    outer = [label for _, _, label in PHASES if not label.startswith(" ")]
    rest = wall - sum(spent.get(label, 0.0) for label in ["imports of those modules", *outer])
    lines.append(f"  {rest:7.3f} s  the rest (interpreter start, CLI, settings, exit)")

    _, done = run_timed([python, "-X", "importtime", "-m", "traefik_doctor", *cli])
    per_module: dict[str, list[int]] = {}
    for raw in done.stderr.decode("utf-8", "replace").splitlines():
        # ``import time:  self |  cumulative | <2 spaces per nesting level>name``
        parts = raw.removeprefix("import time:").split("|")
        if not raw.startswith("import time:") or len(parts) != 3 or "cumulative" in raw:
            continue
        name = parts[2]
        if len(name) - len(name.lstrip()) == 1:  # not nested in another import
            per_module.setdefault(name.strip(), []).append(int(parts[1]))
    ranked = sorted(per_module.items(), key=lambda item: sum(item[1]), reverse=True)
    total = sum(sum(times) for times in per_module.values())
    lines.append(f"imports (python -X importtime): {total / 1e6:.2f} s, the most costly:")
    for name, times in ranked[: top // 2]:
        count = f" ({len(times)} times)" if len(times) > 1 else ""
        lines.append(f"  {sum(times) / 1e6:7.3f} s  {name}{count}")

    stats_file = out / "probe.prof"
    run_timed([python, "-m", "cProfile", "-o", str(stats_file), "-m", "traefik_doctor", *cli])
    table: dict[Any, Any] = pstats.Stats(str(stats_file)).stats  # type: ignore[attr-defined]
    by_own = sorted(table.items(), key=lambda item: item[1][2], reverse=True)
    lines.append(f"top {top} functions by own time (cProfile):")
    for (filename, line, function), (_, calls, own, cumulative, _) in by_own[:top]:
        where = f"{Path(filename).parent.name}/{Path(filename).name}:{line}"
        lines.append(f"  {own:7.3f} s own {cumulative:7.3f} s cum {calls:8d}x  {function} {where}")
    return lines


# -- main -----------------------------------------------------------------------------------


@dataclass(slots=True)
class BenchResult:
    routers: int
    load_seconds: float
    probe: Timing
    curl: Timing
    profile: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.curl.median / self.probe.median

    @property
    def sane(self) -> bool:
        return self.probe.sane and self.curl.sane


def run_bench(routers: int, repeat: int, backends: int, files: int, profile: bool) -> BenchResult:
    table = routes(routers)
    with tempfile.TemporaryDirectory(prefix="probe-bench-") as tmp:
        base = Path(tmp)
        project, run = base / "project", base / "run"
        project.mkdir()
        run.mkdir()
        with Backends(backends) as servers:
            web, api = write_project(project, run, table, servers.ports, files)
            health = health_targets(servers.ports)
            script = base / "curl-checks.sh"
            script.write_text(curl_script(table, web, api, health), encoding="utf-8")
            access_log = run / "access.json"
            started = time.monotonic()
            with run_traefik(project / "traefik.yml", run, api, cwd=project) as traefik:
                if not wait_for_api(traefik):
                    raise RuntimeError(f"Traefik's API did not answer:\n{traefik.log()[-2000:]}")
                wait_loaded(traefik, routers)
                loaded = time.monotonic() - started
                probe = time_probe(project, access_log, routers, repeat)
                curl = time_curl(script, access_log, routers, repeat)
                result = BenchResult(routers, loaded, probe, curl)
                if profile or probe.median > TARGET_SECONDS:
                    result.profile = profile_probe(project, base)
    return result


def print_result(result: BenchResult, repeat: int) -> None:
    print(
        f"routers: {result.routers:,}; Traefik started and loaded them in"
        f" {result.load_seconds:.2f} s"
    )
    print()
    print("| approach | requests per run | median wall | runs | sanity |")
    print("|---|---|---|---|---|")
    for timing in (result.probe, result.curl):
        runs = ", ".join(f"{t:.2f}" for t in timing.times)
        print(
            f"| {timing.label} | {timing.requests:,} | {timing.median:.2f} s | {runs} |"
            f" {'ok' if timing.sane else 'FAILED'} |"
        )
    for timing in (result.probe, result.curl):
        for note in dict.fromkeys(timing.notes):
            print(f"note: {timing.label}: {note}")
    if result.profile:
        print()
        print("\n".join(result.profile))
    print()
    verdict = "met" if result.probe.median <= TARGET_SECONDS else "MISSED"
    print(
        f"{result.routers:,} routers: probe {result.probe.median:.2f} s (target"
        f" {TARGET_SECONDS:g} s: {verdict}), curl one by one {result.curl.median:.2f} s,"
        f" ratio curl/probe {result.ratio:.1f}x; sanity {'ok' if result.sane else 'FAILED'};"
        f" median of {repeat}, {os.cpu_count()} CPUs"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time `traefik-doctor probe` on N routers through the real Traefik, and the"
        " same checks done one by one with curl (issue 5)."
    )
    parser.add_argument("--routers", type=int, default=1000, help="routers to generate (1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each approach (3)")
    parser.add_argument("--backends", type=int, default=2, help="loopback backend servers (2)")
    parser.add_argument("--files", type=int, default=10, help="dynamic files for the routers")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile one probe run (automatic when the median is over 10 s)",
    )
    args = parser.parse_args(argv)
    if args.routers < 1 or args.repeat < 1 or args.backends < 1 or args.files < 1:
        parser.error("--routers, --repeat, --backends and --files must be at least 1")
    result = run_bench(args.routers, args.repeat, args.backends, args.files, args.profile)
    print_result(result, args.repeat)
    return 0 if result.sane else 1


@contextlib.contextmanager
def _quiet_interrupt() -> Iterator[None]:
    """Ctrl-C: the ``finally`` blocks have stopped everything; exit 130 without a traceback."""
    try:
        yield
    except KeyboardInterrupt:
        print("interrupted; every process started here was stopped", file=sys.stderr)
        raise SystemExit(130) from None


if __name__ == "__main__":
    with _quiet_interrupt():
        raise SystemExit(main())
