"""Differential test: ``RoutingTable.route`` against the real Traefik 3.7 binary.

Random router sets (seeded) go through both. Each set runs in its own Traefik process (file
provider, JSON access log keeping the ``X-Diag-Id`` request header); a Python backend on
loopback answers 200 for every service. Every request carries a unique ``X-Diag-Id``; the
access log's ``RouterName`` says which router won (absent: Traefik's own 404). Our result must
agree exactly, except that where we report ``ambiguous`` any of the co-matching routers is
accepted (Traefik's tie-break changes between starts).

The generator is built for near-misses: routers and requests draw hosts and paths from the
same small pools, and requests then mutate them (case, ports in Host, trailing dots and
slashes, prefix boundaries ``/api`` vs ``/apix`` vs ``/api/``, percent-encoding, dot
segments, double slashes, other methods, headers and queries).

Sizes: ``ROUTING_DIFF_SETS`` (default 60) sets and ``ROUTING_DIFF_REQUESTS`` (default 2,400)
requests in all (above 20,000 requests, one set per 400 requests); ``ROUTING_DIFF_SEED``
fixes the seed (default: random, printed on failure); ``ROUTING_DIFF_PARALLEL`` Traefik
processes at once (default 4); ``ROUTING_DIFF_REPORT`` a file to write the summary line to.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import ssl
import sys
import threading
import time
import urllib.error
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from traefik_doctor.loaders.project import load_project
from traefik_doctor.routing import Request, RoutingTable
from traefik_lab import free_port, run_traefik, wait_for_api

pytestmark = [pytest.mark.traefik, pytest.mark.slow]

HOSTS = ["a.test", "b.test", "api.a.test", "x.b.test", "deep.api.a.test", "A.test"]
WILD = ["*.a.test", "*.b.test", "*"]
PATHS = ["/", "/api", "/api/", "/apix", "/api/v1", "/api/v1/users", "/static", "/st", "/café"]
PATHS += ["/foo bar", "/a/b", "/admin", "/api/v2"]
METHODS = ["GET", "POST", "PUT", "DELETE"]
REGEXPS_HOST = [r"^[a-z]+\.a\.test$", r"^api\.", r"b\.test$", r"^(a|b)\.test$"]
REGEXPS_PATH = [r"^/api/v[0-9]+", r"^/api$", r"/users$", r"^/(static|st)(/|$)", r"(?i)^/ADMIN"]


# -- the backend --------------------------------------------------------------------------


class _Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(b"ok")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer  # noqa: N815 (http.server names)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="module")
def backend() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


# -- generation ---------------------------------------------------------------------------


def _lit(text: str) -> str:
    return f"`{text}`"


def _matcher_v3(rng: random.Random) -> str:
    kind = rng.choices(
        [
            *("Host", "HostW", "HostRegexp", "Path", "PathPrefix", "PathRegexp", "Method"),
            *("Header", "HeaderRegexp", "Query", "QueryRegexp", "ClientIP"),
        ],
        weights=[30, 5, 4, 12, 30, 5, 6, 4, 2, 4, 2, 2],
    )[0]
    if kind == "Host":
        return f"Host({_lit(rng.choice(HOSTS))})"
    if kind == "HostW":
        return f"Host({_lit(rng.choice(WILD))})"
    if kind == "HostRegexp":
        return f"HostRegexp({_lit(rng.choice(REGEXPS_HOST))})"
    if kind == "Path":
        return f"Path({_lit(rng.choice(PATHS))})"
    if kind == "PathPrefix":
        return f"PathPrefix({_lit(rng.choice(PATHS))})"
    if kind == "PathRegexp":
        return f"PathRegexp({_lit(rng.choice(REGEXPS_PATH))})"
    if kind == "Method":
        return f"Method({_lit(rng.choice(['GET', 'POST', 'get']))})"
    if kind == "Header":
        return (
            f"Header(`{rng.choice(['X-Env', 'x-env', 'Host'])}`, `{rng.choice(['prod', 'dev'])}`)"
        )
    if kind == "HeaderRegexp":
        return f"HeaderRegexp(`X-Env`, `{rng.choice(['^pro', 'dev$', '.'])}`)"
    if kind == "Query":
        if rng.random() < 0.5:
            return "Query(`debug`)"
        return f"Query(`v`, `{rng.choice(['1', '2'])}`)"
    if kind == "QueryRegexp":
        return f"QueryRegexp(`v`, `{rng.choice(['^[0-9]+$', '^1'])}`)"
    return f"ClientIP(`{rng.choice(['127.0.0.1', '10.0.0.0/8', '127.0.0.0/8'])}`)"


def _matcher_v2(rng: random.Random) -> str:
    kind = rng.choice(
        ["Host", "Host2", "PathPrefix", "Path", "PathT", "Method", "Headers", "Query"]
    )
    if kind == "Host":
        return f"Host({_lit(rng.choice(HOSTS))})"
    if kind == "Host2":
        return f"Host({_lit(rng.choice(HOSTS))}, {_lit(rng.choice(HOSTS))})"
    if kind == "PathPrefix":
        return f"PathPrefix({_lit(rng.choice(PATHS))})"
    if kind == "Path":
        return f"Path({_lit(rng.choice(PATHS))}, {_lit(rng.choice(PATHS))})"
    if kind == "PathT":
        return "Path(`/api/{v:v[0-9]+}`, `/api/{id}/users`)"
    if kind == "Method":
        return "Method(`GET`, `post`)"
    if kind == "Headers":
        return "Headers(`X-Env`, `prod`)"
    return f"Query(`v={rng.choice(['1', '{n:[0-9]+}'])}`)"


def _rule(rng: random.Random, v2: bool) -> str:
    make = _matcher_v2 if v2 else _matcher_v3
    shape = rng.random()
    if shape < 0.25:
        return make(rng)
    if shape < 0.7:
        return f"{make(rng)} && {make(rng)}"
    if shape < 0.8:
        return f"{make(rng)} && !{make(rng)}"
    if shape < 0.9:
        return f"({make(rng)} || {make(rng)}) && {make(rng)}"
    return f"{make(rng)} || {make(rng)} && {make(rng)}"


@dataclass
class RouterSet:
    routers: dict[str, dict[str, Any]]
    middlewares: dict[str, dict[str, Any]]
    ping: bool


def generate_set(rng: random.Random) -> RouterSet:
    routers: dict[str, dict[str, Any]] = {}
    count = rng.randint(3, 14)
    for index in range(count):
        v2 = rng.random() < 0.1
        body: dict[str, Any] = {"rule": _rule(rng, v2), "service": "svc"}
        if v2:
            body["ruleSyntax"] = "v2"
        if rng.random() < 0.35:
            body["priority"] = rng.choice([1, 5, 10, 10, 10, 30, 100, -1])
        choice = rng.random()
        if choice < 0.3:
            body["entryPoints"] = ["web"]
        elif choice < 0.45:
            body["entryPoints"] = ["web2"]
        elif choice < 0.55:
            body["entryPoints"] = ["web", "web2"]
        elif choice < 0.6:
            body["entryPoints"] = ["traefik"]
        if rng.random() < 0.1:
            body["tls"] = {}
        if rng.random() < 0.3:
            body["middlewares"] = rng.sample(["strip", "hdr", "prefix"], k=rng.randint(1, 2))
        if rng.random() < 0.04:
            body["service"] = "nosuch"
        routers[f"r{index:02d}-{rng.choice(['a', 'm', 'z'])}"] = body
    # Equal-priority twins: the same rule length, so ties are common.
    if rng.random() < 0.3 and routers:
        name, body = rng.choice(list(routers.items()))
        twin = dict(body)
        twin.pop("service", None)
        twin["service"] = "svc"
        routers[f"{name}-twin"] = twin
    middlewares = {
        "strip": {"stripPrefix": {"prefixes": ["/api"]}},
        "hdr": {"headers": {"customRequestHeaders": {"X-Added": "1"}}},
        "prefix": {"addPrefix": {"prefix": "/p"}},
    }
    return RouterSet(routers, middlewares, rng.random() < 0.3)


def _encode_some(rng: random.Random, path: str) -> str:
    out = []
    for ch in path:
        if ch == " ":
            out.append("%20")
        elif ch == "é":
            out.append("%C3%A9")
        elif ch.isalnum() and rng.random() < 0.15:
            code = f"%{ord(ch):02X}"
            out.append(code.lower() if rng.random() < 0.3 else code)
        elif ch == "/" and rng.random() < 0.05:
            out.append("%2F")
        else:
            out.append(ch)
    return "".join(out)


def _mutate_path(rng: random.Random, path: str) -> str:
    roll = rng.random()
    if roll < 0.2:
        pass
    elif roll < 0.3:
        path = path + "x"
    elif roll < 0.4:
        path = path.rstrip("/") + "/"
    elif roll < 0.5:
        path = path.rstrip("/") + "/sub"
    elif roll < 0.55:
        path = path[:-1] or "/"
    elif roll < 0.6:
        path = "/x/.." + path
    elif roll < 0.65:
        path = "/" + path
    elif roll < 0.7:
        path = path.upper()
    elif roll < 0.75:
        path = path + "/./"
    elif roll < 0.8:
        path = "/api/v" + str(rng.randint(0, 12))
    if not path.startswith("/"):
        path = "/" + path
    encoded = "/" + _encode_some(rng, path[1:]) if rng.random() < 0.5 else path
    return "".join(
        ch if ch.isascii() and ch != " " else "".join(f"%{b:02X}" for b in ch.encode())
        for ch in encoded
    )


def _mutate_host(rng: random.Random, host: str, port: int) -> str:
    roll = rng.random()
    if roll < 0.3:
        return host
    if roll < 0.4:
        return host.upper()
    if roll < 0.5:
        return f"{host}:{port}"
    if roll < 0.55:
        return f"{host}:8080"
    if roll < 0.6:
        return host + "."
    if roll < 0.7:
        return "zz." + host
    if roll < 0.75:
        return host.split(".", 1)[-1]
    if roll < 0.8:
        return "127.0.0.1"
    return rng.choice(HOSTS)


@dataclass(frozen=True)
class Probe:
    diag: str
    entry_point: str
    scheme: str
    method: str
    host: str
    path: str
    query: str
    headers: tuple[tuple[str, str], ...]


def generate_requests(rng: random.Random, count: int, ports: dict[str, int]) -> list[Probe]:
    out = []
    for _ in range(count):
        ep = rng.choices(["web", "web2", "traefik"], weights=[6, 3, 1])[0]
        scheme = "https" if ep != "traefik" and rng.random() < 0.1 else "http"
        host = _mutate_host(rng, rng.choice([*HOSTS, "c.test", "api.b.test"]), ports[ep])
        base = rng.choice([*PATHS, "/dashboard/", "/ping", "/pingx", "/api/rawdata"])
        path = _mutate_path(rng, base)
        query = rng.choice(
            ["", "", "", "debug", "debug=", "v=1", "v=2", "v=12", "v=1;x=2", "a=b&v=2"]
        )
        headers: list[tuple[str, str]] = []
        if rng.random() < 0.3:
            headers.append(
                (rng.choice(["X-Env", "x-env"]), rng.choice(["prod", "dev", "production"]))
            )
        method = rng.choices(METHODS, weights=[6, 2, 1, 1])[0]
        out.append(
            Probe(
                f"d{rng.getrandbits(48):012x}",
                ep,
                scheme,
                method,
                host,
                path,
                query,
                tuple(headers),
            )
        )
    return out


# -- running ------------------------------------------------------------------------------


@dataclass
class SetOutcome:
    seed: int
    mismatches: list[str] = field(default_factory=list)
    requests: int = 0
    ambiguous: int = 0


def _write_set(workdir: Path, router_set: RouterSet, ports: dict[str, int], backend: int) -> Path:
    (workdir / "dynamic").mkdir(parents=True)
    static: dict[str, Any] = {
        "global": {"checkNewVersion": False, "sendAnonymousUsage": False},
        "entryPoints": {name: {"address": f"127.0.0.1:{port}"} for name, port in ports.items()},
        "api": {"insecure": True},
        "log": {"level": "ERROR", "filePath": str(workdir / "traefik.log")},
        "accessLog": {
            "filePath": str(workdir / "access.json"),
            "format": "json",
            "addInternals": True,
            "fields": {"headers": {"defaultMode": "drop", "names": {"X-Diag-Id": "keep"}}},
        },
        "providers": {"file": {"directory": "dynamic", "watch": False}},
    }
    if router_set.ping:
        static["ping"] = {"entryPoint": "web2"}
    (workdir / "traefik.yml").write_text(yaml.safe_dump(static, sort_keys=False), "utf-8")
    dynamic = {
        "http": {
            "routers": router_set.routers,
            "middlewares": router_set.middlewares,
            "services": {
                "svc": {"loadBalancer": {"servers": [{"url": f"http://127.0.0.1:{backend}"}]}}
            },
        }
    }
    (workdir / "dynamic" / "routers.yml").write_text(
        yaml.safe_dump(dynamic, sort_keys=False), "utf-8"
    )
    return workdir / "traefik.yml"


class _Client:
    """One keep-alive connection per (thread, entry point, scheme)."""

    def __init__(self, ports: dict[str, int]) -> None:
        self.ports = ports
        self.local = threading.local()
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE

    def _conn(self, probe: Probe) -> http.client.HTTPConnection:
        conns: dict[tuple[str, str], http.client.HTTPConnection] = getattr(self.local, "conns", {})
        self.local.conns = conns
        key = (probe.entry_point, probe.scheme)
        if key not in conns:
            port = self.ports[probe.entry_point]
            if probe.scheme == "https":
                conns[key] = http.client.HTTPSConnection(
                    "127.0.0.1", port, timeout=10, context=self.context
                )
            else:
                conns[key] = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        return conns[key]

    def send(self, probe: Probe) -> int:
        for attempt in range(3):
            conn = self._conn(probe)
            try:
                target = probe.path + (f"?{probe.query}" if probe.query else "")
                conn.putrequest(probe.method, target, skip_host=True, skip_accept_encoding=True)
                conn.putheader("Host", probe.host)
                conn.putheader("X-Diag-Id", probe.diag)
                for name, val in probe.headers:
                    conn.putheader(name, val)
                conn.putheader("Content-Length", "0")
                conn.endheaders()
                response = conn.getresponse()
                response.read()
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    self.local.conns.pop((probe.entry_point, probe.scheme), None)
                return response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                self.local.conns.pop((probe.entry_point, probe.scheme), None)
                if attempt == 2:
                    raise
        return 0


def _file_router_count(running: Any) -> int:
    try:
        return sum(1 for r in running.routers() if r.get("provider") == "file")
    except (urllib.error.URLError, OSError, ValueError):
        return -1


def _read_log(path: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return out
    for line in path.read_text("utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        diag = record.get("request_X-Diag-Id")
        if diag:
            out[str(diag)] = record
    return out


def _run_traefik(
    static: Path, workdir: Path, ports: dict[str, int], probes: list[Probe], routers: int
) -> dict[str, dict[str, Any]] | None:
    """Send ``probes`` through a fresh Traefik; None if it could not start (port taken)."""
    with run_traefik(static, workdir, ports["traefik"]) as running:
        if not wait_for_api(running):
            return None
        deadline = time.monotonic() + 10
        while _file_router_count(running) < routers and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.15)
        client = _Client(ports)
        with ThreadPoolExecutor(max_workers=6) as pool:
            list(pool.map(client.send, probes))
        log_path = workdir / "access.json"
        deadline = time.monotonic() + 5
        records = _read_log(log_path)
        while len(records) < len(probes) and time.monotonic() < deadline:
            time.sleep(0.05)
            records = _read_log(log_path)
    return records


def run_set(seed: int, requests: int, backend: int, workdir: Path) -> SetOutcome:
    rng = random.Random(seed)
    router_set = generate_set(rng)
    for attempt in range(4):
        ports = {"web": free_port(), "web2": free_port(), "traefik": free_port()}
        probes = generate_requests(random.Random(f"{seed}-requests"), requests, ports)
        attempt_dir = workdir / f"try{attempt}"
        static = _write_set(attempt_dir, router_set, ports, backend)
        project = load_project(attempt_dir, go=False)
        table = RoutingTable(project)
        records = _run_traefik(static, attempt_dir, ports, probes, len(router_set.routers))
        if records is not None:
            break
    else:
        raise AssertionError(f"seed {seed}: Traefik did not start (ports taken?)")
    outcome = SetOutcome(seed, requests=len(probes))
    for probe in probes:
        record = records.get(probe.diag)
        if record is None:
            outcome.mismatches.append(f"seed {seed}: no access-log line for {probe}")
            continue
        theirs = record.get("RouterName")
        request = Request(
            method=probe.method,
            scheme=probe.scheme,
            host=probe.host,
            port=ports[probe.entry_point],
            path=probe.path,
            query=probe.query,
            headers=(*probe.headers, ("X-Diag-Id", probe.diag)),
            sni=None,
        )
        result = table.route(request, explain=False)
        ours = result.winner.qualified if result.winner is not None else None
        allowed = {ours} | {r.qualified for r in result.ambiguous}
        if result.ambiguous:
            outcome.ambiguous += 1
        if theirs not in allowed:
            outcome.mismatches.append(
                f"seed {seed}: {probe.method} {probe.scheme}://{probe.host}{probe.path}"
                f"{'?' + probe.query if probe.query else ''} on {probe.entry_point}"
                f" headers={probe.headers}: Traefik chose {theirs!r}"
                f" (status {record.get('DownstreamStatus')}), we chose {sorted(map(str, allowed))}"
                f"\n  routers: {json.dumps(router_set.routers)}\n  ping: {router_set.ping}"
            )
    return outcome


def test_routing_agrees_with_traefik(backend: int, tmp_path: Path) -> None:
    sets = int(os.environ.get("ROUTING_DIFF_SETS", "60"))
    total = int(os.environ.get("ROUTING_DIFF_REQUESTS", "2400"))
    if total > 20000 and "ROUTING_DIFF_SETS" not in os.environ:
        sets = max(sets, total // 400)
    seed = int(os.environ.get("ROUTING_DIFF_SEED", str(random.SystemRandom().getrandbits(32))))
    per_set = max(1, total // sets)
    started = time.monotonic()
    master = random.Random(seed)
    seeds = [master.getrandbits(32) for _ in range(sets)]

    def one(item: tuple[int, int]) -> SetOutcome:
        index, set_seed = item
        workdir = tmp_path / f"set{index:04d}"
        workdir.mkdir()
        try:
            return run_set(set_seed, per_set, backend, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    with ThreadPoolExecutor(max_workers=int(os.environ.get("ROUTING_DIFF_PARALLEL", "4"))) as pool:
        outcomes = list(pool.map(one, enumerate(seeds)))
    mismatches = [m for o in outcomes for m in o.mismatches]
    sent = sum(o.requests for o in outcomes)
    ambiguous = sum(o.ambiguous for o in outcomes)
    summary = (
        f"routing differential: seed={seed} sets={sets} requests={sent}"
        f" agree={sent - len(mismatches)} ambiguous={ambiguous}"
        f" time={time.monotonic() - started:.1f}s"
    )
    print(summary, file=sys.stderr, flush=True)
    report = os.environ.get("ROUTING_DIFF_REPORT")
    if report:
        Path(report).write_text(summary + "\n", "utf-8")
    assert not mismatches, (
        f"{summary}\nreproduce: ROUTING_DIFF_SEED={seed} ROUTING_DIFF_SETS={sets}"
        f" ROUTING_DIFF_REQUESTS={total}\n" + "\n".join(mismatches[:15])
    )
