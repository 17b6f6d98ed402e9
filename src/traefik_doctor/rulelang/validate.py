"""Check a parsed rule against what Traefik 3.7 does with each matcher call.

Parsing only proves that Go's parser and predicate accept the text. Traefik then
builds each matcher, and any of these builders can still disable the router:
an unknown name, a wrong number of arguments, an empty argument, a regular
expression Go does not compile, a path without a leading ``/``, a non-ASCII
host, an IP range ``net.ParseCIDR`` refuses, a v2 template gorilla/mux refuses.
Those issues are "fatal" (``RuleIssue.fatal``): Traefik marks the router
disabled. The other kinds are rules that load but cannot match what the author
meant (a v2 ``{placeholder}`` under v3, a ``Host`` with a port, an unescaped
``.`` in a host regexp).

Behaviour verified against the Traefik 3.7.15 binary:

* ``Path``/``PathPrefix`` without a leading ``/`` disable the router under both
  syntaxes (v3: ``path "a" does not start with a '/'``; v2: ``mux: path must
  start with a slash``).
* ``Host(`a.com:8080`)`` loads but never matches: Traefik strips the port from
  the request's host before comparing (``Host: a.com:8080`` gets a 404), and a
  rule without a port matches requests on any port.
* An empty argument (``Host(``)``) and a call without arguments disable the
  router for every matcher and syntax.
* ``{name:re}`` in v3 ``HostRegexp`` compiles (``{`` is a literal when it is not
  a repetition) and silently never matches.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Literal as TypingLiteral

from traefik_doctor.rulelang.ast import Expr, Literal, Matcher, matchers, value_offset
from traefik_doctor.rulelang.matchers import Kind, Syntax, Variadic, lookup, suggest, table
from traefik_doctor.rulelang.regexp import go_regexp_check

__all__ = [
    "FATAL_KINDS",
    "IssueKind",
    "RuleIssue",
    "check",
    "effective_syntax",
]

IssueKind = TypingLiteral[
    "unknown-matcher",
    "argument-count",
    "empty-argument",
    "invalid-regexp",
    "invalid-template",
    "path-missing-slash",
    "non-ascii",
    "invalid-ip",
    "invalid-hostsni",
    "invalid-alpn",
    "v2-placeholder",
    "unescaped-dot",
    "host-with-port",
]

FATAL_KINDS: frozenset[str] = frozenset(
    {
        "unknown-matcher",
        "argument-count",
        "empty-argument",
        "invalid-regexp",
        "invalid-template",
        "path-missing-slash",
        "non-ascii",
        "invalid-ip",
        "invalid-hostsni",
        "invalid-alpn",
    }
)
"""Issue kinds that make Traefik disable the router; the others load but misbehave."""


@dataclass(frozen=True, slots=True)
class RuleIssue:
    """One problem in a rule: ``start``/``end`` are 0-based offsets into the rule."""

    kind: IssueKind
    message: str
    start: int
    end: int

    @property
    def fatal(self) -> bool:
        """True when Traefik refuses the router because of this issue."""
        return self.kind in FATAL_KINDS


def effective_syntax(rule_syntax: str | None) -> Syntax:
    """The syntax Traefik uses for a router's ``ruleSyntax`` value.

    Only the exact string ``v2`` selects the v2 parser; anything else (``V2``,
    ``v1``, empty) falls back to v3, for HTTP and TCP alike.
    """
    return "v2" if rule_syntax == "v2" else "v3"


def check(
    expr: Expr, syntax: TypingLiteral["v3", "v2"], kind: TypingLiteral["http", "tcp"]
) -> list[RuleIssue]:
    """All issues of the matcher calls in ``expr``, left to right."""
    issues: list[RuleIssue] = []
    for call in matchers(expr):
        issues.extend(_check_call(call, syntax, kind))
    return issues


# -- per call --------------------------------------------------------------------------


def _arg_issue(kind: IssueKind, message: str, arg: Literal) -> RuleIssue:
    return RuleIssue(kind, message, arg.start, arg.end)


def _span_issue(kind: IssueKind, message: str, arg: Literal, index: int, length: int) -> RuleIssue:
    """An issue on ``value[index:index+length]`` of ``arg``, mapped to rule offsets."""
    start = value_offset(arg, index)
    end = value_offset(arg, index + max(length, 1) - 1) + 1
    return RuleIssue(kind, message, start, max(end, start + 1))


def _go_list(values: list[str] | list[int]) -> str:
    return "[" + " ".join(str(v) for v in values) + "]"


def _unknown(call: Matcher, syntax: Syntax, kind: Kind) -> RuleIssue:
    name = call.name
    other_syntax: Syntax = "v2" if syntax == "v3" else "v3"
    other_kind: Kind = "tcp" if kind == "http" else "http"
    parts = [f"unsupported function: {name}"]
    elsewhere = lookup(name, other_syntax, kind)
    canonical_here = {c.lower(): c for c in table(syntax, kind)}.get(name.lower())
    if canonical_here is not None:
        spelled = ", ".join(f"{s}" for s in _four(canonical_here))
        parts.append(f"Traefik accepts only these spellings: {spelled}")
    elif elsewhere is not None:
        parts.append(
            f"{elsewhere} exists only under rule syntax {other_syntax}"
            + (" (set ruleSyntax: v2 on the router)" if other_syntax == "v2" else "")
        )
    elif lookup(name, syntax, other_kind) is not None:
        parts.append(f"{name} is a{'n HTTP' if other_kind == 'http' else ' TCP'} matcher")
    hint = suggest(name, syntax, kind)
    if hint is not None and hint != name:
        parts.append(f"did you mean {hint}?")
    return RuleIssue("unknown-matcher", "; ".join(parts), call.start, call.name_end)


def _four(canonical: str) -> list[str]:
    lower = canonical.lower()
    out: list[str] = []
    for s in (canonical, lower, canonical.upper(), lower[:1].upper() + lower[1:]):
        if s not in out:
            out.append(s)
    return out


def _check_call(call: Matcher, syntax: Syntax, kind: Kind) -> list[RuleIssue]:
    canonical = lookup(call.name, syntax, kind)
    if canonical is None:
        return [_unknown(call, syntax, kind)]
    args = list(call.args)
    arity = table(syntax, kind)[canonical]
    if not args:
        return [
            RuleIssue(
                "argument-count",
                f"no args for matcher {canonical}; it takes {_arity_text(arity)}",
                call.start,
                call.end,
            )
        ]
    empties = [a for a in args if a.value == ""]
    if empties:
        values = _go_list([a.value for a in args])
        return [
            _arg_issue("empty-argument", f"empty args for matcher {canonical}, {values}", a)
            for a in empties
        ]
    if len(args) not in arity:
        return [
            RuleIssue(
                "argument-count",
                _arity_message(canonical, args, arity, syntax, kind),
                call.start,
                call.end,
            )
        ]
    if kind == "http" and syntax == "v3":
        return _http_v3(canonical, args)
    if kind == "http":
        return _http_v2(canonical, args)
    if syntax == "v3":
        return _tcp_v3(canonical, args)
    return _tcp_v2(canonical, args)


def _arity_text(arity: frozenset[int] | Variadic) -> str:
    if isinstance(arity, Variadic):
        return f"{arity} arguments"
    counts = sorted(arity)
    words = " or ".join(str(c) for c in counts)
    return f"{words} argument{'s' if counts != [1] else ''}"


def _arity_message(
    canonical: str,
    args: list[Literal],
    arity: frozenset[int] | Variadic,
    syntax: Syntax,
    kind: Kind,
) -> str:
    got = len(args)
    if isinstance(arity, Variadic):
        values = _go_list([a.value for a in args])
        return f"{canonical}: mux: number of parameters must be multiple of 2, got {values}"
    if kind == "tcp":
        return f"{canonical}: unexpected number of parameters; got {got}, expected 1"
    counts = sorted(arity)
    return (
        f"{canonical}: unexpected number of parameters; got {got}, "
        f"expected one of {_go_list(counts)}"
    )


# -- HTTP ------------------------------------------------------------------------------


def _http_v3(name: str, args: list[Literal]) -> list[RuleIssue]:
    issues: list[RuleIssue] = []
    first = args[0]
    if name == "Host":
        if first.value != "*":
            if not first.value.isascii():
                issues.append(_non_ascii(name, first))
            else:
                issues.extend(_host_port(first))
            issues.extend(_placeholders(name, first, "v3"))
    elif name == "HostRegexp":
        if not first.value.isascii():
            return [_non_ascii(name, first)]
        issues.extend(_regexp(name, first))
        issues.extend(_unescaped_dots(first))
        issues.extend(_placeholders(name, first, "v3"))
    elif name in ("Path", "PathPrefix"):
        issues.extend(_leading_slash(name, first, "v3"))
        issues.extend(_placeholders(name, first, "v3"))
    elif name == "PathRegexp":
        issues.extend(_regexp(name, first))
    elif name == "HeaderRegexp" or (name == "QueryRegexp" and len(args) == 2):
        issues.extend(_regexp(name, args[1]))
    elif name == "ClientIP":
        issues.extend(_client_ip(first))
    return issues


def _http_v2(name: str, args: list[Literal]) -> list[RuleIssue]:
    issues: list[RuleIssue] = []
    if name in ("Host", "HostHeader"):
        for arg in args:
            if not arg.value.isascii():
                issues.append(_non_ascii(name, arg))
            else:
                issues.extend(_host_port(arg))
    elif name == "HostRegexp":
        for arg in args:
            if not arg.value.isascii():
                issues.append(_non_ascii(name, arg))
            else:
                issues.extend(_template(name, arg, "[^.]+"))
    elif name in ("Path", "PathPrefix"):
        for arg in args:
            slash = _leading_slash(name, arg, "v2")
            issues.extend(slash if slash else _template(name, arg, "[^/]+"))
    elif name == "ClientIP":
        for arg in args:
            issues.extend(_client_ip(arg))
    elif name == "HeadersRegexp":
        for arg in args[1::2]:
            issues.extend(_regexp(name, arg))
    elif name == "Query":
        issues.extend(_query_v2(args))
    return issues


def _query_v2(args: list[Literal]) -> list[RuleIssue]:
    parts: list[str] = []
    for arg in args:
        parts.extend(arg.value.split("=", 1))
    if len(parts) % 2:
        return [
            RuleIssue(
                "argument-count",
                f"Query: mux: number of parameters must be multiple of 2, got {_go_list(parts)}"
                " (write each query as key=value)",
                args[0].start,
                args[-1].end,
            )
        ]
    issues: list[RuleIssue] = []
    seen: set[str] = set()
    for arg in args:
        found = _template("Query", arg, ".*")
        issues.extend(found)
        if found:
            continue
        for name, start, end in _template_vars(arg.value):
            if name in seen:
                issues.append(
                    _span_issue(
                        "invalid-template",
                        f'Query: mux: duplicated route variable "{name}"',
                        arg,
                        start,
                        end - start,
                    )
                )
            seen.add(name)
    return issues


# -- TCP -------------------------------------------------------------------------------

_HOST_SNI_V3 = re.compile(r"(\*\.)?[0-9A-Za-z_.\-:]+")
_HOST_SNI_V2 = re.compile(r"[0-9A-Za-z_.\-:]+")
_ACME_TLS = "acme-tls/1"


def _tcp_v3(name: str, args: list[Literal]) -> list[RuleIssue]:
    first = args[0]
    if name == "ALPN" and first.value == _ACME_TLS:
        return [
            _arg_issue(
                "invalid-alpn",
                f'invalid protocol value for ALPN matcher, "{_ACME_TLS}" is not allowed',
                first,
            )
        ]
    if name == "ClientIP":
        return _client_ip(first)
    if name == "HostSNI" and first.value != "*" and not _HOST_SNI_V3.fullmatch(first.value):
        return [
            _arg_issue(
                "invalid-hostsni",
                f"invalid value for HostSNI matcher, {_go_quote(first.value)} "
                "is not a valid hostname",
                first,
            )
        ]
    if name == "HostSNIRegexp":
        if not first.value.isascii():
            return [_non_ascii(name, first)]
        return [*_regexp(name, first), *_unescaped_dots(first), *_placeholders(name, first, "v3")]
    return []


def _tcp_v2(name: str, args: list[Literal]) -> list[RuleIssue]:
    issues: list[RuleIssue] = []
    for arg in args:
        if name == "ALPN" and arg.value == _ACME_TLS:
            issues.append(
                _arg_issue(
                    "invalid-alpn",
                    f'invalid protocol value for "ALPN" matcher, "{_ACME_TLS}" is not allowed',
                    arg,
                )
            )
        elif name == "ClientIP":
            issues.extend(_client_ip(arg))
        elif name == "HostSNI" and arg.value != "*" and not _HOST_SNI_V2.fullmatch(arg.value):
            issues.append(
                _arg_issue(
                    "invalid-hostsni",
                    f'invalid value for "HostSNI" matcher, {_go_quote(arg.value)} '
                    "is not a valid hostname or IP",
                    arg,
                )
            )
        elif name == "HostSNIRegexp":
            issues.extend(_template(name, arg, "[^.]+"))
    return issues


# -- argument checks --------------------------------------------------------------------


def _go_quote(value: str) -> str:
    """Go's ``%q`` for the common case (enough for messages)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _non_ascii(name: str, arg: Literal) -> RuleIssue:
    index = next(i for i, ch in enumerate(arg.value) if not ch.isascii())
    return _span_issue(
        "non-ascii",
        f"invalid value {_go_quote(arg.value)} for {name} matcher, non-ASCII characters are not "
        "allowed (write internationalised names in punycode, xn--...)",
        arg,
        index,
        1,
    )


