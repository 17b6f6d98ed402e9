"""HTTP probe: one request, bounded in time and bytes, never retried, never raising.

Built on ``httpx`` (imported lazily: the CLI start-up must stay fast). One shared
``httpx.AsyncClient`` per run comes from :func:`make_client`; it speaks HTTP/1.1 only, ignores
proxy environment variables and never follows redirects on its own (a redirect is an
observation; :func:`probe_http` follows at most ``max_redirects`` hops itself and names a loop).
It keeps no idle connection: every request opens its own (as blackbox_exporter's probes do),
see :func:`make_client` for why.

Phases (seconds, in ``ProbeResult.phases``) come from httpcore's ``trace`` extension:

* ``connect``: TCP connect;
* ``tls``: TLS handshake (absent for ``http://``);
* ``processing``: from the start of sending the request head to the complete response head
  (includes writing the request; waiting for a free pooled connection is not included);
* ``transfer``: reading the (possibly cut) body.

They are approximate: they are measured in the event loop, so a busy loop adds its own
latency, and ``connect`` for a name includes name resolution.
"""

from __future__ import annotations

import asyncio
import importlib.util
import ssl
import sys
import time
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from traefik_doctor.probes.result import ProbeResult

if TYPE_CHECKING:
    import httpx

DEFAULT_MAX_BODY = 64 * 1024
BODY_PREFIX = 512
OBSERVED_HEADERS = (
    "content-type",
    "content-length",
    "x-content-type-options",
    "location",
    "server",
)

# Facts §1: the exact bodies Traefik writes for the errors it generates itself.
_TRAEFIK_PLAIN_ERRORS = {404: "404 page not found", 503: "no available server"}
_TRAEFIK_BARE_ERRORS = {500: "Internal Server Error", 502: "Bad Gateway", 504: "Gateway Timeout"}


def make_client(
    concurrency: int,
    timeout: float,
    ca: str | Path | None = None,
    *,
    verify: bool = True,
) -> httpx.AsyncClient:
    """The one HTTP client of a run: HTTP/1.1, at most ``concurrency`` connections, no proxies
    from the environment, no automatic redirects, no keep-alive.

    ``ca`` is a PEM file of trusted roots (default: the system store); ``verify=False`` turns
    certificate verification off (for reaching a backend whose certificate is diagnosed by the
    TLS probe instead). Close it with ``await client.aclose()``.

    Each request opens its own connection, for three reasons. A probe is independent of the
    probes before it: a pooled connection would skip the ``connect`` and ``tls`` phases, and
    httpcore picks a pooled connection by origin alone, so a TLS connection opened with one
    ``sni`` would carry the next request for another host with the wrong server name. And
    httpcore's pool bookkeeping scans every pooled connection on each request (partly
    quadratically, with a ``poll`` per idle connection): with 32 kept-alive connections it
    cost more than the requests themselves. 1,000 routers through the real Traefik
    (``bench/probe_bench.py``, 2 CPUs): probing took 5.2 s with keep-alive, 2.7 s without.
    """
    import httpx

    _skip_sniffio_lookup()
    context: ssl.SSLContext | bool
    if not verify:
        context = False
    else:
        context = ssl.create_default_context(cafile=str(ca) if ca is not None else None)
    return httpx.AsyncClient(
        http1=True,
        http2=False,
        verify=context,
        trust_env=False,
        follow_redirects=False,
        # Raw bytes are read (``aiter_raw``): ask for no compression so the prefix is text.
        headers={"User-Agent": "traefik-doctor", "Accept-Encoding": "identity"},
        timeout=httpx.Timeout(timeout),
        limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=0),
    )


def _skip_sniffio_lookup() -> None:
    """Make a missing ``sniffio`` fail to import at once.

    httpcore asks ``import sniffio`` for each lock, event and semaphore it sets up (about ten
    per request); sniffio is optional (anyio 4 and httpx 0.28 no longer install it), and a
    failed import is not cached: each one searches ``sys.path`` again (about 40 us). ``None``
    in ``sys.modules`` is Python's own negative entry: the import raises ``ImportError`` as
    before, without the search. Nothing changes when sniffio is installed. Measured: 0.6 to
    0.8 s of the 1,000-router probe run.
    """
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def looks_traefik_generated(status: int, headers: Mapping[str, str], body: bytes) -> bool:
    """Whether a response has the shape of an error Traefik generates itself (facts §1).

    A hint, never proof: Go's ``http.NotFound`` 404 is byte-identical to Traefik's, and a
    backend may well answer ``Bad Gateway``; the access log (``OriginStatus``, ``RouterName``)
    decides. Traefik's 404/503 carry ``Content-Type: text/plain; charset=utf-8`` and
    ``X-Content-Type-Options: nosniff``; its 500/502/504 carry no ``Content-Type`` at all.
    """
    lowered = {key.lower(): value for key, value in headers.items()}
    text = body.decode("utf-8", errors="replace").strip()
    if status in _TRAEFIK_PLAIN_ERRORS:
        return (
            text == _TRAEFIK_PLAIN_ERRORS[status]
            and lowered.get("content-type", "").lower() == "text/plain; charset=utf-8"
            and lowered.get("x-content-type-options", "").lower() == "nosniff"
        )
    if status in _TRAEFIK_BARE_ERRORS:
        return text == _TRAEFIK_BARE_ERRORS[status] and "content-type" not in lowered
    return False


