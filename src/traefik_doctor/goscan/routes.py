"""Handler registrations: net/http (incl. Go 1.22 patterns), chi, gin, echo and gorilla/mux.

Each registration becomes a ``GoRoute`` on the router its receiver resolves to, with the
group/subrouter prefix composed into the path. A handler that is itself a router (chi ``Mount``,
``mux.Handle("/api/", apiMux)``) becomes a ``Mount`` edge; the program copies the child's routes
under the parent. pprof handlers registered on a router (``pprof.Index``, chi
``middleware.Profiler()``) are recorded on that router.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from traefik_doctor.goscan.facts import GoIssue, GoPprof, GoRoute
from traefik_doctor.goscan.pkgfacts import Mount, PackageFacts
from traefik_doctor.goscan.routers import (
    DEFAULT_MUX,
    RouterRef,
    Routers,
    framework_of_package,
    join_path,
)
from traefik_doctor.goscan.scope import FileCtx
from traefik_doctor.goscan.syntax import call_parts, text, unwrap
from traefik_doctor.goscan.values import Resolver

CHI_METHODS = frozenset(
    {"Get", "Post", "Put", "Delete", "Patch", "Head", "Options", "Connect", "Trace"}
)
UPPER_METHODS = frozenset(
    {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE"}
)
GORILLA_CHAIN = frozenset(
    {
        "Path",
        "PathPrefix",
        "Methods",
        "Host",
        "Schemes",
        "Headers",
        "Queries",
        "Name",
        "MatcherFunc",
        "HeadersRegexp",
    }
)
ROUTE_METHODS = (
    CHI_METHODS
    | UPPER_METHODS
    | {
        "Handle",
        "HandleFunc",
        "Method",
        "MethodFunc",
        "Mount",
        "Any",
        "Match",
        "Add",
        "Static",
        "StaticFS",
        "StaticFile",
        "File",
        "Handler",
        "HandlerFunc",
    }
)
_PATTERN = re.compile(r"^(?:([A-Z]+)[ \t]+)?([^/]*)(/.*)?$")
_PPROF = "net/http/pprof"
_CHI_MIDDLEWARE = ("github.com/go-chi/chi/middleware", "github.com/go-chi/chi/v5/middleware")


_PATH_FIRST = CHI_METHODS | UPPER_METHODS | {"Any", "Static", "StaticFile", "File", "Mount"}


def _literal_not_path(node: ts.Node) -> bool:
    return node.type == "interpreted_string_literal" and not node.text.startswith(b'"/')  # type: ignore[union-attr]


def split_pattern(pattern: str) -> tuple[str | None, str | None, str, bool]:
    """``"GET api.example.com/x/{id}"`` → (method, host, path, go122)."""
    match = _PATTERN.match(pattern.strip())
    if match is None:
        return None, None, pattern, False
    method, host, path = match.group(1), match.group(2) or None, match.group(3) or ""
    go122 = method is not None or "{" in path
    return method, host, path, go122


class RouteExtractor:
    def __init__(self, resolver: Resolver, routers: Routers, facts: PackageFacts) -> None:
        self.values = resolver
        self.routers = routers
        self.facts = facts

    def call(self, fc: FileCtx, call: ts.Node, receiver: ts.Node, method: str) -> None:
        _, _, args = call_parts(call)
        if method in _PATH_FIRST and args and _literal_not_path(args[0]):
            return  # header.Get("X"), q.Get("id"): not a route
        package = fc.package_of(receiver)
        chain: list[tuple[str, list[ts.Node]]] = []
        base = receiver
        if package is None and method in ("Handler", "HandlerFunc", "Handle", "HandleFunc"):
            while base.type == "call_expression":
                inner_recv, inner_name, inner_args = call_parts(base)
                if inner_recv is None or inner_name not in GORILLA_CHAIN:
                    break
                chain.append((inner_name, inner_args))
                base = inner_recv
        if package == "net/http":
            if method not in ("Handle", "HandleFunc"):
                return
            ref: RouterRef | None = RouterRef(DEFAULT_MUX, "servemux")
        elif package is not None:
            return
        else:
            ref = self.routers.resolve(fc, base)
        if ref is None:
            ref = self._unresolved(fc, call, base, method, args)
            if ref is None:
                return
        if chain and ref.framework != "gorilla":
            return
        handler = self._dispatch(fc, call, ref, method, args, chain=chain)
        if handler is not None:
            self._handler(fc, call, ref, handler)

    def _unresolved(
        self, fc: FileCtx, call: ts.Node, base: ts.Node, method: str, args: list[ts.Node]
    ) -> RouterRef | None:
        """Accept a call on an unknown receiver only when it clearly registers a path."""
        if not args or args[0].type != "interpreted_string_literal":
            return None
        if not text(args[0]).startswith('"/'):
            return None
        frameworks = {
            fw
            for fw in ("chi", "gin", "echo", "gorilla")
            if any(framework_of_package(path) == fw for path in fc.imports.values())
        }
        if method in CHI_METHODS or method in ("Mount", "Method", "MethodFunc"):
            framework = "chi"
        elif method in UPPER_METHODS or method in ("Any", "Static"):
            framework = "echo" if "echo" in frameworks else "gin"
        elif method in ("Handle", "HandleFunc"):
            framework = (
                "gorilla"
                if "gorilla" in frameworks
                else ("chi" if "chi" in frameworks else "servemux")
            )
        else:
            return None
        if framework != "servemux" and framework not in frameworks:
            return None
        row = call.start_point[0] + 1
        rid = f"unresolved:{text(base)}@{fc.rel}"
        self.facts.unresolved.append(
            GoIssue(
                fc.loc(call),
                f"route {text(args[0])} registered on `{text(base)}`, whose router could not "
                f"be found (line {row})",
            )
        )
        return RouterRef(rid, framework)

    def _add(
        self,
        fc: FileCtx,
        call: ts.Node,
        ref: RouterRef,
        path: str,
        method: str | None,
        *,
        prefix: bool = False,
        host: str | None = None,
        go122: bool = False,
    ) -> None:
        full = join_path(ref.prefix, path)
        if not prefix:
            prefix = full.endswith(("*", "...}")) or "*" in full.rsplit("/", 1)[-1]
        self.facts.routes.append(
            GoRoute(ref.id, ref.framework, full, fc.loc(call), method, host, prefix, go122)
        )

    def _path(self, fc: FileCtx, node: ts.Node) -> str | None:
        value = self.values.value(fc, node)
        if value.default is None:
            self.facts.unresolved.append(
                GoIssue(fc.loc(node), f"route path {value.text} could not be resolved")
            )
        return value.default

    def _dispatch(
        self,
        fc: FileCtx,
        call: ts.Node,
        ref: RouterRef,
        method: str,
        args: list[ts.Node],
        *,
        chain: list[tuple[str, list[ts.Node]]],
    ) -> ts.Node | None:
        """Record the route(s); return the handler expression."""
        framework = ref.framework
        if framework == "servemux":
            if method not in ("Handle", "HandleFunc") or len(args) < 2:
                return None
            pattern = self._path(fc, args[0])
            if pattern is None:
                return args[1]
            verb, host, path, go122 = split_pattern(pattern)
            prefix = path.endswith("/") or path.endswith("...}")
            if self._is_router(fc, args[1]):
                return args[1]
            self._add(fc, call, ref, path, verb, prefix=prefix, host=host, go122=go122)
            return args[1]
        if framework == "chi":
            return self._chi(fc, call, ref, method, args)
        if framework in ("gin", "echo"):
            return self._gin_echo(fc, call, ref, method, args)
        if framework == "gorilla":
            return self._gorilla(fc, call, ref, method, args, chain=chain)
        return None

    def _chi(
        self, fc: FileCtx, call: ts.Node, ref: RouterRef, method: str, args: list[ts.Node]
    ) -> ts.Node | None:
        if method in CHI_METHODS and len(args) >= 2:
            path = self._path(fc, args[0])
            if path is not None:
                self._add(fc, call, ref, path, method.upper())
            return args[1]
        if method in ("Method", "MethodFunc") and len(args) >= 3:
            verb = self.values.value(fc, args[0]).default
            path = self._path(fc, args[1])
            if path is not None:
                self._add(fc, call, ref, path, verb.upper() if verb else None)
            return args[2]
        if method in ("Handle", "HandleFunc", "Mount") and len(args) >= 2:
            path = self._path(fc, args[0])
            if method == "Mount" and self._is_router(fc, args[1]):
                return args[1]
            if path is not None:
                self._add(fc, call, ref, path, None, prefix=method == "Mount")
            return args[1]
        return None

    def _gin_echo(
        self, fc: FileCtx, call: ts.Node, ref: RouterRef, method: str, args: list[ts.Node]
    ) -> ts.Node | None:
        if (method in UPPER_METHODS or method == "Any") and len(args) >= 2:
            path = self._path(fc, args[0])
            if path is not None:
                self._add(fc, call, ref, path, None if method == "Any" else method)
            return args[1]
        if method in ("Handle", "Add") and len(args) >= 3:
            verb = self.values.value(fc, args[0]).default
            path = self._path(fc, args[1])
            if path is not None:
                self._add(fc, call, ref, path, verb.upper() if verb else None)
            return args[2]
        if method == "Match" and len(args) >= 3:
            path = self._path(fc, args[1])
            verbs = unwrap(args[0])
            names: list[str] = []
            if verbs.type == "composite_literal":
                body = verbs.child_by_field_name("body")
                for element in body.named_children if body is not None else []:
                    inner = element.named_children[0] if element.named_child_count else element
                    verb_name = self.values.value(fc, inner).default
                    if verb_name:
                        names.append(verb_name)
            if path is not None:
                choices: list[str | None] = [*names] or [None]
                for one in choices:
                    self._add(fc, call, ref, path, one)
            return args[2]
        if method in ("Static", "StaticFS") and len(args) >= 2:
            path = self._path(fc, args[0])
            if path is not None:
                self._add(fc, call, ref, path, "GET", prefix=True)
            return None
        if method in ("StaticFile", "File") and len(args) >= 2:
            path = self._path(fc, args[0])
            if path is not None:
                self._add(fc, call, ref, path, "GET")
            return None
        return None

    def _gorilla(
        self,
        fc: FileCtx,
        call: ts.Node,
        ref: RouterRef,
        method: str,
        args: list[ts.Node],
        *,
        chain: list[tuple[str, list[ts.Node]]],
    ) -> ts.Node | None:
        path: str | None = None
        prefix = False
        verbs: list[str] = []
        host: str | None = None
        handler: ts.Node | None = None
        if method in ("Handle", "HandleFunc") and len(args) >= 2:
            path = self._path(fc, args[0])
            handler = args[1]
            # r.HandleFunc("/x", h).Methods("GET")
            parent = call.parent
            while parent is not None and parent.type == "selector_expression":
                outer = parent.parent
                if outer is None or outer.type != "call_expression":
                    break
                _, outer_name, outer_args = call_parts(outer)
                if outer_name not in GORILLA_CHAIN:
                    break
                chain.append((outer_name, outer_args))
                parent = outer.parent
        elif method in ("Handler", "HandlerFunc") and args:
            handler = args[0]
        else:
            return None
        for name, chain_args in chain:
            if name in ("Path", "PathPrefix") and chain_args:
                path = self._path(fc, chain_args[0])
                prefix = name == "PathPrefix"
            elif name == "Methods":
                verbs.extend(
                    v.upper() for a in chain_args if (v := self.values.value(fc, a).default)
                )
            elif name == "Host" and chain_args:
                host = self.values.value(fc, chain_args[0]).default
        if path is None:
            if method in ("Handler", "HandlerFunc") and ref.prefix:
                path = ""
                prefix = True
            else:
                return handler
        if handler is not None and self._is_router(fc, handler):
            return handler
        gorilla_verbs: list[str | None] = [*verbs] or [None]
        for verb in gorilla_verbs:
            self._add(fc, call, ref, path, verb, prefix=prefix, host=host)
        return handler

    def _is_router(self, fc: FileCtx, node: ts.Node) -> bool:
        return self._child_router(fc, node) is not None

    def _child_router(self, fc: FileCtx, node: ts.Node) -> RouterRef | None:
        """The router a handler argument is (a nil handler is not DefaultServeMux here)."""
        if unwrap(node).type == "nil" or text(node) == "nil":
            return None
        return self.routers.resolve(fc, node)

    def _handler(self, fc: FileCtx, call: ts.Node, ref: RouterRef, handler: ts.Node) -> None:
        """pprof handlers and routers used as handlers."""
        source = fc.parsed.source[handler.start_byte : handler.end_byte]
        pprof_aliases = [a for a, p in fc.imports.items() if p == _PPROF]
        if any((alias + ".").encode() in source for alias in pprof_aliases):
            self.facts.pprof.append(GoPprof(ref.id, "explicit", fc.loc(call)))
            return
        middleware = [a for a, p in fc.imports.items() if p in _CHI_MIDDLEWARE]
        if any((alias + ".Profiler(").encode() in source for alias in middleware):
            self.facts.pprof.append(GoPprof(ref.id, "chi-profiler", fc.loc(call)))
            return
        child = self._child_router(fc, handler)
        if child is None or child.id == ref.id:
            return
        _, method, args = call_parts(call)
        strip = ""
        inner = unwrap(handler)
        if inner.type == "call_expression":
            recv, name, inner_args = call_parts(inner)
            if name == "StripPrefix" and fc.package_of(recv) == "net/http" and inner_args:
                strip = self.values.value(fc, inner_args[0]).default or ""
        if method == "Mount" and args:
            strip = join_path(ref.prefix, self.values.value(fc, args[0]).default or "")
        self.facts.mounts.append(Mount(ref.id, strip.rstrip("/"), child.id, fc.loc(call)))
