"""Parser: Traefik's accept/reject decisions, Go's error wording and exact offsets.

Every syntax error message and offset below was checked against Traefik 3.7.15
(Go reports ``1:<offset+1>: <message>`` for one-line rules).
"""

from __future__ import annotations

import pytest

from traefik_doctor.rulelang import (
    MAX_NESTING,
    And,
    Literal,
    Matcher,
    Not,
    Or,
    RuleSyntaxError,
    depth,
    parse,
    value_offset,
)
from traefik_doctor.rulelang.ast import matchers


def _tree(rule: str) -> And | Or | Not | Matcher:
    tree = parse(rule)
    assert not isinstance(tree, RuleSyntaxError), tree
    return tree


def _error(rule: str) -> RuleSyntaxError:
    tree = parse(rule)
    assert isinstance(tree, RuleSyntaxError), tree
    return tree


@pytest.mark.parametrize(
    ("rule", "message", "offset"),
    [
        ("", "expected operand, found 'EOF'", 0),
        (" ", "expected operand, found 'EOF'", 1),
        ("Host(`a`) && ", "expected operand, found 'EOF'", 13),
        ("Host(`a`) || (Host(`b`)", "expected ')', found newline", 23),
        ("(Host(`a`)\n)", "expected ')', found newline", 10),
        ("Host(`a`)\n&& Path(`/b`)", "expected 'EOF', found '&&'", 10),
        ("Host\n(`a`)", "expected 'EOF', found '('", 5),
        ("Host(`a`\n)", "missing ',' before newline in argument list", 8),
        ("Host(`example.com`", "missing ',' before newline in argument list", 18),
        ("Host(`a` `b`)", "missing ',' in argument list", 9),
        ("Host(`a`,", "expected ')', found 'EOF'", 9),
        ("Host(`a`);", "expected 'EOF', found ';'", 9),
        ("Host(`a`))", "unexpected ')'", 9),
        ('Host("a\\qb")', "unknown escape sequence", 8),
        ('Host("a\\x4")', "illegal character U+0022 '\"' in escape sequence", 10),
        ('Host("\\uD800")', "escape sequence is invalid Unicode code point", 7),
        ('Host("abc', "string literal not terminated", 5),
        ("Host(`abc", "raw string literal not terminated", 5),
        ("Host(`a`) /* x", "comment not terminated", 10),
        ("Host(`a`) $", "illegal character U+0024 '$'", 10),
        ("Host(`a`) = Path(`/`)", "expected '==', found '='", 10),
        ("Host('a')", "single quotes are not string delimiters; use backticks", 5),
        ("&& Host(`a`)", "expected operand, found '&&'", 0),
        ("Host(`a\x00`)", "illegal character NUL", 7),
        ("Host(`a`)\f", "illegal character U+000C", 9),
        ("Host(`a`) /*\n*/ && Path(`/`)", "expected 'EOF', found '&&'", 16),
        ("(Host(`a`) // c", "expected ')', found newline", 15),
        ("Host(`a`) && func", "'func' is not allowed in a rule", 13),
    ],
)
def test_go_syntax_errors(rule: str, message: str, offset: int) -> None:
    error = _error(rule)
    assert (error.message, error.offset) == (message, offset)


@pytest.mark.parametrize(
    ("rule", "offset", "fragment"),
    [
        ("Host(1)", 5, "strings"),
        ("Host(a)", 5, "a is not defined"),
        ("Host", 0, "Host is not defined"),
        ('"x"', 0, "not a matcher"),
        ('Host(`a`) && "x"', 13, "not a matcher"),
        ("Host(`a`) == Host(`b`)", 10, "'=='"),
        ("-Host(`a`)", 0, "'-'"),
        ("Host(`a`).x", 9, "selector"),
        ("Host(`a`)[0]", 9, "indexing"),
        ("Host((`a`))", 5, "plain string literals"),
        ("Host(`a` + `b`)", 9, "'+'"),
        ("Host{}", 4, "composite"),
        ("Host(Path(`/a`))", 5, "argument of another matcher"),
        ("(Host)(`a`)", 0, "only a matcher name"),
    ],
)
def test_expressions_predicate_rejects(rule: str, offset: int, fragment: str) -> None:
    error = _error(rule)
    assert error.offset == offset
    assert fragment in error.message


def test_syntax_error_wins_over_later_semantic_error() -> None:
    # Go's parser fails before predicate ever sees Host(1).
    error = _error("Host(1) && Path(`/a`")
    assert error.message == "missing ',' before newline in argument list"


