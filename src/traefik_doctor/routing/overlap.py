"""Static questions about router pairs on one entry point: shadowing and equal-priority overlap.

Both are decided per entry point and per side (plain HTTP / HTTPS), among the routers
Traefik actually runs (disabled ones are left out), for user routers (internal routers have
their own rules, e.g. RTR019 for ping).

**Shadowing** (``shadowed``) uses a sound sufficient condition, never a guess. Router ``H``
(higher priority) shadows ``L`` when both rules are v3 conjunctions of matchers (``&&`` only:
no ``||``, no ``!``) and every matcher of ``H`` is implied by a matcher of ``L``:

* ``Host(h)`` by ``Host(h')`` with the same host (case and one trailing dot ignored), or,
  for a wildcard ``*.example.com``, a host one label below ``example.com``; ``Host(`*`)``
  always;
* ``PathPrefix(p)`` by ``Path(q)`` or ``PathPrefix(q)`` with ``q`` starting with ``p``;
* ``Path(p)`` by ``Path(p)``;
* any other matcher (``Method``, ``Header``, ``Query``, the regexp matchers, ``ClientIP``) by
  an identical matcher (same name and arguments; header names and methods compared the way
  Traefik canonicalises them).

Then every request ``L`` matches also satisfies ``H``, which Traefik tries first. ``L`` must
also be satisfiable: a witness request built from its own matchers must match it, so a rule
that can never match anything is not reported as shadowed.

**Overlap** (``overlaps``): two routers of equal priority overlap when a concrete request
matches both. Candidate requests are built from the literals of both rules (hosts, paths,
methods, headers, queries) and each is checked with the routing engine itself (whose
matchers are tested against the Traefik binary), so a reported overlap is always real; an
overlap needing a request we did not think of is missed, never invented.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from traefik_doctor.model.dynamic import Router
from traefik_doctor.model.project import Project
from traefik_doctor.model.routing import parsed_rule
from traefik_doctor.routing.hosts import rule_host_keys
from traefik_doctor.rulelang.ast import And, Expr, Matcher, Not, Or

if TYPE_CHECKING:
    # The engine, its matchers and the request model are imported only when two routers
    # may meet (see ``table_for``).
    from traefik_doctor.routing.engine import RoutingTable, _Route
    from traefik_doctor.routing.request import Prepared, Request

__all__ = ["Overlap", "Shadow", "overlaps", "shadowed", "table_for"]

_CACHE: list[tuple[Project, RoutingTable | None]] = []


def table_for(project: Project) -> RoutingTable | None:
    """The routing table of the project's routers that may meet another one on a host,
    built once for all the rules that need it; rules are compiled only for the routes a
    witness request is matched against. None when no two routers may meet: then nothing
    is shadowed or ambiguous."""
    for cached, found in _CACHE:
        if cached is project:
            return found
    meeting = _meeting(project)
    table: RoutingTable | None = None
    if meeting is None or meeting:
        from traefik_doctor.routing.engine import RoutingTable

        table = RoutingTable(project, compile_rules=False, routers=meeting)
    _CACHE[:] = [(project, table)]
    return table


def _meeting(project: Project) -> list[Router] | None:
    """The user HTTP routers whose rule may accept the same host as another one's (None:
    all of them, when a rule accepts any host).

    Both questions here are about pairs of routers that ``_HostIndex`` finds compatible; a
    router with no such partner among all the routers (whatever their entry points, TLS or
    state) has none among the routes of one side either, so leaving it out of the table
    changes no answer. Thousands of routers on distinct hosts then cost no table at all.
    """
    keyed: list[tuple[Router, frozenset[str]]] = []
    routers: dict[str, set[int]] = {}  # host key -> routers (by index in keyed)
    families: dict[str, set[int]] = {}  # `*.domain` -> routers with an exact host below it
    for router in project.dynamic.routers.values():
        if router.protocol != "http" or router.provider == "internal":
            continue
        parsed = parsed_rule(project, router)
        if parsed is None or parsed.expr is None:
            continue  # Traefik disables it: never a route
        keys = rule_host_keys(parsed.expr, "v2" if parsed.syntax == "v2" else "v3")
        if keys is None:
            return None
        index = len(keyed)
        keyed.append((router, keys))
        for key in keys:
            routers.setdefault(key, set()).add(index)
            if not key.startswith("*"):
                families.setdefault(_family(key), set()).add(index)
    out: list[Router] = []
    for index, (router, keys) in enumerate(keyed):
        for key in keys:
            partners = routers[key] | (
                families.get(key, set())
                if key.startswith("*")
                else routers.get(_family(key), set())
            )
            if partners - {index}:
                out.append(router)
                break
    return out


@dataclass(frozen=True, slots=True)
class Shadow:
    entry_point: str
    shadowed: Router
    shadowed_priority: int
    by: Router
    by_priority: int
    witness: str


@dataclass(frozen=True, slots=True)
class Overlap:
    entry_point: str
    first: Router
    second: Router
    priority: int
    witness: str


@dataclass(frozen=True, slots=True)
class _Conj:
    """A v3 rule made only of ``&&``: its matchers as (canonical name, args)."""

    items: tuple[tuple[str, tuple[str, ...]], ...]


_CANONICAL = {
    name.lower(): name
    for name in (
        "Host",
        "HostRegexp",
        "Path",
        "PathPrefix",
        "PathRegexp",
        "Method",
        "Header",
        "HeaderRegexp",
        "Query",
        "QueryRegexp",
        "ClientIP",
    )
}


def _conjunction(expr: Expr) -> _Conj | None:
    items: list[tuple[str, tuple[str, ...]]] = []
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, And):
            stack.append(node.right)
            stack.append(node.left)
        elif isinstance(node, Matcher):
            name = _CANONICAL.get(node.name.lower())
            if name is None:
                return None
            args = tuple(arg.value for arg in node.args)
            if name in ("Header", "HeaderRegexp") and args:
                from traefik_doctor.routing.request import canonical_header_key

                args = (canonical_header_key(args[0]), *args[1:])
            if name == "Method":
                args = tuple(a.upper() for a in args)
            if name == "Host":
                args = tuple(_host(a) for a in args)
            items.append((name, args))
        else:
            return None
    return _Conj(tuple(items))


def _host(text: str) -> str:
    text = text.lower()
    return text[:-1] if text.endswith(".") and text != "." else text


def _implied(item: tuple[str, tuple[str, ...]], lower: _Conj) -> bool:
    name, args = item
    if name == "Host" and args == ("*",):
        return True
    for other_name, other_args in lower.items:
        if name == "Host" and other_name == "Host":
            mine, theirs = args[0], other_args[0]
            if mine == theirs:
                return True
            if (
                mine.startswith("*.")
                and "." in theirs
                and not theirs.startswith("*")
                and theirs.split(".", 1)[1] == mine[2:]
            ):
                return True
        elif name == "PathPrefix" and other_name in ("Path", "PathPrefix"):
            if other_args[0].startswith(args[0]):
                return True
        elif (name, args) == (other_name, other_args):
            return True
    return False


def _route_rule(route: _Route) -> Expr | None:
    """The rule of a route Traefik runs, if it is v3 (the only syntax judged here)."""
    return route.tree if route.syntax == "v3" else None


def _witnesses(exprs: list[Expr]) -> Iterator[Request]:
    """Candidate requests built from the literals of ``exprs``."""
    from traefik_doctor.routing.request import Request

    hosts: list[str] = []
    paths: list[str] = []
    methods: list[str] = []
    headers: list[tuple[str, str]] = []
    queries: list[str] = []
    for expr in exprs:
        stack: list[Expr] = [expr]
        while stack:
            node = stack.pop()
            if isinstance(node, Matcher):
                name = _CANONICAL.get(node.name.lower(), node.name)
                args = [a.value for a in node.args]
                if not args:
                    continue
                if name == "Host" and args[0] != "*":
                    value = args[0]
                    hosts.append("w" + value[1:] if value.startswith("*") else value)
                elif name in ("Path", "PathPrefix"):
                    paths.append(args[0])
                elif name == "Method":
                    methods.append(args[0].upper())
                elif name == "Header" and len(args) == 2:
                    headers.append((args[0], args[1]))
                elif name == "Query":
                    queries.append(args[0] + ("=" + args[1] if len(args) == 2 else ""))
            elif isinstance(node, And):
                stack.extend((node.right, node.left))
            else:
                stack.extend(_children(node))
    host_choices = list(dict.fromkeys(hosts)) or ["witness.test"]
    path_choices = list(dict.fromkeys(sorted(paths, key=len, reverse=True))) or ["/"]
    method_choices = list(dict.fromkeys(methods)) or ["GET"]
    header_sets = [tuple(headers), ()]
    query_choices = ["&".join(dict.fromkeys(queries)), ""]
    combos = itertools.product(
        host_choices, path_choices, method_choices, header_sets, query_choices
    )
    for host, path, method, hdrs, query in itertools.islice(combos, 400):
        yield Request(method, "http", host, 80, _wire(path), query, hdrs)


def _children(node: Expr) -> list[Expr]:
    if isinstance(node, Not):
        return [node.operand]
    if isinstance(node, And | Or):
        return [node.right, node.left]
    return []


def _wire(path: str) -> str:
    out = []
    for ch in path:
        if ch.isascii() and ch not in " %?#":
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogateescape"))
    return "".join(out) or "/"


class _Witnesses:
    """Matches witness requests, each prepared once: the pairs of routers on one host try
    the same few requests again and again, and preparing one costs more than matching it."""

    def __init__(self) -> None:
        self._prepared: dict[Request, Prepared | None] = {}

    def matches(self, route: _Route, request: Request) -> bool:
        compiled = route.compile()
        if compiled is None or compiled.unevaluable is not None:
            return False
        if request in self._prepared:
            prepared = self._prepared[request]
        else:
            prepared = _prepare(request)
            self._prepared[request] = prepared
        return prepared is not None and compiled.match(prepared)


def _prepare(request: Request) -> Prepared | None:
    from traefik_doctor.routing.request import BadRequestError, prepare

    try:
        return prepare(request, sanitize=False)
    except BadRequestError:  # a witness Traefik would reject is no witness
        return None


def _describe(request: Request) -> str:
    query = f"?{request.query}" if request.query else ""
    extra = "".join(f" -H '{k}: {v}'" for k, v in request.headers)
    return f"{request.method} http://{request.host}{request.path}{query}{extra}"


def _sides(table: RoutingTable) -> Iterator[tuple[str, list[_Route]]]:
    for name in table.entry_points():
        routes = [r for r in table.runnable(name)]
        routes = [r for r in routes if r.router.provider != "internal"]
        for tls in (False, True):
            side = [r for r in routes if r.tls == tls]
            if len(side) > 1:
                yield name, side


def shadowed(project: Project) -> Iterator[Shadow]:
    """Each router shadowed by a higher-priority one (first shadowing router, first entry
    point only)."""
    table = table_for(project)
    if table is None:
        return
    witnesses = _Witnesses()
    conj = _Conjunctions()
    seen: set[int] = set()
    for name, routes in _sides(table):
        conjs = [(r, conj(r)) for r in routes]
        hosts = _HostIndex(routes)
        for index, (low, low_conj) in enumerate(conjs):
            if id(low.router) in seen or low_conj is None:
                continue
            # Candidates first (cheap): earlier, higher-priority routers that can share a
            # host; the witness request is only built when there is one.
            earlier = [
                conjs[i]
                for i in hosts.compatible(index)
                if i < index and conjs[i][1] is not None and conjs[i][0].priority > low.priority
            ]
            if not earlier:
                continue
            witness = _first_witness(low, witnesses)
            if witness is None:
                continue
            for high, high_conj in earlier:
                if high_conj is None:
                    continue
                if all(_implied(item, low_conj) for item in high_conj.items) and witnesses.matches(
                    high, witness
                ):
                    seen.add(id(low.router))
                    yield Shadow(
                        name,
                        low.router,
                        low.priority,
                        high.router,
                        high.priority,
                        _describe(witness),
                    )
                    break


class _Conjunctions:
    """Each router's rule as a conjunction, read once (a router on several entry points is
    on several sides)."""

    def __init__(self) -> None:
        self._by_router: dict[int, _Conj | None] = {}

    def __call__(self, route: _Route) -> _Conj | None:
        key = id(route.router)
        if key not in self._by_router:
            expr = _route_rule(route)
            self._by_router[key] = _conjunction(expr) if expr is not None else None
        return self._by_router[key]


def _disjoint(first: _Conj, second: _Conj) -> bool:
    """No request satisfies both conjunctions: their paths or methods exclude each other.

    v3 ``Path`` compares the routing path for equality, ``PathPrefix`` with ``startswith``
    and ``Method`` for equality (upper-cased), so two prefixes neither of which starts the
    other, a path outside a prefix, two different paths or methods never hold together.
    """
    for name, args in first.items:
        if name not in ("Path", "PathPrefix", "Method"):
            continue
        for other_name, other_args in second.items:
            if name == "Method" or other_name == "Method":
                if name == other_name and args != other_args:
                    return True
            elif other_name in ("Path", "PathPrefix") and not _paths_meet(
                name, args[0], other_name, other_args[0]
            ):
                return True
    return False


def _paths_meet(name: str, path: str, other_name: str, other: str) -> bool:
    if name == "Path" and other_name == "Path":
        return path == other
    if name == "Path":
        return path.startswith(other)
    if other_name == "Path":
        return other.startswith(path)
    return path.startswith(other) or other.startswith(path)


def _first_witness(route: _Route, witnesses: _Witnesses) -> Request | None:
    expr = _route_rule(route)
    if expr is None:
        return None
    for request in _witnesses([expr]):
        if witnesses.matches(route, request):
            return request
    return None


def _family(key: str) -> str:
    """The one-level wildcard that covers a host (``www.a.test`` -> ``*.a.test``)."""
    dot = key.find(".")
    return "*" + key[dot:] if dot >= 0 else "*"


class _HostIndex:
    """Which routes of a list could match a request with the same host as a given route.

    A request has one host: routes whose host keys can never name the same host never
    both match (Traefik 3.7 wildcards cover one label). Checking only the others keeps
    thousands of routers on distinct hosts linear instead of quadratic.
    """

    def __init__(self, routes: list[_Route]) -> None:
        self.routes = routes
        self.any_host: list[int] = []
        self.by_key: dict[str, list[int]] = {}
        self.by_family: dict[str, list[int]] = {}
        for index, route in enumerate(routes):
            if route.hosts is None:
                self.any_host.append(index)
                continue
            for key in route.hosts:
                self.by_key.setdefault(key, []).append(index)
                if not key.startswith("*"):
                    self.by_family.setdefault(_family(key), []).append(index)

    def compatible(self, index: int) -> list[int]:
        route = self.routes[index]
        if route.hosts is None:
            return [i for i in range(len(self.routes)) if i != index]
        found: set[int] = set(self.any_host)
        for key in route.hosts:
            found.update(self.by_key.get(key, ()))
            if key.startswith("*"):
                found.update(self.by_family.get(key, ()))
            else:
                found.update(self.by_key.get(_family(key), ()))
        found.discard(index)
        return sorted(found)


def _host_compatible_pairs(group: list[_Route]) -> Iterator[tuple[_Route, _Route]]:
    index = _HostIndex(group)
    for first in range(len(group)):
        for second in index.compatible(first):
            if second > first:
                yield group[first], group[second]


def overlaps(project: Project) -> Iterator[Overlap]:
    """Pairs of routers with equal priority that a constructed request both match."""
    table = table_for(project)
    if table is None:
        return
    witnesses = _Witnesses()
    conj = _Conjunctions()
    seen: set[tuple[int, int]] = set()
    for name, routes in _sides(table):
        by_priority: dict[int, list[_Route]] = {}
        for route in routes:
            by_priority.setdefault(route.priority, []).append(route)
        for priority, group in by_priority.items():
            for first, second in _host_compatible_pairs(group):
                key = (id(first.router), id(second.router))
                if key in seen or first.rank != second.rank:
                    continue
                exprs = [e for e in (_route_rule(first), _route_rule(second)) if e]
                if len(exprs) != 2:
                    continue
                first_conj, second_conj = conj(first), conj(second)
                if (
                    first_conj is not None
                    and second_conj is not None
                    and _disjoint(first_conj, second_conj)
                ):
                    continue  # no witness could match both: skip building them
                for request in _witnesses(exprs):
                    if witnesses.matches(first, request) and witnesses.matches(second, request):
                        seen.add(key)
                        yield Overlap(
                            name, first.router, second.router, priority, _describe(request)
                        )
                        break