def _target(method: str, url: str) -> str:
    return f"{method} {url}"


def _classify(exc: BaseException) -> tuple[str, str]:
    """(failure, detail) for an exception raised while requesting."""
    import httpx

    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return "tls_verify", f"certificate verification failed: {cause.verify_message}"
        if isinstance(cause, ssl.SSLError):
            return "tls_handshake", f"TLS handshake failed: {cause.reason or cause}"
        if isinstance(cause, ConnectionRefusedError):
            return "connection_refused", "connection refused"
        if isinstance(cause, ConnectionResetError | BrokenPipeError):
            return "connection_reset", f"the server reset the connection ({cause})"
        cause = cause.__cause__ or cause.__context__
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return "timeout", f"timed out ({type(exc).__name__})"
    if isinstance(exc, httpx.ConnectError):
        if "refused" in text.lower():
            return "connection_refused", text
        if "ssl" in text.lower() or "tls" in text.lower():
            return "tls_handshake", text
        return "connect_error", text
    if isinstance(exc, httpx.RemoteProtocolError):
        if "disconnected without sending" in text or "peer closed" in text:
            return "connection_closed", text
        return "not_http", f"the answer is not HTTP: {text}"
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return "connection_reset", f"the connection broke: {text}"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return "invalid_url", text
    return "http_error", f"{type(exc).__name__}: {text}"


async def probe_http(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    timeout: float,
    headers: Mapping[str, str] | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    require_full_body: bool = False,
    sni: str | None = None,
    expect_status: Collection[int] | None = None,
    max_redirects: int = 0,
    limiter: asyncio.Semaphore | None = None,
    probe: str = "http",
) -> ProbeResult:
    """Send one request and read at most ``max_body`` bytes of the answer; never raises.

    The whole exchange (all redirect hops included) ends within ``timeout`` seconds, also
    against a server that trickles one byte per second (httpx's own timeouts are per read).
    ``sni`` sets the TLS server name (and the name the certificate is verified against)
    when the URL holds an address, e.g. ``https://127.0.0.1:8443`` with ``sni="app.test"``;
    set the ``Host`` header too for routing. ``limiter`` (a semaphore shared by the run) is
    acquired before the clock starts, so waiting for a free slot does not count.

    Success means an HTTP answer arrived (any status, unless ``expect_status`` is given:
    then ``status_code`` is the failure for another one). Failures: ``connection_refused``,
    ``connect_error``, ``timeout``, ``tls_verify``, ``tls_handshake``, ``not_http``,
    ``connection_closed`` (EOF before a complete answer), ``connection_reset`` (RST; a server
    that closes at once yields either, depending on timing), ``body_too_large`` (only with
    ``require_full_body``), ``redirect_loop``, ``too_many_redirects``, ``status_code``.

    Observations: ``status``, ``headers`` (content-type, content-length,
    x-content-type-options, location, server), ``body_prefix`` (first 512 bytes, decoded
    with replacement), ``body_bytes`` (bytes read), ``body_truncated``, ``redirects`` (the
    hops followed) and ``traefik_generated`` (see :func:`looks_traefik_generated`: a hint,
    never proof; ``None`` without a response).
    """
    if limiter is not None:
        async with limiter:
            return await _probe_http(
                client, method, url, timeout=timeout, headers=headers, max_body=max_body,
                require_full_body=require_full_body, sni=sni, expect_status=expect_status,
                max_redirects=max_redirects, probe=probe,
            )  # fmt: skip
    return await _probe_http(
        client, method, url, timeout=timeout, headers=headers, max_body=max_body,
        require_full_body=require_full_body, sni=sni, expect_status=expect_status,
        max_redirects=max_redirects, probe=probe,
    )  # fmt: skip