def _regexp(name: str, arg: Literal) -> list[RuleIssue]:
    found = go_regexp_check(arg.value)
    if found is None:
        return []
    hint = _regexp_hint(found.message)
    message = f"compiling {name} matcher: error parsing regexp: {found.message}{hint}"
    return [_span_issue("invalid-regexp", message, arg, found.index, found.length)]


def _regexp_hint(message: str) -> str:
    if "`(?=" in message or "`(?!" in message or "`(?<=" in message or "`(?<!" in message:
        return " (Go's RE2 has no look-ahead or look-behind)"
    if message.startswith("invalid escape sequence: `\\") and message[-2:-1].isdigit():
        return " (Go's RE2 has no back-references)"
    if message.startswith("invalid nested repetition operator"):
        return " (RE2 has no possessive quantifiers; a repeated repeat needs a group)"
    if "`(?>" in message:
        return " (RE2 has no atomic groups)"
    if message.startswith("invalid repeat count"):
        return " (RE2 allows at most 1000 repetitions)"
    return ""


_LABEL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def _unescaped_dots(arg: Literal) -> list[RuleIssue]:
    """A ``.`` between label characters in a host regexp: ``^api.example.com$``."""
    pattern = arg.value
    dots: list[int] = []
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if pattern.startswith("\\Q", i):
                end = pattern.find("\\E", i + 2)
                i = n if end < 0 else end + 2
            else:
                i += 2
            continue
        if ch == "[":
            i = _skip_class(pattern, i)
            continue
        if ch == "." and 0 < i < n - 1 and pattern[i - 1] in _LABEL and pattern[i + 1] in _LABEL:
            dots.append(i)
        i += 1
    if not dots:
        return []
    fixed = _escape_dots(pattern, dots)
    message = (
        f"unescaped '.' in a host regexp matches any character, not only a dot "
        f"({len(dots)} such dot{'s' if len(dots) > 1 else ''}); write {fixed}"
    )
    return [_span_issue("unescaped-dot", message, arg, dots[0], 1)]


