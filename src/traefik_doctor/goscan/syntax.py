"""Small helpers over tree-sitter nodes: text, locations, Go literals, unwrapping."""

from __future__ import annotations

import ast

import tree_sitter as ts

from traefik_doctor.findings import Location

FUNCTION_TYPES = frozenset({"function_declaration", "method_declaration", "func_literal"})


def text(node: ts.Node) -> str:
    raw = node.text
    return raw.decode("utf-8", "replace") if raw is not None else ""


def location(rel: str, node: ts.Node) -> Location:
    row, col = node.start_point
    return Location(rel, row + 1, col + 1)


def short(node: ts.Node, limit: int = 80) -> str:
    """Source text on one line, cut to ``limit`` characters."""
    value = " ".join(text(node).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def unwrap(node: ts.Node) -> ts.Node:
    """Drop parentheses and ``&``/``*`` around an expression."""
    while True:
        if node.type == "parenthesized_expression" and node.named_child_count == 1:
            node = node.named_children[0]
        elif node.type == "unary_expression" and _operator(node) in ("&", "*"):
            operand = node.child_by_field_name("operand")
            if operand is None:
                return node
            node = operand
        else:
            return node


def _operator(node: ts.Node) -> str:
    op = node.child_by_field_name("operator")
    return text(op) if op is not None else ""


def operator(node: ts.Node) -> str:
    return _operator(node)


def string_value(node: ts.Node) -> str | None:
    """The value of a Go string literal, or None when ``node`` is not one."""
    if node.type == "raw_string_literal":
        return text(node)[1:-1].replace("\r", "")
    if node.type != "interpreted_string_literal":
        return None
    raw = text(node)
    if "\\" not in raw:
        return raw[1:-1]
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return raw[1:-1]
    return value if isinstance(value, str) else raw[1:-1]


def int_value(node: ts.Node) -> float | None:
    raw = text(node).replace("_", "")
    try:
        if node.type == "int_literal":
            if len(raw) > 1 and raw[0] == "0" and raw[1].isdigit():
                return float(int(raw, 8))
            return float(int(raw, 0))
        if node.type == "float_literal":
            return float(raw)
        if node.type == "rune_literal":
            inner = ast.literal_eval(raw)
            return float(ord(inner)) if isinstance(inner, str) and len(inner) == 1 else None
    except (ValueError, SyntaxError):
        return None
    return None


def call_parts(call: ts.Node) -> tuple[ts.Node | None, str | None, list[ts.Node]]:
    """``(receiver, name, args)``: ``x.F(a)`` → (x, "F", [a]); ``F(a)`` → (None, "F", [a])."""
    function = call.child_by_field_name("function")
    arguments = call.child_by_field_name("arguments")
    args = [a for a in arguments.named_children if a.type != "comment"] if arguments else []
    if function is None:
        return None, None, args
    if function.type == "selector_expression":
        field = function.child_by_field_name("field")
        return function.child_by_field_name("operand"), text(field) if field else None, args
    if function.type == "identifier":
        return None, text(function), args
    return None, None, args


def enclosing_function(node: ts.Node) -> ts.Node | None:
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTION_TYPES:
            return parent
        parent = parent.parent
    return None


def top_function(node: ts.Node) -> ts.Node | None:
    """The outermost function or method declaration around ``node``."""
    found = None
    parent = node.parent
    while parent is not None:
        if parent.type in ("function_declaration", "method_declaration"):
            found = parent
        parent = parent.parent
    return found


def contains(outer: ts.Node, inner: ts.Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte
