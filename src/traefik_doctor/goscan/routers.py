"""Which router a handler expression is: ``mux``, ``Handler: routes()``, ``mw(r)``, a group...

A router id is stable and readable: ``"<framework>@<file>:<line>"`` of the constructor call
(``servemux@cmd/api/main.go:37``), ``"DefaultServeMux"`` for a nil handler, and
``"param:<import path>.<Func>#<n>"`` for a router parameter of an exported function that the
program links to the caller's router. A ``RouterRef`` also carries the prefix of the group or
subrouter it is reached through (gin ``Group``, chi ``Route``, gorilla ``PathPrefix``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter as ts

from traefik_doctor.goscan.scope import Binding, FileCtx, PackageCtx, lookup
from traefik_doctor.goscan.syntax import call_parts, text, unwrap
from traefik_doctor.goscan.values import Resolver, returns_of

DEFAULT_MUX = "DefaultServeMux"
MAX_DEPTH = 12


@dataclass(frozen=True, slots=True)
class RouterRef:
    id: str
    framework: str
    prefix: str = ""


def framework_of_package(path: str | None) -> str | None:
    if path is None:
        return None
    if path == "net/http":
        return "servemux"
    if path.startswith("github.com/go-chi/chi") and not path.endswith("middleware"):
        return "chi"
    if path == "github.com/gin-gonic/gin":
        return "gin"
    if path.startswith("github.com/labstack/echo"):
        return "echo"
    if path == "github.com/gorilla/mux":
        return "gorilla"
    return None


_CONSTRUCTORS = {
    "servemux": frozenset({"NewServeMux"}),
    "chi": frozenset({"NewRouter", "NewMux"}),
    "gin": frozenset({"Default", "New"}),
    "echo": frozenset({"New"}),
    "gorilla": frozenset({"NewRouter"}),
}
_TYPE_FRAMEWORK = {
    "ServeMux": "servemux",
    "Router": None,  # chi.Router or mux.Router: decided by the package
    "Mux": "chi",
    "Engine": "gin",
    "RouterGroup": "gin",
    "IRouter": "gin",
    "IRoutes": "gin",
    "Echo": "echo",
    "Group": "echo",
}


def join_path(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path:
        return prefix
    if path.startswith("/"):
        return prefix.rstrip("/") + path
    return prefix + path


def grpc_server_call(fc: FileCtx, node: ts.Node) -> bool:
    node = unwrap(node)
    if node.type != "call_expression":
        return False
    receiver, name, _ = call_parts(node)
    return name == "NewServer" and fc.package_of(receiver) == "google.golang.org/grpc"


class Routers:
    """Router resolution for one package."""

    def __init__(self, pkg: PackageCtx, resolver: Resolver) -> None:
        self.pkg = pkg
        self.values = resolver
        self._fields: dict[str, RouterRef | None] = {}
        self._busy: set[int] = set()
        self._params: dict[tuple[int, str], RouterRef | None] = {}
        # param id → (framework) for exported functions' router parameters
        self.params: dict[str, str] = {}

    def resolve(self, fc: FileCtx, node: ts.Node | None, depth: int = 0) -> RouterRef | None:
        if node is None or depth > MAX_DEPTH or node.id in self._busy:
            return None
        self._busy.add(node.id)
        try:
            return self._resolve(fc, unwrap(node), depth + 1)
        finally:
            self._busy.discard(node.id)

    def _resolve(self, fc: FileCtx, node: ts.Node, depth: int) -> RouterRef | None:
        kind = node.type
        if kind == "nil":
            return RouterRef(DEFAULT_MUX, "servemux")
        if kind == "identifier":
            if text(node) == "nil":
                return RouterRef(DEFAULT_MUX, "servemux")
            binding = lookup(fc, self.pkg, text(node), node)
            return self._binding(binding, depth) if binding is not None else None
        if kind == "selector_expression":
            operand = node.child_by_field_name("operand")
            field = text(node.child_by_field_name("field") or node)
            if fc.package_of(operand) == "net/http" and field == "DefaultServeMux":
                return RouterRef(DEFAULT_MUX, "servemux")
            if fc.package_of(operand) is None:
                return self._field(field, depth)
            return None
        if kind == "call_expression":
            return self._call(fc, node, depth)
        return None

    def _binding(self, binding: Binding, depth: int) -> RouterRef | None:
        fc = binding.file
        if binding.kind == "param":
            return self._param(binding, depth)
        for value_node, condition in reversed(binding.assigns):
            if condition is None:
                found = self.resolve(fc, value_node, depth)
                if found is not None:
                    return found
        if (
            binding.kind == "value"
            and binding.node is not None
            and not (binding.multi and binding.index != 0)
        ):
            found = self.resolve(fc, binding.node, depth)
            if found is not None:
                return found
        for value_node, _ in binding.assigns:
            found = self.resolve(fc, value_node, depth)
            if found is not None:
                return found
        return None

    def _call(self, fc: FileCtx, node: ts.Node, depth: int) -> RouterRef | None:
        receiver, name, args = call_parts(node)
        package = fc.package_of(receiver)
        framework = framework_of_package(package)
        if framework is not None and name in _CONSTRUCTORS[framework]:
            row = node.start_point[0] + 1
            return RouterRef(f"{framework}@{fc.rel}:{row}", framework)
        if package is not None and package in self.pkg.module_packages and name is not None:
            table = self.pkg.module_routers.get(package, {})
            if name in table:
                rid, fw, prefix = table[name]
                return RouterRef(rid, fw, prefix)
        if receiver is not None and package is None and name is not None:
            base = self._chain_base(fc, node, depth)
            if base is not None:
                return base
        if receiver is None and name is not None and name in self.pkg.funcs:
            found = self.returned_router(name, depth, call=(fc, args))
            if found is not None:
                return found
        if name == "StripPrefix" and package == "net/http" and len(args) == 2:
            return self.resolve(fc, args[1], depth)
        # a wrapper: mw(mux), handlers.CORS(...)(r), otelhttp.NewHandler(r, "x")
        for arg in args:
            if arg.type in (
                "identifier",
                "call_expression",
                "selector_expression",
                "unary_expression",
                "parenthesized_expression",
            ):
                found = self.resolve(fc, arg, depth)
                if found is not None:
                    return found
        function = node.child_by_field_name("function")
        if function is not None and function.type == "call_expression":
            return self.resolve(fc, function, depth)
        return None

    def _chain_base(self, fc: FileCtx, node: ts.Node, depth: int) -> RouterRef | None:
        """``r.Group("/v1")``, ``r.PathPrefix("/api").Subrouter()``, ``r.With(mw)``..."""
        receiver, name, args = call_parts(node)
        if receiver is None or name is None:
            return None
        if name in (
            "Group",
            "Route",
            "With",
            "Subrouter",
            "PathPrefix",
            "Path",
            "Host",
            "Methods",
            "Schemes",
            "Headers",
            "Use",
            "Mux",
        ):
            base = self.resolve(fc, receiver, depth)
            if base is None:
                return None
            if name in ("Group", "Route") and args and base.framework in ("gin", "echo", "chi"):
                first = args[0]
                if first.type != "func_literal":
                    prefix = self.values.value(fc, first).default
                    if prefix is None:
                        return base
                    return RouterRef(base.id, base.framework, join_path(base.prefix, prefix))
            if name == "PathPrefix" and args and base.framework == "gorilla":
                prefix = self.values.value(fc, args[0]).default
                if prefix is not None:
                    return RouterRef(base.id, base.framework, join_path(base.prefix, prefix))
            return base
        return None

    def returned_router(
        self,
        name: str,
        depth: int,
        call: tuple[FileCtx, list[ts.Node]] | None = None,
    ) -> RouterRef | None:
        """The router ``name()`` returns; a returned parameter (``func mw(next) { return
        next }``) is the argument at ``call``, the call site being resolved."""
        found = self.pkg.funcs.get(name)
        if found is None:
            return None
        fc, function = found
        for expr_list in returns_of(function):
            if not expr_list.named_child_count:
                continue
            expr = unwrap(expr_list.named_children[0])
            if call is not None and expr.type == "identifier":
                binding = lookup(fc, self.pkg, text(expr), expr)
                if (
                    binding is not None
                    and binding.kind == "param"
                    and binding.function is not None
                    and binding.function.id == function.id
                ):
                    call_fc, args = call
                    if 0 <= binding.param_index < len(args):
                        ref = self.resolve(call_fc, args[binding.param_index], depth)
                        if ref is not None:
                            return ref
                    continue
            ref = self.resolve(fc, expr, depth)
            if ref is not None:
                return ref
        return None

    def _param(self, binding: Binding, depth: int) -> RouterRef | None:
        function = binding.function
        if function is None:
            return None
        key = (function.id, binding.name)
        if key in self._params:
            return self._params[key]
        self._params[key] = None
        found = self._param_uncached(binding, function, depth)
        self._params[key] = found
        return found

    def _param_uncached(self, binding: Binding, function: ts.Node, depth: int) -> RouterRef | None:
        fc = binding.file
        if function.type == "func_literal":
            # chi: r.Route("/x", func(r chi.Router) {...}) / r.Group(func(r chi.Router) {...})
            args = function.parent
            call = args.parent if args is not None else None
            if call is None or call.type != "call_expression":
                return None
            receiver, name, call_args = call_parts(call)
            if name not in ("Route", "Group") or receiver is None:
                return None
            base = self.resolve(fc, receiver, depth)
            if base is None:
                return None
            if name == "Route" and call_args and call_args[0].id != function.id:
                prefix = self.values.value(fc, call_args[0]).default
                if prefix is not None:
                    return RouterRef(base.id, base.framework, join_path(base.prefix, prefix))
            return base
        name_node = function.child_by_field_name("name")
        if name_node is None or binding.param_index < 0:
            return None
        fname = text(name_node)
        for caller_fc, call in self.callers(fname):
            _, _, call_args = call_parts(call)
            if binding.param_index < len(call_args):
                found = self.resolve(caller_fc, call_args[binding.param_index], depth)
                if found is not None:
                    return found
        framework = self._type_framework(fc, binding.node)
        if framework is not None and fname[:1].isupper():
            rid = f"param:{self.pkg.import_path}.{fname}#{binding.param_index}"
            self.params[rid] = framework
            return RouterRef(rid, framework)
        return None

    def _type_framework(self, fc: FileCtx, type_node: ts.Node | None) -> str | None:
        if type_node is None:
            return None
        node = type_node
        while node.type == "pointer_type" and node.named_child_count:
            node = node.named_children[0]
        if node.type != "qualified_type":
            return None
        package = fc.package_of(node.child_by_field_name("package"))
        name = text(node.child_by_field_name("name") or node)
        framework = framework_of_package(package)
        if framework is None or name not in _TYPE_FRAMEWORK:
            return None
        return framework

    def callers(self, name: str) -> list[tuple[FileCtx, ts.Node]]:
        cached = self.pkg.callers.get(name)
        if cached is not None:
            return cached
        # A byte search finds each ``name(``; the tree confirms it is a call of ``name``.
        needle = name.encode() + b"("
        hits: list[tuple[FileCtx, int]] = []
        for fc in self.pkg.files:
            source = fc.parsed.source
            at = source.find(needle)
            while at >= 0:
                if at == 0 or not (source[at - 1 : at].isalnum() or source[at - 1] == 95):
                    hits.append((fc, at))
                at = source.find(needle, at + 1)
        found: list[tuple[FileCtx, ts.Node]] = []
        for fc, start in hits:
            end = start + len(name)
            node = fc.parsed.root.descendant_for_byte_range(start, end)
            if node is None:
                continue
            parent = node.parent
            if parent is not None and parent.type == "selector_expression":
                parent = parent.parent
            if parent is not None and parent.type == "call_expression":
                function = parent.child_by_field_name("function")
                if function is not None and function.end_byte == end:
                    found.append((fc, parent))
        self.pkg.callers[name] = found
        return found

    def _field(self, field: str, depth: int) -> RouterRef | None:
        """A router kept in a struct field: ``s.router = chi.NewRouter()`` / ``router: mux``."""
        if field in self._fields:
            return self._fields[field]
        self._fields[field] = None
        # The literal name first, so the regex engine scans for it quickly.
        pattern = re.compile(re.escape(field.encode()) + rb"[ \t]*(?:(=)|:)(?!=)")
        result: RouterRef | None = None
        for fc in self.pkg.files:
            for hit in pattern.finditer(fc.parsed.source):
                value = _field_value(fc, hit)
                found = self.resolve(fc, value, depth) if value is not None else None
                if found is not None:
                    result = found
                    break
            if result is not None:
                break
        self._fields[field] = result
        return result


def _field_value(fc: FileCtx, hit: re.Match[bytes]) -> ts.Node | None:
    """The value stored by ``x.field = v`` or ``field: v`` at a regex hit (None: not that)."""
    root = fc.parsed.root
    name_end = hit.start() + len(hit.group().split(b"=")[0].split(b":")[0].rstrip())
    node = root.descendant_for_byte_range(hit.start(), name_end)
    if node is None or node.start_byte != hit.start():
        return None
    if hit.group(1) is not None:  # x.field = v
        selector = node.parent
        left = selector.parent if selector is not None else None
        statement = left.parent if left is not None else None
        if (
            node.type != "field_identifier"
            or statement is None
            or statement.type != "assignment_statement"
        ):
            return None
        right = statement.child_by_field_name("right")
        return right.named_children[0] if right is not None and right.named_child_count else None
    element = node.parent  # field: v
    keyed = element.parent if element is not None else None
    if node.type != "identifier" or keyed is None or keyed.type != "keyed_element":
        return None
    value = keyed.named_children[-1]
    return value.named_children[0] if value.named_child_count else None
