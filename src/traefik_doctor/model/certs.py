"""Reading the certificates and keys a dynamic configuration names.

A ``certFile``/``keyFile`` value is either a path or inline PEM text: Traefik reads the value as
a file when one exists there and otherwise takes the text itself as PEM (fault catalog TLS001),
so a mistyped path becomes "PEM" that does not parse. ``read_certificate`` and ``read_key``
follow that rule and never raise: they return a frozen summary with an ``error`` string.

Relative paths are looked up beside the file that names them first, then in the project root
(Traefik itself resolves them against its working directory, usually the project root).

Private keys are parsed only to compute the fingerprint of their public half; no key material
is kept, returned or printed. ``cryptography`` is imported inside the functions so that
importing this module (and ``traefik-doctor --version``) stays fast.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from traefik_doctor.model.project import Project, Role
from traefik_doctor.model.values import Value, section, value
from traefik_doctor.source import Origin

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

MAX_BYTES = 1024 * 1024
"""Files above 1 MiB are refused: no certificate or key is that large."""

_PEM_CERT = re.compile(rb"-----BEGIN CERTIFICATE-----\s.*?-----END CERTIFICATE-----", re.DOTALL)


@dataclass(frozen=True, slots=True)
class CertInfo:
    """The leaf certificate of a PEM bundle, or why it could not be read."""

    origin: str  # "file" or "inline"
    path: Path | None = None
    error: str | None = None
    subject: str = ""
    common_name: str = ""
    issuer: str = ""
    dns_names: tuple[str, ...] = ()
    ip_addresses: tuple[str, ...] = ()
    not_before: datetime | None = None
    not_after: datetime | None = None
    is_self_signed: bool = False
    chain_length: int = 0
    public_key_fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None

    def names(self) -> tuple[str, ...]:
        """What Traefik matches SNI against: the common name, DNS SANs and IP SANs."""
        out = [*self.dns_names, *self.ip_addresses]
        if self.common_name and self.common_name not in out:
            out.append(self.common_name)
        return tuple(out)

    def covers(self, host: str) -> bool:
        return any(name_covers(name, host) for name in self.names())


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """The fingerprint of a private key's public half, or why it could not be read."""

    origin: str
    path: Path | None = None
    error: str | None = None
    public_key_fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


def name_covers(name: str, host: str) -> bool:
    """Does a certificate name (``*.example.com`` matches one label) cover ``host``?"""
    name = name.strip().lower().rstrip(".")
    host = host.strip().lower().rstrip(".")
    if not name or not host:
        return False
    if name == host:
        return True
    if name.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and head != "*" and rest == name[2:]
    return False


def locate(text: str, base_dirs: tuple[Path, ...]) -> Path | None:
    """The file a ``certFile``/``keyFile`` value names, or None (then Traefik reads it as PEM)."""
    stripped = text.strip()
    if not stripped or "-----BEGIN" in stripped or "\n" in stripped:
        return None
    try:
        candidate = Path(stripped)
        if candidate.is_absolute():
            return candidate if candidate.is_file() else None
        for base in base_dirs:
            found = base / candidate
            if found.is_file():
                return found
    except (OSError, ValueError):
        return None
    return None


def looks_inline(text: str) -> bool:
    return "-----BEGIN" in text


def _load(
    text: str, base_dirs: tuple[Path, ...], *, secret: bool = False
) -> tuple[str, Path | None, bytes | None, str | None]:
    path = locate(text, base_dirs)
    if path is None:
        if looks_inline(text):
            return "inline", None, text.encode(), None
        if secret or not _path_like(text):  # never echo what may be key material
            return (
                "inline",
                None,
                None,
                "the value is not an existing file, so Traefik reads it as inline PEM,"
                " which it is not",
            )
        return (
            "inline",
            None,
            None,
            f"`{_short(text)}` is not an existing file, so Traefik reads it as inline PEM,"
            " which it is not",
        )
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return "file", path, None, f"{path.name} is {size} bytes, larger than 1 MiB"
        return "file", path, path.read_bytes(), None
    except OSError as exc:
        return "file", path, None, f"cannot read {path.name}: {exc.strerror or exc}"


def _path_like(text: str) -> bool:
    stripped = text.strip()
    return 0 < len(stripped) <= 255 and not any(c.isspace() for c in stripped)


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 60 else text[:57] + "..."


