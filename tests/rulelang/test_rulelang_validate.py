"""validate.check, the matcher registry and priorities, as Traefik 3.7.15 behaves."""

from __future__ import annotations

import pytest

from traefik_doctor.rulelang import (
    HTTP_V2,
    HTTP_V3,
    MAX_PRIORITY,
    TCP_V2,
    TCP_V3,
    RuleIssue,
    RuleSyntaxError,
    Variadic,
    check,
    default_priority,
    default_tcp_priority,
    effective_syntax,
    lookup,
    parse,
    spellings,
    suggest,
)
from traefik_doctor.rulelang.matchers import Kind, Syntax


def _issues(rule: str, syntax: Syntax = "v3", kind: Kind = "http") -> list[RuleIssue]:
    tree = parse(rule)
    assert not isinstance(tree, RuleSyntaxError), tree
    return check(tree, syntax, kind)


def _one(rule: str, syntax: Syntax = "v3", kind: Kind = "http") -> RuleIssue:
    issues = _issues(rule, syntax, kind)
    assert len(issues) == 1, issues
    return issues[0]


# -- issue kinds with exact offsets -----------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "syntax", "kind", "issue_kind", "span", "fatal"),
    [
        ("Hostname(`a.com`)", "v3", "http", "unknown-matcher", (0, 8), True),
        ("Host(`a`) && pathPrefix(`/a`)", "v3", "http", "unknown-matcher", (13, 23), True),
        ("Host(`a.com`, `b.com`)", "v3", "http", "argument-count", (0, 22), True),
        ("Header(`X-A`)", "v3", "http", "argument-count", (0, 13), True),
        ("Host()", "v3", "http", "argument-count", (0, 6), True),
        ("Host(``)", "v3", "http", "empty-argument", (5, 7), True),
        ("PathPrefix(`api`)", "v3", "http", "path-missing-slash", (11, 16), True),
        ("Path(`api`)", "v2", "http", "path-missing-slash", (5, 10), True),
        ("HostRegexp(`(?=a)b`)", "v3", "http", "invalid-regexp", (12, 15), True),
        ("PathRegexp(`/a\\1`)", "v3", "http", "invalid-regexp", (14, 16), True),
        ('HeaderRegexp(`X`, "a**")', "v3", "http", "invalid-regexp", (20, 22), True),
        ("QueryRegexp(`k`, `x{1001}`)", "v3", "http", "invalid-regexp", (19, 25), True),
        ("HostRegexp(`^api.example.com$`)", "v3", "http", "unescaped-dot", (16, 17), False),
        ("Path(`/users/{id:[0-9]+}`)", "v3", "http", "v2-placeholder", (13, 24), False),
        ("HostRegexp(`{sub:[a-z]+}\\.a\\.com`)", "v3", "http", "v2-placeholder", (12, 24), False),
        ("Host(`a.com:8080`)", "v3", "http", "host-with-port", (5, 17), False),
        ("Host(`é.com`)", "v3", "http", "non-ascii", (6, 7), True),
        ("ClientIP(`10.0.0.300`)", "v3", "http", "invalid-ip", (9, 21), True),
        ("Headers(`a`)", "v2", "http", "argument-count", (0, 12), True),
        ("Query(`a`)", "v2", "http", "argument-count", (6, 9), True),
        ("PathPrefix(`/{id`)", "v2", "http", "invalid-template", (11, 17), True),
        ("HostSNI(`a b`)", "v3", "tcp", "invalid-hostsni", (8, 13), True),
        ("ALPN(`acme-tls/1`)", "v3", "tcp", "invalid-alpn", (5, 17), True),
        ("HostSNI(`a`, `b`)", "v3", "tcp", "argument-count", (0, 17), True),
        ("Host(`a`)", "v3", "tcp", "unknown-matcher", (0, 4), True),
    ],
)
def test_issue_kinds(
    rule: str, syntax: Syntax, kind: Kind, *, issue_kind: str, span: tuple[int, int], fatal: bool
) -> None:
    issue = _one(rule, syntax, kind)
    assert issue.kind == issue_kind
    assert (issue.start, issue.end) == span
    assert issue.fatal is fatal


def test_regexp_offset_points_inside_backtick_literal() -> None:
    rule = "HostRegexp(`^a(b$`)"
    issue = _one(rule)
    assert issue.kind == "invalid-regexp"
    assert rule[issue.start] == "("
    assert issue.start == rule.index("`") + 1 + 2  # literal.start + 1 + index
    assert "missing closing )" in issue.message


