"""``traefik-doctor serve``: the Prometheus exporter.

Rendering and configuration are pure data (first tests). The HTTP server's bounds and the
re-check on a file change run in this process. Then one real system for the module: the
real Traefik 3.7 with Python backends on loopback (a healthy one, a closed port, a TLS
router with a trustme certificate of known notAfter, an https backend), ``serve`` as a
subprocess with two targets (that project, probed every second, and a copy of
``examples/broken-app``, checked only), and Debian's real ``prometheus`` scraping it; the
tests query Prometheus' API, scrape ``serve`` directly, and run every query of the Grafana
dashboard and of the alert rules on the real Prometheus. Every process and server started
here is stopped here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from traefik_doctor.cli import build_parser, main
from traefik_doctor.errors import UsageError
from traefik_doctor.findings import Finding, Location, Severity
from traefik_doctor.probes.result import ProbeResult
from traefik_doctor.serve import server as serve_server
from traefik_doctor.serve.config import load_config
from traefik_doctor.serve.exporter import FINDING_SERIES_CAP, NAMES, render
from traefik_doctor.serve.loop import Exporter
from traefik_doctor.serve.state import (
    BackendSample,
    CheckState,
    LiveSample,
    ProbeState,
    RouterSample,
    TargetState,
    backend_up,
    router_verdict,
    safe_url,
)
from traefik_lab import free_port, run_traefik, wait_for_api

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BROKEN = ROOT / "examples" / "broken-app"
PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"
WAIT = 20.0


def _samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    out: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out.setdefault(sample.name, []).append((dict(sample.labels), sample.value))
    return out


def _value(
    samples: dict[str, list[tuple[dict[str, str], float]]], metric: str, /, **labels: str
) -> float:
    found = [
        v for ls, v in samples.get(metric, []) if all(ls.get(k) == x for k, x in labels.items())
    ]
    assert len(found) == 1, f"{metric}{labels}: {found} in {samples.get(metric)}"
    return found[0]


def _finding(code: str, severity: Severity, path: str, line: int, message: str = "m") -> Finding:
    return Finding(code, f"name-{code.lower()}", severity, message, Location(path, line, 3))


# -- rendering: pure data -----------------------------------------------------------------


def test_render_fake_results_parses_and_says_what_it_should() -> None:
    findings = (
        _finding("RTR007", Severity.ERROR, "dynamic/routers.yml", 6, "password=hunter2 here"),
        _finding("RTR007", Severity.ERROR, "dynamic/routers.yml", 9),
        _finding("SVC004", Severity.WARNING, "dynamic/services.yml", 3),
        _finding("SVC004", Severity.WARNING, "dynamic/services.yml", 3),  # same line: one series
    )
    check = CheckState(when=1700000000.0, duration=0.25, success=True, findings=findings)
    probe = ProbeState(
        when=1700000001.0,
        duration=0.5,
        routers=(
            RouterSample("ok@file", "web", True, 200, (("connect", 0.001), ("processing", 0.01))),
            RouterSample("down@file", "web", False, 502, (("connect", 0.002),), "status_5xx"),
            RouterSample(
                "tls@file",
                "websecure",
                True,
                200,
                (("connect", 0.001), ("tls", 0.004)),
                host="tls.test",
                cert_not_after=1800000000.0,
            ),
            RouterSample("gone@file", "web", False, None, (), "connection_refused"),
        ),
        backends=(
            BackendSample("ok@file", "http://user:secret@127.0.0.1:8081/path?token=x", True),
            BackendSample("down@file", "https://10.0.0.1:8443", False, cert_not_after=1.5e9),
        ),
        entry_points=(("web", True), ("websecure", False)),
        api_up=True,
        live=(
            LiveSample("LIVE004", "error", router="down@file"),
            LiveSample("LIVE018", "warning", service="svc@file"),
            LiveSample("LIVE018", "warning", service="svc@file"),
        ),
    )
    states = [TargetState("edge", check, probe), TargetState("idle")]
    text = render(states, version="9.9.9").decode()
    assert "hunter2" not in text and "secret" not in text and "token" not in text
    s = _samples(text)  # the official parser reads it
    assert set(s) <= NAMES
    assert _value(s, "traefik_doctor_build_info", version="9.9.9") == 1
    assert _value(s, "traefik_doctor_check_success", target="edge") == 1
    assert _value(s, "traefik_doctor_check_duration_seconds", target="edge") == 0.25
    assert _value(s, "traefik_doctor_last_check_timestamp_seconds", target="edge") == 1.7e9
    assert _value(s, "traefik_doctor_findings", target="edge", code="RTR007") == 2
    assert _value(s, "traefik_doctor_findings", code="SVC004", name="name-svc004") == 2
    assert _value(s, "traefik_doctor_findings_by_severity", severity="error") == 2
    assert _value(s, "traefik_doctor_findings_by_severity", severity="info") == 0
    assert _value(s, "traefik_doctor_finding", code="SVC004", line="3") == 2
    assert _value(s, "traefik_doctor_finding", file="dynamic/routers.yml", line="6") == 1
    assert _value(s, "traefik_doctor_probe_success", router="ok@file", entrypoint="web") == 1
    assert _value(s, "traefik_doctor_probe_success", router="down@file") == 0
    assert _value(s, "traefik_doctor_probe_failure", router="down@file", reason="status_5xx") == 1
    assert _value(s, "traefik_doctor_probe_failure", router="gone@file") == 1
    assert not [x for x in s["traefik_doctor_probe_failure"] if x[0]["router"] == "ok@file"]
    assert _value(s, "traefik_doctor_probe_status_code", router="gone@file") == 0
    assert (
        _value(s, "traefik_doctor_probe_duration_seconds", router="tls@file", phase="tls") == 0.004
    )
    phases = {ls["phase"] for ls, _ in s["traefik_doctor_probe_duration_seconds"]}
    assert phases == {"connect", "processing", "tls"}
    assert _value(s, "traefik_doctor_cert_expiry_timestamp_seconds", host="tls.test") == 1.8e9
    assert _value(s, "traefik_doctor_backend_up", url="http://127.0.0.1:8081") == 1
    assert _value(s, "traefik_doctor_backend_up", service="down@file") == 0
    assert (
        _value(s, "traefik_doctor_backend_cert_expiry_timestamp_seconds", service="down@file")
        == 1.5e9
    )
    assert _value(s, "traefik_doctor_entrypoint_up", entrypoint="websecure") == 0
    assert _value(s, "traefik_doctor_api_up", target="edge") == 1
    assert _value(s, "traefik_doctor_live_finding", code="LIVE004", router="down@file") == 1
    assert _value(s, "traefik_doctor_live_finding", code="LIVE018", service="svc@file") == 2
    assert _value(s, "traefik_doctor_probe_run_success", target="edge") == 1
    # A target with no run yet has no series (no made-up zeros).
    assert not [1 for series in s.values() for ls, _ in series if ls.get("target") == "idle"]


def test_finding_series_are_capped_counts_are_not() -> None:
    many = tuple(_finding("SVC004", Severity.WARNING, "dynamic/big.yml", n) for n in range(1, 1501))
    check = CheckState(1.0, 0.1, True, many)
    s = _samples(render([TargetState("big", check)]).decode())
    assert len(s["traefik_doctor_finding"]) == FINDING_SERIES_CAP
    assert _value(s, "traefik_doctor_findings", code="SVC004") == 1500


def test_failed_check_and_probe_run() -> None:
    check = CheckState(1.0, 0.1, False, (), error="x does not exist")
    probe = ProbeState(2.0, 0.0, error="OSError: boom")
    s = _samples(render([TargetState("t", check, probe)]).decode())
    assert _value(s, "traefik_doctor_check_success", target="t") == 0
    assert _value(s, "traefik_doctor_probe_run_success", target="t") == 0
    assert _value(s, "traefik_doctor_findings_by_severity", severity="error") == 0


def _result(success: bool = True, failure: str | None = None, **obs: object) -> ProbeResult:
    return ProbeResult("router", "GET x", success, 0.1, failure=failure, observations=obs)


def test_router_verdict() -> None:
    assert router_verdict(_result(status=200)) == (True, None)
    assert router_verdict(_result(status=401)) == (True, None)  # an auth middleware works
    assert router_verdict(_result(status=404, traefik_generated=False)) == (True, None)
    assert router_verdict(_result(status=404, traefik_generated=True)) == (False, "no_router")
    assert router_verdict(_result(status=503)) == (False, "status_5xx")
    assert router_verdict(_result(False, "timeout")) == (False, "timeout")


def test_backend_up_and_safe_url() -> None:
    tcp_ok, tcp_no = _result(), _result(False, "connection_refused")
    assert backend_up(tcp_ok, None, None)
    assert not backend_up(tcp_no, None, None)
    assert not backend_up(tcp_ok, _result(False, "tls_verify"), None)
    assert not backend_up(tcp_ok, None, _result(status=503))
    assert backend_up(tcp_ok, _result(), _result(status=204))
    assert safe_url("https://u:p@[::1]:8443/x?y=1") == "https://[::1]:8443"
    assert safe_url("not a url") == ""


# -- configuration ------------------------------------------------------------------------


def test_config_folder_is_one_target(tmp_path: Path) -> None:
    config = load_config(tmp_path, interval=2.0, probe=False)
    (target,) = config.targets
    assert target.name == tmp_path.name and target.path == tmp_path.resolve()
    assert target.interval == 2.0 and not target.probe and target.timeout == 5.0


def test_config_toml(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    file = tmp_path / "conf" / "serve.toml"
    file.write_text(
        """