async def _probe_http(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    timeout: float,
    headers: Mapping[str, str] | None,
    max_body: int,
    require_full_body: bool,
    sni: str | None,
    expect_status: Collection[int] | None,
    max_redirects: int,
    probe: str,
) -> ProbeResult:
    start = time.monotonic()
    phases: dict[str, float] = {}
    observations: dict[str, object] = {"traefik_generated": None}
    redirects: list[str] = []
    current = url
    failure: str | None = None
    detail: str | None = None
    try:
        async with asyncio.timeout(timeout):
            while True:
                outcome = await _one_request(
                    client, method, current, headers=headers, max_body=max_body,
                    require_full_body=require_full_body, sni=sni, phases=phases,
                    observations=observations,
                )  # fmt: skip
                if outcome is not None:
                    failure, detail = outcome
                    break
                status = observations.get("status")
                location = observations.get("location_header")
                if (
                    max_redirects > 0
                    and isinstance(status, int)
                    and 300 <= status < 400
                    and isinstance(location, str)
                ):
                    following = urljoin(current, location)
                    if following == url or following in redirects:
                        redirects.append(following)
                        failure = "redirect_loop"
                        detail = f"redirect loop: {' -> '.join([url, *redirects])}"
                        break
                    if len(redirects) >= max_redirects:
                        failure = "too_many_redirects"
                        detail = f"more than {max_redirects} redirects"
                        break
                    redirects.append(following)
                    current = following
                    continue
                failure, detail = None, None
                break
    except TimeoutError:
        failure, detail = "timeout", f"no complete answer within {timeout:g} s"
    except Exception as exc:  # a probe never raises
        failure, detail = _classify(exc)
    observations.pop("location_header", None)
    if redirects:
        observations["redirects"] = redirects
    status = observations.get("status")
    if failure is None and expect_status is not None and status not in expect_status:
        failure = "status_code"
        detail = f"status {status}, expected one of {sorted(expect_status)}"
    return ProbeResult(
        probe=probe,
        target=_target(method, url),
        success=failure is None,
        duration=time.monotonic() - start,
        phases=phases,
        failure=failure,
        detail=detail,
        observations=observations,
    )


async def _one_request(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None,
    max_body: int,
    require_full_body: bool,
    sni: str | None,
    phases: dict[str, float],
    observations: dict[str, object],
) -> tuple[str, str] | None:
    """One hop; fills ``phases`` and ``observations``; returns (failure, detail) or None."""
    marks: dict[str, float] = {}

    async def trace(event: str, info: Mapping[str, Any]) -> None:
        marks[event] = time.monotonic()

    extensions: dict[str, Any] = {"trace": trace}
    if sni is not None:
        extensions["sni_hostname"] = sni
    request = client.build_request(method, url, headers=dict(headers or {}), extensions=extensions)
    response = await client.send(request, stream=True)
    try:
        head_done = time.monotonic()
        _phase(phases, "connect", marks, "connection.connect_tcp")
        _phase(phases, "tls", marks, "connection.start_tls")
        sent = marks.get("http11.send_request_headers.started")
        got = marks.get("http11.receive_response_headers.complete", head_done)
        if sent is not None:
            phases["processing"] = phases.get("processing", 0.0) + max(0.0, got - sent)
        observations["status"] = response.status_code
        observations["http_version"] = response.http_version
        observations["headers"] = {
            name: response.headers[name] for name in OBSERVED_HEADERS if name in response.headers
        }
        if "location" in response.headers:
            observations["location_header"] = response.headers["location"]
        body = bytearray()
        truncated = False
        async for chunk in response.aiter_raw():
            room = max_body - len(body)
            if len(chunk) > room:
                body.extend(chunk[:room])
                truncated = True
                break
            body.extend(chunk)
        phases["transfer"] = phases.get("transfer", 0.0) + time.monotonic() - head_done
        observations["body_bytes"] = len(body)
        observations["body_truncated"] = truncated
        observations["body_prefix"] = bytes(body[:BODY_PREFIX]).decode("utf-8", errors="replace")
        observations["traefik_generated"] = (
            None
            if truncated
            else looks_traefik_generated(response.status_code, response.headers, bytes(body))
        )
        if truncated and require_full_body:
            return "body_too_large", f"the body is larger than {max_body} bytes"
        return None
    finally:
        await response.aclose()


def _phase(phases: dict[str, float], name: str, marks: Mapping[str, float], event: str) -> None:
    started = marks.get(event + ".started")
    done = marks.get(event + ".complete")
    if started is not None and done is not None:
        phases[name] = phases.get(name, 0.0) + done - started
