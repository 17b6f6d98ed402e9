"""HTTP clients and their timeouts, ``InsecureSkipVerify``, and reads of the request host."""

from __future__ import annotations

import tree_sitter as ts

from traefik_doctor.goscan.facts import (
    GoClientTimeout,
    GoDuration,
    GoHostRead,
    GoInsecureTLS,
)
from traefik_doctor.goscan.pkgfacts import PackageFacts
from traefik_doctor.goscan.scope import FileCtx, PackageCtx, lookup
from traefik_doctor.goscan.syntax import call_parts, contains, text, top_function
from traefik_doctor.goscan.values import Resolver

_Client = tuple[FileCtx, ts.Node, "ts.Node | None", "str | None", "ts.Node | None"]
DEFAULT_CLIENT_CALLS = frozenset({"Get", "Post", "Head", "PostForm"})
CLIENT_METHODS = frozenset({"Do", "Get", "Post", "Head", "PostForm"})


class SecurityExtractor:
    def __init__(self, pkg: PackageCtx, resolver: Resolver, facts: PackageFacts) -> None:
        self.pkg = pkg
        self.values = resolver
        self.facts = facts
        self._clients: list[
            tuple[FileCtx, ts.Node, ts.Node | None, str | None, ts.Node | None]
        ] = []

    def client_literal(self, fc: FileCtx, lit: ts.Node, body: ts.Node) -> None:
        timeout: ts.Node | None = None
        for element in body.named_children:
            if element.type == "keyed_element" and element.named_child_count == 2:
                key, value = element.named_children
                if text(key) == "Timeout" and value.named_child_count:
                    timeout = value.named_children[0]
        name: str | None = None
        holder = lit.parent
        if holder is not None and holder.type == "unary_expression":
            holder = holder.parent
        if holder is not None and holder.type == "expression_list" and holder.parent is not None:
            decl = holder.parent
            left = decl.child_by_field_name("left")
            if (
                decl.type in ("short_var_declaration", "assignment_statement")
                and left is not None
                and left.named_child_count == 1
            ):
                name = text(left.named_children[0])
        self._clients.append((fc, lit, timeout, name, top_function(lit)))

    def client_timeout_assignment(
        self, fc: FileCtx, node: ts.Node, obj: ts.Node, value: ts.Node
    ) -> None:
        """``c.Timeout = 10 * time.Second`` after ``c := &http.Client{}``."""
        obj_text = text(obj)
        for index, (cfc, lit, _, name, scope) in enumerate(self._clients):
            if (
                name == obj_text
                and cfc is fc
                and node.start_byte > lit.start_byte
                and (scope is None or contains(scope, node))
            ):
                self._clients[index] = (cfc, lit, value, name, scope)

    def finish(self) -> None:
        for fc, lit, timeout, _, _ in self._clients:
            duration: GoDuration | None = None
            if timeout is not None:
                value = self.values.value(fc, timeout)
                seconds = value.number / 1e9 if value.number is not None else None
                duration = GoDuration(value.text, seconds, fc.loc(timeout))
            self.facts.clients.append(GoClientTimeout("http.Client", fc.loc(lit), duration))

    def call(self, fc: FileCtx, call: ts.Node, receiver: ts.Node, method: str) -> None:
        package = fc.package_of(receiver)
        if package == "net/http" and method in DEFAULT_CLIENT_CALLS:
            self.facts.clients.append(GoClientTimeout("default-client", fc.loc(call), None))
            return
        if receiver.type == "selector_expression" and method in CLIENT_METHODS:
            operand = receiver.child_by_field_name("operand")
            field = receiver.child_by_field_name("field")
            if (
                fc.package_of(operand) == "net/http"
                and field is not None
                and text(field) == "DefaultClient"
            ):
                self.facts.clients.append(GoClientTimeout("default-client", fc.loc(call), None))

    def insecure(self, fc: FileCtx, where: ts.Node, value: ts.Node) -> None:
        if value.type == "false":
            return
        if value.type == "true":
            self.facts.insecure_tls.append(GoInsecureTLS(fc.loc(where), True))
            return
        resolved = self.values.value(fc, value)
        if resolved.default == "false" and not resolved.env and not resolved.flags:
            return
        certain = resolved.default == "true" and not resolved.env and not resolved.flags
        self.facts.insecure_tls.append(GoInsecureTLS(fc.loc(where), certain))

    def host_read(self, fc: FileCtx, selector: ts.Node) -> None:
        operand = selector.child_by_field_name("operand")
        if operand is None:
            return
        if operand.type == "selector_expression":
            inner_field = operand.child_by_field_name("field")
            inner = operand.child_by_field_name("operand")
            field_name = text(inner_field) if inner_field is not None else ""
            if field_name == "URL" and inner is not None and self._is_request(fc, inner):
                self._host(fc, selector)
            elif field_name == "Request" and inner is not None and inner.type == "identifier":
                self._host(fc, selector)  # gin: c.Request.Host
            return
        if operand.type == "call_expression":
            receiver, name, args = call_parts(operand)
            if name == "Request" and not args and receiver is not None:
                self._host(fc, selector)  # echo: c.Request().Host
            return
        if self._is_request(fc, operand):
            self._host(fc, selector)

    def _is_request(self, fc: FileCtx, node: ts.Node) -> bool:
        if node.type != "identifier":
            return False
        binding = lookup(fc, self.pkg, text(node), node)
        if binding is None or binding.kind != "param" or binding.node is None:
            return False
        type_text = text(binding.node).replace(" ", "")
        return type_text.endswith(".Request") and type_text.startswith("*")

    def _host(self, fc: FileCtx, selector: ts.Node) -> None:
        self.facts.host_reads.append(GoHostRead(fc.loc(selector), text(selector)))