def read_certificate(text: str, base_dirs: tuple[Path, ...] = ()) -> CertInfo:
    """Parse the certificate (bundle) a ``certFile`` value names or contains."""
    origin, path, data, error = _load(text, base_dirs)
    if data is None:
        return CertInfo(origin, path, error or "no data")
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    blocks = _PEM_CERT.findall(data)
    if not blocks:
        where = path.name if path is not None else "the inline value"
        return CertInfo(origin, path, f"{where} holds no PEM certificate")
    try:
        leaf = x509.load_pem_x509_certificate(blocks[0])
    except ValueError as exc:
        return CertInfo(origin, path, f"the PEM certificate does not parse ({_reason(exc)})")
    try:
        sans = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns = tuple(sans.get_values_for_type(x509.DNSName))
        ips = tuple(str(ip) for ip in sans.get_values_for_type(x509.IPAddress))
    except x509.ExtensionNotFound:
        dns, ips = (), ()
    except ValueError as exc:
        return CertInfo(
            origin, path, f"the certificate's SAN extension does not parse: {_reason(exc)}"
        )
    cns = leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    cn = cns[0].value if cns else ""
    return CertInfo(
        origin,
        path,
        None,
        subject=leaf.subject.rfc4514_string(),
        common_name=cn if isinstance(cn, str) else cn.decode(errors="replace"),
        issuer=leaf.issuer.rfc4514_string(),
        dns_names=dns,
        ip_addresses=ips,
        not_before=leaf.not_valid_before_utc,
        not_after=leaf.not_valid_after_utc,
        is_self_signed=leaf.issuer == leaf.subject,
        chain_length=len(blocks),
        public_key_fingerprint=_fingerprint(leaf.public_key()),
    )


def read_key(text: str, base_dirs: tuple[Path, ...] = ()) -> KeyInfo:
    """Parse the private key a ``keyFile`` value names or contains; keep only its fingerprint."""
    origin, path, data, error = _load(text, base_dirs, secret=True)
    if data is None:
        return KeyInfo(origin, path, error or "no data")
    from cryptography.hazmat.primitives.serialization import (
        load_pem_private_key,
    )

    try:
        key = load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        where = path.name if path is not None else "the inline value"
        return KeyInfo(origin, path, f"{where} holds no readable unencrypted PEM private key")
    except Exception:  # unsupported algorithms raise their own types
        return KeyInfo(origin, path, "the private key uses an unsupported algorithm")
    fingerprint = _fingerprint(key.public_key())
    del key, data
    return KeyInfo(origin, path, None, fingerprint)


def _fingerprint(public_key: PublicKeyTypes) -> str:
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        PublicFormat,
    )

    der = public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def _reason(exc: Exception) -> str:
    """A parse error's reason without echoing the input (which may be key material)."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text.split(". See ", 1)[0][:120]


@dataclass(frozen=True, slots=True)
class LoadedCertificate:
    """A certificate entry of the dynamic configuration (``tls.certificates`` or a store's
    ``defaultCertificate``) with what could be read from it."""

    origin: Origin
    cert_file: Value | None
    key_file: Value | None
    cert: CertInfo | None
    key: KeyInfo | None
    store_default: str | None = None  # the store's name for a defaultCertificate


def base_dirs(project: Project) -> tuple[Path, ...]:
    """Where a relative certificate path is looked up. Traefik resolves it against its working
    directory, which is normally the static file's folder; the project root comes next."""
    dirs: list[Path] = [
        Path(doc.source.path).parent
        for doc in project.documents
        if doc.role is Role.STATIC and doc.source.path
    ]
    dirs.append(project.root)
    return tuple(dict.fromkeys(dirs))


def missing_file(text: str, dirs: tuple[Path, ...]) -> bool:
    """A value written as a path that names no file (CFG007's, not TLS001's: Traefik then
    parses the path itself as PEM and fails)."""
    return _path_like(text) and not looks_inline(text) and locate(text, dirs) is None


def loaded_certificates(project: Project) -> list[LoadedCertificate]:
    """Every certificate the file-based dynamic configuration gives Traefik, read from disk."""
    out: list[LoadedCertificate] = []
    entries: list[tuple[Origin, Value | None, Value | None, str | None]] = [
        (c.origin, c.cert_file, c.key_file, None) for c in project.dynamic.certificates
    ]
    for store in project.dynamic.tls_stores.values():
        default = section(store.body, "defaultCertificate")
        if default is not None:
            entries.append(
                (default.origin, value(default, "certFile"), value(default, "keyFile"), store.name)
            )
    for origin, cert_file, key_file, store_name in entries:
        dirs = base_dirs(project)
        cert = read_certificate(cert_file.text, dirs) if cert_file is not None else None
        key = read_key(key_file.text, dirs) if key_file is not None else None
        out.append(LoadedCertificate(origin, cert_file, key_file, cert, key, store_name))
    return out


def usable_certificates(project: Project) -> list[CertInfo]:
    """The loaded certificates that parse: what Traefik can match a TLS host against.

    Shared by RTR018 and TLS004 to split their work: with no usable certificate and no
    resolver a TLS router is RTR018's; otherwise an uncovered host is TLS004's.
    """
    return [
        entry.cert
        for entry in loaded_certificates(project)
        if entry.cert is not None and entry.cert.ok
    ]
