"""The demo's shop service in Python, for machines without Go: it answers on the wire the
way ``project/app/main.go`` does (the same routes, Go's 404 text, a connection closed
without a response when ``/slow`` outlives the 1 s WriteTimeout, a pprof index and
profiles), so that Traefik and ``probe`` see the same behaviour. The static cross-checks
still read ``main.go``.

Run as ``python -m traefik_doctor.demo.backend APP_PORT PPROF_PORT``.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GO_404 = b"404 page not found\n"
PPROF_INDEX = (
    b"<html><head><title>/debug/pprof/</title></head><body>/debug/pprof/<br>"
    b"Types of profiles available: goroutine heap</body></html>"
)


class _Shop(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, kind: str = "text/plain; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/hello":
            self._send(200, b"hello from the shop\n")
        elif path == "/api/users":
            self._send(200, b'[{"name": "ada"}]\n')
        elif path == "/slow":
            # Go's WriteTimeout (1 s) ends the connection before the 1.5 s handler answers.
            time.sleep(1.0)
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        else:
            self._send(404, GO_404)

    def do_POST(self) -> None:  # Go's handlers take any method (the report route is a POST)
        self.do_GET()


class _Pprof(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/debug/pprof/":
            body, kind = PPROF_INDEX, "text/html; charset=utf-8"
        elif path == "/debug/pprof/goroutine":
            body, kind = b"goroutine profile: total 6\n", "text/plain; charset=utf-8"
        elif path == "/debug/pprof/heap":
            body, kind = (
                b"heap profile: 0: 0 [0: 0] @ heap/1048576\n# HeapInuse = 1048576\n",
                ("text/plain; charset=utf-8"),
            )
        else:
            body, kind = GO_404, "text/plain; charset=utf-8"
        self.send_response(200 if body is not GO_404 else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main(argv: list[str]) -> int:
    app_port, pprof_port = int(argv[0]), int(argv[1])
    servers = [
        ThreadingHTTPServer(("127.0.0.1", app_port), _Shop),
        ThreadingHTTPServer(("127.0.0.1", pprof_port), _Pprof),
    ]
    for server in servers:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
