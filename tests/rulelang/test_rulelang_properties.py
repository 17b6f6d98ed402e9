"""Property tests: no input makes the rule language code raise, offsets stay in the rule."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from traefik_doctor.rulelang import (
    RuleSyntaxError,
    check,
    go_regexp_error,
    parse,
    to_python,
)
from traefik_doctor.rulelang.ast import And, Matcher, Not, Or, matchers

_NAMES = [
    "Host",
    "host",
    "HOST",
    "HostRegexp",
    "Path",
    "PathPrefix",
    "pathPrefix",
    "PathRegexp",
    "Method",
    "Header",
    "HeaderRegexp",
    "Headers",
    "Query",
    "QueryRegexp",
    "ClientIP",
    "HostSNI",
    "HostSNIRegexp",
    "ALPN",
    "HostHeader",
    "Foo",
    "a.Host",
]
_ARGS = [
    "`example.com`",
    "`/api`",
    "`api`",
    "``",
    '"a\\tb"',
    '"\\q"',
    '"\\xff"',
    "1",
    "x",
    "'a'",
    "`^a.b$`",
    "`(?=a)`",
    "`{id:[0-9]+}`",
    "`a=b`",
    "`10.0.0.0/8`",
    "`é`",
    "`*`",
    "`a{1001}`",
    "`\\pL`",
    "`[`",
]
_GLUE = [" && ", " || ", "&&", "||", "!", "(", ")", ",", " ", "\n", "/* c */", "// c\n", "==", "."]


@st.composite
def rule_like(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(min_value=0, max_value=12))):
        choice = draw(st.integers(min_value=0, max_value=3))
        if choice == 0:
            name = draw(st.sampled_from(_NAMES))
            args = draw(st.lists(st.sampled_from(_ARGS), max_size=3))
            parts.append(f"{name}({', '.join(args)})")
        elif choice == 1:
            parts.append(draw(st.sampled_from(_GLUE)))
        elif choice == 2:
            parts.append(draw(st.sampled_from(_ARGS)))
        else:
            parts.append(draw(st.text(max_size=4)))
    return "".join(parts)


def _assert_consistent(rule: str) -> None:
    tree = parse(rule)
    if isinstance(tree, RuleSyntaxError):
        assert 0 <= tree.offset <= len(rule)
        assert tree.message
        return
    assert isinstance(tree, Matcher | Not | And | Or)
    assert 0 <= tree.start <= tree.end <= len(rule)
    for call in matchers(tree):
        assert rule[call.start : call.name_end] == call.name
        for arg in call.args:
            assert rule[arg.start : arg.end] == arg.raw
    for syntax in ("v3", "v2"):
        for kind in ("http", "tcp"):
            for issue in check(tree, syntax, kind):
                assert 0 <= issue.start <= issue.end <= len(rule), issue
                assert issue.message


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60))
def test_random_text_never_raises(rule: str) -> None:
    _assert_consistent(rule)


@settings(max_examples=600, deadline=None)
@given(rule_like())
def test_rule_like_tokens_never_raise(rule: str) -> None:
    _assert_consistent(rule)


_RE_TOKENS = [
    *"ab.*+?()[]{}|^$\\-:,0123456789",
    "(?i)",
    "(?P<n>",
    "(?:",
    "\\d",
    "\\pL",
    "\\p{Greek}",
    "[:alpha:]",
    "\\Q",
    "\\E",
    "{2,3}",
    "é",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_RE_TOKENS), max_size=12).map("".join) | st.text(max_size=20))
def test_regexp_functions_never_raise_unexpectedly(pattern: str) -> None:
    found = go_regexp_error(pattern)
    if found is not None:
        assert 0 <= found[1] <= len(pattern)
        return
    try:
        translated = to_python(pattern)
    except ValueError as err:
        assert "scripts" in str(err)  # the only construct Python cannot express
        return
    re.compile(translated)
