"""What the exporter exposes, as plain frozen data: the last check and the last probe run of
each target. ``loop`` makes these from real runs, ``exporter`` renders them, and tests build
them by hand. A state is replaced as a whole (one reference swap), never changed in place,
so a scrape always sees one complete run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from traefik_doctor.findings import Finding, Location
from traefik_doctor.probes.result import ProbeResult

PHASES = ("connect", "tls", "processing", "transfer")
"""The phases of an HTTP probe (``probes.http``), in order."""


@dataclass(frozen=True, slots=True)
class CheckState:
    """The last ``check``: ``success`` is False when it could not run (the folder is gone, a
    settings file is invalid); ``findings`` are then the last good check's, ``error`` says
    why in one line."""

    when: float  # Unix time the check started
    duration: float
    success: bool
    findings: tuple[Finding, ...] = ()
    error: str | None = None


@dataclass(frozen=True, slots=True)
class RouterSample:
    """One router's synthesized request through Traefik."""

    router: str
    entry_point: str
    success: bool
    status: int | None
    phases: tuple[tuple[str, float], ...]
    reason: str | None = None
    """Why ``success`` is False: the probe's failure (``connection_refused``, ``timeout``...),
    ``status_5xx`` or ``no_router`` (Traefik's own 404)."""
    host: str | None = None
    cert_not_after: float | None = None
    """Unix time the certificate served for ``host`` expires (TLS routers)."""


@dataclass(frozen=True, slots=True)
class BackendSample:
    """One server URL of a service, probed directly (not through Traefik)."""

    service: str
    url: str
    up: bool
    cert_not_after: float | None = None


@dataclass(frozen=True, slots=True)
class LiveSample:
    """One LIVE finding: its code and severity, and the router (or service) it is about."""

    code: str
    severity: str
    router: str = ""
    service: str = ""


@dataclass(frozen=True, slots=True)
class ProbeState:
    """The last probe run of a target."""

    when: float
    duration: float
    routers: tuple[RouterSample, ...] = ()
    backends: tuple[BackendSample, ...] = ()
    entry_points: tuple[tuple[str, bool], ...] = ()
    api_up: bool | None = None
    """None when no API was known to read."""
    live: tuple[LiveSample, ...] = ()
    timed_out: bool = False
    error: str | None = None
    """The run could not be made at all (no project loaded yet): one line."""


@dataclass(frozen=True, slots=True)
class TargetState:
    name: str
    check: CheckState | None = None
    probe: ProbeState | None = None


def router_verdict(result: ProbeResult) -> tuple[bool, str | None]:
    """Did the router's request succeed, and if not why? Success: an HTTP answer came, its
    status is below 500, and it is not Traefik's own 404 (no router matched). Any other
    answer (a 401 of an auth middleware, a redirect, a backend's 404) is the route working
    as configured; LIVE findings say more about those."""
    if not result.success:
        return False, result.failure or "error"
    status = result.observations.get("status")
    if isinstance(status, int) and status >= 500:
        return False, "status_5xx"
    if status == 404 and result.observations.get("traefik_generated"):
        return False, "no_router"
    return True, None


def not_after(result: ProbeResult | None) -> float | None:
    """The certificate's notAfter (Unix time) a TLS probe saw, if it saw one."""
    if result is None:
        return None
    text = result.observations.get("not_after")
    if not isinstance(text, str):
        return None
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp()


def router_sample(
    router: str, entry_point: str, host: str | None, result: ProbeResult, tls: ProbeResult | None
) -> RouterSample:
    success, reason = router_verdict(result)
    status = result.observations.get("status")
    phases = tuple((name, result.phases[name]) for name in PHASES if name in result.phases)
    return RouterSample(
        router=router,
        entry_point=entry_point,
        success=success,
        status=status if isinstance(status, int) else None,
        phases=phases,
        reason=reason,
        host=host,
        cert_not_after=not_after(tls),
    )


def backend_up(
    tcp: ProbeResult | None, tls: ProbeResult | None, health: ProbeResult | None
) -> bool:
    """Up: a TCP connection opens, the TLS handshake verifies (``https`` servers) and the
    health path (when the service has a health check) answers 2xx."""
    if tcp is None or not tcp.success:
        return False
    if tls is not None and not tls.success:
        return False
    if health is not None:
        status = health.observations.get("status")
        return health.success and isinstance(status, int) and 200 <= status < 300
    return True


def live_samples(
    findings: Iterable[Finding],
    routers: Mapping[str, Location],
    services: Mapping[str, Location],
    backends: Mapping[Location, str] | None = None,
) -> tuple[LiveSample, ...]:
    """LIVE findings with the router (or service) they point at: a finding about a router
    is located at the router's definition, one about a server at the server's, so the
    location names it. Findings located elsewhere (a broken provider file) have neither."""
    by_router = {location: name for name, location in routers.items()}
    by_service = {location: name for name, location in services.items()}
    if backends:
        by_service.update({k: v for k, v in backends.items() if k not in by_service})
    out = []
    for finding in findings:
        router = by_router.get(finding.location, "")
        service = "" if router else by_service.get(finding.location, "")
        out.append(LiveSample(finding.code, finding.severity.value, router, service))
    return tuple(out)


def safe_url(url: str) -> str:
    """A server URL for a label: scheme, host and port only; user info, path and query
    dropped (they may carry credentials or tokens)."""
    parts = urlsplit(url)
    if not parts.hostname:
        return ""
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")
