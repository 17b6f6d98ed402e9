"""Follow one request from its router to the backend: the ``Explanation`` of ``route``."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from traefik_doctor.errors import UsageError
from traefik_doctor.loaders.tree import Mapping
from traefik_doctor.model.dynamic import Router, Server, Service
from traefik_doctor.model.project import Project
from traefik_doctor.model.values import section, value

if TYPE_CHECKING:
    from traefik_doctor.routing.engine import Verdict
    from traefik_doctor.routing.request import Request

from traefik_doctor.route.lines import (
    Explanation,
    HandlerLine,
    MiddlewareLine,
    RouterLine,
    ServerLine,
)
from traefik_doctor.route.middlewares import describe_middleware

TRAEFIK_404 = "404 page not found"
MAX_SERVICE_DEPTH = 16


def explain(
    project: Project,
    method: str,
    url: str,
    *,
    headers: tuple[tuple[str, str], ...] = (),
    client_ip: str = "127.0.0.1",
    entry_point: str | None = None,
) -> Explanation:
    """Follow one request through the project's Traefik configuration."""
    from traefik_doctor.routing.engine import RoutingTable
    from traefik_doctor.routing.request import Request

    try:
        request = Request.from_url(method, url, headers, client_ip)
    except ValueError as exc:
        raise UsageError(f"cannot use URL `{url}`: {exc}") from None
    result = RoutingTable(project).route(request, entry_point)
    out = Explanation(method, url, request.host, request.path, client_ip)
    out.entrypoint = result.entry_point
    if result.entry_point is not None:
        ep = project.static.entry_points.get(result.entry_point)
        if ep is not None and ep.address is not None:
            out.entrypoint_address = ep.address.text
    out.near_misses = list(result.near_misses)
    for verdict in result.verdicts:
        out.routers.append(_router_line(project, verdict))
    if result.entry_point is None:
        out.outcome = (
            f"no entry point listens on port {request.port}: the connection is refused"
            " (or reaches something other than Traefik)"
        )
        out.exit_code = 1
        return out
    winner = result.winner
    bad = next((m for m in result.near_misses if m.startswith("Traefik answers 400")), None)
    if winner is None and bad is not None:
        out.outcome = bad
        out.status = 400
        out.exit_code = 1
        return out
    if winner is None:
        out.outcome = f"Traefik itself answers `{TRAEFIK_404}` (no router matched)"
        out.status = 404
        out.exit_code = 1
        return out
    out.router = winner.qualified
    out.priority = next((v.priority for v in result.verdicts if v.router is winner), None)
    out.ambiguous = [router.qualified for router in result.ambiguous]
    _follow(project, winner, request, out)
    return out


def _router_line(project: Project, verdict: Verdict) -> RouterLine:
    from traefik_doctor.model.routing import parsed_rule

    router: Router = verdict.router
    line = RouterLine(
        router.qualified, int(verdict.priority), bool(verdict.matched), str(verdict.reason)
    )
    line.skipped = verdict.skipped
    if router.rule is not None:
        line.rule = router.rule.text
    offset = verdict.offset
    if offset is not None and router.rule is not None:
        line.offset = int(offset)
        line.matcher = matcher_at(router.rule.text, int(offset))
        parsed = parsed_rule(project, router)
        origin = parsed.at(int(offset)) if parsed is not None else router.rule.at(int(offset))
        line.location = str(origin.location())
    elif router.rule is not None:
        line.location = str(router.rule.origin.location())
    else:
        line.location = str(router.origin.location())
    if router.provider == "internal":
        line.location = "(added by Traefik)"
    return line


def matcher_at(rule: str, offset: int) -> str:
    """The matcher call that starts at ``offset`` of a rule: ``PathPrefix(`/v1`)``
    (a leading ``!`` included), cut at its closing parenthesis."""
    depth = 0
    quote: str | None = None
    index = offset
    while index < len(rule):
        char = rule[index]
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "`\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth <= 0:
                return rule[offset : index + 1]
        index += 1
    return rule[offset:]


# --- after the router ------------------------------------------------------------------


