"""Live diagnoses against the real Traefik and real backends on loopback, one scenario per
LIVE code: each asserts the code, its evidence and the static finding that predicts it.

One Traefik carries every fault at once (as a broken system would), so the whole probe runs
once for the module; a second Traefik with a broken provider file covers LIVE016 and an
unreachable entry point LIVE001. Every server started here is stopped here.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from traefik_doctor.engine import run_check
from traefik_doctor.findings import Finding
from traefik_doctor.live.diagnose import diagnose
from traefik_doctor.live.plan import build_plan
from traefik_doctor.live.run import Sampling, run_plan
from traefik_doctor.settings import load_settings
from traefik_lab import free_port, run_traefik, wait_for_api

pytestmark = pytest.mark.traefik

PPROF_INDEX = b"<html>/debug/pprof/<br>Types of profiles available: goroutine heap</html>"


class _Handler(BaseHTTPRequestHandler):
    mode = "ok"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # Traefik gave up first (the slow backend)
            self.wfile.write(body)

    def handle(self) -> None:
        with contextlib.suppress(OSError):
            super().handle()

    def do_GET(self) -> None:
        mode = self.server.mode  # type: ignore[attr-defined]
        if mode == "flaky":  # every other request fails: a 50% 5xx share
            self.server.count += 1  # type: ignore[attr-defined]
            failing = self.server.count % 2 == 0  # type: ignore[attr-defined]
            self._send(500 if failing else 200, b"flaky")
        elif mode == "sluggish":
            time.sleep(0.4)
            self._send(200, b"sluggish")
        elif mode == "slow":
            time.sleep(2.5)
            self._send(200, b"late")
        elif mode == "sick":
            self._send(503 if self.path.startswith("/healthz") else 200, b"sick")
        elif mode == "api-only":
            self._send(200 if self.path.startswith("/api/") else 404, b"api-only")
        elif mode == "pprof" and self.path.startswith("/debug/pprof/"):
            self._send(200, PPROF_INDEX)
        else:
            self._send(200, b"ok")


@dataclass
class Server:
    port: int
    stop: Any


def _http_server(mode: str, tls: ssl.SSLContext | None = None) -> Server:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.mode = mode  # type: ignore[attr-defined]
    server.count = 0  # type: ignore[attr-defined]
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return Server(server.server_address[1], stop)


def _eof_server() -> Server:
    """Accepts, reads the request, closes without answering (Traefik: 502 EOF)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    done = threading.Event()

    def loop() -> None:
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                with contextlib.suppress(OSError):
                    conn.recv(65536)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()

    def stop() -> None:
        done.set()
        thread.join(2)
        listener.close()

    return Server(listener.getsockname()[1], stop)


def _static(web: int, websecure: int, api: int, run: Path) -> str:
    return f"""\
global: {{checkNewVersion: false, sendAnonymousUsage: false}}
entryPoints:
  web: {{address: "127.0.0.1:{web}"}}
  websecure:
    address: "127.0.0.1:{websecure}"
    http: {{tls: {{}}}}
  traefik: {{address: "127.0.0.1:{api}"}}
api: {{insecure: true}}
metrics: {{prometheus: {{addRoutersLabels: true}}}}
log: {{level: INFO, noColor: true, filePath: {run}/traefik.log}}
accessLog:
  filePath: {run}/access.json
  format: json
  fields: {{headers: {{names: {{X-Diag-Id: keep}}}}}}
providers:
  file: {{directory: dyn}}
"""


