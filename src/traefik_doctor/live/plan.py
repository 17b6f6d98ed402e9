"""What to probe, derived from the project: the API, the entry points, one synthesized
request per router (built from its rule), the backends and the access log.

Nothing here touches the network; ``live.run`` executes the plan.
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from traefik_doctor.findings import Location
from traefik_doctor.model.dynamic import Router, Service, qualify
from traefik_doctor.model.project import Project
from traefik_doctor.model.routing import parsed_rule
from traefik_doctor.model.static import DEFAULT_ENTRYPOINT_ADDRESS, INTERNAL_ENTRYPOINT
from traefik_doctor.rulelang.ast import And, Expr, Matcher, Not, Or

DIAG_HEADER = "X-Diag-Id"
API_PAGES = ("/api/version", "/dashboard/")
_PLACEHOLDER = re.compile(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")
"""A v2 path variable (``{id:[0-9]+}``): the request carries a value in its place."""


@dataclass(frozen=True, slots=True)
class RouterProbe:
    """One synthesized request for one router, sent through one of its entry points."""

    router: str  # qualified, ``r@file``
    entry_point: str
    base_url: str  # ``http://127.0.0.1:18080``
    method: str
    host: str | None
    path: str  # with the query
    headers: tuple[tuple[str, str], ...]
    tls: bool
    diag_id: str
    location: Location
    service: str | None  # qualified
    exact: bool = True
    """False when the rule could not be turned into a request it surely matches."""
    path_in_rule: bool = False
    """The path comes from a ``Path``/``PathPrefix`` of the rule (else ``/``, a guess)."""
    reaches_pprof: bool = False
    """Could ``/debug/pprof/`` on this host reach this router (no path matcher, or a
    ``PathPrefix`` that ``/debug/pprof/`` starts with)?"""

    @property
    def url(self) -> str:
        return self.base_url + self.path

    def describe(self) -> str:
        host = f" Host: {self.host}" if self.host else ""
        extra = "".join(f" {k}: {v}" for k, v in self.headers)
        return f"{self.method} {self.url}{host}{extra} {DIAG_HEADER}: {self.diag_id}"


@dataclass(frozen=True, slots=True)
class BackendTarget:
    service: str  # qualified
    url: str
    health_path: str | None
    location: Location


@dataclass(frozen=True, slots=True)
class PprofTarget:
    """A Go process's pprof, read directly (never through Traefik): given with ``--pprof`` or
    found in the Go code (a listener that serves ``net/http/pprof``)."""

    url: str
    location: Location


@dataclass(slots=True)
class Plan:
    api_url: str | None
    entry_points: dict[str, str] = field(default_factory=dict)
    tls_entry_points: set[str] = field(default_factory=set)
    routers: list[RouterProbe] = field(default_factory=list)
    backends: list[BackendTarget] = field(default_factory=list)
    access_log: Path | None = None
    access_log_keeps_id: bool = False
    file_routers: dict[str, Location] = field(default_factory=dict)
    """Routers of the file provider (qualified name -> where defined)."""
    router_locations: dict[str, Location] = field(default_factory=dict)
    service_locations: dict[str, Location] = field(default_factory=dict)
    entry_point_locations: dict[str, Location] = field(default_factory=dict)
    metrics_url: str | None = None
    """Traefik's Prometheus endpoint, scraped twice for a window of counter differences."""
    pprof: list[PprofTarget] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def address_url(address: str, tls: bool = False) -> str:
    """``127.0.0.1:18080`` / ``:8080`` / ``0.0.0.0:80/tcp`` -> a loopback URL."""
    text = address.strip().split("/", 1)[0]
    host, _, port = text.rpartition(":")
    host = host.strip("[]")
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"{'https' if tls else 'http'}://{host}:{port}"


