"""TLS003 around "now": certificates are made at test time so the test never rots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from traefik_doctor.engine import run_check
from traefik_doctor.findings import Severity
from traefik_doctor.settings import Settings


def _project(tmp_path: Path, not_before: datetime, not_after: datetime) -> Path:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "app.example.com")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("app.example.com")]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    certs = tmp_path / "dynamic" / "certs"
    certs.mkdir(parents=True)
    (certs / "app.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (certs / "app.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (tmp_path / "traefik.yml").write_text(
        'entryPoints:\n  web:\n    address: ":8000"\nproviders:\n  file:\n    directory: dynamic\n'
    )
    (tmp_path / "dynamic" / "tls.yml").write_text(
        "tls:\n  certificates:\n"
        "    - certFile: dynamic/certs/app.crt\n      keyFile: dynamic/certs/app.key\n"
    )
    return tmp_path


NOW = datetime.now(UTC)


@pytest.mark.parametrize(
    ("not_before", "not_after", "expected"),
    [
        (NOW - timedelta(days=400), NOW - timedelta(days=1), Severity.ERROR),
        (NOW - timedelta(days=80), NOW + timedelta(days=10), Severity.WARNING),
        (NOW - timedelta(days=1), NOW + timedelta(days=365), None),
        (NOW + timedelta(days=2), NOW + timedelta(days=365), Severity.ERROR),
    ],
    ids=["expired", "expiring-in-10-days", "valid-1-year", "not-yet-valid"],
)
def test_expiry(
    tmp_path: Path, not_before: datetime, not_after: datetime, expected: Severity | None
) -> None:
    result = run_check(_project(tmp_path, not_before, not_after), Settings(select=["TLS003"]))
    assert not result.crashed
    if expected is None:
        assert result.findings == []
        return
    (finding,) = result.findings
    assert finding.severity is expected
    assert (finding.location.path, finding.location.line) == ("dynamic/tls.yml", 3)
    assert "PRIVATE KEY" not in finding.message


def test_relative_to_dynamic_file_folder(tmp_path: Path) -> None:
    """`certs/app.crt` is found beside the dynamic file (the TLS001 path lookup)."""
    project = _project(tmp_path, NOW - timedelta(days=1), NOW + timedelta(days=365))
    result = run_check(project, Settings(select=["TLS001", "TLS002"]))
    assert result.findings == []
