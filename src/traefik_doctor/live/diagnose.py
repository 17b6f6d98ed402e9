"""Turn live evidence into LIVE findings, root cause first, each with its evidence and the
static finding that predicts it.

Per router: a request Traefik routed has a ``RouterName`` in the access log; then the status
and a direct probe of the backend tell a refused backend (502 + TCP refused) from a closed
connection (502 + TCP accepted), a timeout (504), an untrusted certificate (500 + TLS
verification fails), no healthy server (503 ``no available server``) and a backend 404. No
``RouterName`` and Traefik's own 404: no router matched. A router of the files that the API
has disabled or lacks: LIVE003, or LIVE016 when the provider kept none of its files' routers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from traefik_doctor.findings import Evidence as Proof
from traefik_doctor.findings import Finding, Location, Severity
from traefik_doctor.live.accesslog import ID_KEY
from traefik_doctor.live.accesslog import describe as describe_record
from traefik_doctor.live.metrics_diagnose import Thresholds, diagnose_metrics, diagnose_pprof
from traefik_doctor.live.plan import Plan
from traefik_doctor.live.run import BackendOutcome, Probed, RouterOutcome, pprof_exposed
from traefik_doctor.model.project import Project
from traefik_doctor.probes.metrics import MetricsWindow
from traefik_doctor.probes.result import ProbeResult
from traefik_doctor.rules.base import Rule
from traefik_doctor.rules.live import (
    live001_entrypoint_unreachable as live001,
)
from traefik_doctor.rules.live import (
    live002_no_router_matched as live002,
)
from traefik_doctor.rules.live import (
    live003_router_not_running as live003,
)
from traefik_doctor.rules.live import (
    live004_backend_refused as live004,
)
from traefik_doctor.rules.live import (
    live005_backend_timeout as live005,
)
from traefik_doctor.rules.live import (
    live006_backend_tls_untrusted as live006,
)
from traefik_doctor.rules.live import (
    live007_no_healthy_server as live007,
)
from traefik_doctor.rules.live import (
    live008_backend_404_after_routing as live008,
)
from traefik_doctor.rules.live import (
    live009_backend_connection_closed as live009,
)
from traefik_doctor.rules.live import (
    live010_default_certificate_served as live010,
)
from traefik_doctor.rules.live import (
    live011_certificate_expiry_live as live011,
)
from traefik_doctor.rules.live import (
    live016_config_reload_failed as live016,
)
from traefik_doctor.rules.live import (
    live017_pprof_reachable_through_proxy as live017,
)
from traefik_doctor.rules.live import (
    live018_healthz_failing as live018,
)
from traefik_doctor.rules.live import (
    live019_request_taken_by_other_router as live019,
)

# Root cause first: the configuration Traefik runs, then reachability, then per-route faults.
ORDER = (
    "LIVE016",
    "LIVE001",
    "LIVE003",
    "LIVE004",
    "LIVE007",
    "LIVE018",
    "LIVE006",
    "LIVE005",
    "LIVE009",
    "LIVE019",
    "LIVE002",
    "LIVE008",
    "LIVE013",
    "LIVE012",
    "LIVE010",
    "LIVE011",
    "LIVE017",
    "LIVE014",
    "LIVE015",
)

CORRELATES: dict[str, tuple[str, ...]] = {
    "LIVE002": ("RTR", "CFG004"),
    "LIVE003": ("RTR", "CFG", "SVC001", "SVC010", "MW006", "MW007"),
    "LIVE004": ("SVC003", "GO004", "SVC002"),
    "LIVE005": ("TMO002",),
    "LIVE006": ("SVC006",),
    "LIVE007": ("SVC005", "SVC011", "GO003"),
    "LIVE008": ("MW002", "GO005"),
    "LIVE009": ("TMO001", "TMO002"),
    "LIVE010": ("RTR018", "TLS004", "TLS001"),
    "LIVE011": ("TLS003",),
    "LIVE019": ("RTR011", "RTR012"),
    "LIVE016": ("CFG004", "CFG001", "CFG002", "CFG003", "CFG008", "CFG012"),
    "LIVE017": ("GO002",),
    "LIVE018": ("SVC005", "GO003"),
}
GLOBAL = {"LIVE016", "LIVE017", "LIVE009", "LIVE005"}
"""Codes whose static cause may sit anywhere (a broken file, the Go server's timeouts)."""


class _Correlator:
    def __init__(self, plan: Plan, static: Iterable[Finding]) -> None:
        self.static = list(static)
        self.starts: dict[str, list[int]] = {}
        for loc in (
            *plan.router_locations.values(),
            *plan.service_locations.values(),
            *plan.entry_point_locations.values(),
        ):
            if loc.line is not None:
                self.starts.setdefault(loc.path, []).append(loc.line)
        for lines in self.starts.values():
            lines.sort()

    def _inside(self, finding: Finding, anchor: Location) -> bool:
        loc = finding.location
        if anchor.line is None or loc.line is None or loc.path != anchor.path:
            return False
        later = [n for n in self.starts.get(anchor.path, []) if n > anchor.line]
        end = later[0] if later else 10**9
        return anchor.line <= loc.line < end

    def related(
        self, code: str, anchors: Iterable[Location], names: Iterable[str] = ()
    ) -> list[tuple[Location, str]]:
        prefixes = CORRELATES.get(code, ())
        wanted = [f for f in self.static if f.code.startswith(prefixes)] if prefixes else []
        anchor_list = list(anchors)
        quoted = [f"`{n}`" for n in names if n]
        chosen = [
            f
            for f in wanted
            if any(self._inside(f, a) for a in anchor_list)
            or any(q in f.message for q in quoted)
            or any(rel.location in anchor_list for rel in f.related)
        ]
        if not chosen and code in GLOBAL:
            chosen = wanted[:3]
        return [(f.location, f"{f.code} {f.name}: {f.message}") for f in chosen[:4]]


def diagnose(
    evidence: Probed,
    static: Iterable[Finding] = (),
    *,
    project: Project | None = None,
    thresholds: Thresholds | None = None,
    cert_days: float = 30.0,
) -> list[Finding]:
    """Every LIVE finding the evidence supports, root cause first. ``project`` names the
    routers and services of metrics series; ``thresholds`` judge metrics and pprof."""
    plan = evidence.plan
    corr = _Correlator(plan, static)
    out: list[Finding] = []
    explained: set[str] = set()
    """Routers and services whose failure a per-router request already diagnosed."""

    def add(
        rule: Rule,
        message: str,
        location: Location,
        proofs: list[Proof],
        *,
        anchors: Iterable[Location] = (),
        names: Iterable[str] = (),
        fix: str | None = None,
        severity: Severity | None = None,
    ) -> None:
        names = [name for name in names if name]
        if rule.code in PER_ROUTE_5XX:
            explained.update(names)
        related = corr.related(rule.code, [location, *anchors], names)
        out.append(
            rule.finding(
                message, location, related=related, fix=fix, evidence=proofs, severity=severity
            )
        )

    # Entry points.
    down_eps: set[str] = set()
    for name, result in evidence.entry_points.items():
        if result.success:
            continue
        down_eps.add(name)
        add(
            live001.RULE,
            f"entry point `{name}` ({plan.entry_points[name]}) is unreachable: {result.detail}",
            plan.entry_point_locations.get(name, Location("")),
            [Proof("direct-probe", _probe_text(result))],
        )
    api_down = plan.api_url is not None and (evidence.api is None or not evidence.api.success)
    if api_down and evidence.api is not None and plan.api_url is not None:
        api_ep = next((n for n, u in plan.entry_points.items() if u == plan.api_url), None)
        if api_ep is None or api_ep not in down_eps:
            add(
                live001.RULE,
                f"Traefik's API at {plan.api_url} does not answer: {evidence.api.detail}",
                Location(""),
                [Proof("api", _probe_text(evidence.api))],
            )

    # Configuration Traefik runs vs the files.
    silent: set[str] = set()
    snapshot = evidence.snapshot
    if snapshot is not None:
        api_routers = snapshot.routers
        missing = [name for name in plan.file_routers if name not in api_routers]
        file_in_api = [n for n in api_routers if n.endswith("@file")]
        if missing and (not file_in_api or len(missing) == len(plan.file_routers)):
            silent.update(missing)
            shown = ", ".join(f"`{n}`" for n in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            first = plan.file_routers[missing[0]]
            add(
                live016.RULE,
                f"Traefik runs without the file provider's configuration: {len(missing)} router"
                f"{'s' if len(missing) != 1 else ''} of the files ({shown}{more}) are not in"
                " its API, so every route of those files answers 404",
                first,
                [
                    Proof(
                        "api",
                        f"{plan.api_url}/api/http/routers lists {len(api_routers)} routers,"
                        f" {len(file_in_api)} from the file provider",
                    ),
                    *_reload_metrics(evidence.metrics_window),
                ],
                fix="Fix or remove the file Traefik cannot load (see the related finding)",
            )
        else:
            for name in missing:
                silent.add(name)
                add(
                    live003.RULE,
                    f"router `{name}` is defined in the files but missing from Traefik's API",
                    plan.file_routers[name],
                    [Proof("api", f"{plan.api_url}/api/http/routers has no `{name}`")],
                    names=[name],
                )
        for name, info in api_routers.items():
            status = info.status
            if name not in plan.router_locations or status not in ("disabled", "warning"):
                continue
            errors = list(info.errors)
            if status == "disabled":
                silent.add(name)
            add(
                live003.RULE,
                f"router `{name}` has status `{status}` in Traefik: "
                + ("; ".join(str(e) for e in errors) or "no error given"),
                plan.router_locations[name],
                [Proof("api", f"router {name}: status={status} error={errors}")],
                names=[name],
            )

    # One synthesized request per router.
    backends = {(b.service, b.url): b for b in evidence.backends}
    for outcome in evidence.routers:
        if outcome.probe.router in silent or outcome.probe.entry_point in down_eps:
            continue
        _router(outcome, evidence, backends, add)

    # Backends directly: health endpoints.
    for backend in evidence.backends:
        health = backend.health
        if health is None:
            continue
        code = health.observations.get("status")
        if health.success and isinstance(code, int) and 200 <= code < 300:
            continue
        what = f"answers {code}" if health.success else f"fails: {health.detail}"
        target = next(
            (b for b in plan.backends if b.service == backend.service and b.url == backend.url),
            None,
        )
        add(
            live018.RULE,
            f"health endpoint of `{backend.service}` server {backend.url} {what}",
            target.location if target else Location(""),
            [Proof("direct-probe", _probe_text(health))],
            anchors=[plan.service_locations.get(backend.service, Location(""))],
            names=[backend.service],
        )

    # pprof through the proxy.
    for probe, result in evidence.pprof:
        if pprof_exposed(result):
            add(
                live017.RULE,
                f"Go's pprof index answers through entry point `{probe.entry_point}`"
                f" (Host {probe.host or '-'}, router `{probe.router}`)",
                probe.location,
                [
                    Proof("request", f"GET {probe.base_url}/debug/pprof/ Host: {probe.host}"),
                    Proof("response", _response_text(result)),
                ],
                names=[probe.router, probe.service or ""],
            )

    _certificates(evidence, cert_days, add)
    if evidence.metrics_window is not None:
        out.extend(_metrics(evidence.metrics_window, explained, project, thresholds))
    for pprof_target, _, series in evidence.profiles:
        if series is not None:
            where = pprof_target.location if pprof_target.location.path else None
            out.extend(diagnose_pprof(series, thresholds, where))

    rank = {code: index for index, code in enumerate(ORDER)}
    out.sort(key=lambda f: (rank.get(f.code, 99), f.sort_key()))
    return out


def _reload_metrics(window: MetricsWindow | None) -> list[Proof]:
    """What Traefik's reload metrics say. A file Traefik cannot parse is no failed reload
    to them (the provider sends nothing), so they back the API's evidence, never replace it."""
    if window is None or window.last_reload_success is None:
        return []
    import datetime as dt

    when = dt.datetime.fromtimestamp(window.last_reload_success, dt.UTC).isoformat(
        timespec="seconds"
    )
    reloads = window.reloads_in_window
    during = f", {reloads:g} reloads during the {window.window:.1f}s window" if reloads else ""
    return [Proof("metrics", f"traefik_config_last_reload_success {when}{during}")]


PER_ROUTE_5XX = ("LIVE004", "LIVE005", "LIVE006", "LIVE007", "LIVE009")


def _metrics(
    window: MetricsWindow,
    explained: set[str],
    project: Project | None,
    thresholds: Thresholds | None,
) -> list[Finding]:
    """LIVE012/LIVE013 for what the per-router requests did not already explain: a router
    (or its service) with a diagnosed 5xx is not reported again from its metrics, which
    count the probe's own failing request too; nor is an entry point then."""
    # Entry points add nothing when routers are named (router labels) or when the failures
    # they count are already explained route by route.
    skip_entry_points = bool(explained) or window.router_labels is True
    kept = tuple(
        s
        for s in window.series
        if s.name not in explained and not (skip_entry_points and s.kind == "entrypoint")
    )
    return diagnose_metrics(replace(window, series=kept), project, thresholds)


def _certificates(evidence: Probed, cert_days: float, add: Any) -> None:
    """LIVE011 once per presented certificate: entry point + host name, or backend URL."""
    seen: set[tuple[str, str]] = set()
    for outcome in evidence.routers:
        probe, tls = outcome.probe, outcome.tls
        if tls is None or (probe.base_url, probe.host or "") in seen:
            continue
        seen.add((probe.base_url, probe.host or ""))
        what = f"entry point `{probe.entry_point}` for {probe.host} (router `{probe.router}`)"
        _expiry(tls, what, cert_days, probe.location, names=[probe.router], add=add)
    for backend in evidence.backends:
        if backend.tls is None or ("backend", backend.url) in seen:
            continue
        seen.add(("backend", backend.url))
        target = next(
            (b for b in evidence.plan.backends if b.url == backend.url),
            None,
        )
        where = target.location if target is not None else Location("")
        what = f"backend {backend.url} of `{backend.service}`"
        _expiry(backend.tls, what, cert_days, where, names=[backend.service], add=add)


def _expiry(
    tls: ProbeResult,
    what: str,
    cert_days: float,
    where: Location,
    *,
    names: list[str],
    add: Any,
) -> None:
    obs = tls.observations
    days = obs.get("days_left")
    if not isinstance(days, int | float) or days > cert_days:
        return
    expired = bool(obs.get("expired"))
    when = (
        f"expired on {obs.get('not_after')}"
        if expired
        else f"expires in {days:.1f} days ({obs.get('not_after')})"
    )
    # TLS003 quotes the certificate by its CN, else its whole subject: both are names here.
    names = [*names, str(obs.get("subject_cn") or ""), str(obs.get("subject") or "")]
    add(
        live011.RULE,
        f"the certificate presented by {what} {when}",
        where,
        [
            Proof(
                "direct-probe",
                f"{tls.target}: subject {obs.get('subject')}, issuer {obs.get('issuer')},"
                f" notAfter {obs.get('not_after')}",
            )
        ],
        names=names,
        severity=Severity.ERROR if expired else None,
    )


def _router(
    outcome: RouterOutcome,
    evidence: Probed,
    backends: dict[tuple[str, str], BackendOutcome],
    add: Any,
) -> None:
    probe = outcome.probe
    result = outcome.result
    proofs = [Proof("request", probe.describe())]
    if outcome.tls is not None and outcome.tls.observations.get("traefik_default_cert"):
        add(
            live010.RULE,
            f"entry point `{probe.entry_point}` presents Traefik's default certificate for"
            f" {probe.host}",
            probe.location,
            [proofs[0], Proof("direct-probe", _probe_text(outcome.tls) + ": TRAEFIK DEFAULT CERT")],
            names=[probe.router],
        )
    if not result.success:
        proofs.append(Proof("response", _probe_text(result)))
        if result.failure == "timeout":
            add(
                live005.RULE,
                f"router `{probe.router}`: no response within the probe timeout",
                probe.location,
                proofs,
                names=[probe.router, probe.service or ""],
            )
        return
    status = result.observations.get("status")
    generated = bool(result.observations.get("traefik_generated"))
    proofs.append(Proof("response", _response_text(result)))
    record = outcome.record
    if record is not None:
        proofs.append(Proof("access-log", describe_record(record)))
        taker = record.get("RouterName")
        if (
            isinstance(taker, str)
            and taker
            and taker != probe.router
            and probe.exact
            and record.get(ID_KEY) == probe.diag_id
        ):
            add(
                live019.RULE,
                f"the request built from the rule of router `{probe.router}` was served by"
                f" router `{taker}`: `{probe.router}` never gets it",
                probe.location,
                proofs,
                anchors=[evidence.plan.router_locations.get(taker, Location(""))],
                names=[probe.router, taker],
            )
            return
    routed: bool | None = None if record is None else "RouterName" in record
    service = probe.service or ""
    svc_info = evidence.snapshot.services.get(service) if evidence.snapshot else None
    if svc_info is not None:
        proofs.append(
            Proof(
                "api",
                f"service {service}: status={svc_info.status}"
                f" serverStatus={dict(svc_info.server_status)}",
            )
        )
    mine = [b for (svc, _), b in backends.items() if svc == service]
    anchors = [evidence.plan.service_locations.get(service, Location(""))]
    names = [probe.router, service]
    if status == 404:
        if routed is False or (routed is None and generated):
            add(
                live002.RULE,
                f"router `{probe.router}`: Traefik answered 404 itself, no router matched"
                f" the request built from its rule{'' if probe.exact else ' (approximated)'}"
                + (
                    ""
                    if record is not None
                    else " (without the access log this is a guess: a Go backend's 404 is"
                    " byte-identical to Traefik's)"
                ),
                probe.location,
                proofs,
                names=names,
            )
        elif (routed or not generated) and probe.path_in_rule:
            # Without a path in the rule the request asked `/`, a guess: many backends serve
            # nothing there, and that is no fault.
            add(
                live008.RULE,
                f"router `{probe.router}` matched, but its backend answered 404 for {probe.path}",
                probe.location,
                proofs,
                anchors=anchors,
                names=names,
            )
        return
    if status == 502 and (generated or routed):
        refused = [b for b in mine if b.tcp is not None and b.tcp.failure == "connection_refused"]
        for b in mine:
            if b.tcp is not None:
                proofs.append(Proof("direct-probe", _probe_text(b.tcp)))
        if refused:
            add(
                live004.RULE,
                f"router `{probe.router}`: 502, backend {refused[0].url} of `{service}` refuses"
                " connections (nothing listens there)",
                probe.location,
                proofs,
                anchors=anchors,
                names=names,
            )
        else:
            add(
                live009.RULE,
                f"router `{probe.router}`: 502 while the backend of `{service}` accepts"
                " connections: it closed the connection without a response (EOF)",
                probe.location,
                proofs,
                anchors=anchors,
                names=names,
            )
        return
    if status == 504 and (generated or routed):
        add(
            live005.RULE,
            f"router `{probe.router}`: 504, the backend of `{service}` did not answer in time",
            probe.location,
            proofs,
            anchors=anchors,
            names=names,
        )
        return
    if status == 500 and generated:
        tls_fail = [(b, b.tls) for b in mine if b.tls is not None and not b.tls.success]
        for _, tls in tls_fail:
            proofs.append(Proof("direct-probe", _probe_text(tls)))
        if tls_fail:
            first, tls = tls_fail[0]
            why = (
                "Traefik does not trust the certificate of"
                if tls.failure == "tls_verify"
                else "no TLS handshake is possible with (an https:// URL to a plain-HTTP server?)"
            )
            add(
                live006.RULE,
                f"router `{probe.router}`: 500, {why} {first.url}",
                probe.location,
                proofs,
                anchors=anchors,
                names=names,
            )
        return
    if status == 503 and generated:
        add(
            live007.RULE,
            f"router `{probe.router}`: 503 no available server, no server of `{service}` is"
            " healthy",
            probe.location,
            proofs,
            anchors=anchors,
            names=names,
        )
        return


def _probe_text(result: ProbeResult) -> str:
    status = result.observations.get("status")
    if result.success and status is not None:
        return f"{result.target}: HTTP {status} in {result.duration:.3f} s"
    if result.success:
        return f"{result.target}: ok in {result.duration:.3f} s"
    return f"{result.target}: {result.failure} ({result.detail}) after {result.duration:.3f} s"


def _response_text(result: ProbeResult) -> str:
    obs = result.observations
    body = str(obs.get("body_prefix", "")).strip().replace("\n", " ")[:80]
    who = "Traefik-generated" if obs.get("traefik_generated") else "from the backend"
    code = obs.get("status")
    status = f"{code} {_phrase(code)}"
    return f"{status} ({who}, body `{body}`) in {result.duration:.3f} s"


def verdict(diagnoses: list[Finding], static: Iterable[Finding] = ()) -> list[str]:
    """A few lines, most important first: what is broken."""
    lines = []
    for f in diagnoses[:10]:
        cause = (
            f" (static cause: {f.related[0].message.split(':', 1)[0]} at {f.related[0].location})"
            if f.related
            else ""
        )
        lines.append(f"{f.code} {f.message}{cause}")
    if len(diagnoses) > 10:
        lines.append(f"... and {len(diagnoses) - 10} more live findings")
    errors = [f for f in static if f.severity.value == "error"]
    if errors:
        plural = "s" if len(errors) != 1 else ""
        lines.append(f"{len(errors)} static error{plural} in the configuration (below)")
    if not lines:
        lines.append("Every probed route answered without a diagnosed fault.")
    return lines


def _phrase(code: object) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(int(str(code))).phrase
    except ValueError:
        return ""
