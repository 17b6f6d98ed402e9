"""``traefik-doctor route``: where one request goes, and why not where it was expected.

The routing decision itself is ``routing.engine`` (Traefik 3.7's muxer); this module follows
the request on from the winning router: its middlewares in order (path rewrites computed by
``model.rewrite``; redirects, authentication, allow-lists and headers described), the Host
and path the backend receives, the service tree down to its servers and, when the Go code is
known, the Go handler that serves the rewritten path (``model.gomux``).

Exit codes: 0 a router matched and the request reaches a service (or a middleware answers
it: redirect, 401, 403); 1 nothing answers on that port, Traefik itself answers
``404 page not found``, or the Go backend has no handler for the path (its own 404);
2 usage errors.
"""

from __future__ import annotations

import argparse
import base64
import ipaddress
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from traefik_doctor.errors import UsageError
from traefik_doctor.loaders.tree import Mapping, Scalar
from traefik_doctor.model.dynamic import Middleware, Router, Server, Service
from traefik_doctor.model.project import Project
from traefik_doctor.model.values import section, value, values
from traefik_doctor.reports.base import clean_text

if TYPE_CHECKING:
    from traefik_doctor.routing.engine import Verdict
    from traefik_doctor.routing.request import Request

TRAEFIK_404 = "404 page not found"
MAX_SERVICE_DEPTH = 16

ROUTE_HELP = """\
Explain which router gets a request, what its middlewares do to it, and which backend (and
Go handler) receives it.

  traefik-doctor route GET http://api.example.com/api/v1/users
  traefik-doctor route examples/broken-app GET http://api.example.com/api/v1/users
  traefik-doctor route --project examples/broken-app -H 'Authorization: Basic eDp5' \\
      GET https://admin.example.com/

The positional arguments are [PATH] METHOD URL (PATH, the project directory, defaults to
`.`; `--project PATH` says the same). Options may come anywhere.
Exit status: 0 routed to a service (or answered by a middleware), 1 Traefik's own 404, no
entry point on that port, or the Go backend has no handler (its 404), 2 usage error."""


