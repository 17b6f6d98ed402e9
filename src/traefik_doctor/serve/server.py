"""The exporter's HTTP server: ``/metrics``, ``/healthz``, and 404 for anything else.

The standard library's ``ThreadingHTTPServer``, bounded: at most ``MAX_CONNECTIONS``
requests are served at once (one more gets a bare 503 and is closed), a client that sends
nothing or reads nothing for ``CLIENT_TIMEOUT`` seconds is dropped, a request head longer
than ``MAX_REQUEST_BYTES`` is dropped, no request body is ever read, and every response
closes its connection (HTTP/1.0), so no thread waits on an idle keep-alive connection.
``/metrics`` writes bytes rendered beforehand (``loop.Exporter.body``): it never waits for
a check or a probe run. ``server_close()`` waits for the requests in progress (each bounded
by the timeout), so no thread outlives the server.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from traefik_doctor.errors import UsageError
from traefik_doctor.serve.exporter import CONTENT_TYPE
from traefik_doctor.serve.loop import Exporter

MAX_CONNECTIONS = 16
CLIENT_TIMEOUT = 10.0
MAX_REQUEST_BYTES = 16 * 1024
DEFAULT_PORT = 9725


def parse_listen(text: str) -> tuple[str, int]:
    """``127.0.0.1:9725``, ``:9725`` (every interface), ``[::1]:9725``, ``9725``."""
    value = text.strip()
    if value.isdigit():
        host, port_text = "", value
    else:
        host, sep, port_text = value.rpartition(":")
        if not sep:
            raise UsageError(f"--listen expects HOST:PORT, got `{text}`")
        host = host.strip("[]")
    if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise UsageError(f"--listen expects HOST:PORT with a port 0-65535, got `{text}`")
    return host, int(port_text)


class _Bounded:
    """A request stream that ends the connection once ``limit`` bytes were read."""

    def __init__(self, raw: Any, limit: int) -> None:
        self.raw = raw
        self.left = limit

    def _take(self, data: bytes) -> bytes:
        self.left -= len(data)
        if self.left < 0:
            raise ConnectionAbortedError("request head too large")
        return data

    def readline(self, size: int = -1) -> bytes:
        cap = self.left + 1 if size < 0 else min(size, self.left + 1)
        return self._take(self.raw.readline(cap))

    def read(self, size: int = -1) -> bytes:
        cap = self.left + 1 if size < 0 else min(size, self.left + 1)
        return self._take(self.raw.read(cap))

    def close(self) -> None:
        self.raw.close()


class _Handler(BaseHTTPRequestHandler):
    server: ExporterServer
    timeout = CLIENT_TIMEOUT
    protocol_version = "HTTP/1.0"
    server_version = "traefik-doctor"

    def setup(self) -> None:
        super().setup()
        self.rfile = _Bounded(self.rfile, MAX_REQUEST_BYTES)  # type: ignore[assignment]

    def handle(self) -> None:
        # A client that goes away, is too slow or sends too much: drop it, quietly.
        with contextlib.suppress(OSError, ValueError):
            super().handle()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, *, body: bool) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/metrics":
            self._send(200, CONTENT_TYPE, self.server.exporter.body, body)
        elif path == "/healthz":
            status, text = health(self.server.exporter)
            self._send(status, "application/json", text, body)
        else:
            self._send(404, "text/plain; charset=utf-8", b"404 not found: try /metrics\n", body)

    def _send(self, status: int, content_type: str, data: bytes, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(data)


def health(exporter: Exporter) -> tuple[int, bytes]:
    """200 while every target's threads run, 503 otherwise; the last check and probe times."""
    alive = exporter.alive()
    targets = {}
    for name, state in exporter.states().items():
        check, probe = state.check, state.probe
        targets[name] = {
            "last_check": _iso(check.when) if check else None,
            "check_success": check.success if check else None,
            "check_error": check.error if check else None,
            "last_probe": _iso(probe.when) if probe else None,
        }
    text = {"status": "ok" if alive else "stopped", "targets": targets}
    return (200 if alive else 503), (json.dumps(text, indent=2) + "\n").encode()


def _iso(when: float) -> str:
    return dt.datetime.fromtimestamp(when, dt.UTC).isoformat(timespec="seconds")


class ExporterServer(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins them
    block_on_close = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], exporter: Exporter) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.exporter = exporter
        self.max_connections = MAX_CONNECTIONS
        self.active = 0
        self._count = threading.Lock()
        super().__init__(address, _Handler)

    def _enter(self) -> bool:
        with self._count:
            if self.active >= self.max_connections:
                return False
            self.active += 1
            return True

    def _leave(self) -> None:
        with self._count:
            self.active -= 1

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._enter():
            with contextlib.suppress(OSError):
                request.settimeout(1.0)
                request.sendall(
                    b"HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\n"
                    b"Connection: close\r\n\r\n"
                )
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._leave()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._leave()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a broken client connection is no news; never a traceback


def serve(
    exporter: Exporter,
    host: str,
    port: int,
    stop: threading.Event,
    announce: Callable[[str], None],
) -> None:
    """Serve until ``stop`` is set, then stop the exporter's threads and the server's."""
    try:
        server = ExporterServer((host, port), exporter)
    except OSError as exc:
        raise UsageError(f"--listen {host}:{port}: {exc.strerror or exc}") from None
    raw_host, bound_port = server.server_address[:2]
    bound_host = raw_host.decode() if isinstance(raw_host, bytes) else str(raw_host)
    shown = f"[{bound_host}]" if ":" in bound_host else (bound_host or "0.0.0.0")
    thread = threading.Thread(target=server.serve_forever, args=(0.2,), name="serve-http")
    thread.start()
    try:
        exporter.start()
        announce(f"serving http://{shown}:{bound_port}/metrics and /healthz")
        while not stop.wait(0.2):
            pass
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        exporter.stop()
