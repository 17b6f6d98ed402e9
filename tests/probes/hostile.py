"""Hostile servers on loopback for the probe tests: raw sockets, one thread per connection.

Modes:
``silent``   accepts, reads, never answers;
``drip``     answers a valid HTTP head one byte per second;
``endless``  answers a valid head, then an endless body (no Content-Length, never closes);
``garbage``  answers bytes that are neither HTTP nor TLS;
``redirect`` answers every request with ``302`` to another path, in a loop (/a -> /b -> /a);
``close``    accepts and closes at once.

Every server counts the bytes it sent (``sent``) and stops in ``close()`` (use it as a
context manager).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from types import TracebackType


class HostileServer:
    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.sent = 0
        self.connections = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.1)
        self.port = int(self._listener.getsockname()[1])
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._acceptor.join(timeout=2)
        self._listener.close()
        with self._lock:
            sockets = list(self._sockets)
        for conn in sockets:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        for thread in self._threads:
            thread.join(timeout=2)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._sockets.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _send(self, conn: socket.socket, data: bytes) -> None:
        conn.sendall(data)
        with self._lock:
            self.sent += len(data)

    def _read_head(self, conn: socket.socket) -> bytes:
        conn.settimeout(0.1)
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536 and not self._stop.is_set():
            try:
                chunk = conn.recv(4096)
            except TimeoutError:
                continue
            if not chunk:
                break
            data += chunk
        return data

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self.mode == "close":
                conn.close()
                return
            if self.mode == "garbage":
                conn.settimeout(2)
                conn.recv(4096)  # the first bytes of a request or a TLS ClientHello
                self._send(conn, b"\x00\xffSSH-2.0-not-http\x00\x01\x02 garbage garbage\r\n" * 8)
                self._stop.wait(5)
                return
            head = self._read_head(conn)
            if self.mode == "silent":
                self._stop.wait(30)
            elif self.mode == "drip":
                for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok":
                    if self._stop.wait(1.0):
                        return
                    self._send(conn, bytes([byte]))
            elif self.mode == "endless":
                self._send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
                chunk = b"x" * 65536
                while not self._stop.is_set():
                    self._send(conn, chunk)
            elif self.mode == "redirect":
                while head and not self._stop.is_set():
                    path = head.split(b" ", 2)[1] if head.count(b" ") >= 2 else b"/"
                    target = b"/b" if path == b"/a" else b"/a"
                    self._send(
                        conn,
                        b"HTTP/1.1 302 Found\r\nLocation: "
                        + target
                        + b"\r\nContent-Length: 0\r\n\r\n",
                    )
                    head = self._read_head(conn)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()


def wait_port_closed(port: int, timeout: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return True
        time.sleep(0.05)
    return False
