"""The host index keys of a rule, read from its parsed tree.

A request has one host, so a table only needs to evaluate the routes whose rule can accept
that host. The keys come from the parse tree (the matcher names resolved as the compiler
resolves them), so a table knows them before, and without, compiling any rule: the static
questions (which routers can meet on one host) never pay for compilation.
"""

from __future__ import annotations

from traefik_doctor.rulelang.ast import And, Expr, Matcher, Not
from traefik_doctor.rulelang.matchers import Syntax, lookup

__all__ = ["host_key", "rule_host_keys"]


def host_key(host: str) -> str:
    """A host as an index key: lower-cased, without one trailing dot."""
    host = host.lower()
    return host[:-1] if host.endswith(".") else host


def rule_host_keys(expr: Expr, syntax: Syntax) -> frozenset[str] | None:
    """Index keys a request's host must hit for the rule to possibly match, or None (any).

    Keys are lower-cased hosts without one trailing dot; a wildcard ``*.example.com`` is
    kept as is (looked up by replacing the request host's first label with ``*``). The same
    answer as ``routing.matchers.host_keys`` on the compiled rule.
    """
    # The rules almost everyone writes: a matcher, or `Host(...) && ...`.
    if isinstance(expr, Matcher):
        return _matcher_hosts(expr, syntax)
    if isinstance(expr, And) and isinstance(expr.left, Matcher):
        first = _matcher_hosts(expr.left, syntax)
        if first is not None:
            return first
    memo: dict[int, frozenset[str] | None] = {}
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    while stack:
        node, done = stack.pop()
        if isinstance(node, Matcher):
            memo[id(node)] = _matcher_hosts(node, syntax)
        elif isinstance(node, Not):
            memo[id(node)] = None
        elif not done:
            stack.append((node, True))
            stack.append((node.right, False))
            stack.append((node.left, False))
        else:
            left, right = memo[id(node.left)], memo[id(node.right)]
            if isinstance(node, And):
                # Either side's keys are necessary. Not their intersection: a wildcard key
                # and an exact key can both hold for one host (`api.a.test`, `*.a.test`).
                memo[id(node)] = right if left is None else left
            else:
                memo[id(node)] = None if left is None or right is None else left | right
    return memo[id(expr)]


def _matcher_hosts(call: Matcher, syntax: Syntax) -> frozenset[str] | None:
    canonical = lookup(call.name, syntax, "http") or call.name
    if canonical not in ("Host", "HostHeader"):
        return None
    keys: set[str] = set()
    for arg in call.args:
        value = arg.value
        if value == "*" and canonical == "Host":
            return None
        keys.add(host_key(value))
    return frozenset(keys)