interval = 10
recheck = 0
[[target]]
path = "../proj"
entrypoints = { web = "http://traefik:80/" }
ca = "ca.pem"
select = ["RTR"]
[[target]]
name = "other"
path = "/srv/x"
probe = false
timeout = 1.5
""",
        encoding="utf-8",
    )
    config = load_config(file, timeout=3.0)
    first, second = config.targets
    assert first.name == "proj" and first.path == (tmp_path / "proj").resolve()
    assert first.entry_points == {"web": "http://traefik:80"}
    assert first.ca == (tmp_path / "conf" / "ca.pem").resolve()
    assert first.interval == 10 and first.timeout == 3.0 and first.select == ("RTR",)
    assert second.name == "other" and not second.probe and second.timeout == 3.0
    assert config.recheck == 0


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[[target]]\npath = 'a'\nintervall = 3\n", "unknown key `intervall`"),
        ("interval = 3\n", "no [[target]]"),
        ("[[target]]\nname = 'x'\n", "`path`"),
        ("[[target]]\npath = 'a'\n[[target]]\npath = 'b/a'\n", "two targets are named `a`"),
        ("[[target]]\npath = 'a'\nentrypoints = {web = 'nope'}\n", "NAME=URL"),
        ("[[target]]\npath = 'a'\ninterval = 0\n", "interval"),
        ("[[target]]\npath = 'a'\nprofile = 'staging'\n", "dev or prod"),
        ("entryPoints:\n  web: {}\n", "not a serve configuration"),
    ],
)
def test_config_errors(tmp_path: Path, text: str, needle: str) -> None:
    file = tmp_path / "serve.toml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=re.escape(needle)):
        load_config(file)


def test_cli_once_and_usage_errors(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "broken-app"
    shutil.copytree(BROKEN, project)
    assert main(["serve", "--config", str(project), "--once", "--no-probe"]) == 0
    s = _samples(capfd.readouterr().out)
    assert _value(s, "traefik_doctor_findings", target="broken-app", code="RTR007") == 1
    assert "traefik_doctor_probe_run_success" not in s
    assert main(["serve", "--config", str(tmp_path / "missing")]) == 2
    assert "no such file or directory" in capfd.readouterr().err
    assert main(["serve", "--config", str(project), "--listen", "nowhere"]) == 2
    assert "--listen expects HOST:PORT" in capfd.readouterr().err


def test_help_lists_every_metric(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capfd.readouterr().out
    for name in NAMES:
        short = name.removeprefix("traefik_doctor")
        assert name in out or short in out, name


# -- deploy/: manifests and the dashboard ---------------------------------------------------


def _exprs_in_dashboard() -> list[str]:
    data = json.loads((DEPLOY / "grafana-dashboard.json").read_text(encoding="utf-8"))
    exprs = [t["expr"] for panel in data["panels"] for t in panel.get("targets", [])]
    exprs.extend(v["definition"] for v in data["templating"]["list"] if v.get("type") == "query")
    return exprs


def _manifests() -> dict[str, dict[str, Any]]:
    docs = list(yaml.safe_load_all((DEPLOY / "kubernetes.yaml").read_text(encoding="utf-8")))
    return {doc["kind"]: doc for doc in docs if doc}


def _alert_exprs() -> list[str]:
    rules = _manifests()["PrometheusRule"]["spec"]["groups"][0]["rules"]
    return [str(rule["expr"]) for rule in rules]


def test_dashboard_queries_use_real_metric_names() -> None:
    data = json.loads((DEPLOY / "grafana-dashboard.json").read_text(encoding="utf-8"))
    assert data["uid"] == "traefik-doctor" and data["panels"]
    exprs = _exprs_in_dashboard() + _alert_exprs()
    used = {name for expr in exprs for name in re.findall(r"\btraefik_doctor_[a-z_]+", expr)}
    assert used and used <= NAMES, used - NAMES
    # Every family shows up somewhere (build_info aside).
    assert NAMES - used <= {"traefik_doctor_build_info"}, NAMES - used


def test_kubernetes_manifests_fit_together(tmp_path: Path) -> None:
    kinds = _manifests()
    assert set(kinds) == {"ConfigMap", "Deployment", "Service", "ServiceMonitor", "PrometheusRule"}
    deployment, service, monitor = kinds["Deployment"], kinds["Service"], kinds["ServiceMonitor"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    assert (
        monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    )
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    port_names = {p["name"] for p in container["ports"]}
    assert service["spec"]["ports"][0]["targetPort"] in port_names
    assert monitor["spec"]["endpoints"][0]["port"] == service["spec"]["ports"][0]["name"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    args = build_parser().parse_args(container["args"])
    assert args.command == "serve" and args.listen == ":9725"
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert str(args.config).startswith(mounts["serve-config"] + "/")
    # The ConfigMap's serve.toml is deploy/serve.toml's settings, and both load.
    file = tmp_path / "serve.toml"
    file.write_text(kinds["ConfigMap"]["data"][args.config.name], encoding="utf-8")
    from_map = load_config(file)
    from_file = load_config(DEPLOY / "serve.toml")
    assert from_map.targets == from_file.targets
    assert from_map.targets[0].path == Path(mounts["traefik-config"])
    assert tomllib.loads((DEPLOY / "serve.toml").read_text(encoding="utf-8"))["interval"] == 30


# -- the HTTP server and the loop, in this process -----------------------------------------


@contextlib.contextmanager
def _no_leftover_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    os_threads = len(os.listdir("/proc/self/task"))
    yield
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and (
        set(threading.enumerate()) - before or len(os.listdir("/proc/self/task")) > os_threads
    ):
        time.sleep(0.05)
    assert set(threading.enumerate()) <= before, "threads left behind"
    assert len(os.listdir("/proc/self/task")) <= os_threads, "OS threads left behind"


def _raw(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        with contextlib.suppress(OSError):
            sock.sendall(data)
        chunks = []
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)


def _wait(predicate: Callable[[], bool], timeout: float = WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError, KeyError, urllib.error.URLError):
            if predicate():
                return True
        time.sleep(0.1)
    return False


def test_http_server_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "p"
    shutil.copytree(BROKEN, project)
    monkeypatch.setattr(serve_server._Handler, "timeout", 0.5)
    with _no_leftover_threads():
        exporter = Exporter(load_config(project, probe=False), render=render)
        server = serve_server.ExporterServer(("127.0.0.1", 0), exporter)
        port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, args=(0.05,))
        thread.start()
        exporter.start()
        try:
            assert _wait(lambda: b"RTR007" in exporter.body)
            answer = _raw(port, b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            head, _, body = answer.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.0 200") and b"version=0.0.4" in head
            assert b'traefik_doctor_findings{code="RTR007"' in body
            head_only = _raw(port, b"HEAD /metrics HTTP/1.0\r\n\r\n")
            assert head_only.startswith(b"HTTP/1.0 200") and head_only.endswith(b"\r\n\r\n")
            health = _raw(port, b"GET /healthz HTTP/1.0\r\n\r\n").partition(b"\r\n\r\n")
            assert health[0].startswith(b"HTTP/1.0 200")
            info = json.loads(health[2])
            assert info["status"] == "ok" and info["targets"]["p"]["last_check"]
            assert _raw(port, b"GET / HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.0 404")
            assert _raw(port, b"GET /metricsx HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.0 404")
            assert _raw(port, b"POST /metrics HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.0 501")
            # A request head over the limit: dropped without an answer.
            huge = b"GET /metrics HTTP/1.0\r\n" + b"X-Pad: " + b"a" * 20000 + b"\r\n\r\n"
            assert _raw(port, huge) == b""
            # A client that sends nothing is dropped after the timeout.
            started = time.monotonic()
            assert _raw(port, b"") == b""
            assert time.monotonic() - started < 4
            # At the connection cap, one more gets a 503 at once.
            assert _wait(lambda: server.active == 0)
            server.max_connections = 1
            with socket.create_connection(("127.0.0.1", port)) as idle:
                time.sleep(0.2)  # accepted, holding the only slot
                assert _raw(port, b"GET /metrics HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.0 503")
                idle.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
                assert idle.recv(100).startswith(b"HTTP/1.0 200")
        finally:
            server.shutdown()
            thread.join()
            server.server_close()
            exporter.stop()
        assert not exporter.alive()
        status, text = serve_server.health(exporter)
        assert status == 503 and b'"stopped"' in text


def test_check_again_when_a_file_changes(tmp_path: Path) -> None:
    project = tmp_path / "app"
    shutil.copytree(BROKEN, project)
    routers = project / "dynamic" / "routers.yml"
    with _no_leftover_threads():
        exporter = Exporter(load_config(project, probe=False), render=render)
        exporter.start()
        try:
            assert _wait(lambda: b'code="RTR007"' in exporter.body)
            assert _wait(lambda: exporter.loops[0].roots != [])  # the watcher is set up
            time.sleep(0.8)  # and live
            text = routers.read_text(encoding="utf-8")
            assert "service: api-svc" in text
            routers.write_text(text.replace("service: api-svc", "service: api"), "utf-8")
            assert _wait(lambda: b'code="RTR007"' not in exporter.body), exporter.body.decode()
            state = exporter.states()["app"]
            assert state.check is not None and state.check.success and state.probe is None
        finally:
            exporter.stop()


# -- the real system: Traefik, backends, serve, Prometheus ---------------------------------


class _Ok(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")


@contextlib.contextmanager
def _backend(tls: ssl.SSLContext | None = None) -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    server.daemon_threads = True
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,))
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


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
log: {{level: INFO, noColor: true, filePath: {run}/traefik.log}}
accessLog:
  filePath: {run}/access.json
  format: json
  fields: {{headers: {{names: {{X-Diag-Id: keep}}}}}}
providers:
  file: {{directory: dyn}}
"""


