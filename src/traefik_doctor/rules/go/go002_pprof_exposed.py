"""## What it does
Checks for `net/http/pprof` served by a Go listener that a Traefik router forwards
`/debug/pprof/` to (error), or by a listener bound to all interfaces (`:6060`,
`0.0.0.0:6060`; warning). Whether a router reaches `/debug/pprof/` follows from its rule
and middlewares: a ``PathPrefix(`/api`)`` router does not reach it unless a middleware maps
a path under `/api` to it (``stripPrefix: [/api]`` does: `/api/debug/pprof/`).

## Why is this bad?
pprof hands out CPU and heap profiles, goroutine dumps with stack traces, and the command
line, and `/debug/pprof/profile` keeps a CPU busy for 30 s per request. A blank import of
`net/http/pprof` registers these handlers on `http.DefaultServeMux`, so every server of the
binary that serves the default mux (`http.ListenAndServe(addr, nil)`) exposes them, through
Traefik to the internet, or to anything that can reach the host.

## Example
```go
import _ "net/http/pprof"

func main() {
        http.HandleFunc("/", home)
        http.ListenAndServe(":8080", nil) // routed by Traefik: PathPrefix(`/`)
}
```

## Use instead
```go
import _ "net/http/pprof"

func main() {
        go http.ListenAndServe("127.0.0.1:6060", nil) // pprof on loopback only
        mux := http.NewServeMux()
        mux.HandleFunc("/", home)
        http.ListenAndServe(":8080", mux)
}
```

## Fix safety
Moving pprof changes how operators reach it; no fix is offered.

## References
- https://pkg.go.dev/net/http/pprof (registers on `http.DefaultServeMux` at import)
- traefik_doctor.model.rewrite (how the router's middlewares map paths)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from traefik_doctor.findings import Finding, Location, Severity
from traefik_doctor.goscan.facts import GoPprof, GoProgram, GoServer
from traefik_doctor.model.dynamic import Router
from traefik_doctor.model.gomux import router_backends
from traefik_doctor.model.project import Project
from traefik_doctor.model.rewrite import rewrite, samples
from traefik_doctor.model.routing import parsed_rule
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.go.common import listener_note
from traefik_doctor.source import Origin

PPROF_PATH = "/debug/pprof/"
ALL_INTERFACES = frozenset({"", "0.0.0.0", "::", "[::]"})


@dataclass(frozen=True, slots=True)
class Reach:
    router: Router
    request: str
    origin: Origin
    how: str


def pprof_path(program: GoProgram, pprof: GoPprof) -> str:
    """Where pprof answers: ``/debug/pprof/`` for the blank import; for handlers registered
    explicitly or chi's ``Profiler`` mounted somewhere, the path of the route registered at
    the same place (``r.Mount("/admin", middleware.Profiler())`` → ``/admin/pprof/``)."""
    for route in program.routes:
        if route.router != pprof.router or route.location != pprof.location:
            continue
        base = route.path.split("{", 1)[0].split("*", 1)[0]
        if pprof.kind == "chi-profiler":
            return base.rstrip("/") + "/pprof/"
        return base or PPROF_PATH
    return PPROF_PATH


def reaching(
    project: Project, router: Router, target: str = PPROF_PATH
) -> tuple[str, Origin] | None:
    """A request path of ``router`` that reaches ``target`` after its middlewares."""
    parsed = parsed_rule(project, router)
    if parsed is None or parsed.error is not None:
        return None
    found = samples(parsed)
    if not found:
        return None
    for sample in found:
        if sample.prefix:
            base = sample.path.rstrip("/")
            requests = [target, base + target]
            requests = [r for r in requests if r.startswith(sample.path)]
        else:
            requests = [sample.path]
        for request in requests:
            result = rewrite(project, router, request)
            if result.reaches_backend and result.path.startswith(target.rstrip("/")):
                return request, sample.origin
    return None


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    scan = project.go
    if scan is None:
        return
    reached: dict[tuple[int, int], Reach] = {}
    for router in project.dynamic.http_routers():
        for backend in router_backends(project, router):
            for pprof in backend.program.pprof_of(backend.server):
                key = (id(backend.server), id(pprof))
                if key in reached:
                    continue
                hit = reaching(project, router, pprof_path(backend.program, pprof))
                if hit is not None:
                    reached[key] = Reach(router, hit[0], hit[1], backend.backend.how)
    for program in scan.programs:
        for pprof in program.pprof:
            yield from _judge(program, pprof, reached)


def _judge(
    program: GoProgram, pprof: GoPprof, reached: dict[tuple[int, int], Reach]
) -> Iterator[Finding]:
    servers = [s for s in program.servers if s.router == pprof.router]
    for server in servers:
        reach = reached.get((id(server), id(pprof)))
        if reach is None:
            continue
        related: list[tuple[Origin | Location, str]] = [
            (reach.origin, f"router `{reach.router.qualified}` rule"),
            (server.location, f"Go server ({reach.how})"),
        ]
        yield RULE.finding(
            f"net/http/pprof ({pprof.kind}) is served by the Go server {listener_note(server)}, "
            f"and router `{reach.router.qualified}` forwards `{reach.request}` to it: "
            "profiles, heap and goroutine dumps are reachable through Traefik",
            pprof.location,
            related=related,
            fix="serve pprof on a separate loopback listener (127.0.0.1:6060)",
        )
        return
    exposed: list[GoServer] = [s for s in servers if s.host in ALL_INTERFACES]
    if exposed:
        server = exposed[0]
        yield RULE.finding(
            f"net/http/pprof ({pprof.kind}) is served by the Go server {listener_note(server)}, "
            "which listens on all interfaces: anyone who can reach the host can read "
            "profiles, heap and goroutine dumps",
            pprof.location,
            related=[(server.location, "Go server bound to all interfaces")],
            fix="serve pprof on a separate loopback listener (127.0.0.1:6060)",
            severity=Severity.WARNING,
        )


RULE = Rule(
    "GO002",
    "pprof-exposed",
    Severity.ERROR,
    check,
    __doc__ or "",
)
