"""Extract the facts of one package: parse its files, find candidates, resolve, drop the trees.

Candidates come from a byte scan mapped onto the tree (``candidates``); Python resolves them in
two phases: values first (server/client literals, field assignments), then calls (routes,
server starts, clients) and host reads. Files that import nothing relevant (net/http, net,
crypto/tls, a router, gRPC) are parsed (for errors and package-level constants) but only
searched for ``InsecureSkipVerify``. ``process`` is a plain function of picklable arguments, so
it also runs in worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from traefik_doctor.findings import Location
from traefik_doctor.goscan.candidates import find
from traefik_doctor.goscan.discover import Package
from traefik_doctor.goscan.facts import GoIssue, GoPprof
from traefik_doctor.goscan.parse import error_issue, matches, query, read_and_parse
from traefik_doctor.goscan.pkgfacts import Mount, PackageFacts
from traefik_doctor.goscan.routers import Routers
from traefik_doctor.goscan.routes import ROUTE_METHODS, RouteExtractor
from traefik_doctor.goscan.scope import FileCtx, PackageCtx
from traefik_doctor.goscan.security import SecurityExtractor
from traefik_doctor.goscan.servers import ServerExtractor
from traefik_doctor.goscan.syntax import call_parts, text
from traefik_doctor.goscan.values import Resolver, Val

PPROF = "net/http/pprof"
INTERNAL_ERROR = "the Go extractor failed on this package"
_RELEVANT_PREFIXES = (
    "net/http",
    "crypto/tls",
    "github.com/go-chi/",
    "github.com/gin-gonic/gin",
    "github.com/labstack/echo",
    "github.com/gorilla/mux",
    "google.golang.org/grpc",
    "golang.org/x/net/http2",
)
_ROUTER_PREFIXES = _RELEVANT_PREFIXES[2:6]


@dataclass(slots=True)
class PackageResult:
    """A package's facts, counts, parse problems, and the tables its importers need."""

    facts: PackageFacts
    files: int = 0
    bytes: int = 0
    parse_errors: list[GoIssue] = field(default_factory=list)
    main_location: Location | None = None
    values: dict[str, Val] = field(default_factory=dict)
    routers: dict[str, tuple[str, str, str]] = field(default_factory=dict)


def _relevant(path: str) -> bool:
    return path == "net" or path.startswith(_RELEVANT_PREFIXES)


def process(
    package: Package,
    *,
    files: list[tuple[Path, str]],
    module_values: dict[str, dict[str, Val]],
    module_routers: dict[str, dict[str, tuple[str, str, str]]],
    module_packages: frozenset[str],
    exported: bool,
) -> PackageResult:
    """Parse and extract one package. ``exported``: compute tables for importers."""
    result = PackageResult(PackageFacts())
    contexts: list[FileCtx] = []
    for path, rel in files:
        parsed = read_and_parse(path, rel)
        result.files += 1
        if isinstance(parsed, GoIssue):
            result.parse_errors.append(parsed)
            continue
        result.bytes += len(parsed.source)
        issue = error_issue(parsed)
        if issue is not None:
            result.parse_errors.append(issue)
        contexts.append(FileCtx(parsed))
    if not contexts:
        return result
    pkg = PackageCtx(
        package.import_path,
        package.rel,
        contexts,
        module_values=module_values,
        module_routers=module_routers,
        module_packages=module_packages,
    )
    pkg.index()
    try:
        _extract(pkg, result, package.is_main)
        if exported:
            _export(pkg, result)
    except Exception as exc:  # one odd package must not stop the whole check
        result.facts.unresolved.append(
            GoIssue(
                Location(package.rel),
                f"{INTERNAL_ERROR} ({type(exc).__name__}: {exc}); facts found before it are kept",
            )
        )
    finally:
        for fc in contexts:
            fc.release()
    return result


