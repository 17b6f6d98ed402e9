"""What a changed router rule means: the same requests, or maybe others.

Two rules match the same requests when they parse to the same tree up to the order of the
operands of ``&&`` and ``||`` and the quoting of their strings (``Host("a")`` is
``Host(`a`)``); host names compare without regard to case, as Traefik matches them. Anything
else may match other requests; the note then says which hosts and paths changed, the part a
reader checks first.
"""

from __future__ import annotations

from traefik_doctor.rulelang.ast import And, Expr, Matcher, Not, Or, depth
from traefik_doctor.rulelang.parser import RuleSyntaxError, parse

MAX_DEPTH = 200
"""Deeper rules are not canonicalised (the walk below is recursive)."""

_HOSTS = frozenset({"host", "hostsni"})
_PATHS = frozenset({"path", "pathprefix", "pathregexp"})


def canonical(expr: Expr) -> str:
    """A text that is equal for rules matching the same requests by construction."""
    if isinstance(expr, Matcher):
        name = expr.name.lower()
        args = [a.value.lower() if name in _HOSTS else a.value for a in expr.args]
        return f"{name}(" + ",".join(repr(a) for a in args) + ")"
    if isinstance(expr, Not):
        return f"!({canonical(expr.operand)})"
    operator = "&&" if isinstance(expr, And) else "||"
    operands: list[str] = []
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        if type(node) is type(expr) and isinstance(node, And | Or):
            stack.extend((node.right, node.left))
        else:
            operands.append(canonical(node))
    return f"{operator}(" + ",".join(sorted(operands)) + ")"


def _literals(expr: Expr, names: frozenset[str]) -> list[str]:
    from traefik_doctor.rulelang.ast import matchers

    return [
        arg.value
        for matcher in matchers(expr)
        if matcher.name.lower() in names
        for arg in matcher.args
    ]


def rule_note(a: str, b: str) -> str:
    """One sentence on what the change from rule ``a`` to rule ``b`` means."""
    first, second = parse(a), parse(b)
    if isinstance(first, RuleSyntaxError) or isinstance(second, RuleSyntaxError):
        broken = [
            f"does not parse in {side} ({parsed.message})"
            for side, parsed in (("A", first), ("B", second))
            if isinstance(parsed, RuleSyntaxError)
        ]
        return "; ".join(broken) + " (Traefik disables the router)"
    if max(depth(first), depth(second)) <= MAX_DEPTH and canonical(first) == canonical(second):
        return "the same requests match (operands reordered or quoted differently)"
    details = []
    for label, names in (("hosts", _HOSTS), ("paths", _PATHS)):
        before, after = _literals(first, names), _literals(second, names)
        if sorted(before) != sorted(after):
            details.append(f"{label} {_list(before)} -> {_list(after)}")
    tail = f": {'; '.join(details)}" if details else ""
    return f"the requests it matches may differ{tail}"


def _list(items: list[str]) -> str:
    return ", ".join(items) if items else "(none)"