def _dynamic(ports: dict[str, int]) -> str:
    p = ports
    return f"""\
http:
  routers:
    r-ok: {{rule: "Host(`ok.test`)", service: svc-ok, entryPoints: [web]}}
    r-v2:
      rule: "Host(`v2.test`) && Path(`/users/{{id:[0-9]+}}`)"
      service: svc-ok
      entryPoints: [web]
    r-typo: {{rule: "Host(`typo.test`)", service: svc-okk, entryPoints: [web]}}
    r-closed: {{rule: "Host(`closed.test`)", service: svc-closed, entryPoints: [web]}}
    r-slow: {{rule: "Host(`slow.test`)", service: svc-slow, entryPoints: [web]}}
    r-tls: {{rule: "Host(`tls.test`)", service: svc-tls, entryPoints: [web]}}
    r-down: {{rule: "Host(`down.test`)", service: svc-down, entryPoints: [web]}}
    r-strip:
      rule: "Host(`strip.test`) && PathPrefix(`/api`)"
      service: svc-api
      middlewares: [strip-api]
      entryPoints: [web]
    r-eof: {{rule: "Host(`eof.test`)", service: svc-eof, entryPoints: [web]}}
    r-pprof: {{rule: "Host(`pprof.test`)", service: svc-pprof, entryPoints: [web]}}
    r-secure: {{rule: "Host(`secure.test`)", service: svc-ok, entryPoints: [websecure], tls: {{}}}}
    r-soon: {{rule: "Host(`soon.test`)", service: svc-ok, entryPoints: [websecure], tls: {{}}}}
    r-flaky: {{rule: "Host(`flaky.test`)", service: svc-flaky, entryPoints: [web]}}
    r-sluggish: {{rule: "Host(`sluggish.test`)", service: svc-sluggish, entryPoints: [web]}}
    # r-wide's rule is longer, so Traefik tries it first, and it matches all of r-taken's.
    r-taken: {{rule: "Host(`taken.example`) && Path(`/x`)", service: svc-ok, entryPoints: [web]}}
    r-wide:
      rule: "Host(`taken.example`) && PathPrefix(`/`)"
      service: svc-ok
      entryPoints: [web]
  middlewares:
    strip-api: {{stripPrefix: {{prefixes: [/api]}}}}
  services:
    svc-ok: {{loadBalancer: {{servers: [{{url: "http://127.0.0.1:{p["ok"]}"}}]}}}}
    svc-closed: {{loadBalancer: {{servers: [{{url: "http://127.0.0.1:{p["closed"]}"}}]}}}}
    svc-slow:
      loadBalancer:
        serversTransport: short
        servers: [{{url: "http://127.0.0.1:{p["slow"]}"}}]
    svc-tls: {{loadBalancer: {{servers: [{{url: "https://127.0.0.1:{p["tls"]}"}}]}}}}
    svc-down:
      loadBalancer:
        healthCheck: {{path: /healthz, interval: 1s, timeout: 500ms}}
        servers: [{{url: "http://127.0.0.1:{p["sick"]}"}}]
    svc-api: {{loadBalancer: {{servers: [{{url: "http://127.0.0.1:{p["api"]}"}}]}}}}
    svc-eof: {{loadBalancer: {{servers: [{{url: "http://127.0.0.1:{p["eof"]}"}}]}}}}
    svc-pprof: {{loadBalancer: {{servers: [{{url: "http://127.0.0.1:{p["pprof"]}"}}]}}}}
    svc-flaky: {{loadBalancer: {{servers: [{{url: "http://127.0.0.1:{p["flaky"]}"}}]}}}}
    svc-sluggish: {{loadBalancer: {{servers: [{{url: "http://127.0.0.1:{p["sluggish"]}"}}]}}}}
  serversTransports:
    short: {{forwardingTimeouts: {{responseHeaderTimeout: 1s}}}}
tls:
  certificates:
    - {{certFile: soon.crt, keyFile: soon.key}}
"""


@dataclass
class Outcome:
    diagnoses: list[Finding]
    static: list[Finding]
    elapsed: float
    notes: list[str]
    project: Path

    def of(self, code: str, router: str | None = None) -> Finding:
        found = [
            d
            for d in self.diagnoses
            if d.code == code and (router is None or f"`{router}" in d.message)
        ]
        assert found, f"no {code} for {router}: {[d for d in self.diagnoses]}"
        return found[0]


def _wait(predicate: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    return False


SAMPLING = Sampling(metrics_window=2.0, pprof_samples=3, pprof_interval=0.5)


def _probe(project: Path, **kwargs: Any) -> Outcome:
    started = time.monotonic()
    checked = run_check(project, load_settings(project))
    plan = build_plan(checked.project, **kwargs)
    evidence = run_plan(plan, timeout=2.0, concurrency=16, deadline=20, sampling=SAMPLING)
    diagnoses = diagnose(evidence, checked.findings, project=checked.project)
    return Outcome(diagnoses, checked.findings, time.monotonic() - started, plan.notes, project)


@contextlib.contextmanager
def _traffic(base: str, hosts: list[str]) -> Iterator[None]:
    """Real traffic while the probe's metrics window is open, a loop per host."""
    import urllib.error
    import urllib.request

    stop = threading.Event()

    def loop(host: str) -> None:
        while not stop.is_set():
            request = urllib.request.Request(base + "/", headers={"Host": host})
            with contextlib.suppress(urllib.error.URLError, OSError):
                urllib.request.urlopen(request, timeout=2).close()
            time.sleep(0.02)

    threads = [threading.Thread(target=loop, args=(h,), daemon=True) for h in hosts for _ in "ab"]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.3)  # traffic flows before the first scrape
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(5)