def _escape_dots(pattern: str, dots: list[int]) -> str:
    out = list(pattern)
    for index in reversed(dots):
        out[index] = "\\."
    return "`" + "".join(out) + "`"


def _skip_class(pattern: str, i: int) -> int:
    """Index after the character class starting at ``i`` (or the end)."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern):
        if pattern[j] == "\\":
            j += 2
            continue
        if pattern.startswith("[:", j):
            close = pattern.find(":]", j + 2)
            if close >= 0:
                j = close + 2
                continue
        if pattern[j] == "]":
            return j + 1
        j += 1
    return len(pattern)


def _leading_slash(name: str, arg: Literal, syntax: Syntax) -> list[RuleIssue]:
    if arg.value.startswith("/"):
        return []
    if syntax == "v3":
        message = f"path {_go_quote(arg.value)} does not start with a '/'"
    else:
        message = f"mux: path must start with a slash, got {_go_quote(arg.value)}"
    return [_arg_issue("path-missing-slash", f"{name}: {message}; write `/{arg.value}`", arg)]


def _host_port(arg: Literal) -> list[RuleIssue]:
    """``Host(`example.com:8080`)``: the request's port is stripped before comparing."""
    value = arg.value
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not host:
        return []
    if ":" in host and not (host.startswith("[") and host.endswith("]")):
        return []  # a bare IPv6 address, no port
    return [
        _arg_issue(
            "host-with-port",
            f"Host {_go_quote(value)} has a port and never matches: Traefik compares the "
            f"request's host without its port; write `{host}`",
            arg,
        )
    ]


