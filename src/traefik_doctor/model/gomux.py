"""Does a Go router serve a request path (and method)? Each framework's route syntax, matched
against a concrete path.

* ``net/http`` ``ServeMux`` before Go 1.22 (or with ``go < 1.22`` in go.mod, which selects the
  old mux through GODEBUG ``httpmuxgo121``): a pattern is an exact path, or a subtree when it
  ends in ``/``; the longest pattern wins; ``/x`` is redirected to a registered ``/x/``.
  A Go 1.22 pattern (``GET /x``, ``{id}``) is taken literally and never matches.
* ``net/http`` from Go 1.22: ``{name}`` is one non-empty segment, ``{name...}`` the rest,
  ``{$}`` ends the path at a ``/``, a trailing ``/`` is a subtree; ``GET`` also serves HEAD.
* chi: ``{id}`` / ``{id:regexp}`` one segment, ``*`` the rest, ``Mount`` a subtree; strict
  about trailing slashes.
* gin / echo: ``:id`` one segment, ``*path`` (``*``) the rest; gin redirects a trailing-slash
  variant (``RedirectTrailingSlash``), echo does not.
* gorilla/mux: ``{id}`` (``[^/]+``) / ``{id:regexp}``; ``PathPrefix`` is a plain string prefix.

A route with a ``host`` only serves that host when a host is given. When the module's Go
version is unknown, a net/http route matches if it matches under either semantics (no
false "not served").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from traefik_doctor.goscan.facts import GoProgram, GoRoute, GoServer
from traefik_doctor.model.dynamic import Router, Service
from traefik_doctor.model.gomatch import GoBackend, backend_for
from traefik_doctor.model.project import Project
from traefik_doctor.rulelang.regexp import go_regexp_check, to_python

SEGMENT_SAMPLES = ("1", "x", "a1", "abc", "1a")


def framework_of(route: GoRoute) -> str:
    """``servemux``, ``chi``, ``gin``, ``echo`` or ``gorilla``."""
    name = route.framework.lower()
    for known in ("chi", "gin", "echo", "gorilla"):
        if known in name:
            return known
    if name in ("mux", "gorilla/mux"):
        return "gorilla"
    return "servemux"


def go_version_tuple(version: str | None) -> tuple[int, int] | None:
    if not version:
        return None
    found = re.match(r"\s*(?:go)?(\d+)\.(\d+)", version)
    if found is None:
        return None
    return int(found.group(1)), int(found.group(2))


def new_mux(go_version: str | None) -> bool | None:
    """True when Go 1.22 ServeMux patterns apply, False when the old mux does, None unknown."""
    parsed = go_version_tuple(go_version)
    if parsed is None:
        return None
    return parsed >= (1, 22)


@dataclass(frozen=True, slots=True)
class _Compiled:
    regex: re.Pattern[str] | None
    """None: the route can never match (a Go 1.22 pattern under the old mux)."""
    redirect: re.Pattern[str] | None = None
    """Paths the router answers with a redirect to a served path (trailing slash)."""


def _segment_regex(spec: str | None) -> str:
    if not spec:
        return "[^/]+"
    if go_regexp_check(spec) is not None:
        return "[^/]+"
    try:
        translated = to_python(spec)
        re.compile(translated)
    except (ValueError, re.error):
        return "[^/]+"
    return f"(?:{translated})"


def _braces(path: str, *, go122: bool) -> str:
    """Translate ``{name}``, ``{name:re}``, ``{name...}``, ``{$}``, ``*`` (chi/gorilla/1.22)."""
    out: list[str] = []
    i = 0
    while i < len(path):
        ch = path[i]
        if ch == "{":
            close = _closing_brace(path, i)
            if close < 0:
                out.append(re.escape(path[i:]))
                break
            inner = path[i + 1 : close]
            i = close + 1
            if go122 and inner == "$":
                out.append("")
                continue
            if go122 and inner.endswith("..."):
                out.append(".*")
                continue
            _, colon, spec = inner.partition(":")
            out.append(_segment_regex(spec if colon else None))
            continue
        if ch == "*" and not go122:
            out.append(".*")
            i += 1
            continue
        out.append(re.escape(ch))
        i += 1
    return "".join(out)


def _closing_brace(text: str, start: int) -> int:
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _colons(path: str) -> str:
    """gin/echo: ``:id`` one segment, ``*name`` the rest."""
    out: list[str] = []
    for index, part in enumerate(path.split("/")):
        if index:
            out.append("/")
        if part.startswith(":"):
            out.append("[^/]+")
        elif part.startswith("*"):
            out.append(".*")
        else:
            out.append(re.escape(part))
    return "".join(out)


@lru_cache(maxsize=4096)
def _compile(route: GoRoute, new: bool | None) -> _Compiled:
    framework = framework_of(route)
    path = route.path
    if framework == "servemux":
        if route.go122 and not new:
            if route.method or route.host or "{" not in path:
                return _Compiled(None)
            body = re.escape(path)  # old mux: wildcards are literal text
        elif route.go122 or new:
            body = _braces(path, go122=True)
        else:
            body = re.escape(path)
        subtree = path.endswith("/") and not path.endswith("{$}")
        if subtree:
            body += ".*"
        redirect = re.compile(re.escape(path[:-1]) + r"\Z") if subtree and len(path) > 1 else None
        if route.prefix and not subtree and not body.endswith(".*"):
            body += "(?:/.*)?"
        return _Compiled(re.compile(body + r"\Z"), redirect)
    body = _colons(path) if framework in ("gin", "echo") else _braces(path, go122=False)
    if route.prefix and not body.endswith(".*"):
        if framework == "gorilla" or path.endswith("/"):
            body += ".*"
        else:
            body += "(?:/.*)?"
    compiled = re.compile(body + r"\Z")
    redirect = None
    if framework == "gin":
        if path.endswith("/") and len(path) > 1:
            redirect = re.compile(_colons(path[:-1]) + r"\Z")
        elif not body.endswith(".*"):
            redirect = re.compile(body + r"/\Z")
    return _Compiled(compiled, redirect)


def _method_ok(route: GoRoute, method: str | None) -> bool:
    if method is None or route.method is None:
        return True
    allowed = {m.upper() for m in re.split(r"[,|\s]+", route.method) if m}
    if not allowed or "ANY" in allowed or "*" in allowed:
        return True
    wanted = method.upper()
    if wanted in allowed:
        return True
    return wanted == "HEAD" and "GET" in allowed and framework_of(route) == "servemux"


def route_matches(
    route: GoRoute,
    path: str,
    method: str | None = None,
    go_version: str | None = None,
    host: str | None = None,
    *,
    redirects: bool = True,
) -> bool:
    """Does ``route`` answer ``path`` (directly, or with a redirect to a path it serves when
    ``redirects``)?"""
    if not _method_ok(route, method):
        return False
    if route.host and host is not None and route.host.lower() != host.lower():
        return False
    new = new_mux(go_version) if framework_of(route) == "servemux" else True
    choices = (True, False) if new is None else (new,)
    for choice in choices:
        compiled = _compile(route, choice)
        if compiled.regex is None:
            continue
        if compiled.regex.match(path):
            return True
        if redirects and compiled.redirect is not None and compiled.redirect.match(path):
            return True
    return False


def serving_route(
    routes: Iterable[GoRoute],
    path: str,
    method: str | None = None,
    go_version: str | None = None,
    host: str | None = None,
) -> GoRoute | None:
    """The route that answers ``path``: exact routes before subtrees, then the longest."""
    found = [r for r in routes if route_matches(r, path, method, go_version, host)]
    if not found:
        return None
    return max(found, key=lambda r: (not r.prefix, len(r.path)))


def example_path(route: GoRoute) -> str:
    """A concrete path the route serves (wildcards filled in), for messages and probing."""
    framework = framework_of(route)
    path = route.path
    if framework in ("gin", "echo"):
        parts = []
        for part in path.split("/"):
            if part.startswith(":"):
                parts.append("1")
            elif part.startswith("*"):
                parts.append("")
            else:
                parts.append(part)
        return "/".join(parts) or "/"
    out: list[str] = []
    i = 0
    while i < len(path):
        if path[i] == "{":
            close = _closing_brace(path, i)
            if close < 0:
                out.append(path[i:])
                break
            inner = path[i + 1 : close]
            i = close + 1
            if inner == "$" or inner.endswith("..."):
                continue
            _, colon, spec = inner.partition(":")
            out.append(_segment_value(spec if colon else None))
            continue
        if path[i] == "*" and framework != "servemux":
            i += 1
            continue
        out.append(path[i])
        i += 1
    return "".join(out) or "/"


def _segment_value(spec: str | None) -> str:
    if not spec:
        return "1"
    pattern = _segment_regex(spec)
    for candidate in SEGMENT_SAMPLES:
        if re.fullmatch(pattern, candidate):
            return candidate
    return "1"


def under(route: GoRoute, prefix: str, go_version: str | None = None) -> bool:
    """Does the route serve some path that starts with ``prefix``?"""
    if example_path(route).startswith(prefix):
        return True
    probe = prefix if prefix.endswith("/") else prefix + "/"
    return route_matches(route, prefix, None, go_version) or route_matches(
        route, probe + "doctor-sample", None, go_version
    )


def nearby(routes: Iterable[GoRoute], path: str, limit: int = 3) -> list[GoRoute]:
    """Routes a person would confuse with ``path``: those ending with it or with its last
    segment, then the most similar."""
    items = list(routes)
    tail = "/" + path.rstrip("/").rsplit("/", 1)[-1] if path.strip("/") else "/"

    def score(route: GoRoute) -> tuple[int, float]:
        example = example_path(route).rstrip("/") or "/"
        if path != "/" and (example.endswith(path.rstrip("/")) or path.endswith(example)):
            rank = 2
        elif tail != "/" and tail in example:
            rank = 1
        else:
            rank = 0
        return rank, difflib.SequenceMatcher(None, example, path).ratio()

    return sorted(items, key=score, reverse=True)[:limit]


def describe(route: GoRoute) -> str:
    method = f"{route.method} " if route.method else ""
    tail = " (and below)" if route.prefix else ""
    return f"`{method}{route.path}`{tail} at {route.location}"


# --- which Go server a router reaches ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class RouterBackend:
    """A Go listener behind a router's service, with its routes."""

    service: Service
    backend: GoBackend
    server: GoServer
    routes: tuple[GoRoute, ...]

    @property
    def program(self) -> GoProgram:
        return self.backend.program

    @property
    def go_version(self) -> str | None:
        return self.backend.program.go_version


def service_backends(project: Project, service: Service) -> list[RouterBackend]:
    """The distinct Go listeners behind a load balancer's servers."""
    out: list[RouterBackend] = []
    seen: set[int] = set()
    for server in service.servers:
        backend = backend_for(project, service, server)
        if backend is None or backend.server is None:
            continue
        key = id(backend.server)
        if key in seen:
            continue
        seen.add(key)
        routes = backend.program.routes_of(backend.server)
        out.append(RouterBackend(service, backend, backend.server, routes))
    return out


def router_backends(project: Project, router: Router) -> list[RouterBackend]:
    service = project.dynamic.service_for(router)
    if service is None or service.kind != "loadBalancer":
        return []
    return service_backends(project, service)