@pytest.mark.parametrize(
    "rule",
    [
        "Host(`a`...)",
        "Host(`a`,)",
        "Host(`a`) /* c */ && Path(`/b`) // x",
        "Host(`a`)\n",
        "Host(`a`) &&\n Path(`/b`)",
        "Host(`a`)\t&&\rPath(`/b`)",
        "\ufeffHost(`a`)",
        "!!Host(`a`)",
        "((Host(`a`)))",
        "Host (`a`)",
    ],
)
def test_accepted_go_forms(rule: str) -> None:
    assert isinstance(_tree(rule), And | Or | Not | Matcher)


def test_positions_and_shape() -> None:
    rule = "Host(`example.com`) && (PathPrefix(`/api`) || !Method(`POST`))"
    tree = _tree(rule)
    assert isinstance(tree, And)
    assert (tree.start, tree.end) == (0, len(rule))
    host = tree.left
    assert host == Matcher("Host", (Literal("example.com", "`example.com`", 5, 18),), 0, 19, 4)
    right = tree.right
    assert isinstance(right, Or)
    assert rule[right.start : right.end] == "PathPrefix(`/api`) || !Method(`POST`)"
    assert tree.end == len(rule)  # the And's span includes its operand's parentheses
    negated = right.right
    assert isinstance(negated, Not)
    assert rule[negated.start : negated.end] == "!Method(`POST`)"
    assert [m.name for m in matchers(tree)] == ["Host", "PathPrefix", "Method"]
    method = next(m for m in matchers(tree) if m.name == "Method")
    assert rule[method.start : method.name_end] == "Method"
    assert rule[method.args[0].start : method.args[0].end] == "`POST`"


def test_precedence_and_binds_tighter_than_or() -> None:
    tree = _tree("A(`a`) || B(`b`) && C(`c`)")
    assert isinstance(tree, Or)
    assert isinstance(tree.right, And)
    tree = _tree("A(`a`) && B(`b`) || C(`c`)")
    assert isinstance(tree, Or)
    assert isinstance(tree.left, And)


def test_left_associative_chains() -> None:
    tree = _tree("A(`a`) && B(`b`) && C(`c`)")
    assert isinstance(tree, And)
    assert isinstance(tree.left, And)
    assert isinstance(tree.right, Matcher)


def test_not_binds_to_operand_only() -> None:
    tree = _tree("!A(`a`) && B(`b`)")
    assert isinstance(tree, And)
    assert isinstance(tree.left, Not)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ('"a\\tb"', "a\tb"),
        ('"\\x41\\101\\u00e9\\U0001F600"', "AAé\U0001f600"),
        ('"\\xc3\\xa9"', "é"),
        ('"\\\\"', "\\"),
        ('"\\""', '"'),
        ('"a\\xffb"', "a\udcffb"),
        ("`a\\nb`", "a\\nb"),
        ("`a\r\nb`", "a\nb"),
    ],
)
def test_string_escapes(raw: str, value: str) -> None:
    tree = _tree(f"Host({raw})")
    assert isinstance(tree, Matcher)
    assert tree.args[0].value == value
    assert tree.args[0].raw == raw


def test_value_offset_maps_escapes_back_to_source() -> None:
    rule = 'HostRegexp("a\\\\.b\\x41(")'
    tree = _tree(rule)
    assert isinstance(tree, Matcher)
    literal = tree.args[0]
    assert literal.value == "a\\.bA("
    assert rule[value_offset(literal, 0)] == "a"
    assert rule[value_offset(literal, 1) : value_offset(literal, 1) + 2] == "\\\\"
    assert rule[value_offset(literal, 2)] == "."
    assert rule[value_offset(literal, 4) : value_offset(literal, 4) + 4] == "\\x41"
    assert rule[value_offset(literal, 5)] == "("
    assert value_offset(literal, 99) == literal.end - 1


@pytest.mark.parametrize("name", ["Host", "host", "HOST", "pathPrefix", "a.Host", "Über"])
def test_names_are_kept_as_written(name: str) -> None:
    tree = _tree(f"{name}(`x`)")
    assert isinstance(tree, Matcher)
    assert tree.name == name


def test_deep_parentheses_are_refused_not_crashing() -> None:
    rule = "(" * 10_000 + "Host(`a`)" + ")" * 10_000
    error = _error(rule)
    assert "nests too deeply" in error.message
    assert error.offset == MAX_NESTING


def test_deep_negation_is_refused() -> None:
    error = _error("!" * 10_000 + "Host(`a`)")
    assert "nests too deeply" in error.message


def test_nesting_within_the_limit_is_fine() -> None:
    levels = MAX_NESTING - 1
    tree = _tree("(" * levels + "Host(`a`)" + ")" * levels)
    assert isinstance(tree, Matcher)


def test_long_chains_parse_without_recursion() -> None:
    rule = " && ".join(f"Path(`/{i}`)" for i in range(5000))
    tree = _tree(rule)
    assert depth(tree) == 5000
    assert sum(1 for _ in matchers(tree)) == 5000