def test_regexp_offset_maps_through_double_quoted_escapes() -> None:
    rule = 'PathRegexp("\\\\d\\\\q")'
    issue = _one(rule)
    assert issue.kind == "invalid-regexp"
    assert rule[issue.start : issue.end] == "\\\\q"


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ("Headers(`X`, `y`)", "Headers exists only under rule syntax v2"),
        ("HostHeader(`a.com`)", "did you mean Host?"),
        ("Hostname(`a.com`)", "did you mean Host?"),
        ("pathPrefix(`/a`)", "PathPrefix, pathprefix, PATHPREFIX, Pathprefix"),
        ("HostSNI(`a`)", "HostSNI is a TCP matcher"),
        ("Foo(`a`)", "unsupported function: Foo"),
    ],
)
def test_unknown_matcher_messages(rule: str, fragment: str) -> None:
    issue = _one(rule)
    assert issue.kind == "unknown-matcher"
    assert fragment in issue.message


def test_argument_count_message_is_traefiks() -> None:
    issue = _one("Host(`a.com`, `b.com`)")
    assert "unexpected number of parameters; got 2, expected one of [1]" in issue.message
    issue = _one("Query(`a`, `b`, `c`)")
    assert "got 3, expected one of [1 2]" in issue.message
    issue = _one("ALPN(`a`, `b`)", kind="tcp")
    assert "got 2, expected 1" in issue.message


@pytest.mark.parametrize(
    "rule",
    [
        "Host(`example.com`) && PathPrefix(`/api`)",
        "Host(`*`)",
        "Host(`[::1]`)",
        "Host(`::1`)",
        "HostRegexp(`^[a-z]+\\.example\\.com$`)",
        "HostRegexp(`^.+$`)",
        "PathRegexp(`^/api/(?P<v>[0-9]+)`)",
        "Method(`get`)",
        "Header(`X-Env`, `prod`)",
        "Query(`debug`)",
        "Query(`mobile`, `true`)",
        "QueryRegexp(`k`)",
        "ClientIP(`10.0.0.0/8`)",
        "ClientIP(`10.0.0.1/08`)",
        "ClientIP(`::ffff:10.0.0.1`)",
        "Path(`/{id`)",  # a lone brace is no placeholder
        "PATHPREFIX(`/a`) && pathprefix(`/b`) && Pathprefix(`/c`)",
    ],
)
def test_clean_v3_http_rules(rule: str) -> None:
    assert _issues(rule) == []


@pytest.mark.parametrize(
    "rule",
    [
        "Host(`a.com`, `b.com`) && PathPrefix(`/a`, `/b`)",
        "HostHeader(`a.com`)",
        "Hostheader(`a.com`)",
        "Headers(`X`, `1`, `Y`, `2`)",
        "HeadersRegexp(`X`, `^a+$`)",
        "Query(`a=b`, `c=`)",
        "Query(`id={id:[0-9]+}`)",
        "PathPrefix(`/{id:[0-9]+}`)",
        "HostRegexp(`{sub:[a-z]+}.a.com`)",
        "Method(`GET`, `POST`)",
        "ClientIP(`::1`, `10.0.0.0/8`)",
    ],
)
def test_clean_v2_http_rules(rule: str) -> None:
    assert _issues(rule, "v2") == []


@pytest.mark.parametrize(
    ("rule", "issue_kind"),
    [
        ("PathPrefix(`/{id:[0-9+}`)", "invalid-regexp"),
        ("HostRegexp(`{:[a-z]+}.a.com`)", "invalid-template"),
        ("Query(`a={x}`, `b={x}`)", "invalid-template"),
        ("Query(`a={`)", "invalid-template"),
        ("HeadersRegexp(`a`, `(`)", "invalid-regexp"),
        ("PathRegexp(`/a`)", "unknown-matcher"),
        ("Host(`é.com`)", "non-ascii"),
    ],
)
def test_v2_failures(rule: str, issue_kind: str) -> None:
    assert _one(rule, "v2").kind == issue_kind


@pytest.mark.parametrize(
    ("rule", "syntax", "clean"),
    [
        ("HostSNI(`*`)", "v3", True),
        ("HostSNI(`*.example.com`)", "v3", True),
        ("HostSNI(`*.example.com`)", "v2", False),
        ("HostSNI(`a.com`, `b.com`)", "v2", True),
        ("HostSNIRegexp(`^.+\\.example\\.com$`)", "v3", True),
        ("HostSNIRegexp(`{sub:[a-z]+}.example.com`)", "v2", True),
        ("HostSNIRegexp(`{sub:[a-z+}.example.com`)", "v2", False),
        ("ALPN(`h2`)", "v3", True),
        ("ALPN(`h2`, `acme-tls/1`)", "v2", False),
        ("ClientIP(`10.0.0.0/8`)", "v3", True),
        ("hostsni(`a.com`) || HOSTSNI(`b.com`) || Hostsni(`c.com`)", "v3", True),
    ],
)
def test_tcp_rules(rule: str, syntax: Syntax, clean: bool) -> None:
    assert (_issues(rule, syntax, "tcp") == []) is clean


def test_empty_argument_wins_over_argument_count() -> None:
    issue = _one("Header(``)")
    assert issue.kind == "empty-argument"
    assert issue.message == "empty args for matcher Header, []"


