"""Find the syntax nodes worth looking at, starting from a byte scan of the source.

A regular expression over the file's bytes finds each candidate (``.HandleFunc(``,
``http.Server``, ``.ReadTimeout =``, ``.Host``...), and ``descendant_for_byte_range`` maps it to
its node; the node's shape then confirms it (a match inside a comment or string has the wrong
node type and is dropped). This costs a fraction of running tree queries over every node of the
tree, which matters because parsing is already most of the time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tree_sitter as ts

from traefik_doctor.goscan.routes import ROUTE_METHODS
from traefik_doctor.goscan.scope import FileCtx

SERVER_METHODS = (
    "ListenAndServe",
    "ListenAndServeTLS",
    "Serve",
    "ServeTLS",
    "Run",
    "RunTLS",
    "Start",
    "StartTLS",
    "StartAutoTLS",
    "PostForm",
    "Do",
)
ASSIGNED_FIELDS = (
    "Addr",
    "Handler",
    "TLSConfig",
    "ReadTimeout",
    "ReadHeaderTimeout",
    "WriteTimeout",
    "IdleTimeout",
    "InsecureSkipVerify",
    "Timeout",
)


def _alternatives(names: object) -> bytes:
    ordered = sorted({str(n) for n in names}, key=lambda n: (-len(n), n))  # type: ignore[attr-defined]
    return b"|".join(re.escape(n.encode()) for n in ordered)


_CALLS = re.compile(
    rb"\.\s*(" + _alternatives(set(ROUTE_METHODS) | set(SERVER_METHODS)) + rb")[ \t]*\("
)
_TYPES = re.compile(rb"\b[A-Za-z_][A-Za-z0-9_]*[ \t]*\.[ \t]*(Server|Client)\b")
_ASSIGNMENTS = re.compile(rb"\.\s*(" + _alternatives(ASSIGNED_FIELDS) + rb")[ \t]*=(?!=)")
_HOSTS = re.compile(rb"\.\s*(Host)\b")
_INSECURE_KEYS = re.compile(rb"\b(InsecureSkipVerify)[ \t]*:")


@dataclass(slots=True)
class Candidates:
    """The nodes of one file that the extractors look at, in source order."""

    literals: list[tuple[str, ts.Node, ts.Node, ts.Node]] = field(default_factory=list)
    var_servers: list[tuple[ts.Node, ts.Node]] = field(default_factory=list)
    assignments: list[tuple[ts.Node, ts.Node, str, ts.Node]] = field(default_factory=list)
    calls: list[tuple[ts.Node, ts.Node, str]] = field(default_factory=list)
    hosts: list[ts.Node] = field(default_factory=list)
    insecure_keys: list[tuple[ts.Node, ts.Node]] = field(default_factory=list)


def _node(root: ts.Node, match: re.Match[bytes], kind: str) -> ts.Node | None:
    node = root.descendant_for_byte_range(match.start(1), match.end(1))
    if node is None or node.type != kind:
        return None
    return node


def find(fc: FileCtx, *, queried: bool) -> Candidates:
    """Candidates of ``fc``; only ``InsecureSkipVerify`` when the file is not ``queried``."""
    source = fc.parsed.source
    root = fc.parsed.root
    found = Candidates()
    if b"InsecureSkipVerify" in source:
        for match in _INSECURE_KEYS.finditer(source):
            node = _node(root, match, "identifier")
            element = node.parent if node is not None else None
            keyed = element.parent if element is not None else None
            if keyed is None or keyed.type != "keyed_element" or keyed.named_child_count != 2:
                continue
            value = keyed.named_children[1]
            if value.named_child_count:
                found.insecure_keys.append((keyed, value.named_children[0]))
    for match in _ASSIGNMENTS.finditer(source):
        name = match.group(1).decode()
        if not queried and name != "InsecureSkipVerify":
            continue
        node = _node(root, match, "field_identifier")
        selector = node.parent if node is not None else None
        left = selector.parent if selector is not None else None
        assignment = left.parent if left is not None else None
        if (
            selector is None
            or left is None
            or assignment is None
            or assignment.type != "assignment_statement"
            or left.type != "expression_list"
            or left.named_children[0].id != selector.id
        ):
            continue
        operator = assignment.child_by_field_name("operator")
        right = assignment.child_by_field_name("right")
        operand = selector.child_by_field_name("operand")
        if operator is None or operator.text != b"=" or right is None or operand is None:
            continue
        if right.named_child_count:
            found.assignments.append((assignment, operand, name, right.named_children[0]))
    if not queried:
        return found
    for match in _TYPES.finditer(source):
        node = _node(root, match, "type_identifier")
        qualified = node.parent if node is not None else None
        holder = qualified.parent if qualified is not None else None
        if qualified is None or holder is None or qualified.type != "qualified_type":
            continue
        package = qualified.child_by_field_name("package")
        if package is None:
            continue
        if holder.type == "composite_literal":
            body = holder.child_by_field_name("body")
            if body is not None:
                found.literals.append((match.group(1).decode(), holder, body, package))
        elif holder.type == "var_spec" and match.group(1) == b"Server":
            found.var_servers.append((holder, package))
    for match in _CALLS.finditer(source):
        node = _node(root, match, "field_identifier")
        selector = node.parent if node is not None else None
        call = selector.parent if selector is not None else None
        if selector is None or call is None or call.type != "call_expression":
            continue
        function = call.child_by_field_name("function")
        receiver = selector.child_by_field_name("operand")
        if function is None or function.id != selector.id or receiver is None:
            continue
        found.calls.append((call, receiver, match.group(1).decode()))
    if b".Host" in source or b". Host" in source:
        for match in _HOSTS.finditer(source):
            node = _node(root, match, "field_identifier")
            selector = node.parent if node is not None else None
            if selector is not None and selector.type == "selector_expression":
                found.hosts.append(selector)
    return found