class _IntermixedParser(argparse.ArgumentParser):
    """``route``'s parser: options may come between the positional words
    (``route PATH --entrypoint web GET URL``), as ``parse_intermixed_args`` allows."""

    _inside = False

    def parse_known_args(  # type: ignore[override]
        self, args: Any = None, namespace: Any = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if self._inside:
            return super().parse_known_args(args, namespace)
        self._inside = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._inside = False

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def add_parser(commands: Any) -> None:
    """Register ``route`` on the CLI's subcommands."""
    route = commands.add_parser(
        "route",
        help="explain which router, middlewares and backend a request goes through",
        description=ROUTE_HELP,
        usage="traefik-doctor route [options] [PATH] METHOD URL",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    route.add_argument("words", nargs="+", metavar="[PATH] METHOD URL")
    route.add_argument("--project", type=Path, metavar="PATH", help="the project directory")
    route.add_argument("--entrypoint", metavar="NAME", help="the entry point (default: by port)")
    route.add_argument(
        "-H",
        "--header",
        action="append",
        default=[],
        dest="headers",
        metavar="'NAME: VALUE'",
        help="a request header (repeatable)",
    )
    route.add_argument("--client-ip", default="127.0.0.1", metavar="IP")
    route.add_argument("--format", choices=("text", "json"), default="text")
    route.add_argument("--static", type=Path, help="Traefik's static configuration file")
    route.add_argument("--go-src", action="append", default=[], type=Path, metavar="DIR")
    route.add_argument("--no-go", action="store_true", help="do not read Go code")
    route.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    route.__class__ = _IntermixedParser


# --- the explanation, as data ----------------------------------------------------------


@dataclass(slots=True)
class RouterLine:
    router: str
    priority: int
    matched: bool
    reason: str
    matcher: str | None = None
    location: str | None = None
    rule: str | None = None
    offset: int | None = None
    skipped: str | None = None


@dataclass(slots=True)
class MiddlewareLine:
    name: str
    type: str
    effect: str
    stops: int | None = None
    """The status the middleware answers with instead of the backend (None: passes on)."""


@dataclass(slots=True)
class HandlerLine:
    path: str
    location: str
    method: str | None
    program: str
    listener: str


@dataclass(slots=True)
class ServerLine:
    service: str
    url: str
    via: str
    weight: int | None = None
    health_check: str | None = None
    upstream_host: str | None = None
    upstream_path: str | None = None
    go: str | None = None
    """What the Go side says: the handler, a backend 404, a missing listener..."""
    handler: HandlerLine | None = None
    backend_404: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Explanation:
    method: str
    url: str
    host: str
    path: str
    client_ip: str
    entrypoint: str | None = None
    entrypoint_address: str | None = None
    routers: list[RouterLine] = field(default_factory=list)
    router: str | None = None
    priority: int | None = None
    ambiguous: list[str] = field(default_factory=list)
    near_misses: list[str] = field(default_factory=list)
    middlewares: list[MiddlewareLine] = field(default_factory=list)
    upstream: dict[str, str] | None = None
    upstream_notes: list[str] = field(default_factory=list)
    service: str | None = None
    service_notes: list[str] = field(default_factory=list)
    servers: list[ServerLine] = field(default_factory=list)
    handler: HandlerLine | None = None
    outcome: str = ""
    status: int | None = None
    exit_code: int = 0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["handler"] = asdict(self.handler) if self.handler is not None else None
        return data


# --- building it -----------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    """The ``route`` command: returns the exit code."""
    from traefik_doctor.loaders.project import load_project
    from traefik_doctor.settings import load_settings

    words: list[str] = list(args.words)
    if len(words) == 3:
        if args.project is not None:
            raise UsageError("give the project as PATH or as --project, not both")
        target = Path(words[0])
        method, url = words[1], words[2]
    elif len(words) == 2:
        target = args.project or Path(".")
        method, url = words
    else:
        raise UsageError("route takes [PATH] METHOD URL")
    if not target.exists():
        raise UsageError(f"{target}: no such file or directory")
    if not re.fullmatch(r"[A-Za-z]+", method):
        raise UsageError(f"`{method}` is not an HTTP method (route takes [PATH] METHOD URL)")
    if not re.match(r"(?i)https?://[^/?#]", url):
        raise UsageError(f"URL `{url}` must start with http:// or https:// and name a host")
    headers = tuple(_header(text) for text in args.headers)
    try:
        ipaddress.ip_address(args.client_ip)
    except ValueError:
        raise UsageError(f"--client-ip `{args.client_ip}` is not an IP address") from None

    root = target if target.is_dir() else target.parent
    settings = load_settings(root.resolve())
    static = args.static or settings.static
    go_src = [*settings.go_src, *(path.resolve() for path in args.go_src)]
    project = load_project(
        target,
        static,
        go=settings.go and not args.no_go,
        go_src=go_src,
        go_services=settings.go_services,
    )
    if (
        args.entrypoint is not None
        and project.static.entry_points
        and args.entrypoint not in project.static.entry_points
    ):
        known = ", ".join(sorted(project.static.entry_points))
        raise UsageError(
            f"no entry point `{args.entrypoint}` (the static configuration has {known})"
        )
    explanation = explain(
        project,
        method.upper(),
        url,
        headers=headers,
        client_ip=args.client_ip,
        entry_point=args.entrypoint,
    )
    if args.format == "json":
        sys.stdout.write(json.dumps(explanation.to_json(), indent=2) + "\n")
    else:
        from traefik_doctor.cli import _color

        sys.stdout.write(render_text(explanation, color=_color(args.color)))
    return explanation.exit_code


def _header(text: str) -> tuple[str, str]:
    name, colon, content = text.partition(":")
    if not colon or not name.strip() or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name):
        raise UsageError(f"header `{text}` is not `Name: value`")
    return name.strip(), content.strip()


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
        line, path, new_host = _middleware(
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


def _middleware(
    middleware: Middleware,
    router: Router,
    request: Request,
    *,
    headers: dict[str, str],
    path: str,
    host: str,
) -> tuple[MiddlewareLine, str, tuple[str, str | None] | None]:
    """Describe one middleware; returns its line, the path after it and, when it changes the
    Host, the new Host with a note."""
    from traefik_doctor.model.rewrite import PATH_KINDS, apply, kind_of

    kind = kind_of(middleware)
    shown_kind = middleware.kind or "?"
    options = middleware.options_map
    line = MiddlewareLine(middleware.qualified, shown_kind, "")
    new_host: tuple[str, str | None] | None = None
    if kind in PATH_KINDS:
        result = apply([middleware], path, tls=router.tls is not None)
        if result.unknown is not None:
            line.effect = f"path effect unknown: {result.unknown}"
            return line, path, None
        if result.ends is not None:
            line.effect = result.ends.describe()
            line.stops = int(result.ends.note[:3]) if result.ends.note[:3].isdigit() else 400
            return line, path, None
        step = result.steps[0] if result.steps else None
        if step is None or not step.changed:
            note = f" ({step.note})" if step is not None and step.note else ""
            line.effect = f"path `{path}` unchanged{note}"
            return line, path, None
        line.effect = f"path `{step.before or '/'}` → `{step.after or '/'}`"
        if kind in ("stripprefix", "stripprefixregex"):
            stripped = step.before[: len(step.before) - len((step.after or "").lstrip("/"))]
            line.effect += f" (adds X-Forwarded-Prefix: {stripped.rstrip('/') or '/'})"
        return line, result.path, None
    if kind == "redirectscheme":
        scheme = (_text(options, "scheme") or "https").lower()
        port = _text(options, "port")
        permanent = _bool(options, "permanent")
        if request.scheme == scheme and (port is None or int(port or 0) == request.port):
            line.effect = f"no redirect: the request is already {scheme}"
            return line, path, None
        bare = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
        default_port = {"http": "80", "https": "443"}.get(scheme)
        netloc = bare if port in (None, "", default_port) else f"{bare}:{port}"
        query = f"?{request.query}" if request.query else ""
        status = _redirect_status(request.method, permanent)
        line.effect = f"redirects ({status}) to {scheme}://{netloc}{request.path}{query}"
        line.stops = status
        return line, path, None
    if kind == "redirectregex":
        regex = _text(options, "regex") or ""
        replacement = _text(options, "replacement") or ""
        full = f"{request.scheme}://{request.host}{request.path}"
        if request.query:
            full += f"?{request.query}"
        target = _regex_replace(regex, replacement, full)
        if target is None:
            line.effect = f"regex `{regex}` does not match `{full}`: no redirect"
            return line, path, None
        status = _redirect_status(request.method, _bool(options, "permanent"))
        line.effect = f"redirects ({status}) to {target}"
        line.stops = status
        return line, path, None
    if kind in ("basicauth", "digestauth"):
        scheme_name = "Basic" if kind == "basicauth" else "Digest"
        realm = _text(options, "realm") or "traefik"
        users = [v.text.split(":", 1)[0] for v in values(options, "users")]
        auth = headers.get("authorization")
        if auth is None:
            line.effect = (
                f"no Authorization header: answers 401 with"
                f' `WWW-Authenticate: {scheme_name} realm="{realm}"` (the browser prompts)'
            )
            line.stops = 401
            return line, path, None
        user = _basic_user(auth) if kind == "basicauth" else None
        if user is not None and users and user not in users:
            line.effect = f"user `{user}` is not in its users list: answers 401"
            line.stops = 401
            return line, path, None
        line.effect = "checks the credentials (a wrong password gets 401)"
        if _bool(options, "removeHeader"):
            line.effect += "; removes the Authorization header"
        return line, path, None
    if kind in ("ipallowlist", "ipwhitelist"):
        ranges = [v.text.strip() for v in values(options, "sourceRange")]
        strategy = section(options, "ipStrategy")
        ip = request.client_ip
        how = "client IP"
        if strategy is not None:
            depth = value(strategy, "depth")
            forwarded = [
                p.strip() for p in headers.get("x-forwarded-for", "").split(",") if p.strip()
            ]
            number = depth.as_int() if depth is not None else None
            if number and 0 < number <= len(forwarded):
                ip, how = forwarded[-number], f"X-Forwarded-For (depth {number})"
            elif number:
                line.effect = f"ipStrategy depth {number}: X-Forwarded-For too short: answers 403"
                line.stops = 403
                return line, path, None
        if _ip_in(ip, ranges):
            line.effect = f"{how} {ip} is in {', '.join(ranges)}: passes"
            return line, path, None
        line.effect = (
            f"{how} {ip} is not in {', '.join(ranges) or 'an empty list'}: answers 403 Forbidden"
        )
        line.stops = 403
        return line, path, None
    if kind == "headers":
        line.effect, new_host = _headers_effect(options)
        return line, path, new_host
    if kind == "forwardauth":
        address = _text(options, "address") or "?"
        line.effect = f"asks {address} first; a non-2xx answer from it goes to the client instead"
        return line, path, None
    line.effect = _GENERIC.get(kind, "does not change the path or the Host")
    if kind == "retry":
        attempts = _text(options, "attempts")
        line.effect = f"retries up to {attempts or '?'} attempts on network errors"
    elif kind == "errors":
        codes = ", ".join(v.text for v in values(options, "status"))
        page = _text(options, "service") or "?"
        line.effect = f"replaces answers with status {codes} by a page of service `{page}`"
    return line, path, None


_GENERIC = {
    "ratelimit": "limits the request rate (over the limit: 429 Too Many Requests)",
    "inflightreq": "limits simultaneous requests (over the limit: 429)",
    "compress": "compresses the response",
    "buffering": "buffers the request/response bodies (too large: 413)",
    "circuitbreaker": "opens the circuit on its expression (then 503)",
    "contenttype": "sets Content-Type from the body when missing",
    "passtlsclientcert": "passes the TLS client certificate in a header",
    "grpcweb": "translates gRPC-Web to gRPC",
    "plugin": "a plugin: its effect is not known here",
}


def _headers_effect(options: Mapping | None) -> tuple[str, tuple[str, str | None] | None]:
    parts: list[str] = []
    new_host: tuple[str, str | None] | None = None
    custom = section(options, "customRequestHeaders")
    for entry in custom or []:
        content = entry.value.text if isinstance(entry.value, Scalar) else ""
        if content == "":
            parts.append(f"removes request header {entry.key}")
        elif entry.key.lower() == "host":
            if _valid_host(content):
                parts.append(f"sets Host to `{content}`")
                new_host = (content, f"Host `{content}` set by a headers middleware")
            else:
                parts.append(
                    f"sets Host to `{content}`, not a valid Host: Go's client sends"
                    ' an empty `Host:` (no placeholder expansion; a Go backend sees r.Host == "")'
                )
                new_host = ("", f"Host `{content}` is invalid: sent empty")
        elif "{" in content:
            parts.append(f"sets {entry.key}: `{content}` literally (no placeholder expansion)")
        else:
            parts.append(f"sets request header {entry.key}: {content}")
    response = section(options, "customResponseHeaders")
    if response is not None and len(response):
        parts.append(f"sets {len(response)} response header(s)")
    if options is not None:
        cors = [e.key for e in options if e.key.lower().startswith("accesscontrol")]
        if cors:
            parts.append("CORS: answers preflight OPTIONS requests itself")
        security = [
            e.key
            for e in options
            if e.key.lower()
            in ("framedeny", "contenttypenosniff", "browserxssfilter", "stsseconds")
        ]
        if security:
            parts.append(f"adds security response headers ({', '.join(security)})")
    return "; ".join(parts) or "no header changes", new_host


_HOST_BYTES = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!$%&'()*+,-.:;=[]_~"
)


def _valid_host(text: str) -> bool:
    """Go's ``httpguts.ValidHostHeader``: anything else is sent as an empty Host."""
    return all(char in _HOST_BYTES or ord(char) >= 0x80 for char in text)


def _text(options: Mapping | None, key: str) -> str | None:
    found = value(options, key)
    return found.text.strip() if found is not None else None


def _bool(options: Mapping | None, key: str) -> bool:
    found = value(options, key)
    return found is not None and found.as_bool() is True


def _redirect_status(method: str, permanent: bool) -> int:
    if permanent:
        return 301 if method == "GET" else 308
    return 302 if method == "GET" else 307


def _regex_replace(regex: str, replacement: str, full: str) -> str | None:
    from traefik_doctor.model.rewrite import go_expand
    from traefik_doctor.rulelang.regexp import go_regexp_check, to_python

    if go_regexp_check(regex) is not None:
        return None
    try:
        compiled = re.compile(to_python(regex))
    except (ValueError, re.error):
        return None
    found = compiled.search(full)
    if found is None:
        return None
    return compiled.sub(lambda m: go_expand(m, replacement), full)


def _basic_user(header: str) -> str | None:
    kind, _, encoded = header.partition(" ")
    if kind.lower() != "basic":
        return None
    try:
        return base64.b64decode(encoded.strip(), validate=True).decode().split(":", 1)[0]
    except (ValueError, UnicodeDecodeError):
        return None


def _ip_in(ip: str, ranges: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for text in ranges:
        try:
            if address in ipaddress.ip_network(text, strict=False):
                return True
        except ValueError:
            try:
                if address == ipaddress.ip_address(text):
                    return True
            except ValueError:
                continue
    return False


# --- text ------------------------------------------------------------------------------

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RED = "\x1b[1;31m"
_GREEN = "\x1b[1;32m"
_YELLOW = "\x1b[1;33m"


def _priority(number: int) -> str:
    """Internal routers (ping, metrics) run at Traefik's maximum priority."""
    return "max" if number >= 2**62 else str(number)


def render_text(ex: Explanation, *, color: bool = False) -> str:
    def paint(style: str, text: str) -> str:
        return f"{style}{text}{_RESET}" if color and text else text

    c = clean_text
    lines = [
        paint(_BOLD, f"{ex.method} {c(ex.url)}") + f"  (Host {c(ex.host)}, from {ex.client_ip})"
    ]
    if ex.entrypoint is None:
        lines.append(f"entry point: none. {c(ex.outcome)}")
        return "\n".join(lines) + "\n"
    address = f" ({c(ex.entrypoint_address)})" if ex.entrypoint_address else ""
    lines.append(f"entry point: {c(ex.entrypoint)}{address}")
    lines.append("")
    lines.append(paint(_BOLD, f"routers on `{c(ex.entrypoint)}`, in Traefik's order:"))
    if not ex.routers:
        lines.append("  (none)")
    width = max((len(r.router) for r in ex.routers), default=0)
    shown = {id(r): _priority(r.priority) for r in ex.routers}
    pwidth = max((len(p) for p in shown.values()), default=0)
    for line in ex.routers:
        if line.skipped:
            mark, status = paint(_DIM, "·"), f"never runs: {c(line.skipped)}"
        elif line.matched:
            mark = paint(_GREEN, "✓")
            status = "matches"
            if line.router == ex.router:
                status = paint(_GREEN, "matches, wins")
            elif line.router in ex.ambiguous:
                status = paint(_YELLOW, "matches, same priority: AMBIGUOUS")
            else:
                status = "matches (a higher-priority router won)"
        else:
            mark, status = paint(_RED, "✗"), c(line.reason)
        priority = shown[id(line)]
        lines.append(f"  {mark} {c(line.router):<{width}}  priority {priority:<{pwidth}}  {status}")
        if not line.matched and not line.skipped and line.matcher and line.rule is not None:
            lines.append(f"      {paint(_DIM, c(line.location or ''))}  {c(line.rule)}")
            assert line.offset is not None
            pad = len(c(line.location or "")) + 2 + len(c(line.rule[: line.offset]))
            lines.append("      " + " " * pad + paint(_RED, "^" * max(len(line.matcher), 1)))
    lines.append("")
    if ex.router is None:
        lines.append(paint(_RED, "→ " + c(ex.outcome)))
        if ex.status == 404:
            lines.append(
                "  (byte for byte Go's http.NotFoundHandler: the same as a Go backend's 404)"
            )
        if ex.near_misses and ex.status == 404:
            lines.append("  nearest misses:")
            lines.extend(f"    - {c(m)}" for m in ex.near_misses)
        return "\n".join(lines) + "\n"
    chosen = _priority(ex.priority) if ex.priority is not None else "?"
    lines.append(paint(_BOLD, f"router: {c(ex.router)} (priority {chosen})"))
    if ex.ambiguous:
        others = ", ".join(c(a) for a in ex.ambiguous)
        lines.append(
            paint(_YELLOW, f"  ambiguous: {others} also match with the same priority;")
            + " Traefik picks one at random at each start"
        )
    if ex.middlewares:
        lines.append(paint(_BOLD, "middlewares, in order:"))
        for number, mw in enumerate(ex.middlewares, 1):
            stop = paint(_RED, f" [stops: {mw.stops}]") if mw.stops is not None else ""
            lines.append(f"  {number}. {c(mw.name)} ({c(mw.type)}): {c(mw.effect)}{stop}")
    else:
        lines.append("middlewares: none")
    if ex.upstream is not None:
        lines.append(
            paint(_BOLD, "backend receives:")
            + f" Host `{c(ex.upstream['host'])}`, path `{c(ex.upstream['path'])}`"
        )
        lines.extend(f"  {c(n)}" for n in ex.upstream_notes)
    if ex.service is not None:
        lines.append(paint(_BOLD, f"service: {c(ex.service)}"))
    lines.extend(f"  {c(n)}" for n in ex.service_notes)
    differ = len({(s.upstream_host, s.upstream_path) for s in ex.servers}) > 1
    for server in ex.servers:
        extra = []
        if server.weight is not None:
            extra.append(f"weight {server.weight}")
        if server.health_check:
            extra.append(f"health check {c(server.health_check)}")
        suffix = f" ({', '.join(extra)})" if extra else ""
        lines.append(f"  server {c(server.url)}{suffix}")
        if " → " in server.via or server.via != server.service:
            lines.append(f"    via {c(server.via)}")
        if differ:
            lines.append(
                f"    receives Host `{c(server.upstream_host or '')}`,"
                f" path `{c(server.upstream_path or '')}`"
            )
        lines.extend(f"    {c(n)}" for n in server.notes if n not in ex.upstream_notes)
        if server.go is not None:
            style = _RED if server.backend_404 else _GREEN if server.handler else _YELLOW
            lines.append("    Go: " + paint(style, c(server.go)))
    lines.append("")
    style = _RED if ex.exit_code else _GREEN
    lines.append(paint(style, "→ " + c(ex.outcome)))
    return "\n".join(lines) + "\n"
