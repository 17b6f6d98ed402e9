"""TLS probe (and HTTP over TLS) against real loopback TLS servers with test-made certificates."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from hostile import HostileServer

from traefik_doctor.probes.http import make_client, probe_http
from traefik_doctor.probes.result import ProbeResult
from traefik_doctor.probes.tls import probe_tls

TIMEOUT = 1.0
MARGIN = 0.5


class TlsServer:
    """Accepts TLS on loopback, answers each request with a tiny HTTP/1.1 200, then closes."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.context = context
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.listener.settimeout(0.1)
        self.port = int(self.listener.getsockname()[1])
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                raw, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            raw.settimeout(2)
            try:
                with self.context.wrap_socket(raw, server_side=True) as conn:
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                    if data:
                        conn.sendall(
                            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                        )
            except (OSError, ssl.SSLError):
                raw.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=3)
        self.listener.close()


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def server(ca: trustme.CA) -> Iterator[TlsServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("app.test", "127.0.0.1").configure_cert(context)
    running = TlsServer(context)
    try:
        yield running
    finally:
        running.close()


def _tls(port: int, **kwargs: object) -> ProbeResult:
    return asyncio.run(probe_tls("127.0.0.1", port, timeout=TIMEOUT, **kwargs))  # type: ignore[arg-type]


def test_verified_with_ca(server: TlsServer, ca_file: Path) -> None:
    result = _tls(server.port, sni="app.test", ca=ca_file)
    assert result.success, result
    facts = result.observations
    assert facts["verified"] is True
    assert facts["chain_length"] == 1  # trustme's leaf is signed by the root directly
    assert facts["sans"] == ["app.test", "127.0.0.1"]
    assert facts["self_signed"] is False
    assert facts["traefik_default_cert"] is False
    assert facts["expired"] is False
    assert isinstance(facts["days_left"], float) and facts["days_left"] > 300
    assert "O=trustme" in str(facts["issuer"])
    assert facts["protocol"] in ("TLSv1.2", "TLSv1.3")
    assert set(result.phases) == {"connect", "tls"}


def test_verification_against_ip(server: TlsServer, ca_file: Path) -> None:
    assert _tls(server.port, ca=ca_file).success


def test_unknown_issuer_without_ca(server: TlsServer) -> None:
    result = _tls(server.port, sni="app.test")
    assert result.failure == "tls_verify", result
    assert result.observations["verify_error"] == "unknown_issuer"
    assert "unable to get local issuer certificate" in str(result.detail)
    # The presented certificate is still described.
    assert result.observations["sans"] == ["app.test", "127.0.0.1"]
    assert result.observations["verified"] is False


def test_wrong_hostname(server: TlsServer, ca_file: Path) -> None:
    result = _tls(server.port, sni="other.test", ca=ca_file)
    assert result.failure == "tls_verify"
    assert result.observations["verify_error"] == "hostname_mismatch"
    assert "other.test" in str(result.detail)


def test_no_verify_reads_certificate(server: TlsServer) -> None:
    result = _tls(server.port, sni="app.test", verify=False)
    assert result.success
    assert result.observations["verified"] is False
    assert result.observations["subject_cn"] is None
    assert result.observations["chain_length"] == 1


def _expired_cert(tmp_path: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "old.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=30))
        .not_valid_after(now - dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("old.test")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = tmp_path / "old.pem"
    key_path = tmp_path / "old.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_expired_certificate(tmp_path: Path) -> None:
    cert_path, key_path = _expired_cert(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert_path), str(key_path))
    running = TlsServer(context)
    try:
        result = _tls(running.port, sni="old.test", ca=cert_path)
        self_signed = _tls(running.port, sni="old.test")
    finally:
        running.close()
    assert result.failure == "tls_verify", result
    assert result.observations["verify_error"] == "expired"
    assert result.observations["expired"] is True
    assert -3 < float(result.observations["days_left"]) < -1  # type: ignore[arg-type]
    assert self_signed.failure == "tls_verify"
    assert self_signed.observations["verify_error"] == "self_signed"
    assert self_signed.observations["self_signed"] is True


@pytest.mark.parametrize(
    ("mode", "failure"),
    [("garbage", "tls_handshake"), ("close", "tls_handshake"), ("silent", "timeout")],
)
def test_hostile_tls(mode: str, failure: str) -> None:
    with HostileServer(mode) as hostile:
        start = time.monotonic()
        result = _tls(hostile.port, sni="app.test")
        elapsed = time.monotonic() - start
    assert result.failure == failure, result
    assert result.detail
    assert elapsed < TIMEOUT + MARGIN


def test_tls_probe_refused() -> None:
    with HostileServer("close") as hostile:
        port = hostile.port
    assert _tls(port).failure == "connection_refused"


def test_http_over_tls_with_sni(server: TlsServer, ca_file: Path) -> None:
    url = f"https://127.0.0.1:{server.port}/"

    async def go() -> list[ProbeResult]:
        trusted = make_client(2, TIMEOUT, ca=ca_file)
        untrusted = make_client(2, TIMEOUT)
        try:
            return list(
                await asyncio.gather(
                    probe_http(trusted, "GET", url, timeout=TIMEOUT, sni="app.test"),
                    probe_http(trusted, "GET", url, timeout=TIMEOUT, sni="other.test"),
                    probe_http(untrusted, "GET", url, timeout=TIMEOUT, sni="app.test"),
                )
            )
        finally:
            await trusted.aclose()
            await untrusted.aclose()

    ok, wrong_name, unknown_ca = asyncio.run(go())
    assert ok.success, ok
    assert ok.observations["status"] == 200
    assert "tls" in ok.phases
    assert wrong_name.failure == "tls_verify"
    assert unknown_ca.failure == "tls_verify"


def test_http_probe_garbage_instead_of_tls() -> None:
    with HostileServer("garbage") as hostile:

        async def go() -> ProbeResult:
            client = make_client(1, TIMEOUT)
            try:
                url = f"https://127.0.0.1:{hostile.port}/"
                return await probe_http(client, "GET", url, timeout=TIMEOUT)
            finally:
                await client.aclose()

        start = time.monotonic()
        result = asyncio.run(go())
        elapsed = time.monotonic() - start
    assert result.failure == "tls_handshake", result
    assert elapsed < TIMEOUT + MARGIN