def _client_ip(arg: Literal) -> list[RuleIssue]:
    if _go_parse_ip(arg.value) or _go_parse_cidr(arg.value):
        return []
    return [
        _arg_issue(
            "invalid-ip",
            f"ClientIP: invalid CIDR address: {arg.value} (expected an IP like 10.0.0.1 or a "
            "range like 10.0.0.0/8)",
            arg,
        )
    ]


def _go_parse_addr(text: str) -> int | None:
    """``netip.ParseAddr`` without zones: the prefix length bound (32 or 128), or None."""
    if "%" in text or not text:
        return None
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return None
    return 32 if addr.version == 4 else 128


def _go_parse_ip(text: str) -> bool:
    return _go_parse_addr(text) is not None


def _go_parse_cidr(text: str) -> bool:
    addr, sep, mask = text.partition("/")
    if not sep:
        return False
    bits = _go_parse_addr(addr)
    if bits is None or not mask or not mask.isascii() or not mask.isdigit():
        return False
    return int(mask) <= bits


# -- v2 templates ---------------------------------------------------------------------------


def _brace_spans(value: str) -> list[tuple[int, int]] | None:
    """gorilla/mux ``braceIndices``: top-level ``{...}`` spans, None if unbalanced."""
    if "{" not in value and "}" not in value:
        return []  # most arguments: no template, nothing to scan
    level = 0
    start = 0
    spans: list[tuple[int, int]] = []
    for i, ch in enumerate(value):
        if ch == "{":
            level += 1
            if level == 1:
                start = i
        elif ch == "}":
            level -= 1
            if level == 0:
                spans.append((start, i + 1))
            elif level < 0:
                return None
    return spans if level == 0 else None


