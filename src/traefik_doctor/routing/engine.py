"""Which router Traefik 3.7 gives a request, and why the others did not get it.

``RoutingTable`` builds, once per project, what Traefik builds per entry point: the routers
attached to it (listed entry points, else ``static.default_entry_points()``), split by TLS
(a router with ``tls`` or on an entry point with ``http.tls`` only answers HTTPS; the others
only plain HTTP), sorted by priority, highest first (``pkg/muxer/http/mux.go``: explicit
``priority``, else ``len(rule)`` in bytes). The first route whose rule matches wins.

Equal priorities: Traefik sorts with the unstable ``sort.Sort`` over routers collected from a
Go map, so among routes of equal priority (and equal ``providers.precedence`` rank) the
winner can change at every start (measured, shared/traefik-facts.md §5). ``route`` then
reports the first in our own order (name order) as ``winner`` and every other matching
router of that priority in ``ambiguous``: a caller must not present the winner as certain.

Routers Traefik disables (rule errors, unknown service or middleware, priority above the
maximum) are listed in ``verdicts`` with ``skipped`` set and never win. Internal routers are
added as Traefik adds them: ``ping@internal`` (``PathPrefix(`/ping`)``, maximum priority) on
``ping.entryPoint`` (default ``traefik``), ``prometheus@internal`` likewise for ``/metrics``,
and with ``api.insecure`` ``api@internal`` (``PathPrefix(`/api`)``) and
``dashboard@internal`` (``PathPrefix(`/`)``) on ``traefik``.

Speed: each table keeps a host index (exact host -> routes, ``*.domain`` -> routes) next to
the list of routes whose rule does not pin the host, so a request only evaluates the routes
its host can reach. ``route(..., explain=False)`` skips the per-router verdicts. The host
keys come from the parse trees, not from the compiled rules, so a table built with
``compile_rules=False`` compiles a rule only when it is matched: the static rules
(RTR011/RTR012, which mostly ask which routers can meet on one host) compile only the few
routes they match a witness request against.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field

from traefik_doctor.model.dynamic import Router
from traefik_doctor.model.project import Project
from traefik_doctor.model.references import missing
from traefik_doctor.model.routing import parsed_rule
from traefik_doctor.model.static import INTERNAL_ENTRYPOINT, EntryPoint
from traefik_doctor.model.values import Value, section, value, values
from traefik_doctor.routing.hosts import host_key, rule_host_keys
from traefik_doctor.routing.matchers import Compiled, compile_rule, explain
from traefik_doctor.routing.request import BadRequestError, Prepared, Request, prepare
from traefik_doctor.rulelang.ast import Expr
from traefik_doctor.rulelang.matchers import Syntax
from traefik_doctor.rulelang.parser import RuleSyntaxError, parse
from traefik_doctor.rulelang.priority import MAX_PRIORITY, default_priority
from traefik_doctor.source import Origin, Source

__all__ = ["RouteResult", "RoutingTable", "Verdict"]

MAX_INT = 2**63 - 1


@dataclass(frozen=True, slots=True)
class Verdict:
    router: Router
    priority: int
    matched: bool
    reason: str
    offset: int | None
    skipped: str | None = None


@dataclass(frozen=True, slots=True)
class RouteResult:
    entry_point: str | None
    verdicts: tuple[Verdict, ...]
    winner: Router | None
    ambiguous: tuple[Router, ...]
    near_misses: tuple[str, ...]


@dataclass(slots=True)
class _Route:
    router: Router
    priority: int
    rank: int
    """``providers.precedence`` rank: higher wins among equal priorities (-1: unranked)."""
    tls: bool
    skipped: str | None
    hosts: frozenset[str] | None = None
    position: int = 0
    tree: Expr | None = None
    """The parsed rule of a route Traefik runs (None when ``skipped``)."""
    syntax: Syntax = "v3"
    compiled: Compiled | None = None
    """Set by ``compile``: for every route once the table is ready to route requests."""

    def compile(self) -> Compiled | None:
        """The compiled rule (None when ``skipped``), compiled on first use."""
        if self.compiled is None and self.tree is not None:
            rule = self.router.rule.text if self.router.rule is not None else ""
            self.compiled = compile_rule(rule, self.tree, self.syntax)
        return self.compiled


@dataclass(slots=True)
class _Side:
    """The routes of one entry point for one of plain HTTP / HTTPS, with the host index."""

    routes: list[_Route] = field(default_factory=list)
    exact: dict[str, list[_Route]] = field(default_factory=dict)
    any_host: list[_Route] = field(default_factory=list)

    def index(self) -> None:
        for position, route in enumerate(self.routes):
            route.position = position
            if route.hosts is None:
                self.any_host.append(route)
            else:
                for key in route.hosts:
                    self.exact.setdefault(key, []).append(route)

    def candidates(self, host: str) -> list[list[_Route]]:
        key = host_key(host)
        lists = [self.any_host]
        found = self.exact.get(key)
        if found:
            lists.append(found)
        dot = key.find(".")
        wild = self.exact.get("*" + key[dot:] if dot >= 0 else "*")
        if wild and wild is not found:
            lists.append(wild)
        return lists


@dataclass(slots=True)
class _Table:
    name: str
    tls_entry_point: bool
    all_routes: list[_Route] = field(default_factory=list)
    plain: _Side = field(default_factory=_Side)
    secure: _Side = field(default_factory=_Side)


def _order_key(route: _Route) -> tuple[int, int, str]:
    return (-route.priority, -route.rank, route.router.qualified)


class RoutingTable:
    """The routers of a project per entry point, ordered and indexed as Traefik runs them."""

    def __init__(
        self,
        project: Project,
        *,
        compile_rules: bool = True,
        routers: Iterable[Router] | None = None,
    ) -> None:
        """``compile_rules=False``: compile each rule when it is first matched (or all of
        them when the table first routes a request), for callers that mostly compare routers
        without routing requests. ``routers``: only these of the project's routers (the
        internal ones are added all the same), for callers that know the others cannot
        matter to them."""
        self.project = project
        self._compiled = False
        static = project.static
        self._entry_points: dict[str, EntryPoint | None] = dict(static.entry_points)
        self._ports: dict[str, int | None] = {
            name: ep.port() if ep is not None else None for name, ep in self._entry_points.items()
        }
        kube = project.kubernetes
        self._front_ports = kube.traefik_front_ports() if kube is not None else {}
        precedence = [
            v.text.strip().lower() for v in values(static.section("providers"), "precedence")
        ]
        ranks = {name: len(precedence) - 1 - i for i, name in enumerate(precedence)}
        self._tables: dict[str, _Table] = {}
        chosen = project.dynamic.routers.values() if routers is None else routers
        http = [r for r in chosen if r.protocol == "http"]
        internal = self._internal_routers()
        for _router, entry_points, _prio in internal:
            for name in entry_points:
                if name not in self._entry_points:
                    self._entry_points[name] = None
                    self._ports[name] = 8080 if name == INTERNAL_ENTRYPOINT else None
        for name, ep in self._entry_points.items():
            self._tables[name] = _Table(name, ep is not None and ep.tls is not None)
        defaults = static.default_entry_points()
        for router in http:
            listed = [ep.text for ep in router.entry_points]
            attached = [n for n in listed if n in self._entry_points] if listed else defaults
            for name in dict.fromkeys(attached):
                table = self._tables.get(name)
                if table is None:
                    continue
                table.all_routes.append(self._route(router, table, ranks.get(router.provider, -1)))
        for router, entry_points, prio in internal:
            for name in entry_points:
                table = self._tables[name]
                table.all_routes.append(
                    self._route(router, table, ranks.get("internal", -1), explicit=prio)
                )
        for table in self._tables.values():
            table.all_routes.sort(key=_order_key)
            for route in table.all_routes:
                if route.skipped is None:
                    (table.secure if route.tls else table.plain).routes.append(route)
            table.plain.index()
            table.secure.index()
        if compile_rules:
            self._compile_all()

    # -- building ---------------------------------------------------------------------------

    def _internal_routers(self) -> list[tuple[Router, list[str], int]]:
        static = self.project.static
        if not static.present:
            return []
        origin = static.origin or Origin(Source("<internal>", "<internal>"), 0, "internal")
        out: list[tuple[Router, list[str], int]] = []

        def make(name: str, rule: str, ep: str, prio: int) -> None:
            router = Router(
                name=name,
                provider="internal",
                protocol="http",
                origin=origin,
                body=None,
                rule=Value(rule, origin),
                service=Value(f"{name}@internal", origin),
                entry_points=[Value(ep, origin)],
            )
            out.append((router, [ep], prio))

        def manual(node: str) -> bool:
            flag = value(static.section(*node.split(".")), "manualRouting")
            return flag is not None and flag.as_bool() is True

        if static.has("ping") and not manual("ping"):
            ep = value(static.section("ping"), "entryPoint")
            make("ping", "PathPrefix(`/ping`)", ep.text if ep else INTERNAL_ENTRYPOINT, MAX_INT)
        prometheus = section(static.section("metrics"), "prometheus")
        if static.has("metrics", "prometheus") and not manual("metrics.prometheus"):
            ep = value(prometheus, "entryPoint")
            make(
                "prometheus",
                "PathPrefix(`/metrics`)",
                ep.text if ep else INTERNAL_ENTRYPOINT,
                MAX_INT,
            )
        insecure = static.get("api", "insecure")
        if static.has("api") and insecure is not None and insecure.as_bool():
            make("api", "PathPrefix(`/api`)", INTERNAL_ENTRYPOINT, MAX_INT - 1)
            dashboard = static.get("api", "dashboard")
            if dashboard is None or dashboard.as_bool() is not False:
                make("dashboard", "PathPrefix(`/`)", INTERNAL_ENTRYPOINT, MAX_INT - 2)
        return out

    def _route(
        self, router: Router, table: _Table, rank: int, explicit: int | None = None
    ) -> _Route:
        tls = table.tls_entry_point or router.tls is not None
        rule = router.rule.text if router.rule is not None else ""
        if explicit is not None:
            priority = explicit
        else:
            number = router.priority.as_int() if router.priority is not None else None
            priority = number if number else default_priority(rule)
        skipped = None if explicit is not None else self._disabled(router, priority)
        hosts: frozenset[str] | None = None
        tree: Expr | None = None
        syntax: Syntax = "v3"
        if skipped is None:
            if router.provider == "internal":
                internal = parse(rule)
                tree = None if isinstance(internal, RuleSyntaxError) else internal
            else:
                parsed = parsed_rule(self.project, router)
                if parsed is not None:
                    tree = parsed.expr
                    syntax = "v2" if parsed.syntax == "v2" else "v3"
            if tree is not None:
                hosts = rule_host_keys(tree, syntax)
            else:
                skipped = "the rule cannot be parsed"
        return _Route(router, priority, rank, tls, skipped, hosts, tree=tree, syntax=syntax)

    def _disabled(self, router: Router, priority: int) -> str | None:
        """Why Traefik disables ``router`` (None: it runs)."""
        project = self.project
        parsed = parsed_rule(project, router)
        if parsed is None:
            return "it has no rule (Traefik: expected operand, found 'EOF')"
        if parsed.error is not None:
            return f"its rule does not parse: {parsed.error}"
        for issue in parsed.issues:
            if issue.fatal:
                return f"its rule is rejected: {issue.message}"
        if priority > MAX_PRIORITY:
            return f"its priority {priority} exceeds the maximum {MAX_PRIORITY}"
        dynamic = project.dynamic
        if router.service is None or not router.service.text.strip():
            return "it has no service"
        gone = missing(project, dynamic.services, "http", router.service.text, router.provider)
        if gone is not None:
            return f"its service `{gone.target}` does not exist"
        for ref in router.middlewares:
            gone = missing(project, dynamic.middlewares, "http", ref.text, router.provider)
            if gone is not None:
                return f"its middleware `{gone.target}` does not exist"
            chain = dynamic.find_middleware("http", *_split(ref.text, router.provider))
            if chain is not None and chain.kind is not None and chain.kind.lower() == "chain":
                for inner in values(chain.options_map, "middlewares"):
                    gone = missing(project, dynamic.middlewares, "http", inner.text, chain.provider)
                    if gone is not None:
                        return (
                            f"its chain `{chain.qualified}` uses `{gone.target}`,"
                            " which does not exist"
                        )
        return None

    # -- queries ----------------------------------------------------------------------------

    def entry_point_for(self, scheme: str, port: int) -> str | None:
        """The entry point listening on ``port`` (the scheme does not choose: Traefik serves
        TLS and plain HTTP on one entry point); in Kubernetes, the port of a Service in front
        of Traefik leads to the pod port it forwards to."""
        found = sorted(name for name, p in self._ports.items() if p == port)
        if not found and port in self._front_ports:
            behind = self._front_ports[port]
            found = sorted(name for name, p in self._ports.items() if p == behind)
        return found[0] if found else None

    def entry_points(self) -> list[str]:
        return sorted(self._tables)

    def runnable(self, entry_point: str) -> list[_Route]:
        """The routes Traefik runs on ``entry_point`` (HTTP and HTTPS), highest first."""
        table = self._tables.get(entry_point)
        if table is None:
            return []
        return [route for route in table.all_routes if route.skipped is None]

    def routes_on(self, entry_point: str) -> list[tuple[Router, int, bool, str | None]]:
        """(router, priority, tls, skipped) for every router on ``entry_point``, in order."""
        table = self._tables.get(entry_point)
        if table is None:
            return []
        return [(r.router, r.priority, r.tls, r.skipped) for r in table.all_routes]

    def route(
        self, request: Request, entry_point: str | None = None, *, explain: bool = True
    ) -> RouteResult:
        name = entry_point or self.entry_point_for(request.scheme, request.port)
        if name is None or name not in self._tables:
            return RouteResult(
                name if name in self._tables else None,
                (),
                None,
                (),
                (f"no entry point listens on port {request.port}",),
            )
        self._compile_all()
        table = self._tables[name]
        secure = request.scheme == "https"
        sanitize = self._sanitize(name)
        try:
            req = prepare(request, sanitize=sanitize)
        except BadRequestError as err:
            return RouteResult(name, (), None, (), (f"Traefik answers 400 before routing: {err}",))
        side = table.secure if secure else table.plain
        winner, ties = self._match(side, req)
        verdicts: tuple[Verdict, ...] = ()
        near: list[str] = []
        if explain:
            verdicts = tuple(
                self._verdict(route, req, secure, winner) for route in table.all_routes
            )
            if winner is None:
                near = self._near_misses(name, request, req, secure)
        return RouteResult(
            name,
            verdicts,
            winner.router if winner is not None else None,
            tuple(route.router for route in ties),
            tuple(near),
        )

    def _compile_all(self) -> None:
        """Compile every rule (once: when built, or when first routing a request)."""
        if self._compiled:
            return
        for table in self._tables.values():
            for route in table.all_routes:
                route.compile()
        self._compiled = True

    def _sanitize(self, entry_point: str) -> bool:
        ep = self._entry_points.get(entry_point)
        if ep is None:
            return True
        flag = value(section(ep.body, "http"), "sanitizePath")
        return flag is None or flag.as_bool() is not False

    @staticmethod
    def _match(side: _Side, req: Prepared) -> tuple[_Route | None, list[_Route]]:
        lists = side.candidates(req.host)
        ordered = lists[0] if len(lists) == 1 else heapq.merge(*lists, key=lambda r: r.position)
        winner: _Route | None = None
        ties: list[_Route] = []
        for route in ordered:
            if winner is not None and (route.priority, route.rank) != (
                winner.priority,
                winner.rank,
            ):
                break
            compiled = route.compiled
            if compiled is None or not compiled.match(req):
                continue
            if winner is None:
                winner = route
            else:
                ties.append(route)
        return winner, ties

    def _verdict(
        self, route: _Route, req: Prepared, secure: bool, winner: _Route | None
    ) -> Verdict:
        if route.skipped is not None:
            return Verdict(
                route.router,
                route.priority,
                False,
                f"disabled by Traefik: {route.skipped}",
                None,
                route.skipped,
            )
        if route.tls != secure:
            why = (
                "TLS router: it only answers HTTPS requests"
                if route.tls
                else "not a TLS router: it only answers plain HTTP requests"
            )
            return Verdict(route.router, route.priority, False, why, None)
        compiled = route.compiled
        assert compiled is not None
        if compiled.unevaluable is not None:
            return Verdict(route.router, route.priority, False, compiled.unevaluable, None)
        ok, leaf, negated = explain(compiled.tree, req)
        if ok:
            reason = "matches"
            if winner is not None and winner is not route:
                if (winner.priority, winner.rank) == (route.priority, route.rank):
                    reason = (
                        "matches, with the same priority as the winner"
                        " (Traefik picks one at random per start)"
                    )
                elif winner.position < route.position:
                    reason = f"matches, but `{winner.router.qualified}` has a higher priority"
            return Verdict(route.router, route.priority, True, reason, None)
        if leaf is None:
            return Verdict(route.router, route.priority, False, "the rule does not match", None)
        text = f"!{leaf.text} fails: {leaf.text} matches" if negated else leaf.describe(req)
        return Verdict(route.router, route.priority, False, text, leaf.call.start)

    def _near_misses(self, name: str, request: Request, req: Prepared, secure: bool) -> list[str]:
        out: list[str] = []
        table = self._tables[name]
        other = table.plain if secure else table.secure
        winner, _ = self._match(other, req)
        if winner is not None:
            kind = "plain HTTP" if secure else "HTTPS"
            out.append(f"router `{winner.router.qualified}` matches this request over {kind}")
        for other_name, other_table in sorted(self._tables.items()):
            if other_name == name:
                continue
            side = other_table.secure if secure else other_table.plain
            found, _ = self._match(side, req)
            if found is not None:
                out.append(
                    f"router `{found.router.qualified}` matches this request"
                    f" but is on entry point `{other_name}`"
                )
        for route in table.all_routes:
            if route.skipped is not None and route.router.rule is not None:
                out.append(f"router `{route.router.qualified}` is disabled: {route.skipped}")
        return out


def _split(written: str, provider: str) -> tuple[str, str]:
    name = written.strip()
    if "@" in name:
        bare, _, prov = name.rpartition("@")
        return bare, prov
    return name, provider
