"""Go RE2 validation and translation; every verdict below was checked with Traefik 3.7.15."""

from __future__ import annotations

import re

import pytest

from traefik_doctor.rulelang import go_regexp_check, go_regexp_error, to_python

# (pattern, Go's error text or None, index of the culprit)
GO_VERDICTS: list[tuple[str, str | None, int]] = [
    ("^api\\.example\\.com$", None, 0),
    ("(?=a)", "invalid or unsupported Perl syntax: `(?=`", 0),
    ("a(?!b)", "invalid or unsupported Perl syntax: `(?!`", 1),
    ("(?<=a)b", "invalid named capture: `(?<=a)b`", 0),
    ("(?<!a)b>", "invalid named capture: `(?<!a)b>`", 0),
    ("(?>a)", "invalid or unsupported Perl syntax: `(?>`", 0),
    ("\\1", "invalid escape sequence: `\\1`", 0),
    ("(a)\\1", "invalid escape sequence: `\\1`", 3),
    ("\\8", "invalid escape sequence: `\\8`", 0),
    ("\\q", "invalid escape sequence: `\\q`", 0),
    ("\\Z", "invalid escape sequence: `\\Z`", 0),
    ("\\C", "invalid escape sequence: `\\C`", 0),
    ("[\\b]", "invalid escape sequence: `\\b`", 1),
    ("\\x{110000}", "invalid escape sequence: `\\x{110000`", 0),
    ("\\x4g", "invalid escape sequence: `\\x4g`", 0),
    ("\\x{}", "invalid escape sequence: `\\x{}`", 0),
    ("a++", "invalid nested repetition operator: `++`", 1),
    ("a**", "invalid nested repetition operator: `**`", 1),
    ("a*??", "invalid nested repetition operator: `*??`", 1),
    ("a{2}{3}", "invalid nested repetition operator: `{2}{3}`", 1),
    ("x{1001}", "invalid repeat count: `{1001}`", 1),
    ("x{2,1}", "invalid repeat count: `{2,1}`", 1),
    ("a{100000000000}", "invalid repeat count: `{100000000000}`", 1),
    ("(a{3}){334}", "invalid repeat count: `{334}`", 6),
    ("((x{10}){10}){11}", "invalid repeat count: `{11}`", 13),
    ("(abc", "missing closing ): `(abc`", 0),
    ("a(b(c)", "missing closing ): `a(b(c)`", 1),
    ("abc)", "unexpected ): `abc)`", 3),
    ("[abc", "missing closing ]: `[abc`", 0),
    ("[z-a]", "invalid character class range: `z-a`", 1),
    ("[[:foo:]]", "invalid character class range: `[:foo:]`", 1),
    ("\\p{Klingon}", "invalid character class range: `\\p{Klingon}`", 0),
    ("\\p{Old_Italic}", "invalid character class range: `\\p{Old_Italic}`", 0),
    ("\\p", "invalid character class range: `\\p`", 0),
    ("*", "missing argument to repetition operator: `*`", 0),
    ("a|*", "missing argument to repetition operator: `*`", 2),
    ("(?i)*", "missing argument to repetition operator: `*`", 4),
    ("\\Q\\E*", "missing argument to repetition operator: `*`", 4),
    ("a\\", "trailing backslash at end of expression: ``", 1),
    ("(?P<n", "invalid named capture: `(?P<n`", 0),
    ("(?P<>x)", "invalid named capture: `(?P<>`", 0),
    ("(?<a-b>x)", "invalid named capture: `(?<a-b>`", 0),
    ("(?P=n)", "invalid or unsupported Perl syntax: `(?P`", 0),
    ("(?'n'x)", "invalid or unsupported Perl syntax: `(?'`", 0),
    ("(?i-)a", "invalid or unsupported Perl syntax: `(?i-)`", 0),
    ("(?-)a", "invalid or unsupported Perl syntax: `(?-)`", 0),
    ("(?i", "invalid or unsupported Perl syntax: `(?i`", 0),
    # accepted by Go (some would surprise a Perl or Python user)
    ("(?P<name>re)", None, 0),
    ("(?<name>re)", None, 0),
    ("(?P<1a>x)(?P<1a>y)", None, 0),
    ("^*", None, 0),
    ("a(?i)*", None, 0),
    ("x{,3}", None, 0),
    ("a{01}", None, 0),
    ("x{1000}", None, 0),
    ("(a{3}){333}", None, 0),
    ("[]a]", None, 0),
    ("[^]a]", None, 0),
    ("[a-]", None, 0),
    ("[\\d-z]", None, 0),
    ("[[:^alpha:]]", None, 0),
    ("\\_", None, 0),
    ("\\z\\A\\b\\B", None, 0),
    ("\\Qa*b\\E+", None, 0),
    ("\\pL\\p{Greek}\\p{lu}\\p{Letter}\\p{uppercase letter}\\p{Punct}", None, 0),
    ("\\p{^Greek}\\P{Cn}\\p{Assigned}\\p{ASCII}\\p{LC}", None, 0),
    ("(?m-i)a(?U)b*(?s).", None, 0),
    ("{sub:[a-z]+}.example.com", None, 0),
]