def parse_overrides(items: list[str]) -> dict[str, str]:
    """``NAME=URL`` pairs; raises ValueError on a malformed one."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, url = item.partition("=")
        if not sep or not name or not urlsplit(url).scheme or not urlsplit(url).netloc:
            raise ValueError(f"--entrypoint expects NAME=URL (http://host:port), got `{item}`")
        out[name.strip()] = url.rstrip("/")
    return out


def build_plan(
    project: Project,
    *,
    api: str | None = None,
    entry_points: dict[str, str] | None = None,
    access_log: Path | None = None,
    run_id: str | None = None,
    metrics: str | None = None,
    pprof: list[str] | None = None,
) -> Plan:
    static = project.static
    overrides = entry_points or {}
    plan = Plan(api_url=api.rstrip("/") if api else None)
    tls_eps: set[str] = set()
    for name, ep in static.entry_points.items():
        plan.entry_point_locations[name] = ep.origin.location()
        if ep.tls is not None:
            tls_eps.add(name)
        if name in overrides:
            plan.entry_points[name] = overrides[name]
        elif ep.address is not None and ep.address.text.strip():
            plan.entry_points[name] = address_url(ep.address.text)
    for name, url in overrides.items():
        plan.entry_points.setdefault(name, url)
    plan.tls_entry_points = tls_eps
    if plan.api_url is None:
        insecure = static.get("api", "insecure")
        if insecure is not None and insecure.as_bool():
            plan.api_url = plan.entry_points.get(INTERNAL_ENTRYPOINT) or address_url(
                DEFAULT_ENTRYPOINT_ADDRESS
            )
        else:
            plan.api_url = _api_router(project, plan)
    _access_log(project, plan, access_log)
    _metrics(project, plan, metrics)
    _pprof(project, plan, pprof or [])
    counter = itertools.count(1)
    prefix = run_id or os.urandom(4).hex()
    defaults = static.default_entry_points()
    for router in project.dynamic.http_routers():
        qualified = router.qualified
        location = router.origin.location()
        plan.router_locations[qualified] = location
        if router.provider == "file":
            plan.file_routers[qualified] = location
        listed = [v.text for v in router.entry_points]
        attached = listed or defaults
        for ep_name in attached:
            base = plan.entry_points.get(ep_name)
            if base is None:
                continue
            tls = router.tls is not None or ep_name in tls_eps
            base = _scheme(base, tls)
            probe = _synthesize(
                project, router, ep_name, base, tls=tls, diag_id=f"{prefix}-{next(counter)}"
            )
            plan.routers.append(probe)
            break  # one entry point per router is enough to tell its fate
    seen: set[tuple[str, str]] = set()
    for service in project.dynamic.services.values():
        if service.protocol != "http":
            continue
        plan.service_locations[service.qualified] = service.origin.location()
        for backend in _backends(service):
            key = (backend.service, backend.url)
            if key not in seen:
                seen.add(key)
                plan.backends.append(backend)
    return plan


def _scheme(base: str, tls: bool) -> str:
    parts = urlsplit(base)
    scheme = "https" if tls else "http"
    return f"{scheme}://{parts.netloc}"


def _access_log(project: Project, plan: Plan, given: Path | None) -> None:
    static = project.static
    configured = static.get("accessLog", "filePath")
    if given is not None:
        plan.access_log = given
    elif configured is not None and configured.text.strip():
        path = Path(configured.text.strip())
        plan.access_log = path if path.is_absolute() else project.root / path
    elif static.has("accessLog"):
        plan.notes.append(
            "the access log goes to stdout (no `accessLog.filePath`): pass --access-log FILE"
        )
    else:
        plan.notes.append("no access log configured: statuses are classified without it")
    fmt = static.get("accessLog", "format")
    if plan.access_log is not None and given is None and (fmt is None or fmt.text != "json"):
        plan.notes.append("the access log is not in JSON (`accessLog.format: json`): not read")
        plan.access_log = None
    names = static.section("accessLog", "fields", "headers", "names")
    keep = False
    if names is not None:
        for entry in names:
            if entry.key.lower() == DIAG_HEADER.lower():
                mode = static.get("accessLog", "fields", "headers", "names", entry.key)
                keep = mode is not None and mode.text.strip().lower() == "keep"
    mode = static.get("accessLog", "fields", "headers", "defaultMode")
    if mode is not None and mode.text.strip().lower() == "keep":
        keep = True
    plan.access_log_keeps_id = keep or given is not None
    if plan.access_log is not None and not keep:
        plan.notes.append(
            f"the access log does not keep the `{DIAG_HEADER}` header"
            " (`accessLog.fields.headers.names: {X-Diag-Id: keep}`): records are matched by"
            " time, host and path instead"
        )


def _api_router(project: Project, plan: Plan) -> str | None:
    """The API served by a router to ``api@internal`` (the secure set-up), when a request
    needs no Host to reach it: the router's entry point URL."""
    defaults = project.static.default_entry_points()
    for router in project.dynamic.http_routers():
        if router.service is None or router.service.text.strip() != "api@internal":
            continue
        parsed = parsed_rule(project, router)
        if parsed is None or parsed.expr is None:
            continue
        if any(m.name.lower() in ("host", "hostregexp") for m in _chosen(parsed.expr)):
            plan.notes.append(
                f"the API is served by router `{router.qualified}`, which needs a Host:"
                " pass --api URL"
            )
            return None
        for ep in [v.text for v in router.entry_points] or defaults:
            if ep in plan.entry_points:
                tls = router.tls is not None or ep in plan.tls_entry_points
                return _scheme(plan.entry_points[ep], tls)
    plan.notes.append(
        "no API URL: neither `api.insecure` nor a router to `api@internal`; pass --api URL"
    )
    return None