def _follow(project: Project, router: Router, request: Request, out: Explanation) -> None:
    from traefik_doctor.model.rewrite import expand

    expanded = expand(project, router)
    path = _request_path(request)
    host: str = request.host
    host_note: str | None = None
    headers = {name.lower(): content for name, content in request.headers}
    for middleware, _ in expanded.middlewares:
        line, path, new_host = describe_middleware(
            middleware, router, request, headers=headers, path=path, host=host
        )
        out.middlewares.append(line)
        if new_host is not None:
            host, host_note = new_host
        if line.stops is not None:
            out.status = line.stops
            out.outcome = f"`{middleware.qualified}` answers {line.stops}: {line.effect}"
            return
    for missing in expanded.missing:
        out.middlewares.append(
            MiddlewareLine(missing, "?", "not defined: Traefik disables the router", 404)
        )
    service = project.dynamic.service_for(router)
    out.service = (
        service.qualified
        if service is not None
        else (router.service.text if router.service is not None else None)
    )
    if service is None:
        name = router.service.text.strip() if router.service is not None else ""
        if name.endswith("@internal"):
            out.outcome = f"Traefik's internal service `{name}` answers"
            out.upstream = None
            return
        out.outcome = f"service `{name}` is not defined: Traefik disables the router (404)"
        out.status = 404
        out.exit_code = 1
        return
    servers: list[ServerLine] = []
    _servers(
        project, service, via=[], weight=None, out=servers, seen=set(), notes=out.service_notes
    )
    for server_line in servers:
        _upstream(project, server_line, path, host, host_note)
        _go(project, server_line, request.method)
    out.servers = servers
    if not servers:
        out.outcome = (
            f"service `{service.qualified}` has no servers: Traefik answers 503 no available server"
        )
        out.status = 503
        return
    first = servers[0]
    out.upstream = {"host": first.upstream_host or "", "path": first.upstream_path or path}
    if host_note is not None:
        out.upstream_notes.append(host_note)
    if len({(s.upstream_host, s.upstream_path) for s in servers}) > 1:
        out.upstream_notes.append("the servers receive different Host/paths: see each server")
    known = [s for s in servers if s.handler is not None or s.backend_404]
    if known:
        out.handler = known[0].handler
        if known[0].backend_404:
            out.outcome = (
                f"the Go backend has no handler for `{first.upstream_path}`:"
                f" it answers `{TRAEFIK_404}` itself"
            )
            out.status = 404
            out.exit_code = 1
            return
        handler = known[0].handler
        assert handler is not None
        out.outcome = f"served by the Go handler `{handler.path}` at {handler.location}"
        return
    out.outcome = f"forwarded to service `{service.qualified}`"


def _request_path(request: Request) -> str:
    """The path the middlewares see: Traefik's sanitised, decoded path (``/a/../b`` is
    ``/b``); reserved escapes such as ``%2F`` stay encoded, as in the routing path."""
    from traefik_doctor.routing.request import BadRequestError, prepare

    try:
        return prepare(request).path or "/"
    except (BadRequestError, ValueError):  # Traefik answers 400: no router would have won
        return unquote(request.path) or "/"


def _servers(
    project: Project,
    service: Service,
    *,
    via: list[str],
    weight: int | None,
    out: list[ServerLine],
    seen: set[str],
    notes: list[str],
) -> None:
    """The load-balancer servers a service resolves to, weighted/failover/mirroring walked."""
    if service.qualified in seen or len(via) > MAX_SERVICE_DEPTH:
        notes.append(f"service `{service.qualified}` refers back to itself: Traefik refuses it")
        return
    seen = {*seen, service.qualified}
    kind = service.kind or "loadBalancer"
    if kind == "loadBalancer":
        health = None
        if service.health_check is not None:
            health = service.health_check.path.text if service.health_check.path else "(no path)"
        for server in service.servers:
            url = server.url.text if server.url is not None else "(no url)"
            line = ServerLine(
                service.qualified,
                url,
                " → ".join([*via, service.qualified]),
                _weight(server, weight),
                health,
            )
            out.append(line)
        return
    weights = _child_weights(service)
    for index, ref in enumerate(service.refs):
        child = project.dynamic.find_service(
            service.protocol, ref.name.text.strip(), service.provider
        )
        label = {
            "weighted": f"weighted {weights[index] if index < len(weights) else 1}",
            "highestRandomWeight": "highest random weight",
            "mirroring": "main (answers)",
            "mirror": "mirror (copy; its answer is dropped)",
            "failover service": "failover main",
            "failover fallback": "failover fallback (when the main has no healthy server)",
        }.get(ref.role, ref.role)
        if child is None:
            notes.append(
                f"service `{ref.name.text}` ({label}) of `{service.qualified}` is not defined"
            )
            continue
        _servers(
            project,
            child,
            via=[*via, f"{service.qualified} [{label}]"],
            weight=weights[index] if index < len(weights) and ref.role == "weighted" else weight,
            out=out,
            seen=seen,
            notes=notes,
        )