def _dynamic(ok: int, closed: int, secure: int) -> str:
    return f"""\
http:
  routers:
    r-ok: {{rule: "Host(`ok.test`)", service: svc-ok, entryPoints: [web]}}
    r-closed: {{rule: "Host(`closed.test`)", service: svc-closed, entryPoints: [web]}}
    r-tls: {{rule: "Host(`tls.test`)", service: svc-ok, entryPoints: [websecure], tls: {{}}}}
    r-backtls: {{rule: "Host(`backtls.test`)", service: svc-backtls, entryPoints: [web]}}
  services:
    svc-ok: {{loadBalancer: {{servers: [{{url: "http://127.0.0.1:{ok}"}}]}}}}
    svc-closed: {{loadBalancer: {{servers: [{{url: "http://127.0.0.1:{closed}"}}]}}}}
    svc-backtls:
      loadBalancer:
        serversTransport: internal-ca
        servers: [{{url: "https://127.0.0.1:{secure}"}}]
  serversTransports:
    internal-ca: {{rootCAs: [ca.pem]}}
tls:
  certificates:
    - {{certFile: tls.crt, keyFile: tls.key}}
"""


@dataclass
class System:
    serve_port: int
    prometheus: str
    not_after: float
    backend_not_after: float
    serve: subprocess.Popen[bytes]
    serve_log: Path

    def scrape(self) -> str:
        url = f"http://127.0.0.1:{self.serve_port}/metrics"
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode())

    def query(self, expr: str) -> list[dict[str, Any]]:
        url = f"{self.prometheus}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        with urllib.request.urlopen(url, timeout=5) as response:
            data = json.loads(response.read())
        assert data["status"] == "success", data
        return list(data["data"]["result"])


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=2) as response:
        return json.loads(response.read())


