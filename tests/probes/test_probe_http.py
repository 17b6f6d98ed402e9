"""HTTP and TCP probes against real loopback servers, hostile ones included."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hostile import HostileServer

from traefik_doctor.probes.http import looks_traefik_generated, make_client, probe_http
from traefik_doctor.probes.result import ProbeResult
from traefik_doctor.probes.tcp import probe_tcp

TIMEOUT = 1.0
MARGIN = 0.5


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response_only(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/ok":
            self._answer(200, b'{"ok": true}', {"Content-Type": "application/json"})
        elif self.path == "/go404":  # Go's http.NotFound, byte for byte
            self._answer(
                404,
                b"404 page not found\n",
                {"Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"},
            )
        elif self.path == "/bad-gateway-json":
            self._answer(502, b'{"error": "upstream"}', {"Content-Type": "application/json"})
        elif self.path == "/bare502":  # the shape of Traefik's own 502
            self._answer(502, b"Bad Gateway", {})
        elif self.path == "/echo-host":
            self._answer(200, (self.headers.get("Host") or "").encode(), {})
        elif self.path == "/echo-headers":
            seen = {name.lower(): value for name, value in self.headers.items()}
            self._answer(200, json.dumps(seen).encode(), {})
        else:
            self._answer(404, b"nothing here", {"Content-Type": "text/html"})


@pytest.fixture
def backend() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=2)


def _run(url: str, **kwargs: object) -> ProbeResult:
    async def go() -> ProbeResult:
        client = make_client(4, TIMEOUT)
        try:
            return await probe_http(client, "GET", url, timeout=TIMEOUT, **kwargs)  # type: ignore[arg-type]
        finally:
            await client.aclose()

    return asyncio.run(go())


def test_ok_response_observations(backend: str) -> None:
    result = _run(backend + "/ok", headers={"X-Diag-Id": "abc"})
    assert result.success, result
    assert result.failure is None
    assert result.observations["status"] == 200
    assert result.observations["headers"] == {
        "content-type": "application/json",
        "content-length": "12",
    }
    assert result.observations["body_prefix"] == '{"ok": true}'
    assert result.observations["traefik_generated"] is False
    assert result.target == f"GET {backend}/ok"
    assert set(result.phases) >= {"connect", "processing", "transfer"}
    assert "tls" not in result.phases
    assert all(value >= 0 for value in result.phases.values())


def test_host_header_is_sent(backend: str) -> None:
    result = _run(backend + "/echo-host", headers={"Host": "app.test"})
    assert result.observations["body_prefix"] == "app.test"


def test_default_request_headers(backend: str) -> None:
    result = _run(backend + "/echo-headers", headers={"X-Diag-Id": "d-1"})
    seen = json.loads(str(result.observations["body_prefix"]))
    assert seen["x-diag-id"] == "d-1"
    assert seen["accept-encoding"] == "identity"
    assert seen["user-agent"] == "traefik-doctor"


def test_traefik_shape_hint(backend: str) -> None:
    # Go's 404 is byte-identical to Traefik's: the hint says "looks generated", no more.
    assert _run(backend + "/go404").observations["traefik_generated"] is True
    assert _run(backend + "/bare502").observations["traefik_generated"] is True
    assert _run(backend + "/bad-gateway-json").observations["traefik_generated"] is False
    assert _run(backend + "/other").observations["traefik_generated"] is False


def test_looks_traefik_generated_table() -> None:
    plain = {"Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"}
    assert looks_traefik_generated(503, plain, b"no available server\n")
    assert not looks_traefik_generated(503, plain, b"Service Unavailable\n")
    assert looks_traefik_generated(504, {"Content-Length": "15"}, b"Gateway Timeout")
    assert not looks_traefik_generated(504, {"Content-Type": "text/plain"}, b"Gateway Timeout")
    assert looks_traefik_generated(500, {}, b"Internal Server Error")
    assert not looks_traefik_generated(404, {}, b"404 page not found")
    assert not looks_traefik_generated(200, plain, b"ok")


def test_expect_status(backend: str) -> None:
    result = _run(backend + "/other", expect_status=(200,))
    assert not result.success
    assert result.failure == "status_code"
    assert result.observations["status"] == 404


def test_connection_refused() -> None:
    with HostileServer("close") as server:
        port = server.port
    result = _run(f"http://127.0.0.1:{port}/")
    assert result.failure == "connection_refused", result
    assert result.observations["traefik_generated"] is None


@pytest.mark.parametrize(
    ("mode", "failure"),
    [
        ("silent", "timeout"),
        ("drip", "timeout"),
        ("garbage", "not_http"),
        ("close", "connection_closed"),
    ],
)
def test_hostile_ends_within_timeout(mode: str, failure: str) -> None:
    with HostileServer(mode) as server:
        start = time.monotonic()
        result = _run(server.url + "/")
        elapsed = time.monotonic() - start
    # A server that closes at once ends in EOF or RST, depending on timing.
    allowed = {failure, "connection_reset"} if failure == "connection_closed" else {failure}
    assert result.failure in allowed, result
    assert not result.success
    assert result.detail
    assert elapsed < TIMEOUT + MARGIN
    assert result.duration <= TIMEOUT + 0.2


def test_endless_body_is_cut() -> None:
    with HostileServer("endless") as server:
        start = time.monotonic()
        result = _run(server.url + "/", max_body=10_000)
        cut = _run(server.url + "/", max_body=10_000, require_full_body=True)
        elapsed = time.monotonic() - start
    assert result.success, result
    assert result.observations["body_truncated"] is True
    assert result.observations["body_bytes"] == 10_000
    assert result.observations["traefik_generated"] is None
    assert len(str(result.observations["body_prefix"])) == 512
    assert cut.failure == "body_too_large"
    assert elapsed < 2 * (TIMEOUT + MARGIN)


def test_redirect_is_an_observation_and_a_loop_is_named() -> None:
    with HostileServer("redirect") as server:
        one = _run(server.url + "/a")
        loop = _run(server.url + "/a", max_redirects=5)
        capped = _run(server.url + "/c", max_redirects=1)
    assert one.success
    assert one.observations["status"] == 302
    assert one.observations["headers"] == {"location": "/b", "content-length": "0"}
    assert "redirects" not in one.observations
    assert loop.failure == "redirect_loop"
    assert loop.observations["redirects"] == [server.url + "/b", server.url + "/a"]
    assert capped.failure == "too_many_redirects"


def test_all_hostile_together_keep_going(backend: str) -> None:
    modes = ["silent", "drip", "endless", "garbage", "redirect", "close"]
    servers = [HostileServer(mode) for mode in modes]
    try:

        async def go() -> list[ProbeResult]:
            client = make_client(8, TIMEOUT)
            limiter = asyncio.Semaphore(8)
            try:
                probes = [
                    probe_http(
                        client,
                        "GET",
                        server.url + "/a",
                        timeout=TIMEOUT,
                        max_body=4096,
                        max_redirects=3,
                        limiter=limiter,
                    )
                    for server in servers
                ]
                probes.append(probe_http(client, "GET", backend + "/ok", timeout=TIMEOUT))
                tcp = [probe_tcp("127.0.0.1", server.port, timeout=TIMEOUT) for server in servers]
                return list(await asyncio.gather(*probes, *tcp))
            finally:
                await client.aclose()

        start = time.monotonic()
        results = asyncio.run(go())
        elapsed = time.monotonic() - start
    finally:
        for server in servers:
            server.close()
    failures = [result.failure for result in results[: len(modes) + 1]]
    if failures[5] == "connection_reset":  # EOF or RST, depending on timing
        failures[5] = "connection_closed"
    assert failures == [
        "timeout",
        "timeout",
        None,
        "not_http",
        "redirect_loop",
        "connection_closed",
        None,
    ]
    assert results[2].observations["body_bytes"] == 4096
    assert all(result.success for result in results[len(modes) + 1 :])
    assert elapsed < TIMEOUT + MARGIN


def test_tcp_probe() -> None:
    async def go(port: int) -> ProbeResult:
        return await probe_tcp("127.0.0.1", port, timeout=TIMEOUT)

    with HostileServer("silent") as server:
        ok = asyncio.run(go(server.port))
        port = server.port
    refused = asyncio.run(go(port))
    assert ok.success
    assert ok.target == f"tcp 127.0.0.1:{port}"
    assert "connect" in ok.phases
    assert refused.failure == "connection_refused"
    assert not refused.success


def test_tcp_probe_timeout() -> None:
    # A full accept queue on a listener that never accepts: SYNs go unanswered.
    import socket

    listener = socket.socket()
    fillers: list[socket.socket] = []
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        for _ in range(8):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        start = time.monotonic()
        result = asyncio.run(probe_tcp("127.0.0.1", port, timeout=0.5))
        elapsed = time.monotonic() - start
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
    if result.success:
        pytest.skip("the kernel accepted despite the full backlog")
    assert result.failure == "timeout"
    assert elapsed < 0.5 + MARGIN


def test_each_probe_sends_its_own_server_name() -> None:
    """One client probes many hosts behind one TLS entry point: a pooled connection opened
    for one SNI must not carry the next host's request (the server picks the certificate
    by SNI, so that would test the wrong certificate)."""
    import ssl

    import trustme

    seen: list[str | None] = []

    class _Ok(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("a.test", "b.test").configure_cert(context)
    context.sni_callback = lambda sock, name, ctx: seen.append(name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    url = f"https://127.0.0.1:{server.server_address[1]}/"

    async def both() -> list[ProbeResult]:
        client = make_client(4, 2.0, verify=False)
        try:
            return [
                await probe_http(client, "GET", url, timeout=2.0, sni=h, headers={"Host": h})
                for h in ("a.test", "b.test", "a.test")
            ]
        finally:
            await client.aclose()

    try:
        results = asyncio.run(both())
    finally:
        server.shutdown()
        server.server_close()
    assert all(r.success for r in results), results
    assert seen == ["a.test", "b.test", "a.test"]
