"""Assemble one ``GoProgram`` per ``main`` package from package facts.

The program holds the facts of the main package and of every package of the same module it
imports, directly or not. Mount edges are applied here: a child router's routes and pprof
handlers are copied to the parent (prefix composed), and a router passed to another package's
function (``param:...`` ids) is linked to the caller's router. A blank import of
``net/http/pprof`` anywhere in the closure puts pprof on ``DefaultServeMux``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Protocol, TypeVar

from traefik_doctor.findings import Location
from traefik_doctor.goscan.discover import Package
from traefik_doctor.goscan.facts import GoIssue, GoPprof, GoProgram, GoRoute
from traefik_doctor.goscan.package import PackageResult
from traefik_doctor.goscan.pkgfacts import Mount
from traefik_doctor.goscan.routers import join_path

MAX_MOUNT_DEPTH = 8


class _Located(Protocol):
    @property
    def location(self) -> Location: ...


_T = TypeVar("_T", bound=_Located)


def _place(location: Location) -> tuple[str, int, int]:
    return (location.path, location.line or 0, location.column or 0)


def _sorted(items: Iterable[_T]) -> tuple[_T, ...]:
    """Facts in source order (stable for equal places)."""
    return tuple(sorted(items, key=lambda item: _place(item.location)))


def closure(main: Package, by_path: dict[str, Package]) -> list[Package]:
    seen = {main.import_path}
    order = [main]
    stack = [main]
    while stack:
        package = stack.pop()
        for path in sorted(package.imports):
            dep = by_path.get(path)
            if dep is not None and dep.module is main.module and path not in seen:
                seen.add(path)
                order.append(dep)
                stack.append(dep)
    return order


def build_program(
    main: Package, by_path: dict[str, Package], results: dict[str, PackageResult]
) -> tuple[GoProgram, list[GoIssue]]:
    packages = [p for p in closure(main, by_path) if p.import_path in results]
    facts = [results[p.import_path].facts for p in packages]
    routes = [r for f in facts for r in f.routes]
    pprof = [p for f in facts for p in f.pprof]
    mounts = [m for f in facts for m in f.mounts]
    params = {k: v for f in facts for k, v in f.params.items()}
    routes, pprof = _apply_mounts(routes, pprof, mounts)
    linked = {m.child for m in mounts}
    issues: list[GoIssue] = []
    kept: list[GoRoute] = []
    for route in routes:
        if route.router.startswith("param:"):
            if route.router in linked:
                continue
            issues.append(
                GoIssue(
                    route.location,
                    f"router parameter {route.router[6:]} is not linked to a "
                    "router by any caller in this program",
                )
            )
        kept.append(route)
    pprof = [p for p in pprof if not (p.router.startswith("param:") and p.router in linked)]
    pprof_imports = [p for f in facts for p in f.pprof_imports]
    del params
    module = main.module
    result = results[main.import_path]
    program = GoProgram(
        package=main.import_path,
        location=result.main_location or Location(main.rel),
        module=module.path if module is not None else None,
        go_version=module.go_version if module is not None else None,
        go_mod=module.go_mod if module is not None else None,
        servers=_sorted(s for f in facts for s in f.servers),
        routes=tuple(
            sorted(
                dict.fromkeys(kept),
                key=lambda r: (*_place(r.location), r.router, r.method or "", r.path),
            )
        ),
        pprof=_sorted(dict.fromkeys(pprof_imports + pprof)),
        clients=_sorted(c for f in facts for c in f.clients),
        insecure_tls=_sorted(i for f in facts for i in f.insecure_tls),
        host_reads=_sorted(h for f in facts for h in f.host_reads),
    )
    return program, issues


def _apply_mounts(
    routes: list[GoRoute], pprof: list[GoPprof], mounts: list[Mount]
) -> tuple[list[GoRoute], list[GoPprof]]:
    if not mounts:
        return routes, pprof
    own: dict[str, list[GoRoute]] = {}
    for route in routes:
        own.setdefault(route.router, []).append(route)
    own_pprof: dict[str, list[GoPprof]] = {}
    for item in pprof:
        own_pprof.setdefault(item.router, []).append(item)
    children: dict[str, list[Mount]] = {}
    for mount in mounts:
        children.setdefault(mount.parent, []).append(mount)

    def served(
        router: str, depth: int, seen: frozenset[str]
    ) -> tuple[list[GoRoute], list[GoPprof]]:
        found_routes = list(own.get(router, []))
        found_pprof = list(own_pprof.get(router, []))
        if depth >= MAX_MOUNT_DEPTH:
            return found_routes, found_pprof
        for mount in children.get(router, []):
            if mount.child in seen:
                continue
            sub_routes, sub_pprof = served(mount.child, depth + 1, seen | {mount.child})
            found_routes.extend(
                replace(r, path=join_path(mount.prefix, r.path)) for r in sub_routes
            )
            found_pprof.extend(sub_pprof)
        return found_routes, found_pprof

    all_routes: list[GoRoute] = []
    all_pprof: list[GoPprof] = []
    routers = list(dict.fromkeys([r.router for r in routes] + [m.parent for m in mounts]))
    for router in routers:
        sub_routes, sub_pprof = served(router, 0, frozenset({router}))
        all_routes.extend(replace(r, router=router) for r in sub_routes)
        all_pprof.extend(replace(p, router=router) for p in sub_pprof)
    for item in pprof:
        if item.router not in routers:
            all_pprof.append(item)
    return all_routes, all_pprof
