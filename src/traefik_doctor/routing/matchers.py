"""Each rule matcher of Traefik 3.7, compiled once into a predicate on a prepared request.

v3 matchers follow ``pkg/muxer/http/matcher.go``; v2 ones ``matcher_v2.go``, which delegates
to (Traefik's fork of) gorilla/mux: templates such as ``/users/{id:[0-9]+}`` become anchored
Go regexps. Regexps are Go's (RE2), translated by ``rulelang.regexp.to_python``; a pattern
that cannot be translated makes the router *unevaluable*: it is treated as not matching and
the reason says so.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass

from traefik_doctor.routing.hosts import (
    Branch,
    HostKeys,
    fold_host_keys,
    host_key,
    matcher_host_keys,
)
from traefik_doctor.routing.request import Prepared, canonical_header_key, go_unescape
from traefik_doctor.rulelang.ast import And, Expr, Matcher, Not
from traefik_doctor.rulelang.matchers import Syntax, lookup
from traefik_doctor.rulelang.regexp import to_python

__all__ = ["Compiled", "Leaf", "compile_rule", "host_key", "host_keys"]

Predicate = Callable[[Prepared], bool]


class UnevaluableError(Exception):
    """A matcher we cannot evaluate faithfully (a Go regexp Python cannot express)."""


@dataclass(frozen=True, slots=True)
class Leaf:
    """One compiled matcher call."""

    call: Matcher
    canonical: str
    text: str
    predicate: Predicate
    describe: Callable[[Prepared], str]


@dataclass(frozen=True, slots=True)
class Compiled:
    """A compiled rule: ``match`` for speed, ``explain`` for the first failing matcher."""

    match: Predicate
    tree: Node
    unevaluable: str | None


@dataclass(frozen=True, slots=True)
class LeafNode:
    leaf: Leaf


@dataclass(frozen=True, slots=True)
class NotNode:
    operand: Node


@dataclass(frozen=True, slots=True)
class AndNode:
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class OrNode:
    left: Node
    right: Node


Node = LeafNode | NotNode | AndNode | OrNode


def _go_search(pattern: str) -> Callable[[str], bool]:
    try:
        compiled = re.compile(to_python(pattern))
    except (ValueError, re.error) as err:
        raise UnevaluableError(f"cannot evaluate the Go regexp `{pattern}`: {err}") from None
    search = compiled.search
    return lambda text: search(text) is not None


def _never(_req: Prepared) -> bool:
    return False


def _always(_req: Prepared) -> bool:
    return True


def _domain_match(domain: str, expr: str) -> bool:
    """``muxer.DomainMatchHostExpression`` (expr is lower-case)."""
    if expr.startswith("*"):
        labels = domain.split(".")
        labels[0] = "*"
        return ".".join(labels).lower() == expr
    return domain.lower() == expr


def _host_v3(expr: str) -> Predicate:
    if expr == "*":
        return _always
    expr = expr.lower()
    trimmed_expr = expr[:-1] if expr.endswith(".") else None

    def match(req: Prepared) -> bool:
        host = req.host
        if not host:
            return False
        if _domain_match(host, expr):
            return True
        if trimmed_expr is not None and _domain_match(host, trimmed_expr):
            return True
        return host.endswith(".") and _domain_match(host[:-1], expr)

    return match


def _host_v2(hosts: list[str]) -> Predicate:
    lowered = [h.lower() for h in hosts]

    def match(req: Prepared) -> bool:
        host = req.host
        if not host:
            return False
        for h in lowered:
            if host == h:
                return True
            if h.endswith(".") and host == h[:-1]:
                return True
            if host.endswith(".") and host[:-1] == h:
                return True
        return False

    return match


def _client_ip(ranges: list[str]) -> Predicate:
    nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    for text in ranges:
        if "/" in text:
            nets.append(ipaddress.ip_network(text.strip(), strict=False))
        else:
            addr = ipaddress.ip_address(text.strip())
            nets.append(ipaddress.ip_network(addr))

    def match(req: Prepared) -> bool:
        try:
            addr = ipaddress.ip_address(req.client_ip)
        except ValueError:
            return False
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
            addr = addr.ipv4_mapped
        return any(addr.version == net.version and addr in net for net in nets)

    return match


def _gorilla(template: str, kind: str) -> str:
    """gorilla/mux ``newRouteRegexp``: a template to a Go regexp (kind path/prefix/host/query)."""
    default = {"query": ".*", "host": "[^.]+"}.get(kind, "[^/]+")
    out = ["^"]
    i = 0
    n = 0
    while i < len(template):
        start = template.find("{", i)
        if start < 0:
            break
        level = 0
        end = -1
        for j in range(start, len(template)):
            if template[j] == "{":
                level += 1
            elif template[j] == "}":
                level -= 1
                if level == 0:
                    end = j
                    break
        if end < 0:
            raise ValueError(f"mux: unbalanced braces in {template!r}")
        out.append(_quote_meta(template[i:start]))
        _name, _, patt = template[start + 1 : end].partition(":")
        if not patt:
            patt = default
        out.append(f"({patt})")
        n += 1
        i = end + 1
    out.append(_quote_meta(template[i:]))
    if kind == "query" and template.partition("=")[2] == "":
        out.append(default)
    if kind != "prefix":
        out.append("$")
    return "".join(out)


def _quote_meta(text: str) -> str:
    return "".join("\\" + ch if ch in "\\.+*?()|[]{}^$" else ch for ch in text)


def _literal_path(literal: str, *, prefix: bool) -> Callable[[str], bool]:
    if prefix:
        return lambda text: text.startswith(literal)
    return lambda text: text == literal


def _path_template(paths: list[str], kind: str) -> Predicate:
    checks: list[Callable[[str], bool]] = []
    for p in paths:
        if "{" not in p:
            checks.append(_literal_path(p, prefix=kind == "prefix"))
        else:
            checks.append(_go_search(_gorilla(p, kind)))
    return lambda req: any(check(req.path) for check in checks)


def _host_regexp_v2(hosts: list[str]) -> Predicate:
    checks: list[tuple[Callable[[str], bool], bool]] = []
    for h in hosts:
        pattern = _gorilla(h, "host")
        checks.append((_go_search(pattern), ":" not in pattern))

    def match(req: Prepared) -> bool:
        for check, wildcard_port in checks:
            host = req.raw_host
            if wildcard_port and ":" in host:
                host = host[: host.index(":")]
            if check(host):
                return True
        return False

    return match


def _pairs(args: list[str]) -> list[tuple[str, str]]:
    return [(canonical_header_key(args[i]), args[i + 1]) for i in range(0, len(args) - 1, 2)]


def _equals(expected: str) -> Callable[[str], bool]:
    return lambda text: text == expected


def _headers_v2(args: list[str], regexp: bool) -> Predicate:
    items: list[tuple[str, Callable[[str], bool] | None]] = []
    for key, val in _pairs(args):
        if not val:
            items.append((key, None))
        elif regexp:
            items.append((key, _go_search(val)))
        else:
            items.append((key, _equals(val)))

    def match(req: Prepared) -> bool:
        for key, check in items:
            found = req.headers.get(key)
            if found is None:
                return False
            if check is not None and not any(check(v) for v in found):
                return False
        return True

    return match


def _query_v2(args: list[str]) -> Predicate:
    items: list[tuple[str, Callable[[str], bool]]] = []
    for arg in args:
        key, _, val = arg.partition("=")
        items.append((key, _go_search(_gorilla(f"{key}={val}", "query"))))

    def match(req: Prepared) -> bool:
        for key, check in items:
            found = ""
            for part in req.raw_query.replace(";", "&").split("&"):
                k, _, v = part.partition("=")
                try:
                    k = go_unescape(k, query=True).decode("utf-8", "surrogateescape")
                    v = go_unescape(v, query=True).decode("utf-8", "surrogateescape")
                except ValueError:
                    continue
                if k == key:
                    found = f"{key}={v}"
                    break
            if not check(found):
                return False
        return True

    return match


def _leaf_v3(name: str, args: list[str]) -> Predicate:
    if name == "Host":
        return _host_v3(args[0])
    if name == "HostRegexp":
        check = _go_search(args[0])
        return lambda req: check(req.host)
    if name == "Path":
        value = args[0]
        return lambda req: req.path == value
    if name == "PathPrefix":
        value = args[0]
        return lambda req: req.path.startswith(value)
    if name == "PathRegexp":
        check = _go_search(args[0])
        return lambda req: check(req.path)
    if name == "Method":
        method = args[0].upper()
        return lambda req: req.method == method
    if name in ("Header", "HeaderRegexp"):
        key = canonical_header_key(args[0])
        if name == "Header":
            value = args[1]
            return lambda req: value in req.headers.get(key, ())
        vcheck = _go_search(args[1])
        return lambda req: any(vcheck(v) for v in req.headers.get(key, ()))
    if name == "Query" or (name == "QueryRegexp" and len(args) == 1):
        qkey = args[0]
        qval = args[1] if len(args) == 2 else ""
        return lambda req: qval in req.query.get(qkey, ())
    if name == "QueryRegexp":
        qkey = args[0]
        qcheck = _go_search(args[1])
        return lambda req: any(qcheck(v) for v in req.query.get(qkey, ()))
    if name == "ClientIP":
        return _client_ip(args)
    raise UnevaluableError(f"unknown matcher {name}")


def _leaf_v2(name: str, args: list[str]) -> Predicate:
    if name in ("Host", "HostHeader"):
        return _host_v2(args)
    if name == "HostRegexp":
        return _host_regexp_v2(args)
    if name == "Path":
        return _path_template(args, "path")
    if name == "PathPrefix":
        return _path_template(args, "prefix")
    if name == "Method":
        methods = {m.upper() for m in args}
        return lambda req: req.method in methods
    if name in ("Headers", "HeadersRegexp"):
        return _headers_v2(args, name == "HeadersRegexp")
    if name == "Query":
        return _query_v2(args)
    if name == "ClientIP":
        return _client_ip(args)
    raise UnevaluableError(f"unknown matcher {name}")


def _describe(canonical: str, text: str, args: list[str]) -> Callable[[Prepared], str]:
    def describe(req: Prepared) -> str:
        if canonical in ("Host", "HostHeader", "HostRegexp"):
            return f"{text} does not match host `{req.host}`"
        if canonical in ("Path", "PathPrefix", "PathRegexp"):
            return f"{text} does not match path `{req.path}`"
        if canonical == "Method":
            return f"{text} does not match method `{req.method}`"
        if canonical in ("Header", "HeaderRegexp", "Headers", "HeadersRegexp"):
            key = canonical_header_key(args[0]) if args else ""
            got = req.headers.get(key)
            shown = ", ".join(f"`{v}`" for v in got) if got else "absent"
            return f"{text} does not match header `{key}` ({shown})"
        if canonical in ("Query", "QueryRegexp"):
            return f"{text} does not match query `{req.raw_query}`"
        if canonical == "ClientIP":
            return f"{text} does not match client IP `{req.client_ip}`"
        return f"{text} does not match"

    return describe


def compile_rule(rule: str, expr: Expr, syntax: Syntax) -> Compiled:
    """Compile a parsed, valid HTTP rule (Traefik accepted it)."""
    problem: str | None = None

    def leaf(call: Matcher) -> LeafNode:
        nonlocal problem
        canonical = lookup(call.name, syntax, "http") or call.name
        args = [arg.value for arg in call.args]
        text = rule[call.start : call.end]
        try:
            predicate = (_leaf_v2 if syntax == "v2" else _leaf_v3)(canonical, args)
        except (UnevaluableError, ValueError) as err:
            problem = problem or str(err)
            predicate = _never
        return LeafNode(Leaf(call, canonical, text, predicate, _describe(canonical, text, args)))

    # Build the node tree iteratively (rules can nest deeply).
    built: dict[int, Node] = {}
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    while stack:
        node, done = stack.pop()
        if isinstance(node, Matcher):
            built[id(node)] = leaf(node)
        elif not done:
            stack.append((node, True))
            if isinstance(node, Not):
                stack.append((node.operand, False))
            else:
                stack.append((node.right, False))
                stack.append((node.left, False))
        elif isinstance(node, Not):
            built[id(node)] = NotNode(built[id(node.operand)])
        elif isinstance(node, And):
            built[id(node)] = AndNode(built[id(node.left)], built[id(node.right)])
        else:
            built[id(node)] = OrNode(built[id(node.left)], built[id(node.right)])
    tree = built[id(expr)]
    match = _closure(tree) if problem is None else _never
    return Compiled(match, tree, problem)


def _closure(tree: Node) -> Predicate:
    """One predicate for the tree, built bottom-up without recursion."""
    made: dict[int, Predicate] = {}
    stack: list[tuple[Node, bool]] = [(tree, False)]
    while stack:
        node, done = stack.pop()
        if isinstance(node, LeafNode):
            made[id(node)] = node.leaf.predicate
        elif not done:
            stack.append((node, True))
            if isinstance(node, NotNode):
                stack.append((node.operand, False))
            else:
                stack.append((node.right, False))
                stack.append((node.left, False))
        elif isinstance(node, NotNode):
            made[id(node)] = _not(made[id(node.operand)])
        elif isinstance(node, AndNode):
            made[id(node)] = _and(made[id(node.left)], made[id(node.right)])
        else:
            made[id(node)] = _or(made[id(node.left)], made[id(node.right)])
    return made[id(tree)]


def _not(inner: Predicate) -> Predicate:
    return lambda req: not inner(req)


def _and(left: Predicate, right: Predicate) -> Predicate:
    return lambda req: left(req) and right(req)


def _or(left: Predicate, right: Predicate) -> Predicate:
    return lambda req: left(req) or right(req)


def explain(tree: Node, req: Prepared) -> tuple[bool, Leaf | None, bool]:
    """Evaluate ``tree`` and name a matcher that decided a failure: (matched, leaf, negated).

    For ``a && b`` the first failing operand is blamed; for ``a || b`` the left one; for a
    failing ``!m`` the matcher that matched.
    """
    ok, blamed = _explain(tree, req, False)
    if ok:
        return True, None, False
    return False, blamed[0] if blamed else None, blamed[1] if blamed else False


def _explain(node: Node, req: Prepared, negated: bool) -> tuple[bool, tuple[Leaf, bool] | None]:
    # Depth is bounded by the parser's nesting limit.
    if isinstance(node, LeafNode):
        return node.leaf.predicate(req), (node.leaf, negated)
    if isinstance(node, NotNode):
        ok, blamed = _explain(node.operand, req, not negated)
        return not ok, blamed
    left_ok, left_blame = _explain(node.left, req, negated)
    if isinstance(node, AndNode):
        if not left_ok:
            return False, left_blame
        return _explain(node.right, req, negated)
    if left_ok:
        return True, None
    right_ok, _right_blame = _explain(node.right, req, negated)
    return right_ok, left_blame if not right_ok else None


def host_keys(tree: Node) -> HostKeys:
    """Index keys a request's host must hit for the rule to possibly match, or None (any).

    Keys are lower-cased hosts without one trailing dot; a wildcard ``*.example.com`` is
    kept as is (looked up by replacing the request host's first label with ``*``).
    """
    return fold_host_keys(tree, _host_parts)


def _host_parts(node: Node) -> HostKeys | Branch[Node]:
    if isinstance(node, LeafNode):
        return matcher_host_keys(node.leaf.canonical, node.leaf.call)
    if isinstance(node, NotNode):
        return None
    return Branch(isinstance(node, AndNode), node.left, node.right)
