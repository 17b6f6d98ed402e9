"""The graph's nodes and edges, built once from a loaded project and ``check``'s findings.

Columns, left to right: entry points, HTTP routers, middlewares (chains flattened, numbered
by their order on each router), services (a weighted/failover/mirroring service one column
left of the services it names), servers, and when the Go code is known the Go listener a
server reaches (``model.gomatch``) and that listener's handlers.

A finding is placed on a node (simple, and documented in ``--help``):
1. by location: the router, service, middleware or entry point whose definition (its key to
   the last line of its body) contains the finding's file and line; the innermost wins. Go
   findings land on the listener or handler registered on their exact line;
2. else by name: every router, service or middleware whose ``name@provider`` appears in
   backticks in the message;
3. else it is listed as not placed (the HTML shows them under the legend).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.loaders.tree import Mapping, Node, Sequence
from traefik_doctor.model.dynamic import Router, Service
from traefik_doctor.model.project import Project
from traefik_doctor.source import Origin

KINDS = ("entrypoint", "router", "middleware", "service", "server", "listener", "handler")
MAX_HANDLERS = 16
MAX_DEPTH = 16


@dataclass(frozen=True, slots=True)
class Mark:
    """A finding shown on a node."""

    code: str
    severity: Severity
    message: str
    location: str


@dataclass(slots=True)
class GraphNode:
    id: str
    kind: str
    label: str
    detail: str = ""
    column: int = 0
    marks: list[Mark] = field(default_factory=list)

    @property
    def worst(self) -> Severity | None:
        if not self.marks:
            return None
        return max((m.severity for m in self.marks), key=lambda s: s.rank)


@dataclass(frozen=True, slots=True)
class GraphEdge:
    source: str
    target: str
    label: str = ""


@dataclass(slots=True)
class Graph:
    nodes: dict[str, GraphNode] = field(default_factory=dict)
    edges: list[GraphEdge] = field(default_factory=list)
    unplaced: list[Mark] = field(default_factory=list)

    def add(self, node: GraphNode) -> GraphNode:
        return self.nodes.setdefault(node.id, node)

    def link(self, source: str, target: str, label: str = "") -> None:
        edge = GraphEdge(source, target, label)
        if edge not in self.edges:
            self.edges.append(edge)

    def columns(self) -> list[list[GraphNode]]:
        """Non-empty columns, left to right, nodes in insertion order."""
        used = sorted({node.column for node in self.nodes.values()})
        return [[n for n in self.nodes.values() if n.column == c] for c in used]


@dataclass(frozen=True, slots=True)
class _Span:
    node: str
    path: str
    first: int
    last: int


def build_graph(project: Project, findings: list[Finding] | tuple[Finding, ...] = ()) -> Graph:
    from traefik_doctor.model.rewrite import expand

    graph = Graph()
    spans: list[_Span] = []
    static = project.static
    for name, ep in static.entry_points.items():
        address = ep.address.text if ep.address is not None else ""
        graph.add(GraphNode(f"ep:{name}", "entrypoint", name, address, 0))
        _span(spans, f"ep:{name}", ep.origin, ep.body)
    defaults = static.default_entry_points()
    routers = sorted(project.dynamic.http_routers(), key=lambda r: r.qualified)
    depths = _service_depths(project)
    service_column = 3
    server_column = service_column + 1 + max(depths.values(), default=0)
    for router in routers:
        rid = f"rt:{router.qualified}"
        rule = router.rule.text if router.rule is not None else "(no rule)"
        graph.add(GraphNode(rid, "router", router.qualified, rule, 1))
        _span(spans, rid, router.origin, router.body)
        names = [v.text.strip() for v in router.entry_points] or defaults
        for ep_name in names:
            if f"ep:{ep_name}" not in graph.nodes:
                graph.add(GraphNode(f"ep:{ep_name}", "entrypoint", ep_name, "not defined", 0))
            graph.link(f"ep:{ep_name}", rid)
        expanded = expand(project, router)
        for index, (middleware, _) in enumerate(expanded.middlewares, 1):
            mid = f"mw:{middleware.qualified}"
            if mid not in graph.nodes:
                graph.add(
                    GraphNode(mid, "middleware", middleware.qualified, middleware.kind or "?", 2)
                )
                _span(spans, mid, middleware.origin, middleware.options_map)
            graph.link(rid, mid, str(index))
        for missing in expanded.missing:
            graph.add(GraphNode(f"mw:{missing}", "middleware", missing, "not defined", 2))
            graph.link(rid, f"mw:{missing}")
        service = project.dynamic.service_for(router)
        if service is not None:
            _add_service(
                project,
                graph,
                spans,
                service,
                depths=depths,
                first_column=service_column,
                server_column=server_column,
            )
            graph.link(rid, f"svc:{service.qualified}")
        elif router.service is not None:
            name = router.service.text.strip()
            detail = "Traefik's own" if name.endswith("@internal") else "not defined"
            graph.add(GraphNode(f"svc:{name}", "service", name, detail, service_column))
            graph.link(rid, f"svc:{name}")
    for middleware in sorted(project.dynamic.middlewares.values(), key=lambda m: m.qualified):
        mid = f"mw:{middleware.qualified}"
        if middleware.protocol == "http" and mid not in graph.nodes:
            detail = f"{middleware.kind or '?'}, used by no router"
            graph.add(GraphNode(mid, "middleware", middleware.qualified, detail, 2))
            _span(spans, mid, middleware.origin, middleware.options_map)
    for service in sorted(project.dynamic.services.values(), key=lambda s: s.qualified):
        if service.protocol == "http":
            _add_service(
                project,
                graph,
                spans,
                service,
                depths=depths,
                first_column=service_column,
                server_column=server_column,
            )
    if project.go is not None:  # listeners no server reaches (still where findings point)
        for program in project.go.programs:
            for listener in program.servers:
                lid = f"go:{listener.location}"
                if lid not in graph.nodes:
                    label = f"{listener.kind} {listener.addr.default or listener.addr.text}"
                    detail = f"{listener.location}, reached by no server"
                    graph.add(GraphNode(lid, "listener", label, detail, server_column + 1))
    _place(graph, spans, findings)
    return graph


def _service_depths(project: Project) -> dict[str, int]:
    """How many parent services (weighted, failover...) stand left of each service."""
    depths: dict[str, int] = {}

    def visit(service: Service, depth: int) -> None:
        if depth > MAX_DEPTH or depths.get(service.qualified, -1) >= depth:
            return
        depths[service.qualified] = depth
        for ref in service.refs:
            child = project.dynamic.find_service(
                service.protocol, ref.name.text.strip(), service.provider
            )
            if child is not None:
                visit(child, depth + 1)

    for service in project.dynamic.services.values():
        if service.protocol == "http":
            visit(service, 0)
    return depths


def _add_service(
    project: Project,
    graph: Graph,
    spans: list[_Span],
    service: Service,
    *,
    depths: dict[str, int],
    first_column: int,
    server_column: int,
) -> None:
    from traefik_doctor.model.gomatch import backend_for
    from traefik_doctor.model.gomux import describe

    sid = f"svc:{service.qualified}"
    if sid in graph.nodes:
        return
    detail = service.kind or "?"
    if service.health_check is not None and service.health_check.path is not None:
        detail += f", health {service.health_check.path.text}"
    column = first_column + depths.get(service.qualified, 0)
    graph.add(GraphNode(sid, "service", service.qualified, detail, column))
    _span(spans, sid, service.origin, service.body)
    for ref in service.refs:
        child = project.dynamic.find_service(
            service.protocol, ref.name.text.strip(), service.provider
        )
        if child is None:
            name = ref.name.text.strip()
            graph.add(GraphNode(f"svc:{name}", "service", name, "not defined", column + 1))
            graph.link(sid, f"svc:{name}", ref.role)
            continue
        _add_service(
            project,
            graph,
            spans,
            child,
            depths=depths,
            first_column=first_column,
            server_column=server_column,
        )
        graph.link(sid, f"svc:{child.qualified}", ref.role)
    for server in service.servers:
        url = server.url.text.strip() if server.url is not None else "(no url)"
        srv = f"srv:{url}"
        graph.add(GraphNode(srv, "server", url, "", server_column))
        weight = server.weight.text if server.weight is not None else ""
        graph.link(sid, srv, f"weight {weight}" if weight else "")
        backend = backend_for(project, service, server)
        if backend is None or backend.server is None:
            continue
        listener = backend.server
        lid = f"go:{listener.location}"
        graph.add(
            GraphNode(
                lid,
                "listener",
                f"{listener.kind} {listener.addr.default or listener.addr.text}",
                str(listener.location),
                server_column + 1,
            )
        )
        graph.link(srv, lid, backend.how)
        for route in backend.program.routes_of(listener)[:MAX_HANDLERS]:
            hid = f"h:{route.location}:{route.path}"
            method = f"{route.method} " if route.method else ""
            graph.add(
                GraphNode(
                    hid, "handler", f"{method}{route.path}", describe(route), server_column + 2
                )
            )
            graph.link(lid, hid)


def _span(spans: list[_Span], node: str, origin: Origin, body: Node | None) -> None:
    location = origin.location()
    if location.line is None:
        return
    last = location.line
    if body is not None:
        last = max(last, _last_line(body, location.path))
    spans.append(_Span(node, location.path, location.line, last))


def _last_line(node: Node, path: str) -> int:
    best = 0
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        line = current.origin.location().line
        if line is not None and current.origin.location().path == path:
            best = max(best, line)
        if isinstance(current, Mapping):
            for entry in current:
                key_line = entry.key_origin.location().line
                if key_line is not None:
                    best = max(best, key_line)
                stack.append(entry.value)
        elif isinstance(current, Sequence):
            stack.extend(current.items)
    return best


_NAME = re.compile(r"(?:(router|service|middleware)s? )?`([^`\s]+@[A-Za-z0-9_-]+)`")
_PREFIXES = {"router": ("rt:",), "service": ("svc:",), "middleware": ("mw:",)}


def _place(graph: Graph, spans: list[_Span], findings: list[Finding] | tuple[Finding, ...]) -> None:
    go_lines: dict[tuple[str, int], list[str]] = {}
    for node in graph.nodes.values():
        if node.kind in ("listener", "handler"):
            where = node.id.split(":", 1)[1]
            parts = where.split(":")
            if len(parts) >= 2 and parts[1].isdigit():
                go_lines.setdefault((parts[0], int(parts[1])), []).append(node.id)
    for finding in findings:
        loc = finding.location
        mark = Mark(finding.code, finding.severity, finding.message, str(loc))
        targets: list[str] = []
        if loc.line is not None:
            inside = [s for s in spans if s.path == loc.path and s.first <= loc.line <= s.last]
            if inside:
                targets = [min(inside, key=lambda s: s.last - s.first).node]
            else:
                targets = go_lines.get((loc.path, loc.line), [])[:1]
        if not targets:
            for word, name in _NAME.findall(finding.message):
                for prefix in _PREFIXES.get(word, ("rt:", "svc:", "mw:")):
                    if prefix + name in graph.nodes and prefix + name not in targets:
                        targets.append(prefix + name)
        if not targets:
            graph.unplaced.append(mark)
        for target in targets:
            graph.nodes[target].marks.append(mark)


def router_of(graph: Graph, router: Router) -> GraphNode | None:
    return graph.nodes.get(f"rt:{router.qualified}")
