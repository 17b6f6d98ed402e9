"""Which request paths of a router reach a Go route, after the router's middlewares.

Shared by GO005 (no path-rewriting middleware), MW002 (with one), MW004 and GO002. A router
stands for the request paths of its rule (``model.rewrite.samples``): a ``Path`` sample must
itself be served; a ``PathPrefix(p)`` sample is fine when SOME request below ``p`` reaches a
Go route. The requests tried for a prefix are ``p`` itself and, for each Go route with
example path ``c``, ``c``, ``p + c`` and the same with leading segments of ``c`` dropped
(what a client would type when a middleware strips or adds a prefix), keeping only those
the rule accepts. On top of that, a Go route whose path starts with a prefix the rule names
(``/api/users`` under ``PathPrefix(`/api`)``) but which the middlewares rewrite to a path no
route serves is the classic strip-prefix mistake, reported even when other requests work.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from traefik_doctor.goscan.facts import GoRoute
from traefik_doctor.model.dynamic import Router
from traefik_doctor.model.gomux import (
    RouterBackend,
    example_path,
    router_backends,
    serving_route,
    under,
)
from traefik_doctor.model.project import Project
from traefik_doctor.model.rewrite import Rewrite, Sample, path_middlewares, rewriter, samples
from traefik_doctor.model.routing import parsed_rule

MAX_CANDIDATES = 500
"""Requests tried per prefix sample (a bound for Go servers with thousands of routes)."""


@dataclass(frozen=True, slots=True)
class Unserved:
    """A sample of the router that reaches no Go route: ``attempt`` is the request tried
    (its rewrite and, for the strip-prefix mistake, the Go route it was meant for)."""

    sample: Sample
    attempt: Rewrite
    meant_for: GoRoute | None = None


def _method(sample: Sample) -> str | None:
    return sample.methods[0] if len(set(sample.methods)) == 1 else None


def candidates(sample: Sample, routes: tuple[GoRoute, ...]) -> list[str]:
    """Request paths below a prefix sample that a client plausibly sends."""
    prefix = sample.path
    found: list[str] = [prefix]
    base = prefix.rstrip("/")
    for route in routes:
        example = example_path(route)
        segments = example.split("/")
        for index in range(1, max(len(segments), 2)):
            tail = "/" + "/".join(segments[index:]) if index < len(segments) else "/"
            for request in (tail, base + tail):
                if request.startswith(prefix) and request not in found:
                    found.append(request)
    return found


def check_sample(
    project: Project, router: Router, backend: RouterBackend, sample: Sample
) -> Unserved | None:
    routes = backend.routes
    version = backend.go_version
    method = _method(sample)
    rewrite = rewriter(project, router)
    first = rewrite(sample.path)
    if not first.reaches_backend:
        return None
    if not sample.prefix:
        if serving_route(routes, first.path, method, version) is not None:
            return None
        return Unserved(sample, first)
    if sample.path.strip("/"):
        for route in routes:
            example = example_path(route)
            if not example.startswith(sample.path):
                continue
            attempt = rewrite(example)
            if (
                attempt.reaches_backend
                and attempt.path != example
                and serving_route(routes, attempt.path, method, version) is None
            ):
                return Unserved(sample, attempt, route)
    if not first.changed_steps:
        if serving_route(routes, first.path, method, version) is not None:
            return None
        if any(under(route, first.path, version) for route in routes):
            return None
        return Unserved(sample, first)
    for request in candidates(sample, routes)[:MAX_CANDIDATES]:
        attempt = rewrite(request)
        if not attempt.reaches_backend:
            return None
        if serving_route(routes, attempt.path, method, version) is not None:
            return None
    return Unserved(sample, first)


def unserved(
    project: Project, *, rewriting: bool
) -> Iterator[tuple[Router, RouterBackend, Unserved]]:
    """Every sample request of every HTTP router whose Go server serves no route for it:
    routers with path-rewriting middlewares (``rewriting``, MW002) or without (GO005)."""
    if project.go is None:
        return
    for router in project.dynamic.http_routers():
        if bool(path_middlewares(project, router)) != rewriting:
            continue
        parsed = parsed_rule(project, router)
        if parsed is None or parsed.error is not None:
            continue
        found = samples(parsed)
        if not found:
            continue
        for backend in router_backends(project, router):
            if not backend.routes:
                continue
            for sample in found:
                missed = check_sample(project, router, backend, sample)
                if missed is not None:
                    yield router, backend, missed


def reached_routes(
    project: Project, router: Router, backend: RouterBackend, sample: Sample
) -> list[GoRoute]:
    """The Go routes some request of ``sample`` reaches (any method)."""
    out: list[GoRoute] = []
    rewrite = rewriter(project, router)
    requests = candidates(sample, backend.routes) if sample.prefix else [sample.path]
    for request in requests[:MAX_CANDIDATES]:
        attempt = rewrite(request)
        if not attempt.reaches_backend:
            continue
        for route in backend.routes:
            if route in out:
                continue
            if sample.prefix and not attempt.changed_steps:
                hit = under(route, attempt.path, backend.go_version)
            else:
                hit = serving_route((route,), attempt.path, None, backend.go_version) is not None
            if hit:
                out.append(route)
    return out