@pytest.fixture(scope="module")
def broken_system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outcome]:
    import trustme

    base = tmp_path_factory.mktemp("live")
    project, run = base / "project", base / "run"
    (project / "dyn").mkdir(parents=True)
    run.mkdir()
    ca = trustme.CA()
    tls_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(tls_ctx)
    soon = ca.issue_cert(
        "soon.test", not_after=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=5)
    )
    (project / "soon.crt").write_bytes(b"".join(pem.bytes() for pem in soon.cert_chain_pems))
    (project / "soon.key").write_bytes(soon.private_key_pem.bytes())
    servers = {
        "ok": _http_server("ok"),
        "slow": _http_server("slow"),
        "tls": _http_server("ok", tls_ctx),
        "sick": _http_server("sick"),
        "api": _http_server("api-only"),
        "eof": _eof_server(),
        "pprof": _http_server("pprof"),
        "flaky": _http_server("flaky"),
        "sluggish": _http_server("sluggish"),
    }
    try:
        ports = {name: s.port for name, s in servers.items()}
        ports["closed"] = free_port()
        web, websecure, api = free_port(), free_port(), free_port()
        static = project / "traefik.yml"
        static.write_text(_static(web, websecure, api, run), encoding="utf-8")
        (project / "dyn" / "app.yml").write_text(_dynamic(ports), encoding="utf-8")
        with run_traefik(static, run, api, cwd=project) as traefik:
            assert wait_for_api(traefik), traefik.log()

            def ready() -> bool:
                routers = {r["name"]: r for r in traefik.routers()}
                services = {s["name"]: s for s in traefik.get("/api/http/services")}
                down = services.get("svc-down@file", {}).get("serverStatus", {})
                return "r-ok@file" in routers and set(down.values()) == {"DOWN"}

            assert _wait(ready, 8), traefik.log()
            with _traffic(f"http://127.0.0.1:{web}", ["flaky.test", "sluggish.test"]):
                outcome = _probe(project)
            yield outcome
    finally:
        for server in servers.values():
            server.stop()


def _kinds(diagnosis: Finding) -> dict[str, str]:
    return {e.kind: e.text for e in diagnosis.evidence}


def _related_codes(diagnosis: Finding) -> set[str]:
    return {r.message.split(" ", 1)[0] for r in diagnosis.related}


def test_no_router_matched_v2_placeholder(broken_system: Outcome) -> None:
    d = broken_system.of("LIVE002", "r-v2@file")
    ev = _kinds(d)
    assert "404" in ev["response"] and "Traefik-generated" in ev["response"]
    assert "no RouterName" in ev["access-log"]
    assert _related_codes(d) == {"RTR004"}


def test_router_disabled_missing_service(broken_system: Outcome) -> None:
    d = broken_system.of("LIVE003", "r-typo@file")
    assert "status `disabled`" in d.message
    assert 'the service "svc-okk@file" does not exist' in d.message
    assert "status=disabled" in _kinds(d)["api"]
    assert "RTR007" in _related_codes(d)
    assert not any(
        x.code == "LIVE002" and "r-typo" in x.message for x in broken_system.diagnoses
    ), "the disabled router is the root cause, not a second LIVE002"


def test_backend_port_closed(broken_system: Outcome) -> None:
    d = broken_system.of("LIVE004", "r-closed@file")
    ev = _kinds(d)
    assert ev["response"].startswith("502")
    assert "connection_refused" in ev["direct-probe"]
    assert "OriginStatus=502" in ev["access-log"]


def test_slow_backend_504(broken_system: Outcome) -> None:
    d = broken_system.of("LIVE005", "r-slow@file")
    assert _kinds(d)["response"].startswith("504")
    assert "RouterName=r-slow@file" in _kinds(d)["access-log"]


def test_self_signed_backend_500(broken_system: Outcome) -> None:
    d = broken_system.of("LIVE006", "r-tls@file")
    ev = _kinds(d)
    assert ev["response"].startswith("500")
    assert "tls_verify" in ev["direct-probe"]
    assert "SVC006" in _related_codes(d)