def _metrics(project: Project, plan: Plan, given: str | None) -> None:
    """``--metrics URL``, else Prometheus on its entry point (``traefik`` unless
    ``metrics.prometheus.entryPoint`` names another) at ``/metrics``, Traefik's path."""
    if given is not None:
        plan.metrics_url = given.rstrip("/")
        return
    static = project.static
    if not static.has("metrics", "prometheus"):
        plan.notes.append(
            "no Prometheus metrics configured (`metrics.prometheus`): latency and error"
            " rates not read; pass --metrics URL"
        )
        return
    manual = static.get("metrics", "prometheus", "manualRouting")
    if manual is not None and manual.as_bool():
        plan.notes.append(
            "Prometheus metrics use `manualRouting` (served by a router of yours): pass"
            " --metrics URL"
        )
        return
    entry = static.get("metrics", "prometheus", "entryPoint")
    ep = entry.text.strip() if entry is not None and entry.text.strip() else INTERNAL_ENTRYPOINT
    base = plan.entry_points.get(ep)
    if base is None and ep == INTERNAL_ENTRYPOINT:
        base = address_url(DEFAULT_ENTRYPOINT_ADDRESS)
    if base is None:
        plan.notes.append(f"metrics entry point `{ep}` has no address: pass --metrics URL")
        return
    plan.metrics_url = base + "/metrics"


def _pprof(project: Project, plan: Plan, given: list[str]) -> None:
    """``--pprof URL`` (repeatable), else every Go listener that serves pprof at a known
    port, read on loopback (a Go process in a container needs ``--pprof``)."""
    from traefik_doctor.probes.pprof import pprof_base

    if given:
        plan.pprof = [PprofTarget(pprof_base(url), Location("")) for url in given]
        return
    scan = project.go
    seen: set[str] = set()
    for program in scan.programs if scan is not None else ():
        for server in program.servers:
            if not program.pprof_of(server) or server.port is None or server.tls:
                continue
            host = server.host or "127.0.0.1"
            if host in ("0.0.0.0", "::", "localhost"):
                host = "127.0.0.1"
            url = pprof_base(f"http://{host}:{server.port}")
            if url not in seen:
                seen.add(url)
                plan.pprof.append(PprofTarget(url, server.location))


def _synthesize(
    project: Project, router: Router, ep: str, base: str, *, tls: bool, diag_id: str
) -> RouterProbe:
    parsed = parsed_rule(project, router)
    host: str | None = None
    path = "/"
    method = "GET"
    headers: list[tuple[str, str]] = []
    query: list[tuple[str, str]] = []
    exact = parsed is not None and parsed.expr is not None
    prefixes: list[str] = []
    exact_path = False
    if parsed is not None and parsed.expr is not None:
        for matcher in _chosen(parsed.expr):
            name = matcher.name.lower()
            args = [lit.value for lit in matcher.args]
            if not args:
                continue
            if name == "host" and host is None:
                host = args[0]
            elif name in ("path", "pathprefix"):
                if "{" in args[0]:
                    exact = False
                path = _PLACEHOLDER.sub("1", args[0]) or "/"
                if name == "path":
                    exact_path = True
                else:
                    prefixes.append(args[0])
            elif name == "method":
                method = args[0].upper()
            elif name == "header" and len(args) >= 2:
                headers.append((args[0], args[1]))
            elif name == "query":
                query.append((args[0], args[1] if len(args) > 1 else ""))
            elif name in ("hostregexp", "pathregexp", "headerregexp", "queryregexp", "clientip"):
                exact = False
    service = qualify(router.service.text, router.provider) if router.service is not None else None
    if service == "api@internal" and not exact_path:
        # The API answers 404 on `/api` and `/dashboard` themselves: ask a page it serves
        # that the rule's prefixes still match.
        path = next((page for page in API_PAGES if all(page.startswith(p) for p in prefixes)), path)
    if query:
        path += "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in query)
    return RouterProbe(
        router=router.qualified,
        entry_point=ep,
        base_url=base,
        method=method,
        host=host,
        path=path if path.startswith("/") else "/" + path,
        headers=tuple(headers),
        tls=tls,
        diag_id=diag_id,
        location=router.origin.location(),
        service=service,
        exact=exact,
        path_in_rule=exact_path or bool(prefixes),
        reaches_pprof=not exact_path and all("/debug/pprof/".startswith(p) for p in prefixes),
    )


def _chosen(expr: Expr) -> list[Matcher]:
    """The matchers a request must satisfy to take one way through the rule: both sides of
    ``&&``, the left side of ``||``, nothing under ``!``."""
    out: list[Matcher] = []
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Matcher):
            out.append(node)
        elif isinstance(node, And):
            stack.append(node.right)
            stack.append(node.left)
        elif isinstance(node, Or):
            stack.append(node.left)
        elif isinstance(node, Not):
            continue
    return out


def _backends(service: Service) -> list[BackendTarget]:
    out = []
    health = service.health_check
    health_path = health.path.text if health is not None and health.path is not None else None
    for server in service.servers:
        if server.url is None or not server.url.text.strip():
            continue
        out.append(
            BackendTarget(
                service.qualified,
                server.url.text.strip().rstrip("/"),
                health_path,
                server.url.origin.location(),
            )
        )
    return out