@contextlib.contextmanager
def _process(args: list[str], log: Path, **kwargs: Any) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as sink:
        process = subprocess.Popen(args, stdout=sink, stderr=subprocess.STDOUT, **kwargs)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def _cert_files(project: Path) -> tuple[ssl.SSLContext, float, float]:
    import trustme

    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(project / "ca.pem"))
    expiry = (dt.datetime.now(dt.UTC) + dt.timedelta(days=40)).replace(microsecond=0)
    leaf = ca.issue_cert("tls.test", not_after=expiry)
    (project / "tls.crt").write_bytes(b"".join(pem.bytes() for pem in leaf.cert_chain_pems))
    (project / "tls.key").write_bytes(leaf.private_key_pem.bytes())
    backend_expiry = (dt.datetime.now(dt.UTC) + dt.timedelta(days=90)).replace(microsecond=0)
    backend_cert = ca.issue_cert("127.0.0.1", not_after=backend_expiry)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    backend_cert.configure_cert(context)
    return context, expiry.timestamp(), backend_expiry.timestamp()


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    if not Path(PROMETHEUS).exists():
        pytest.fail("prometheus is missing: apt-get install -y prometheus (.ci/run does)")
    base = tmp_path_factory.mktemp("serve")
    project, run, broken = base / "shop", base / "run", base / "broken-app"
    (project / "dyn").mkdir(parents=True)
    run.mkdir()
    shutil.copytree(BROKEN, broken)
    backend_tls, not_after, backend_not_after = _cert_files(project)
    web, websecure, api, closed = free_port(), free_port(), free_port(), free_port()
    serve_port, prom_port = free_port(), free_port()
    static = project / "traefik.yml"
    static.write_text(_static(web, websecure, api, run), encoding="utf-8")
    config = base / "serve.toml"
    config.write_text(
        f"""\
interval = 1
timeout = 2
[[target]]
name = "shop"
path = "{project}"
ca = "{project / "ca.pem"}"
go = false
[[target]]
path = "{broken}"
probe = false
""",
        encoding="utf-8",
    )
    (run / "prometheus.yml").write_text(
        f"""\
global: {{scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}}
scrape_configs:
  - job_name: traefik-doctor
    static_configs: [{{targets: ["127.0.0.1:{serve_port}"]}}]
""",
        encoding="utf-8",
    )
    with _backend() as ok, _backend(backend_tls) as secure:
        (project / "dyn" / "app.yml").write_text(_dynamic(ok, closed, secure), encoding="utf-8")
        with run_traefik(static, run, api, cwd=project) as traefik:
            assert wait_for_api(traefik), traefik.log()
            assert _wait(lambda: len(traefik.routers()) >= 4, 10), traefik.log()
            serve_log = run / "serve.log"
            serve_args = [sys.executable, "-m", "traefik_doctor", "serve"]
            serve_args += ["--config", str(config), "--listen", f"127.0.0.1:{serve_port}"]
            prometheus_args = [
                PROMETHEUS,
                f"--config.file={run / 'prometheus.yml'}",
                f"--storage.tsdb.path={run / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{prom_port}",
                "--log.level=warn",
            ]
            with (
                _process(serve_args, serve_log) as serve,
                _process(prometheus_args, run / "prometheus.log", cwd=run) as prometheus,
            ):
                found = System(
                    serve_port,
                    f"http://127.0.0.1:{prom_port}",
                    not_after,
                    backend_not_after,
                    serve,
                    serve_log,
                )
                healthz = f"http://127.0.0.1:{serve_port}/healthz"
                assert _wait(lambda: _get_json(healthz)["status"] == "ok"), serve_log.read_text()

                def scraped() -> bool:
                    targets = _get_json(f"{found.prometheus}/api/v1/targets")["data"]
                    return any(t["health"] == "up" for t in targets["activeTargets"])

                assert _wait(scraped), (run / "prometheus.log").read_text()
                yield found
                serve.send_signal(signal.SIGTERM)
                assert serve.wait(15) == 0, serve_log.read_text()
                prometheus.send_signal(signal.SIGTERM)
                assert prometheus.wait(15) == 0


