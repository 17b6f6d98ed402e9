"""TLS probe: handshake with SNI and hostname verification, certificate facts; never raises.

Like ``openssl s_client -connect host:port -servername NAME -verify_hostname NAME``: the
chain the server presents is verified against the system store (or a given CA file) and
the leaf against ``NAME``. With ``verify=False`` nothing is verified and the presented
certificate is only read, which is how Traefik's default certificate (subject CN
``TRAEFIK DEFAULT CERT``) is recognised. When verification fails, a second, unverified
handshake (within the same time budget) reads the certificate so the report can say why
(expired, self-signed, wrong names).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ssl
import time
from pathlib import Path
from typing import Any

from traefik_doctor.probes.result import ProbeResult

TRAEFIK_DEFAULT_CN = "TRAEFIK DEFAULT CERT"
_ENCODING_DER = 2  # _ssl.ENCODING_DER (public as ssl.ENCODING_DER only from Python 3.13)


def _context(verify: bool, ca: str | Path | None) -> ssl.SSLContext:
    if verify:
        context = ssl.create_default_context(cafile=str(ca) if ca is not None else None)
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _chain_der(ssl_object: Any) -> list[bytes]:
    """The certificates the server presented, leaf first, as DER."""
    inner = getattr(ssl_object, "_sslobj", None)
    getter = getattr(inner, "get_unverified_chain", None) or getattr(
        ssl_object, "get_unverified_chain", None
    )
    if getter is not None:
        with contextlib.suppress(Exception):
            chain = getter()
            if chain:
                return [bytes(cert.public_bytes(_ENCODING_DER)) for cert in chain]
    leaf = ssl_object.getpeercert(binary_form=True)
    return [leaf] if leaf else []


def certificate_facts(chain: list[bytes], now: dt.datetime | None = None) -> dict[str, object]:
    """Observations about a presented chain (leaf first): subject, issuer, SANs, expiry."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    facts: dict[str, object] = {"chain_length": len(chain)}
    if not chain:
        return facts
    leaf = x509.load_der_x509_certificate(chain[0])
    now = now or dt.datetime.now(dt.UTC)
    common_names = leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    subject_cn = str(common_names[0].value) if common_names else None
    sans: list[str] = []
    with contextlib.suppress(x509.ExtensionNotFound):
        extension = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        sans.extend(str(name) for name in extension.value.get_values_for_type(x509.DNSName))
        sans.extend(str(ip) for ip in extension.value.get_values_for_type(x509.IPAddress))
    not_after = leaf.not_valid_after_utc
    facts.update(
        {
            "subject": leaf.subject.rfc4514_string(),
            "subject_cn": subject_cn,
            "issuer": leaf.issuer.rfc4514_string(),
            "sans": sans,
            "not_before": leaf.not_valid_before_utc.isoformat(),
            "not_after": not_after.isoformat(),
            "days_left": round((not_after - now).total_seconds() / 86400, 2),
            "expired": not_after < now,
            "self_signed": leaf.subject == leaf.issuer,
            "traefik_default_cert": subject_cn == TRAEFIK_DEFAULT_CN,
        }
    )
    return facts


async def _handshake(
    host: str, port: int, context: ssl.SSLContext, sni: str | None
) -> tuple[list[bytes], str | None, str | None, float, float]:
    """(chain, protocol, cipher, connect seconds, tls seconds); raises on failure."""
    start = time.monotonic()
    loop = asyncio.get_running_loop()
    import socket

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    try:
        await loop.sock_connect(sock, (host, port))
    except BaseException:
        sock.close()
        raise
    connected = time.monotonic()
    _reader, writer = await asyncio.open_connection(
        sock=sock, ssl=context, server_hostname=sni or host, ssl_handshake_timeout=None
    )
    done = time.monotonic()
    try:
        ssl_object = writer.get_extra_info("ssl_object")
        chain = _chain_der(ssl_object) if ssl_object is not None else []
        protocol = ssl_object.version() if ssl_object is not None else None
        cipher = ssl_object.cipher() if ssl_object is not None else None
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(writer.wait_closed(), 0.2)
    return chain, protocol, cipher[0] if cipher else None, connected - start, done - connected