def test_all_servers_down_503(broken_system: Outcome) -> None:
    d = broken_system.of("LIVE007", "r-down@file")
    ev = _kinds(d)
    assert ev["response"].startswith("503") and "no available server" in ev["response"]
    assert "DOWN" in ev["api"]


def test_failing_healthz(broken_system: Outcome) -> None:
    d = broken_system.of("LIVE018", "svc-down@file")
    assert "503" in d.message
    assert "/healthz: HTTP 503" in _kinds(d)["direct-probe"]


def test_strip_prefix_backend_404(broken_system: Outcome) -> None:
    d = broken_system.of("LIVE008", "r-strip@file")
    ev = _kinds(d)
    assert ev["response"].startswith("404") and "from the backend" in ev["response"]
    assert "RouterName=r-strip@file" in ev["access-log"]


def test_backend_closes_connection_502_eof(broken_system: Outcome) -> None:
    d = broken_system.of("LIVE009", "r-eof@file")
    ev = _kinds(d)
    assert ev["response"].startswith("502")
    assert ": ok in" in ev["direct-probe"]


def test_default_certificate_served(broken_system: Outcome) -> None:
    d = broken_system.of("LIVE010", "websecure")
    assert "TRAEFIK DEFAULT CERT" in _kinds(d)["direct-probe"]
    assert _related_codes(d) & {"RTR018", "TLS004"}


def test_pprof_reachable(broken_system: Outcome) -> None:
    d = broken_system.of("LIVE017", "r-pprof@file")
    assert "Types of profiles" in _kinds(d)["response"] or "200" in _kinds(d)["response"]


def test_without_access_log_traefik_errors_are_told_by_their_shape(
    broken_system: Outcome,
) -> None:
    checked = run_check(broken_system.project, load_settings(broken_system.project))
    plan = build_plan(checked.project)
    plan.access_log = None
    diagnoses = diagnose(run_plan(plan, timeout=2.0, deadline=20), checked.findings)
    found = {(d.code, d.message.split("`")[1]) for d in diagnoses}
    for expected in (
        ("LIVE002", "r-v2@file"),
        ("LIVE004", "r-closed@file"),
        ("LIVE005", "r-slow@file"),
        ("LIVE006", "r-tls@file"),
        ("LIVE007", "r-down@file"),
        ("LIVE008", "r-strip@file"),
        ("LIVE009", "r-eof@file"),
    ):
        assert expected in found, (expected, sorted(found))
    guess = next(d for d in diagnoses if d.code == "LIVE002")
    assert "without the access log" in guess.message


def test_expiring_certificate_served(broken_system: Outcome) -> None:
    d = broken_system.of("LIVE011", "r-soon@file")
    assert "expires in 4." in d.message or "expires in 5.0" in d.message
    assert d.severity.value == "warning"
    assert "notAfter" in _kinds(d)["direct-probe"]
    assert "TLS003" in _related_codes(d)  # the file on disk predicted it


def test_request_taken_by_other_router(broken_system: Outcome) -> None:
    d = broken_system.of("LIVE019", "r-taken@file")
    assert "served by router `r-wide@file`" in d.message
    assert "RouterName=r-wide@file" in _kinds(d)["access-log"]
    assert "RTR011" in _related_codes(d)
    # r-wide serves its own requests: nothing to say about it.
    assert not any(
        d.code == "LIVE019" and "router `r-wide@file` was" in d.message
        for d in broken_system.diagnoses
    )


def test_high_error_rate_from_metrics(broken_system: Outcome) -> None:
    d = broken_system.of("LIVE013", "r-flaky@file")
    ev = " | ".join(e.text for e in d.evidence)
    assert "two scrapes" in ev and "counter differences" in ev
    assert 'traefik_router_requests_total{router="r-flaky@file"' in ev
    assert d.location.path.endswith("app.yml")  # the router's definition


def test_high_latency_from_metrics(broken_system: Outcome) -> None:
    d = broken_system.of("LIVE012", "r-sluggish@file")
    ev = " | ".join(e.text for e in d.evidence)
    # Traefik's default buckets (0.1, 0.3, 1.2, 5) put a 0.4 s answer in (0.3, 1.2]:
    # the P99 is an interpolation, and the report says so.
    assert "coarse" in ev
    assert "OPS005" in _related_codes(d)