def _extract(pkg: PackageCtx, result: PackageResult, is_main: bool) -> None:
    facts = result.facts
    resolver = Resolver(pkg)
    routers = Routers(pkg, resolver)
    servers = ServerExtractor(pkg, resolver, routers, facts)
    routes = RouteExtractor(resolver, routers, facts)
    security = SecurityExtractor(pkg, resolver, facts)
    router_package = any(
        path.startswith(_ROUTER_PREFIXES) for fc in pkg.files for path in fc.imports.values()
    )
    relevant: list[FileCtx] = []
    for fc in pkg.files:
        for path, spec in fc.blank_imports:
            if path == PPROF:
                facts.pprof_imports.append(GoPprof("DefaultServeMux", "blank-import", fc.loc(spec)))
        for alias, path in fc.imports.items():
            if path == PPROF and alias not in ("_", "."):
                facts.pprof_imports.append(
                    GoPprof("DefaultServeMux", "import", fc.loc(fc.import_specs[path]))
                )
        if is_main and result.main_location is None:
            main = pkg.funcs.get("main")
            if main is not None:
                result.main_location = main[0].loc(main[1])
        if router_package or any(_relevant(p) for p in fc.imports.values()):
            relevant.append(fc)
    relevant_ids = {id(fc) for fc in relevant}
    per_file = [(fc, find(fc, queried=id(fc) in relevant_ids)) for fc in pkg.files]
    # Phase 1: values (server and client literals, field assignments) before their uses.
    for fc, found in per_file:
        for kind, literal, body, package in found.literals:
            if fc.imports.get(text(package)) != "net/http":
                continue
            if kind == "Server":
                servers.literal(fc, literal, body)
            else:
                security.client_literal(fc, literal, body)
        for spec, package in found.var_servers:
            if fc.imports.get(text(package)) == "net/http" and (
                spec.child_by_field_name("value") is None
            ):
                servers.var_declaration(fc, spec)
    for fc, found in per_file:
        for keyed, value in found.insecure_keys:
            security.insecure(fc, keyed, value)
        for node, obj, name, value in found.assignments:
            if name == "InsecureSkipVerify":
                security.insecure(fc, node, value)
            elif name == "Timeout":
                security.client_timeout_assignment(fc, node, obj, value)
            else:
                servers.assignment(fc, node, obj, value)
    # Phase 2: calls (routes, starts, clients) and host reads.
    for fc, found in per_file:
        for call, receiver, method in found.calls:
            if method in ROUTE_METHODS:
                routes.call(fc, call, receiver, method)
            servers.call(fc, call, receiver, method)
            security.call(fc, call, receiver, method)
        for selector in found.hosts:
            security.host_read(fc, selector)
        if id(fc) in relevant_ids:
            _cross_package(pkg, fc, routers, facts)
    servers.finish()
    security.finish()
    facts.params.update(routers.params)


def _cross_package(pkg: PackageCtx, fc: FileCtx, routers: Routers, facts: PackageFacts) -> None:
    """``api.Register(mux)``: a router handed to a function of another package of the module."""
    aliases = sorted(a for a, p in fc.imports.items() if p in pkg.module_packages)
    if not aliases:
        return
    names = " ".join(f'"{a}"' for a in aliases)
    q = query(
        "(call_expression function: (selector_expression operand: (identifier) @pkg "
        "field: (field_identifier) @f) arguments: (argument_list) @args "
        f"(#any-of? @pkg {names})) @c"
    )
    for _, caps in matches(q, fc.parsed.root):
        path = fc.imports[text(caps["pkg"][0])]
        func = text(caps["f"][0])
        _, _, args = call_parts(caps["c"][0])
        for index, arg in enumerate(args):
            if arg.type not in ("identifier", "selector_expression", "call_expression"):
                continue
            ref = routers.resolve(fc, arg)
            if ref is not None:
                facts.mounts.append(
                    Mount(ref.id, ref.prefix, f"param:{path}.{func}#{index}", fc.loc(caps["c"][0]))
                )


_ROUTER_RESULT = ("Handler", "Router", "Mux", "Engine", "Echo", "Group")


def _export(pkg: PackageCtx, result: PackageResult) -> None:
    resolver = Resolver(pkg)
    routers = Routers(pkg, resolver)
    for name, binding in pkg.toplevel.items():
        if not name[:1].isupper():
            continue
        value = resolver.binding_value(binding, 0)
        if value.default is not None or value.env or value.flags:
            result.values[name] = value
    for name, (_, function) in pkg.funcs.items():
        if not name[:1].isupper():
            continue
        result_type = function.child_by_field_name("result")
        if result_type is None:
            continue
        result_text = text(result_type)
        if any(word in result_text for word in _ROUTER_RESULT):
            ref = routers.returned_router(name, 0)
            if ref is not None:
                result.routers[name] = (ref.id, ref.framework, ref.prefix)
        elif result_text in ("string", "int", "time.Duration"):
            returned = resolver.returned_value(name, 0)
            if returned is not None and returned.default is not None:
                result.values[f"{name}()"] = returned
    result.facts.params.update(routers.params)