async def probe_tls(
    host: str,
    port: int,
    *,
    timeout: float,
    sni: str | None = None,
    ca: str | Path | None = None,
    verify: bool = True,
) -> ProbeResult:
    """TLS handshake with ``host:port`` (an IP literal or a name), server name ``sni``.

    ``verify=True`` checks the chain against the system store (or ``ca``) and the leaf
    against ``sni`` (or ``host``); ``verify=False`` only reads the presented certificate.
    Failures: ``connection_refused``, ``connect_error``, ``timeout``, ``tls_handshake``
    (no TLS answer, e.g. garbage or plain HTTP), ``tls_verify`` (``detail`` has OpenSSL's
    text, ``observations['verify_error']`` a short kind: ``hostname_mismatch``, ``expired``,
    ``self_signed``, ``unknown_issuer``, ``other``).

    Observations: ``chain_length``, ``subject``, ``subject_cn``, ``issuer``, ``sans``,
    ``not_before``, ``not_after``, ``days_left``, ``expired``, ``self_signed``,
    ``traefik_default_cert``, ``protocol``, ``cipher``, ``verified``.
    """
    name = sni or host
    target = f"tls {host}:{port} sni={name}"
    start = time.monotonic()
    phases: dict[str, float] = {}
    observations: dict[str, object] = {"verified": False}
    failure: str | None = None
    detail: str | None = None
    try:
        async with asyncio.timeout(timeout):
            try:
                chain, protocol, cipher, connect, tls = await _handshake(
                    host, port, _context(verify, ca), name
                )
                phases.update(connect=connect, tls=tls)
                observations.update(protocol=protocol, cipher=cipher, verified=verify)
                observations.update(certificate_facts(chain))
            except ssl.SSLCertVerificationError as exc:
                failure = "tls_verify"
                message = str(exc.verify_message or exc.reason or exc)
                detail = f"certificate verification failed for {name}: {message}"
                observations["verify_error"] = _verify_kind(exc.verify_code, message)
                # Read what was presented, without verifying, to say why.
                with contextlib.suppress(Exception):
                    chain, protocol, cipher, connect, tls = await _handshake(
                        host, port, _context(False, None), name
                    )
                    phases.update(connect=connect, tls=tls)
                    observations.update(protocol=protocol, cipher=cipher)
                    observations.update(certificate_facts(chain))
    except TimeoutError:
        if failure is None:
            failure, detail = "timeout", f"no TLS handshake within {timeout:g} s"
    except ConnectionRefusedError:
        failure, detail = "connection_refused", f"connection refused by {host}:{port}"
    except ssl.SSLError as exc:
        failure = "tls_handshake"
        detail = f"TLS handshake failed: {exc.reason or exc}"
    except (ConnectionResetError, BrokenPipeError, EOFError) as exc:
        failure = "tls_handshake"
        detail = f"the server closed the connection during the TLS handshake ({type(exc).__name__})"
    except OSError as exc:
        failure, detail = "connect_error", str(exc) or type(exc).__name__
    except Exception as exc:  # a probe never raises
        failure, detail = "tls_handshake", f"{type(exc).__name__}: {exc}"
    return ProbeResult(
        probe="tls",
        target=target,
        success=failure is None,
        duration=time.monotonic() - start,
        phases=phases,
        failure=failure,
        detail=detail,
        observations=observations,
    )


def _verify_kind(code: int | None, message: str) -> str:
    # OpenSSL X509_V_ERR_* codes: 10 expired, 18/19 self-signed, 20/21 unknown issuer,
    # 62 hostname mismatch.
    lowered = message.lower()
    if code == 62 or "hostname mismatch" in lowered or "ip address mismatch" in lowered:
        return "hostname_mismatch"
    if code == 10 or "expired" in lowered:
        return "expired"
    if code in (18, 19) or "self-signed" in lowered or "self signed" in lowered:
        return "self_signed"
    if code in (20, 21) or "unable to get local issuer" in lowered:
        return "unknown_issuer"
    return "other"