def _child_weights(service: Service) -> list[int]:
    inner = section(service.body, service.kind or "")
    out: list[int] = []
    entry = inner.find("services") if inner is not None else None
    if entry is None:
        return out
    from traefik_doctor.loaders.tree import Sequence

    if isinstance(entry.value, Sequence):
        for item in entry.value.items:
            found = value(item, "weight") if isinstance(item, Mapping) else None
            number = found.as_int() if found is not None else None
            out.append(number if number is not None else 1)
    return out


def _weight(server: Server, inherited: int | None) -> int | None:
    if server.weight is not None:
        return server.weight.as_int()
    return inherited


def _upstream(
    project: Project, line: ServerLine, path: str, host: str, host_note: str | None
) -> None:
    service = _service_by_name(project, line.service)
    parts = urlsplit(line.url) if "://" in line.url else None
    pass_host = True
    if service is not None and service.pass_host_header is not None:
        pass_host = service.pass_host_header.as_bool() is not False
    server = _server_by_url(service, line.url)
    preserve = (
        server is not None
        and server.preserve_path is not None
        and server.preserve_path.as_bool() is True
    )
    upstream_path = path or "/"
    if parts is not None and parts.path not in ("", "/"):
        if preserve:
            upstream_path = _join(parts.path, upstream_path)
            line.notes.append(f"preservePath: the URL path `{parts.path}` is prepended")
        else:
            line.notes.append(
                f"the URL path `{parts.path}` is dropped (Traefik ignores it without preservePath)"
            )
    line.upstream_path = upstream_path
    if not pass_host and parts is not None:
        line.upstream_host = parts.netloc.rpartition("@")[2]
        line.notes.append("passHostHeader: false: the backend gets the server URL's host")
    else:
        line.upstream_host = host
        if host_note is not None:
            line.notes.append(host_note)


def _join(base: str, path: str) -> str:
    """Go's ``singleJoiningSlash``."""
    if base.endswith("/") and path.startswith("/"):
        return base + path[1:]
    if not base.endswith("/") and not path.startswith("/"):
        return base + "/" + path
    return base + path


def _service_by_name(project: Project, qualified: str) -> Service | None:
    return project.dynamic.services.get(f"http:{qualified}")


def _server_by_url(service: Service | None, url: str) -> Server | None:
    if service is None:
        return None
    return next((s for s in service.servers if s.url is not None and s.url.text == url), None)


def _go(project: Project, line: ServerLine, method: str) -> None:
    from traefik_doctor.model.gomatch import backend_for
    from traefik_doctor.model.gomux import describe, nearby, serving_route

    service = _service_by_name(project, line.service)
    server = _server_by_url(service, line.url)
    if service is None or server is None:
        return
    backend = backend_for(project, service, server)
    if backend is None:
        return
    program = backend.program
    if backend.server is None:
        ports = ", ".join(str(s.port) for s in program.servers if s.port is not None) or "none"
        line.go = (
            f"Go program {program.location.path} (matched by {backend.how}) has no listener on"
            f" port {backend.url.port} (its ports: {ports}): Traefik answers 502 Bad Gateway"
        )
        return
    listener = backend.server
    where = f"{listener.kind} at {listener.location} (matched by {backend.how})"
    routes = program.routes_of(listener)
    path = line.upstream_path or "/"
    if path.startswith("/debug/pprof") and program.pprof_of(listener):
        pprof = program.pprof_of(listener)[0]
        line.handler = HandlerLine(
            "/debug/pprof/", str(pprof.location), None, program.package, str(listener.location)
        )
        line.go = f"net/http/pprof ({pprof.kind}) on {where}"
        return
    if not routes:
        line.go = f"{where}: its handler's routes are not known"
        return
    host = (line.upstream_host or "").rsplit(":", 1)[0] if line.upstream_host else None
    found = serving_route(routes, path, method, program.go_version, host)
    if found is None:
        close = "; ".join(describe(r) for r in nearby(routes, path))
        line.backend_404 = True
        line.go = f"no Go route of {where} serves `{method} {path}`: 404. Nearest: {close}"
        return
    line.handler = HandlerLine(
        found.path, str(found.location), found.method, program.package, str(listener.location)
    )
    line.go = f"{describe(found)} on {where}"


# --- what each middleware does ---------------------------------------------------------