def test_metrics_do_not_repeat_per_route_failures(broken_system: Outcome) -> None:
    """r-slow answered 504 to the probe (LIVE005): its P99 in the metrics says nothing new."""
    assert broken_system.of("LIVE005", "r-slow@file")
    for d in broken_system.diagnoses:
        if d.code in ("LIVE012", "LIVE013"):
            assert "r-slow@file" not in d.message and "svc-slow@file" not in d.message
            assert "r-ok@file" not in d.message


def test_healthy_route_is_quiet_and_root_causes_come_first(broken_system: Outcome) -> None:
    assert not any("r-ok@file" in d.message for d in broken_system.diagnoses)
    codes = [d.code for d in broken_system.diagnoses]
    assert codes.index("LIVE003") < codes.index("LIVE002")
    assert broken_system.elapsed < 15


def test_broken_provider_file_and_unreachable_entrypoint(tmp_path: Path) -> None:
    project, run = tmp_path / "project", tmp_path / "run"
    (project / "dyn").mkdir(parents=True)
    run.mkdir()
    web, websecure, api = free_port(), free_port(), free_port()
    static = project / "traefik.yml"
    static.write_text(_static(web, websecure, api, run), encoding="utf-8")
    (project / "dyn" / "good.yml").write_text(
        'http:\n  routers:\n    r-good: {rule: "Host(`good.test`)", service: s}\n'
        '  services:\n    s: {loadBalancer: {servers: [{url: "http://127.0.0.1:9"}]}}\n',
        encoding="utf-8",
    )
    (project / "dyn" / "bad.yml").write_text(
        'http:\n  routers:\n    r-bad: {rulee: "Host(`bad.test`)", service: s}\n',
        encoding="utf-8",
    )
    with run_traefik(static, run, api, cwd=project) as traefik:
        assert wait_for_api(traefik), traefik.log()
        time.sleep(0.3)
        closed = free_port()
        outcome = _probe(project, entry_points={"web": f"http://127.0.0.1:{closed}"})
    d = outcome.of("LIVE016")
    assert "r-good@file" in d.message
    assert "CFG004" in _related_codes(d)
    # The reload metric says the last reload succeeded: the broken file sent nothing.
    assert "traefik_config_last_reload_success 20" in _kinds(d)["metrics"]
    assert outcome.diagnoses[0].code == "LIVE016"
    unreachable = outcome.of("LIVE001", "web")
    assert "connection_refused" in _kinds(unreachable)["direct-probe"]