def _by(result: list[dict[str, Any]], label: str) -> dict[str, float]:
    return {r["metric"][label]: float(r["value"][1]) for r in result}


@pytest.mark.traefik
@pytest.mark.slow
def test_prometheus_scrapes_check_findings(system: System) -> None:
    query = 'traefik_doctor_findings{target="broken-app",code="RTR007"}'
    assert _wait(lambda: bool(system.query(query)))
    (series,) = system.query(query)
    assert series["metric"]["job"] == "traefik-doctor"
    assert series["metric"]["severity"] == "error"
    assert series["metric"]["name"] == "undefined-service"
    assert float(series["value"][1]) == 1
    errors = system.query('traefik_doctor_findings_by_severity{target="broken-app"}')
    assert _by(errors, "severity")["error"] >= 10
    where = system.query('traefik_doctor_finding{target="broken-app",code="RTR007"}')
    assert [s["metric"]["file"] for s in where] == ["dynamic/routers.yml"]
    assert _by(system.query("traefik_doctor_check_success"), "target") == {
        "broken-app": 1,
        "shop": 1,
    }
    # A check-only target has no probe series.
    assert not system.query('traefik_doctor_probe_run_success{target="broken-app"}')


@pytest.mark.traefik
@pytest.mark.slow
def test_prometheus_scrapes_live_probes(system: System) -> None:
    def all_routers() -> bool:
        return len(system.query('traefik_doctor_probe_success{target="shop"}')) == 4

    assert _wait(all_routers), system.scrape()
    success = _by(system.query('traefik_doctor_probe_success{target="shop"}'), "router")
    assert success == {"r-ok@file": 1, "r-closed@file": 0, "r-tls@file": 1, "r-backtls@file": 1}
    failure = system.query('traefik_doctor_probe_failure{target="shop"}')
    assert [(f["metric"]["router"], f["metric"]["reason"]) for f in failure] == [
        ("r-closed@file", "status_5xx")
    ]
    codes = _by(system.query('traefik_doctor_probe_status_code{target="shop"}'), "router")
    assert codes["r-closed@file"] == 502 and codes["r-ok@file"] == 200
    live = system.query('traefik_doctor_live_finding{target="shop",code="LIVE004"}')
    assert [s["metric"]["router"] for s in live] == ["r-closed@file"]
    expiry = system.query('traefik_doctor_cert_expiry_timestamp_seconds{target="shop"}')
    assert [(s["metric"]["router"], s["metric"]["host"]) for s in expiry] == [
        ("r-tls@file", "tls.test")
    ]
    assert float(expiry[0]["value"][1]) == system.not_after
    up = _by(system.query('traefik_doctor_backend_up{target="shop"}'), "service")
    assert up == {"svc-ok@file": 1, "svc-closed@file": 0, "svc-backtls@file": 1}
    # Probed every second: the last probe is recent, and there were several.
    ages = system.query('time() - traefik_doctor_last_probe_timestamp_seconds{target="shop"}')
    assert float(ages[0]["value"][1]) < 10
    runs = 'changes(traefik_doctor_last_probe_timestamp_seconds{target="shop"}[1m])'
    assert _wait(lambda: float(system.query(runs)[0]["value"][1]) >= 2), system.query(runs)