def test_placeholder_fix_suggestion() -> None:
    issue = _one("Path(`/users/{id:[0-9]+}`)")
    assert "PathRegexp(`^/users/[0-9]+$`)" in issue.message
    kinds = {i.kind: i for i in _issues("HostRegexp(`{sub:[a-z]+}.example.com`)")}
    assert set(kinds) == {"v2-placeholder", "unescaped-dot"}
    assert "HostRegexp(`^[a-z]+\\.example\\.com$`)" in kinds["v2-placeholder"].message


def test_unescaped_dot_ignores_escaped_and_class_dots() -> None:
    assert _issues("HostRegexp(`^api\\.example\\.com$`)") == []
    assert _issues("HostRegexp(`^[a.b]+\\.com$`)") == []
    issue = _one("HostRegexp(`^a.b.c$`)")
    assert "2 such dots" in issue.message
    assert "`^a\\.b\\.c$`" in issue.message


def test_issues_come_from_every_matcher_in_order() -> None:
    issues = _issues("Foo(`a`) || Host(``) && !Path(`x`)")
    assert [i.kind for i in issues] == ["unknown-matcher", "empty-argument", "path-missing-slash"]


# -- registry -------------------------------------------------------------------------------------


def test_tables() -> None:
    assert HTTP_V3["Query"] == frozenset({1, 2})
    assert HTTP_V3["Header"] == frozenset({2})
    assert isinstance(HTTP_V2["Host"], Variadic)
    assert 3 in HTTP_V2["Host"]
    assert 0 not in HTTP_V2["Host"]
    assert 3 not in HTTP_V2["Headers"]
    assert 4 in HTTP_V2["Headers"]
    assert set(TCP_V3) == {"ALPN", "ClientIP", "HostSNI", "HostSNIRegexp"}
    assert set(TCP_V2) == set(TCP_V3)


@pytest.mark.parametrize(
    ("name", "syntax", "kind", "expected"),
    [
        ("PathPrefix", "v3", "http", "PathPrefix"),
        ("pathprefix", "v3", "http", "PathPrefix"),
        ("PATHPREFIX", "v3", "http", "PathPrefix"),
        ("Pathprefix", "v3", "http", "PathPrefix"),
        ("pathPrefix", "v3", "http", None),
        ("PathPREFIX", "v3", "http", None),
        ("Clientip", "v3", "http", "ClientIP"),
        ("ClientIp", "v3", "http", None),
        ("Alpn", "v3", "tcp", "ALPN"),
        ("HostHeader", "v3", "http", None),
        ("HostHeader", "v2", "http", "HostHeader"),
        ("Headers", "v3", "http", None),
        ("PathRegexp", "v2", "http", None),
        ("HostSNI", "v3", "http", None),
    ],
)
def test_lookup(name: str, syntax: Syntax, kind: Kind, expected: str | None) -> None:
    assert lookup(name, syntax, kind) == expected


@pytest.mark.parametrize(
    ("name", "syntax", "kind", "expected"),
    [
        ("Headers", "v3", "http", "Header"),
        ("HeadersRegexp", "v3", "http", "HeaderRegexp"),
        ("HostHeader", "v3", "http", "Host"),
        ("Hostname", "v3", "http", "Host"),
        ("pathPrefix", "v3", "http", "PathPrefix"),
        ("PathPrefx", "v3", "http", "PathPrefix"),
        ("Header", "v2", "http", "Headers"),
        ("Host", "v3", "tcp", "HostSNI"),
        ("Xyzzy", "v3", "http", None),
    ],
)
def test_suggest(name: str, syntax: Syntax, kind: Kind, expected: str | None) -> None:
    assert suggest(name, syntax, kind) == expected


def test_spellings() -> None:
    assert spellings("HostSNIRegexp") == {
        "HostSNIRegexp",
        "hostsniregexp",
        "HOSTSNIREGEXP",
        "Hostsniregexp",
    }


@pytest.mark.parametrize(
    ("value", "expected"), [("v2", "v2"), ("v3", "v3"), ("V2", "v3"), ("", "v3"), (None, "v3")]
)
def test_effective_syntax(value: str | None, expected: str) -> None:
    assert effective_syntax(value) == expected


# -- priority --------------------------------------------------------------------------------------


def test_default_priority_counts_utf8_bytes_and_spaces() -> None:
    assert default_priority("Host(`a.com`)") == 13
    assert default_priority("Host(`é.com`)") == 14
    assert default_priority("Host(`a`)  ") == 11
    assert default_priority("") == 0


def test_tcp_catch_all_priority() -> None:
    assert default_tcp_priority("HostSNI(`*`)") == -1
    assert default_tcp_priority("(hostsni(`*`))") == -1
    assert default_tcp_priority("HostSNI(`a.com`)") == 16
    assert default_tcp_priority("HostSNI(`*`) || ALPN(`h2`)") == 26


def test_max_priority() -> None:
    assert MAX_PRIORITY == 9223372036854774807
