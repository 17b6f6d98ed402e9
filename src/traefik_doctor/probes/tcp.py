"""TCP probe: can a connection be opened, and how fast; never raises."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import time

from traefik_doctor.probes.result import ProbeResult


async def probe_tcp(host: str, port: int, *, timeout: float) -> ProbeResult:
    """Open (and at once close) a TCP connection to ``host:port`` within ``timeout`` seconds.

    Failures: ``connection_refused`` (nothing listens: RST), ``timeout`` (no answer, e.g. a
    dropping firewall or a full accept queue), ``connect_error`` (any other OS error, its text
    in ``detail``). The ``connect`` phase is the time to the established connection.
    """
    target = f"tcp {host}:{port}"
    start = time.monotonic()
    failure: str | None = None
    detail: str | None = None
    phases: dict[str, float] = {}
    observations: dict[str, object] = {}
    try:
        async with asyncio.timeout(timeout):
            _reader, writer = await asyncio.open_connection(host, port)
        phases["connect"] = time.monotonic() - start
        peer = writer.get_extra_info("peername")
        if isinstance(peer, tuple) and len(peer) >= 2:
            observations["peer"] = f"{peer[0]}:{peer[1]}"
        writer.close()
        with contextlib.suppress(OSError):
            await asyncio.wait_for(writer.wait_closed(), 0.2)
    except TimeoutError:
        failure, detail = "timeout", f"no TCP connection within {timeout:g} s"
    except ConnectionRefusedError:
        failure, detail = "connection_refused", f"connection refused by {host}:{port}"
    except OSError as exc:
        if exc.errno == errno.ECONNREFUSED:
            failure, detail = "connection_refused", f"connection refused by {host}:{port}"
        else:
            failure, detail = "connect_error", str(exc) or type(exc).__name__
    except Exception as exc:  # a probe never raises
        failure, detail = "connect_error", f"{type(exc).__name__}: {exc}"
    return ProbeResult(
        probe="tcp",
        target=target,
        success=failure is None,
        duration=time.monotonic() - start,
        phases=phases,
        failure=failure,
        detail=detail,
        observations=observations,
    )