@pytest.mark.traefik
@pytest.mark.slow
def test_direct_scrape_phases_and_certificates(system: System) -> None:
    s = _samples(system.scrape())
    phases = {
        (ls["router"], ls["phase"])
        for ls, v in s["traefik_doctor_probe_duration_seconds"]
        if ls["target"] == "shop" and v >= 0
    }
    for phase in ("connect", "processing", "transfer"):
        assert ("r-ok@file", phase) in phases
    assert ("r-tls@file", "tls") in phases
    assert ("r-ok@file", "tls") not in phases
    assert _value(s, "traefik_doctor_cert_expiry_timestamp_seconds", router="r-tls@file") == (
        system.not_after
    )
    assert (
        _value(
            s, "traefik_doctor_backend_cert_expiry_timestamp_seconds", service="svc-backtls@file"
        )
        == system.backend_not_after
    )
    assert _value(s, "traefik_doctor_api_up", target="shop") == 1
    eps = {ls["entrypoint"]: v for ls, v in s["traefik_doctor_entrypoint_up"]}
    assert eps == {"web": 1, "websecure": 1, "traefik": 1}
    assert _value(s, "traefik_doctor_probe_run_success", target="shop") == 1


@pytest.mark.traefik
@pytest.mark.slow
def test_every_dashboard_and_alert_query_runs_on_prometheus(system: System) -> None:
    assert _wait(lambda: bool(system.query("traefik_doctor_probe_success")))
    empty = []
    for expr in _exprs_in_dashboard() + _alert_exprs():
        if expr.startswith("label_values("):
            metric = expr.removeprefix("label_values(").split(",")[0]
            assert system.query(metric), expr
            continue
        result = system.query(expr.replace("$target", ".*"))  # the API rejects bad PromQL
        if not result:
            empty.append(expr)
    # Only the alerts may be quiet here (no certificate expires within 14 days).
    assert set(empty) <= set(_alert_exprs()), empty