@pytest.mark.parametrize(("pattern", "message", "index"), GO_VERDICTS)
def test_go_verdicts(pattern: str, message: str | None, index: int) -> None:
    result = go_regexp_error(pattern)
    if message is None:
        assert result is None
    else:
        assert result == (message, index)


def test_invalid_utf8_is_reported() -> None:
    assert go_regexp_error("a\udcffb") == ("invalid UTF-8: `\udcffb`", 1)


def test_nesting_and_size_limits() -> None:
    deep = "(" * 1001 + "a" + ")" * 1001
    found = go_regexp_error(deep)
    assert found is not None
    assert found[0].startswith("expression nests too deeply")
    assert go_regexp_error("(" * 500 + "a" + ")" * 500) is None
    large = "(?:" + "a" * 4000 + "){1000}"
    found = go_regexp_error(large)
    assert found is not None
    assert found[0].startswith("expression too large")


def test_check_reports_length() -> None:
    found = go_regexp_check("ab(?=c)")
    assert found is not None
    assert (found.index, found.length) == (2, 3)


# -- translation ---------------------------------------------------------------------------------

# (Go pattern, subject, whether Go matches) -- the Go answers come from real requests
# routed by Traefik 3.7.15 (PathRegexp against the request path).
MATCHES: list[tuple[str, str, bool]] = [
    ("^/a$", "/a", True),
    ("^/a$", "/a\n", False),
    ("^/[a-z]+$", "/ABC", False),
    ("(?i)^/abc$", "/aBc", True),
    ("(?i)^/k$", "/\u212a", True),
    ("^/\\d+$", "/\u0661", False),
    ("^/\\w+$", "/\u00e9", False),
    ("^/\\pL+$", "/\u00e9", True),
    ("^/[[:alpha:]]+$", "/\u00e9", False),
    ("^/\\x41$", "/A", True),
    ("^/a.c$", "/a\nc", False),
    ("(?s)^/a.c$", "/a\nc", True),
    ("^/a\\b", "/a\u00e9", True),
    ("^/a\\b", "/ab", False),
    ("^/(?U)a+$", "/aaa", True),
    ("^/\\Qa.b\\E$", "/axb", False),
    ("^/a{,2}$", "/a{,2}", True),
    ("(?i)^/[^a]$", "/A", False),
    ("^/(?P<x>a)(?<y>b)$", "/ab", True),
    ("^/\\z", "/", True),
    ("^/[\\d-z]$", "/-", True),
    ("^/\\p{Lu}$", "/a", False),
    ("(?i)^/\\p{Lu}$", "/a", True),
    ("^/[\\P{L}]$", "/1", True),
    ("^/\\pN$", "/\u00bd", True),
]


@pytest.mark.parametrize(("pattern", "subject", "expected"), MATCHES)
def test_translation_matches_like_go(pattern: str, subject: str, expected: bool) -> None:
    assert bool(re.search(to_python(pattern), subject)) is expected


def test_translation_keeps_group_numbers_and_names() -> None:
    compiled = re.compile(to_python("^(?P<a>x)(y)(?<b>z)(?P<a>w)$"))
    match = compiled.search("xyzw")
    assert match is not None
    assert match.group("a") == "x"
    assert match.group("b") == "z"
    assert match.group(4) == "w"  # duplicate name: kept as a numbered group


@pytest.mark.parametrize(
    ("pattern", "python"),
    [
        ("a$", "a\\Z"),
        ("\\Aa\\z", "\\Aa\\Z"),
        ("(?m)^a$", "(?m:^)a(?m:$)"),
        ("[[:digit:]]", "[0-9]"),
        ("a*?", "(?:a)*?"),
        ("(?U)a*?", "(?:a)*"),
    ],
)
def test_translation_text(pattern: str, python: str) -> None:
    assert to_python(pattern) == python


def test_translation_refuses_what_it_cannot_express() -> None:
    with pytest.raises(ValueError, match="scripts"):
        to_python("\\p{Greek}")
    with pytest.raises(ValueError, match="missing closing"):
        to_python("(a")


def test_translation_of_deep_patterns_does_not_recurse() -> None:
    pattern = "(" * 900 + "a" + ")" * 900
    assert to_python(pattern).count("(") == 900
