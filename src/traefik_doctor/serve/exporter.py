"""The metrics ``traefik-doctor serve`` exposes, rendered in Prometheus' text format (0.0.4).

Named in the style of blackbox_exporter: ``_success`` 0/1, ``_duration_seconds`` with a
``phase`` label, ``_timestamp_seconds`` as Unix time. Every series has a ``target`` label:
the name of the checked project in the serve configuration. Gauges only (each value is the
state of the last run, not a count since start).

Check (re-run when a file of the project changes):

* ``traefik_doctor_check_success{target}``: 1 when the last check ran; 0 when it could not
  (folder gone, invalid settings): the finding series are then the last good check's.
* ``traefik_doctor_check_duration_seconds{target}``,
  ``traefik_doctor_last_check_timestamp_seconds{target}``.
* ``traefik_doctor_findings{target,code,severity,name}``: how many findings of each code
  (``name`` is the rule's name).
* ``traefik_doctor_findings_by_severity{target,severity}``: totals, always present for
  ``error``, ``warning`` and ``info`` (0 too: a dashboard shows 0, not "no data").
* ``traefik_doctor_finding{target,code,severity,file,line}``: how many findings of a code at
  one line, for a table of where; capped at ``FINDING_SERIES_CAP`` series per target (the
  counts above are always complete).

Probe (every ``interval`` seconds, against the running Traefik):

* ``traefik_doctor_probe_success{target,router,entrypoint}``: the router's synthesized
  request got an answer below 500 that is not Traefik's own 404 (see
  ``state.router_verdict``).
* ``traefik_doctor_probe_failure{target,router,reason}``: 1 for each failing router, with
  the probe's reason (``connection_refused``, ``timeout``, ``status_5xx``, ``no_router``...).
* ``traefik_doctor_probe_duration_seconds{target,router,phase}``: ``connect``, ``tls``,
  ``processing``, ``transfer`` (the phases the request reached).
* ``traefik_doctor_probe_status_code{target,router}``: the HTTP status (0: no answer).
* ``traefik_doctor_cert_expiry_timestamp_seconds{target,router,host}``: notAfter of the
  certificate Traefik serves for the router's host (TLS routers).
* ``traefik_doctor_backend_up{target,service,url}``: the server, probed directly, accepts a
  connection, its TLS verifies (https) and its health path answers 2xx (with a health check).
* ``traefik_doctor_backend_cert_expiry_timestamp_seconds{target,service,url}``.
* ``traefik_doctor_entrypoint_up{target,entrypoint}``, ``traefik_doctor_api_up{target}``.
* ``traefik_doctor_live_finding{target,code,severity,router,service}``: how many LIVE
  findings of a code the last run diagnosed (router or service empty when not about one).
* ``traefik_doctor_probe_run_success{target}`` (the run was made and finished within its
  deadline), ``traefik_doctor_probe_run_duration_seconds{target}``,
  ``traefik_doctor_last_probe_timestamp_seconds{target}``.

And ``traefik_doctor_build_info{version}`` 1.

No message is ever a label (messages quote configuration values); server URLs are reduced
to scheme, host and port (``state.safe_url``); file paths are relative to the project.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from traefik_doctor.serve.state import TargetState, safe_url

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
FINDING_SERIES_CAP = 1000
"""At most this many ``traefik_doctor_finding`` series per target (findings sorted by file
and line, the first ones kept): one per finding location would let a broken generated
configuration with 100,000 findings swamp Prometheus."""
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    help: str
    labels: tuple[str, ...]


def _family(name: str, help_text: str, *labels: str) -> Family:
    return Family(name, help_text, labels)


FAMILIES: tuple[Family, ...] = (
    _family("traefik_doctor_build_info", "traefik-doctor's version (always 1).", "version"),
    _family(
        "traefik_doctor_check_success",
        "1 when the last check ran, 0 when it could not (the findings are the last good ones).",
        "target",
    ),
    _family("traefik_doctor_check_duration_seconds", "How long the last check took.", "target"),
    _family(
        "traefik_doctor_last_check_timestamp_seconds",
        "Unix time the last check started.",
        "target",
    ),
    _family(
        "traefik_doctor_findings",
        "Findings of the last check, per rule code.",
        "target",
        "code",
        "severity",
        "name",
    ),
    _family(
        "traefik_doctor_findings_by_severity",
        "Findings of the last check, per severity (0 included).",
        "target",
        "severity",
    ),
    _family(
        "traefik_doctor_finding",
        f"Findings of a code at one file line (first {FINDING_SERIES_CAP} series per target).",
        "target",
        "code",
        "severity",
        "file",
        "line",
    ),
    _family(
        "traefik_doctor_probe_success",
        "1 when the router's request got an answer below 500 that is not Traefik's own 404.",
        "target",
        "router",
        "entrypoint",
    ),
    _family(
        "traefik_doctor_probe_failure",
        "1 for a failing router, with the reason.",
        "target",
        "router",
        "reason",
    ),
    _family(
        "traefik_doctor_probe_duration_seconds",
        "Duration of each phase of the router's request.",
        "target",
        "router",
        "phase",
    ),
    _family(
        "traefik_doctor_probe_status_code",
        "HTTP status of the router's request (0: no answer).",
        "target",
        "router",
    ),
    _family(
        "traefik_doctor_cert_expiry_timestamp_seconds",
        "notAfter of the certificate Traefik serves for the router's host.",
        "target",
        "router",
        "host",
    ),
    _family(
        "traefik_doctor_backend_up",
        "1 when the server accepts a connection, verifies (https) and is healthy (health check).",
        "target",
        "service",
        "url",
    ),
    _family(
        "traefik_doctor_backend_cert_expiry_timestamp_seconds",
        "notAfter of the certificate an https server presents.",
        "target",
        "service",
        "url",
    ),
    _family(
        "traefik_doctor_entrypoint_up",
        "1 when the entry point accepts a TCP connection.",
        "target",
        "entrypoint",
    ),
    _family("traefik_doctor_api_up", "1 when Traefik's API was read.", "target"),
    _family(
        "traefik_doctor_live_finding",
        "LIVE findings of the last probe run, per code and router or service.",
        "target",
        "code",
        "severity",
        "router",
        "service",
    ),
    _family(
        "traefik_doctor_probe_run_success",
        "1 when the last probe run was made and finished within its deadline.",
        "target",
    ),
    _family(
        "traefik_doctor_probe_run_duration_seconds",
        "How long the last probe run took.",
        "target",
    ),
    _family(
        "traefik_doctor_last_probe_timestamp_seconds",
        "Unix time the last probe run started.",
        "target",
    ),
)
NAMES = frozenset(family.name for family in FAMILIES)
"""Every metric name the exporter can expose (the dashboard's queries are checked against
it)."""


class _Series:
    """The samples of one family, keyed by label values: a label set appears once (adding
    it again replaces or, for counts, adds to its value)."""

    def __init__(self, family: Family) -> None:
        self.family = family
        self.values: dict[tuple[str, ...], float] = {}

    def set(self, labels: Sequence[str], value: float) -> None:
        self.values[tuple(labels)] = float(value)

    def add(self, labels: Sequence[str], value: float = 1.0) -> None:
        key = tuple(labels)
        self.values[key] = self.values.get(key, 0.0) + value

    def metric(self) -> Metric:
        from prometheus_client.core import GaugeMetricFamily

        gauge = GaugeMetricFamily(self.family.name, self.family.help, labels=self.family.labels)
        for labels, value in self.values.items():
            gauge.add_metric(list(labels), value)
        return gauge


def families(states: Iterable[TargetState], version: str) -> Iterator[Metric]:
    """The metric families of these states, each family once (families without samples
    are left out, except ``build_info``)."""
    series = {family.name: _Series(family) for family in FAMILIES}
    series["traefik_doctor_build_info"].set([version], 1)
    for state in states:
        _check(state, series)
        _probe(state, series)
    for name, one in series.items():
        if one.values or name == "traefik_doctor_build_info":
            yield one.metric()


def _check(state: TargetState, series: dict[str, _Series]) -> None:
    check = state.check
    if check is None:
        return
    target = state.name
    series["traefik_doctor_check_success"].set([target], 1 if check.success else 0)
    series["traefik_doctor_check_duration_seconds"].set([target], check.duration)
    series["traefik_doctor_last_check_timestamp_seconds"].set([target], check.when)
    counts = series["traefik_doctor_findings"]
    totals = series["traefik_doctor_findings_by_severity"]
    for severity in SEVERITIES:
        totals.set([target, severity], 0)
    where = series["traefik_doctor_finding"]
    kept: set[tuple[str, ...]] = set()
    for finding in check.findings:
        severity = finding.severity.value
        counts.add([target, finding.code, severity, finding.name])
        totals.add([target, severity])
        location = finding.location
        line = "" if location.line is None else str(location.line)
        labels = (target, finding.code, severity, location.path, line)
        if labels in kept or len(kept) < FINDING_SERIES_CAP:
            kept.add(labels)
            where.add(labels)


def _probe(state: TargetState, series: dict[str, _Series]) -> None:
    probe = state.probe
    if probe is None:
        return
    target = state.name
    ran = probe.error is None and not probe.timed_out
    series["traefik_doctor_probe_run_success"].set([target], 1 if ran else 0)
    series["traefik_doctor_probe_run_duration_seconds"].set([target], probe.duration)
    series["traefik_doctor_last_probe_timestamp_seconds"].set([target], probe.when)
    for router in probe.routers:
        name = router.router
        series["traefik_doctor_probe_success"].set(
            [target, name, router.entry_point], 1 if router.success else 0
        )
        if not router.success:
            series["traefik_doctor_probe_failure"].set([target, name, router.reason or ""], 1)
        series["traefik_doctor_probe_status_code"].set([target, name], router.status or 0)
        for phase, seconds in router.phases:
            series["traefik_doctor_probe_duration_seconds"].set([target, name, phase], seconds)
        if router.cert_not_after is not None:
            series["traefik_doctor_cert_expiry_timestamp_seconds"].set(
                [target, name, router.host or ""], router.cert_not_after
            )
    for backend in probe.backends:
        url = safe_url(backend.url)
        series["traefik_doctor_backend_up"].set([target, backend.service, url], backend.up)
        if backend.cert_not_after is not None:
            series["traefik_doctor_backend_cert_expiry_timestamp_seconds"].set(
                [target, backend.service, url], backend.cert_not_after
            )
    for entry_point, up in probe.entry_points:
        series["traefik_doctor_entrypoint_up"].set([target, entry_point], 1 if up else 0)
    if probe.api_up is not None:
        series["traefik_doctor_api_up"].set([target], 1 if probe.api_up else 0)
    for live in probe.live:
        series["traefik_doctor_live_finding"].add(
            [target, live.code, live.severity, live.router, live.service]
        )


class _Collector:
    """A ``prometheus_client`` collector over fixed states (made per render)."""

    def __init__(self, states: Sequence[TargetState], version: str) -> None:
        self.states = states
        self.version = version

    def collect(self) -> Iterable[Metric]:
        return list(families(self.states, self.version))


def render(states: Sequence[TargetState], version: str | None = None) -> bytes:
    """The text exposition of these states (``generate_latest`` over a private registry:
    nothing of the process-wide default registry leaks in)."""
    from prometheus_client import CollectorRegistry, generate_latest

    if version is None:
        from traefik_doctor import __version__

        version = __version__
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(states, version))
    return generate_latest(registry)
