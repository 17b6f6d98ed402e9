"""Listeners: ``http.ListenAndServe[TLS]``, ``http.Serve[TLS]``, ``http.Server`` values (with
fields assigned after construction), gin ``Run``, echo ``Start``, gRPC ``Serve``.

An ``http.Server`` is recorded where it is built (the composite literal or ``var s
http.Server``); its start call (``srv.ListenAndServe()``, ``srv.Serve(ln)``) is found through
the receiver's binding, a local constructor's ``return``, or a struct field. Timeouts come from
the literal and from ``srv.ReadTimeout = ...`` in the same function (anywhere in the package for
package-level servers). A server passed to another function or returned is marked
``timeouts_known=False``: code elsewhere may set its fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter as ts

from traefik_doctor.goscan.facts import GoDuration, GoIssue, GoServer, GoValue
from traefik_doctor.goscan.parse import matches, query
from traefik_doctor.goscan.pkgfacts import PackageFacts
from traefik_doctor.goscan.routers import Routers, grpc_server_call
from traefik_doctor.goscan.scope import FileCtx, PackageCtx, lookup
from traefik_doctor.goscan.syntax import call_parts, contains, text, top_function, unwrap
from traefik_doctor.goscan.values import Resolver, Val, returns_of

TIMEOUT_FIELDS = ("ReadTimeout", "ReadHeaderTimeout", "WriteTimeout", "IdleTimeout")
SERVER_FIELDS = frozenset({"Addr", "Handler", "TLSConfig", *TIMEOUT_FIELDS})
START_METHODS = frozenset({"ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS"})
_ESCAPES = query(
    "(argument_list (identifier) @a) (return_statement (expression_list (identifier) @a))"
)
_H2C = "golang.org/x/net/http2/h2c"


@dataclass(slots=True)
class Draft:
    """An ``http.Server`` value being followed."""

    file: FileCtx
    node: ts.Node
    fields: dict[str, tuple[FileCtx, ts.Node]] = field(default_factory=dict)
    name: str | None = None
    scope: ts.Node | None = None
    escapes: bool = False
    starts: list[tuple[FileCtx, ts.Node, str, list[ts.Node]]] = field(default_factory=list)


class ServerExtractor:
    def __init__(
        self, pkg: PackageCtx, resolver: Resolver, routers: Routers, facts: PackageFacts
    ) -> None:
        self.pkg = pkg
        self.values = resolver
        self.routers = routers
        self.facts = facts
        self.drafts: dict[int, Draft] = {}
        # (file, assignment, receiver text, field name, value)
        self.assignments: list[tuple[FileCtx, ts.Node, str, str, ts.Node]] = []

    # -- collection -----------------------------------------------------------------------

    def literal(self, fc: FileCtx, lit: ts.Node, body: ts.Node) -> None:
        draft = Draft(fc, lit)
        for element in body.named_children:
            if element.type != "keyed_element" or element.named_child_count != 2:
                continue
            key, value = element.named_children
            key_text = text(key)
            if key_text in SERVER_FIELDS and value.named_child_count:
                draft.fields[key_text] = (fc, value.named_children[0])
        self._name(draft)
        self.drafts[lit.id] = draft

    def var_declaration(self, fc: FileCtx, spec: ts.Node) -> None:
        names = [n for n in spec.children_by_field_name("name") if n.type == "identifier"]
        if len(names) != 1:
            return
        draft = Draft(fc, spec, name=text(names[0]), scope=top_function(spec))
        self.drafts[spec.id] = draft

    def assignment(self, fc: FileCtx, node: ts.Node, obj: ts.Node, value: ts.Node) -> None:
        """``srv.ReadTimeout = ...``: applied to the server it names when the package is done."""
        self.assignments.append((fc, node, text(obj), _field_of(node), value))

    def _name(self, draft: Draft) -> None:
        node = draft.node
        parent = node.parent
        if parent is not None and parent.type == "unary_expression":
            node, parent = parent, parent.parent
        if parent is None:
            return
        if parent.type == "expression_list":
            holder = parent.parent
            if holder is not None and holder.type in (
                "short_var_declaration",
                "assignment_statement",
                "var_spec",
            ):
                right = holder.child_by_field_name("right") or holder.child_by_field_name("value")
                left_nodes = (
                    holder.child_by_field_name("left").named_children  # type: ignore[union-attr]
                    if holder.type != "var_spec"
                    else [
                        n for n in holder.children_by_field_name("name") if n.type == "identifier"
                    ]
                )
                if right is not None and right.id == parent.id:
                    index = [c.id for c in parent.named_children].index(node.id)
                    if index < len(left_nodes):
                        draft.name = text(left_nodes[index])
                        draft.scope = top_function(holder)
            elif holder is not None and holder.type == "return_statement":
                return
        elif parent.type == "literal_element":
            keyed = parent.parent
            if keyed is not None and keyed.type == "keyed_element" and keyed.named_child_count == 2:
                draft.name = "." + text(keyed.named_children[0])
        elif parent.type == "argument_list":
            draft.escapes = True

    # -- start calls ----------------------------------------------------------------------

    def call(self, fc: FileCtx, call: ts.Node, receiver: ts.Node, method: str) -> None:
        _, _, args = call_parts(call)
        package = fc.package_of(receiver)
        if package == "net/http":
            if method in START_METHODS:
                self._package_start(fc, call, method, args)
            return
        if package is not None:
            return
        if method in ("Run", "RunTLS"):
            ref = self.routers.resolve(fc, receiver)
            if ref is not None and ref.framework == "gin":
                self._gin(fc, call, method, args, ref.id)
            return
        if method in ("Start", "StartTLS", "StartAutoTLS"):
            ref = self.routers.resolve(fc, receiver)
            if ref is not None and ref.framework == "echo" and (args or method == "Start"):
                self._echo(fc, call, receiver, method, args, router=ref.id)
            return
        if method not in START_METHODS:
            return
        draft = self._draft_of(fc, receiver, 0)
        if draft is not None:
            draft.starts.append((fc, call, method, args))
            return
        if method in ("Serve", "ServeTLS") and self._is_grpc(fc, receiver):
            addr, _ = self._listener(fc, args[0]) if args else (Val("?", None), False)
            self._emit_addr_issue(fc, call, "gRPC server", addr)
            self.facts.servers.append(
                GoServer(
                    "grpc.Serve", fc.loc(call), addr.go_value(), False, {}, False, None, grpc=True
                )
            )
            return
        if method in ("ListenAndServe", "ListenAndServeTLS") and "net/http" in fc.imports.values():
            self.facts.unresolved.append(
                GoIssue(
                    fc.loc(call),
                    f"`{text(receiver)}.{method}()`: the http.Server it starts could not be found",
                )
            )

    def _is_grpc(self, fc: FileCtx, receiver: ts.Node) -> bool:
        node = unwrap(receiver)
        if node.type == "identifier":
            binding = lookup(fc, self.pkg, text(node), node)
            if binding is not None and binding.kind == "value" and binding.node is not None:
                return grpc_server_call(binding.file, binding.node)
        return grpc_server_call(fc, node)

    def _draft_of(self, fc: FileCtx, node: ts.Node, depth: int) -> Draft | None:
        if depth > 8:
            return None
        node = unwrap(node)
        if node.type == "composite_literal":
            return self.drafts.get(node.id)
        if node.type == "identifier":
            binding = lookup(fc, self.pkg, text(node), node)
            if binding is None:
                return None
            if binding.kind == "type" and binding.decl is not None:
                return self.drafts.get(binding.decl.id)
            if binding.kind == "value" and binding.node is not None:
                return self._draft_of(binding.file, binding.node, depth + 1)
            return None
        if node.type == "call_expression":
            receiver, name, _ = call_parts(node)
            if receiver is None and name is not None and name in self.pkg.funcs:
                func_fc, function = self.pkg.funcs[name]
                for expr_list in returns_of(function):
                    if expr_list.named_child_count:
                        found = self._draft_of(func_fc, expr_list.named_children[0], depth + 1)
                        if found is not None:
                            return found
            return None
        if node.type == "selector_expression":
            field_node = node.child_by_field_name("field")
            key = "." + text(field_node) if field_node is not None else ""
            candidates = [
                d
                for d in self.drafts.values()
                if d.name is not None and (d.name == key or d.name.endswith(key))
            ]
            return candidates[0] if len(candidates) == 1 else None
        return None

    def _listener(self, fc: FileCtx, node: ts.Node, depth: int = 0) -> tuple[Val, bool]:
        original = node
        node = unwrap(node)
        if depth < 8 and node.type == "identifier":
            binding = lookup(fc, self.pkg, text(node), node)
            if (
                binding is not None
                and binding.kind == "value"
                and binding.node is not None
                and (not binding.multi or binding.index == 0)
            ):
                return self._listener(binding.file, binding.node, depth + 1)
        if node.type == "call_expression":
            receiver, name, args = call_parts(node)
            package = fc.package_of(receiver)
            if package == "net" and name == "Listen" and len(args) >= 2:
                return self.values.value(fc, args[1]), False
            if package == "crypto/tls" and name == "Listen" and len(args) >= 2:
                return self.values.value(fc, args[1]), True
            if package == "crypto/tls" and name == "NewListener" and args:
                addr, _ = self._listener(fc, args[0], depth + 1)
                return addr, True
        return Val(" ".join(text(original).split())[:80], None, kind="unknown"), False

    # -- emission -------------------------------------------------------------------------

    def _handler(
        self, fc: FileCtx, node: ts.Node | None, where: ts.Node
    ) -> tuple[str | None, bool, bool]:
        """``(router id, h2c, grpc)`` of a handler expression (None → DefaultServeMux)."""
        if node is None:
            return "DefaultServeMux", False, False
        inner = unwrap(node)
        h2c = False
        if inner.type == "call_expression":
            receiver, name, args = call_parts(inner)
            if name == "NewHandler" and fc.package_of(receiver) == _H2C and args:
                h2c = True
                inner = unwrap(args[0])
        if self._is_grpc(fc, inner):
            return None, h2c, True
        ref = self.routers.resolve(fc, inner)
        if ref is None:
            self.facts.unresolved.append(
                GoIssue(
                    fc.loc(node), f"handler `{text(node)[:60]}` could not be linked to a router"
                )
            )
            return None, h2c, False
        return ref.id, h2c, False

    def _emit_addr_issue(self, fc: FileCtx, node: ts.Node, what: str, addr: Val) -> None:
        if addr.default is None:
            self.facts.unresolved.append(
                GoIssue(
                    fc.loc(node), f"listen address of {what} could not be resolved: {addr.text}"
                )
            )

    def _package_start(self, fc: FileCtx, call: ts.Node, method: str, args: list[ts.Node]) -> None:
        tls = method.endswith("TLS")
        if method.startswith("ListenAndServe"):
            if not args:
                return
            addr = self.values.value(fc, args[0])
            handler = args[3] if tls and len(args) >= 4 else (args[1] if len(args) >= 2 else None)
        else:
            if not args:
                return
            addr, listener_tls = self._listener(fc, args[0])
            tls = tls or listener_tls
            handler = args[1] if len(args) >= 2 else None
        router, h2c, grpc = self._handler(fc, handler, call)
        kind = f"http.{method}"
        self._emit_addr_issue(fc, call, kind, addr)
        self.facts.servers.append(
            GoServer(kind, fc.loc(call), addr.go_value(), tls, {}, True, router, grpc, h2c)
        )

    def _gin(
        self, fc: FileCtx, call: ts.Node, method: str, args: list[ts.Node], router: str
    ) -> None:
        if args:
            addr = self.values.value(fc, args[0])
        else:
            addr = Val('":" + ${PORT:-"8080"}', ":8080", ("PORT",))
        self._emit_addr_issue(fc, call, f"gin.{method}", addr)
        self.facts.servers.append(
            GoServer(
                f"gin.{method}", fc.loc(call), addr.go_value(), method == "RunTLS", {}, True, router
            )
        )

    def _echo(
        self,
        fc: FileCtx,
        call: ts.Node,
        receiver: ts.Node,
        method: str,
        args: list[ts.Node],
        *,
        router: str,
    ) -> None:
        addr = self.values.value(fc, args[0]) if args else Val("?", None, kind="unknown")
        target = text(receiver) + ".Server"
        scope = top_function(call)
        timeouts: dict[str, GoDuration] = {}
        for afc, node, obj, field_name, value in self.assignments:
            if (
                obj == target
                and (scope is None or contains(scope, node))
                and field_name in TIMEOUT_FIELDS
            ):
                timeouts[field_name] = self._duration(afc, value)
        self._emit_addr_issue(fc, call, f"echo.{method}", addr)
        self.facts.servers.append(
            GoServer(
                f"echo.{method}",
                fc.loc(call),
                addr.go_value(),
                method != "Start",
                timeouts,
                True,
                router,
            )
        )

    def _duration(self, fc: FileCtx, node: ts.Node) -> GoDuration:
        value = self.values.value(fc, node)
        seconds = (
            value.number / 1e9
            if value.number is not None and value.kind in ("dur", "int")
            else None
        )
        if seconds is None:
            self.facts.unresolved.append(
                GoIssue(fc.loc(node), f"timeout {value.text} could not be resolved")
            )
        return GoDuration(value.text, seconds, fc.loc(node))

    def finish(self) -> None:
        for draft in self.drafts.values():
            self._apply_assignments(draft)
            self._check_escape(draft)
            starts = draft.starts or [(draft.file, draft.node, "", [])]
            for fc, call, method, args in starts:
                self._emit(draft, fc, call, method, args)

    def _apply_assignments(self, draft: Draft) -> None:
        if draft.name is None:
            return
        for fc, node, obj, field_name, value in self.assignments:
            matches_name = obj == draft.name or (
                draft.name.startswith(".") and obj.endswith(draft.name)
            )
            if not matches_name:
                continue
            if draft.scope is not None and not contains(draft.scope, node):
                continue
            if node.start_byte < draft.node.start_byte and fc is draft.file:
                continue
            if field_name in SERVER_FIELDS:
                draft.fields[field_name] = (fc, value)

    def _check_escape(self, draft: Draft) -> None:
        if draft.escapes or draft.name is None or draft.name.startswith("."):
            return
        scope = draft.scope
        if scope is None:
            return
        for _, caps in matches(_ESCAPES, scope):
            node = caps["a"][0]
            if text(node) == draft.name and node.start_byte > draft.node.start_byte:
                draft.escapes = True
                return

    def _emit(
        self, draft: Draft, fc: FileCtx, call: ts.Node, method: str, args: list[ts.Node]
    ) -> None:
        tls = method.endswith("TLS")
        addr: Val | None = None
        if "Addr" in draft.fields:
            afc, node = draft.fields["Addr"]
            addr = self.values.value(afc, node)
        if method in ("Serve", "ServeTLS") and args:
            listener_addr, listener_tls = self._listener(fc, args[0])
            tls = tls or listener_tls
            addr = listener_addr
        if addr is None:
            addr = Val('""', "") if method else Val("(not set)", "")
        handler = draft.fields.get("Handler")
        if handler is not None:
            router, h2c, grpc = self._handler(handler[0], handler[1], draft.node)
        else:
            router, h2c, grpc = "DefaultServeMux", False, False
        timeouts = {
            name: self._duration(*draft.fields[name])
            for name in TIMEOUT_FIELDS
            if name in draft.fields
        }
        self._emit_addr_issue(draft.file, draft.node, "http.Server", addr)
        self.facts.servers.append(
            GoServer(
                "http.Server",
                draft.file.loc(draft.node),
                GoValue(
                    addr.go_value().text, addr.default, addr.go_value().env, addr.go_value().flags
                ),
                tls,
                timeouts,
                not draft.escapes,
                router,
                grpc,
                h2c,
            )
        )


def _field_of(assignment: ts.Node) -> str:
    left = assignment.child_by_field_name("left")
    if left is None or not left.named_child_count:
        return ""
    target = left.named_children[0]
    field_node = (
        target.child_by_field_name("field") if target.type == "selector_expression" else None
    )
    return text(field_node) if field_node is not None else ""
