"""What every probe returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """One probe's outcome.

    ``target`` says what was probed (``GET http://127.0.0.1:8080/api/overview``,
    ``tcp 127.0.0.1:8081``); ``phases`` holds seconds per phase (``connect``, ``tls``,
    ``processing``, ``transfer``); ``failure`` a short machine-readable reason
    (``connection_refused``, ``timeout``, ``tls_verify``, ``status_code``, ``not_http``,
    ``body_too_large``...) and ``detail`` the human sentence; ``observations`` what was seen
    (status code, headers of interest, certificate facts, parsed JSON...).
    """

    probe: str
    target: str
    success: bool
    duration: float
    phases: dict[str, float] = field(default_factory=dict)
    failure: str | None = None
    detail: str | None = None
    observations: dict[str, object] = field(default_factory=dict)