def _template_vars(value: str) -> list[tuple[str, int, int]]:
    spans = _brace_spans(value) or []
    return [(value[s + 1 : e - 1].split(":", 1)[0], s, e) for s, e in spans]


def _template(name: str, arg: Literal, default: str) -> list[RuleIssue]:
    """A v2 template (``/users/{id:[0-9]+}``) as gorilla/mux builds it."""
    value = arg.value
    spans = _brace_spans(value)
    if spans is None:
        message = f"{name}: mux: unbalanced braces in {_go_quote(value)}"
        return [_arg_issue("invalid-template", message, arg)]
    issues: list[RuleIssue] = []
    for start, end in spans:
        inner = value[start + 1 : end - 1]
        var, colon, pattern = inner.partition(":")
        if not colon:
            pattern = default
        if not var or not pattern:
            message = f"{name}: mux: missing name or pattern in {_go_quote(value[start:end])}"
            issues.append(_span_issue("invalid-template", message, arg, start, end - start))
            continue
        found = go_regexp_check(f"^{pattern}$")
        if found is not None and colon:
            offset = start + 1 + len(var) + 1 + max(0, min(found.index - 1, len(pattern) - 1))
            message = f"{name}: error parsing regexp: {found.message}"
            issues.append(_span_issue("invalid-regexp", message, arg, offset, 1))
    return issues


# -- v2 placeholders under v3 -------------------------------------------------------------------

_PLACEHOLDER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_GO_META = frozenset("\\.+*?()|[]{}^$")


def _quote_meta(text: str) -> str:
    return "".join("\\" + ch if ch in _GO_META else ch for ch in text)


def _placeholders(name: str, arg: Literal, syntax: Syntax) -> list[RuleIssue]:
    """``{name}`` / ``{name:re}`` in a v3 rule: matched literally, so never matches."""
    value = arg.value
    spans = _brace_spans(value)
    if not spans:
        return []
    found: list[tuple[int, int, str]] = []  # start, end, regexp replacing the placeholder
    for start, end in spans:
        inner = value[start + 1 : end - 1]
        var, colon, pattern = inner.partition(":")
        if not _PLACEHOLDER_NAME.fullmatch(var) or (colon and not pattern):
            continue
        if not colon:
            pattern = "[^.]+" if name in ("Host", "HostRegexp", "HostSNIRegexp") else "[^/]+"
        found.append((start, end, pattern))
    if not found:
        return []
    fix = _placeholder_fix(name, value, found)
    start, end, _ = found[0]
    text = value[start:end]
    message = (
        f"{text} is a rule syntax v2 placeholder; under {syntax} {name} takes it literally, "
        f"so the router never matches; write {fix}"
    )
    return [_span_issue("v2-placeholder", message, arg, start, end - start)]


def _escape_raw_dots(text: str) -> str:
    """v2 templates quoted the text around placeholders: keep its dots literal."""
    return re.sub(r"(?<!\\)\.", r"\\.", text)


def _placeholder_fix(name: str, value: str, found: list[tuple[int, int, str]]) -> str:
    is_regexp = name in ("HostRegexp", "HostSNIRegexp")
    out: list[str] = []
    last = 0
    for start, end, pattern in found:
        raw = value[last:start]
        out.append(_escape_raw_dots(raw) if is_regexp else _quote_meta(raw))
        out.append(pattern)
        last = end
    tail = value[last:]
    out.append(_escape_raw_dots(tail) if is_regexp else _quote_meta(tail))
    body = "".join(out)
    if not body.startswith("^"):
        body = "^" + body
    if name != "PathPrefix" and not body.endswith("$"):
        body += "$"
    target = {
        "Host": "HostRegexp",
        "Path": "PathRegexp",
        "PathPrefix": "PathRegexp",
    }.get(name, name)
    return f"{target}(`{body}`)"
