"""The host index keys of a rule, read from its parsed tree.

A request has one host, so a table only needs to evaluate the routes whose rule can accept
that host. The keys come from the parse tree (the matcher names resolved as the compiler
resolves them), so a table knows them before, and without, compiling any rule: the static
questions (which routers can meet on one host) never pay for compilation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from traefik_doctor.rulelang.ast import And, Expr, Matcher, Not
from traefik_doctor.rulelang.matchers import Syntax, lookup

__all__ = ["Branch", "fold_host_keys", "host_key", "matcher_host_keys", "rule_host_keys"]

HostKeys = frozenset[str] | None
"""The keys a request's host must hit, or None: any host may match."""

NodeT = TypeVar("NodeT")


@dataclass(frozen=True, slots=True)
class Branch(Generic[NodeT]):
    """Two subtrees joined by ``&&`` (``both``) or ``||``."""

    both: bool
    left: NodeT
    right: NodeT


def host_key(host: str) -> str:
    """A host as an index key: lower-cased, without one trailing dot."""
    host = host.lower()
    return host[:-1] if host.endswith(".") else host


def rule_host_keys(expr: Expr, syntax: Syntax) -> HostKeys:
    """Index keys a request's host must hit for the rule to possibly match, or None (any).

    Keys are lower-cased hosts without one trailing dot; a wildcard ``*.example.com`` is
    kept as is (looked up by replacing the request host's first label with ``*``). The same
    answer as ``routing.matchers.host_keys`` on the compiled rule: both fold their tree with
    ``fold_host_keys``.
    """
    # The rules almost everyone writes: a matcher, or `Host(...) && ...`.
    if isinstance(expr, Matcher):
        return _matcher_hosts(expr, syntax)
    if isinstance(expr, And) and isinstance(expr.left, Matcher):
        first = _matcher_hosts(expr.left, syntax)
        if first is not None:
            return first
    return _folded(expr, syntax)


def _folded(expr: Expr, syntax: Syntax) -> HostKeys:
    def parts(node: Expr) -> HostKeys | Branch[Expr]:
        if isinstance(node, Matcher):
            return _matcher_hosts(node, syntax)
        if isinstance(node, Not):
            return None
        return Branch(isinstance(node, And), node.left, node.right)

    return fold_host_keys(expr, parts)


def fold_host_keys(root: NodeT, parts: Callable[[NodeT], HostKeys | Branch[NodeT]]) -> HostKeys:
    """The host keys of a rule tree, from its leaves' (``parts`` gives a leaf's keys, None
    for a negation, or the two subtrees of a branch). Iterative, so that a rule of
    thousands of ``||`` does not exhaust the stack."""
    memo: dict[int, HostKeys] = {}
    stack: list[tuple[NodeT, Branch[NodeT] | None]] = [(root, None)]
    while stack:
        node, branch = stack.pop()
        if branch is None:
            found = parts(node)
            if isinstance(found, Branch):
                stack.append((node, found))
                stack.append((found.right, None))
                stack.append((found.left, None))
            else:
                memo[id(node)] = found
            continue
        left, right = memo[id(branch.left)], memo[id(branch.right)]
        if branch.both:
            # Either side's keys are necessary. Not their intersection: a wildcard key
            # and an exact key can both hold for one host (`api.a.test`, `*.a.test`).
            memo[id(node)] = right if left is None else left
        else:
            memo[id(node)] = None if left is None or right is None else left | right
    return memo[id(root)]


def _matcher_hosts(call: Matcher, syntax: Syntax) -> HostKeys:
    return matcher_host_keys(lookup(call.name, syntax, "http") or call.name, call)


def matcher_host_keys(canonical: str, call: Matcher) -> HostKeys:
    """The hosts one matcher accepts (``canonical`` is its name as the compiler resolves
    it); None when it is not a host matcher or accepts any host (``Host(`*`)``)."""
    if canonical not in ("Host", "HostHeader"):
        return None
    keys: set[str] = set()
    for arg in call.args:
        value = arg.value
        if value == "*" and canonical == "Host":
            return None
        keys.add(host_key(value))
    return frozenset(keys)