def test_doctor_command_reports_verdict_first(
    broken_system: Outcome, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from traefik_doctor.probe_command import run_doctor, run_probe

    project = broken_system.project
    out = tmp_path / "report.json"
    args = _parser().parse_args(
        ["doctor", str(project), "--timeout", "2", "--format", "text", "--format", f"json={out}"]
    )
    started = time.monotonic()
    assert run_doctor(args) == 1
    assert time.monotonic() - started < 15
    text = capsys.readouterr().out
    (tmp_path / "doctor.txt").write_text(text, encoding="utf-8")
    assert text.startswith("Verdict:\n  1. LIVE003 router `r-typo@file`")
    assert "= access-log: RouterName=r-slow@file" in text
    assert "RTR007" in text  # the static findings follow
    data = json.loads(out.read_text(encoding="utf-8"))
    codes = {f["code"] for f in data["findings"]}
    assert {"LIVE004", "LIVE009", "RTR007"} <= codes
    args = _parser().parse_args(["probe", str(project), "--timeout", "2", "--format", "json"])
    assert run_probe(args) == 1
    probed = json.loads(capsys.readouterr().out)
    assert all(f["code"].startswith("LIVE") for f in probed["findings"])
    assert all(f["evidence"] and "Evidence" not in f["message"] for f in probed["findings"])
    kinds = {e["kind"] for f in probed["findings"] for e in f["evidence"]}
    assert {"request", "response", "direct-probe"} <= kinds


def test_usage_errors(tmp_path: Path) -> None:
    from traefik_doctor.errors import UsageError
    from traefik_doctor.probe_command import run_probe

    args = _parser().parse_args(["probe", str(tmp_path), "--entrypoint", "web"])
    with pytest.raises(UsageError):
        run_probe(args)


def _parser() -> argparse.ArgumentParser:
    from traefik_doctor.cli import build_parser

    return build_parser()


GO_DYNAMIC = """\
http:
  routers:
    r-hello: {{rule: "Host(`hello.test`)", service: svc-hello, entryPoints: [web]}}
    r-users:
      rule: "Host(`users.test`) && PathPrefix(`/api`)"
      service: svc-users
      middlewares: [strip-api]
      entryPoints: [web]
    r-gopprof: {{rule: "Host(`gopprof.test`)", service: svc-gopprof, entryPoints: [web]}}
    r-health:
      rule: "Host(`health.test`) && PathPrefix(`/hello`)"
      service: svc-health
      entryPoints: [web]
    r-slowwrite:
      rule: "Host(`slowwrite.test`) && PathPrefix(`/slow`)"
      service: svc-slowwrite
      entryPoints: [web]
  middlewares:
    strip-api: {{stripPrefix: {{prefixes: [/api]}}}}
  services:
    svc-hello: {{loadBalancer: {{servers: [{{url: "http://127.0.0.1:{wrong}"}}]}}}}
    svc-users: {{loadBalancer: {{servers: [{{url: "http://127.0.0.1:{users}"}}]}}}}
    svc-gopprof: {{loadBalancer: {{servers: [{{url: "http://127.0.0.1:{pprof}"}}]}}}}
    svc-health:
      loadBalancer:
        healthCheck: {{path: /healthz, interval: 1s, timeout: 500ms}}
        servers: [{{url: "http://127.0.0.1:{health}"}}]
    svc-slowwrite:
      loadBalancer:
        serversTransport: patient
        servers: [{{url: "http://127.0.0.1:{slowwrite}"}}]
  serversTransports:
    patient: {{forwardingTimeouts: {{responseHeaderTimeout: 5s}}}}
"""

SLOWWRITE_GO = """\
// slowwrite: WriteTimeout (1 s) shorter than the /slow handler (1.5 s): Traefik gets EOF.
package main

import (
\t"fmt"
\t"log"
\t"net/http"
\t"os"
\t"time"
)

func main() {
\taddr := os.Getenv("ADDR")
\tif addr == "" {
\t\taddr = "127.0.0.1:PORT"
\t}
\tmux := http.NewServeMux()
\tmux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
\t\tfmt.Fprintln(w, "fast")
\t})
\tmux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
\t\ttime.Sleep(1500 * time.Millisecond)
\t\tfmt.Fprintln(w, "done")
\t})
\tsrv := &http.Server{
\t\tAddr:              addr,
\t\tHandler:           mux,
\t\tReadHeaderTimeout: 5 * time.Second,
\t\tWriteTimeout:      1 * time.Second,
\t}
\tlog.Fatal(srv.ListenAndServe())
}
"""


LEAKY_GO = """\
// leaky: every tick starts goroutines that never end and keeps 256 KiB: the growth that
// pprof samples show (goroutines and heap in use rise on every sample).
package main

import (
\t"log"
\t"net/http"
\t_ "net/http/pprof"
\t"time"
)

var kept [][]byte

func main() {
\tgo func() {
\t\tblock := make(chan struct{})
\t\tfor range time.Tick(50 * time.Millisecond) {
\t\t\tfor i := 0; i < 10; i++ {
\t\t\t\tgo func() { <-block }()
\t\t\t}
\t\t\tkept = append(kept, make([]byte, 256<<10))
\t\t}
\t}()
\tlog.Fatal(http.ListenAndServe("127.0.0.1:PORT", nil))
}
"""


@pytest.fixture(scope="module")
def go_system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outcome]:
    from golab import copy_go_module, run_process, session_build, wait_http

    base = tmp_path_factory.mktemp("livego")
    project, run = base / "project", base / "run"
    (project / "dyn").mkdir(parents=True)
    run.mkdir()
    names = ("hello", "users", "pprof", "health", "slowwrite", "wrong", "leaky")
    ports = {name: free_port() for name in names}
    modules = {"hello": "hello", "users": "users", "pprof": "pprofexposed", "health": "healthapp"}
    binaries = {}
    for key, module in modules.items():
        src = copy_go_module(
            module, project / module, {"127.0.0.1:18480": f"127.0.0.1:{ports[key]}"}
        )
        binaries[key] = session_build(src, tmp_path_factory)
    slow = project / "slowwrite"
    slow.mkdir()
    (slow / "go.mod").write_text("module example.com/slowwrite\n\ngo 1.19\n", encoding="utf-8")
    (slow / "main.go").write_text(
        SLOWWRITE_GO.replace("PORT", str(ports["slowwrite"])), encoding="utf-8"
    )
    binaries["slowwrite"] = session_build(slow, tmp_path_factory)
    leaky = project / "leaky"
    leaky.mkdir()
    (leaky / "go.mod").write_text("module example.com/leaky\n\ngo 1.19\n", encoding="utf-8")
    (leaky / "main.go").write_text(LEAKY_GO.replace("PORT", str(ports["leaky"])), encoding="utf-8")
    binaries["leaky"] = session_build(leaky, tmp_path_factory)
    web, websecure, api = free_port(), free_port(), free_port()
    static = project / "traefik.yml"
    static.write_text(_static(web, websecure, api, run), encoding="utf-8")
    (project / "dyn" / "app.yml").write_text(GO_DYNAMIC.format(**ports), encoding="utf-8")
    # Several Go programs: which one serves svc-hello is the user's to say (SVC003 needs it).
    (project / ".traefik-doctor.toml").write_text(
        '[go-services]\n"svc-hello@file" = "hello"\n"svc-slowwrite@file" = "slowwrite"\n',
        encoding="utf-8",
    )
    with contextlib.ExitStack() as stack:
        for key, binary in binaries.items():
            stack.enter_context(
                run_process(
                    [str(binary)], run / f"{key}.out", env={"ADDR": f"127.0.0.1:{ports[key]}"}
                )
            )
        for key in binaries:
            url = f"http://127.0.0.1:{ports[key]}/" + ("debug/pprof/" if key == "leaky" else "")
            assert wait_http(url, time.monotonic() + 10), key
        traefik = stack.enter_context(run_traefik(static, run, api, cwd=project))
        assert wait_for_api(traefik), traefik.log()

        def ready() -> bool:
            services = {s["name"]: s for s in traefik.get("/api/http/services")}
            down = services.get("svc-health@file", {}).get("serverStatus", {})
            return set(down.values()) == {"DOWN"}

        assert _wait(ready, 8), traefik.log()
        yield _probe(project)


@pytest.mark.go
def test_go_wrong_port_refused_with_svc003(go_system: Outcome) -> None:
    d = go_system.of("LIVE004", "r-hello@file")
    assert "connection_refused" in _kinds(d)["direct-probe"]
    assert "SVC003" in _related_codes(d)


@pytest.mark.go
def test_go_strip_prefix_backend_404_with_mw002(go_system: Outcome) -> None:
    d = go_system.of("LIVE008", "r-users@file")
    ev = _kinds(d)
    # Go's 404 is byte-identical to Traefik's: only the access log's RouterName tells.
    assert "RouterName=r-users@file" in ev["access-log"]
    assert _related_codes(d) & {"MW002", "GO005"}


@pytest.mark.go
def test_go_pprof_through_proxy_with_go002(go_system: Outcome) -> None:
    d = go_system.of("LIVE017", "r-gopprof@file")
    assert "GO002" in _related_codes(d)


@pytest.mark.go
def test_go_healthz_not_served_with_svc005(go_system: Outcome) -> None:
    down = go_system.of("LIVE007", "r-health@file")
    assert "SVC005" in _related_codes(down)
    failing = go_system.of("LIVE018", "svc-health@file")
    assert "HTTP 404" in _kinds(failing)["direct-probe"]
    assert "SVC005" in _related_codes(failing)


@pytest.mark.go
def test_go_goroutine_and_heap_growth_found_from_the_go_code(go_system: Outcome) -> None:
    """No --pprof given: the Go facts name the loopback listener that serves pprof."""
    goroutines = go_system.of("LIVE014")
    assert "grew by more than 10 on every sample" in goroutines.message
    assert goroutines.location.path == "leaky/main.go"  # the listener's line
    assert "goroutine profile: total" in goroutines.evidence[1].text
    heap = go_system.of("LIVE015")
    assert "HeapInuse" in heap.evidence[1].text
    # The pprof exposed through Traefik (steady) is sampled too, and is not growing.
    assert all("leaky" not in d.message for d in go_system.diagnoses if d.code == "LIVE017")


@pytest.mark.go
def test_go_write_timeout_eof_with_tmo002(go_system: Outcome) -> None:
    d = go_system.of("LIVE009", "r-slowwrite@file")
    ev = _kinds(d)
    assert ev["response"].startswith("502")
    assert "RouterName=r-slowwrite@file" in ev["access-log"]
    assert "TMO002" in _related_codes(d)
