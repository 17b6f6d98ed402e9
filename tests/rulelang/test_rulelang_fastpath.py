"""The fast path builds exactly the tree the full Go-expression parser builds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from traefik_doctor.rulelang.fastpath import parse_simple
from traefik_doctor.rulelang.parser import parse_full

_NAMES = st.sampled_from(["Host", "PathPrefix", "Path", "Header", "Method", "func", "x_1", "HOST"])
_RAW = st.text(alphabet=st.characters(blacklist_characters="`"), max_size=12).map(
    lambda t: f"`{t}`"
)
_SPACE = st.sampled_from(["", " ", "  ", "\t", "\n", "\r"])
_OPERATOR = st.sampled_from(["&&", "||", "&", "|", "!"])


@st.composite
def simple_rules(draw: st.DrawFn) -> str:
    terms = []
    for _ in range(draw(st.integers(1, 5))):
        args = draw(st.lists(_RAW, min_size=0, max_size=3))
        sep = draw(_SPACE) + "," + draw(_SPACE)
        terms.append(f"{draw(_SPACE)}{draw(_NAMES)}({draw(_SPACE)}{sep.join(args)}{draw(_SPACE)})")
    rule = terms[0]
    for term in terms[1:]:
        rule += draw(_SPACE) + draw(_OPERATOR) + term
    return rule + draw(_SPACE)


@settings(max_examples=600)
@given(simple_rules())
def test_fast_path_agrees_with_the_full_parser(rule: str) -> None:
    fast = parse_simple(rule)
    if fast is not None:
        assert fast == parse_full(rule)


def test_fast_path_takes_the_common_rules() -> None:
    for rule in (
        "Host(`a.test`)",
        "Host(`a.test`) && PathPrefix(`/api`)",
        "Host(`a`) || Host(`b`) && Path(`/x`) || Method(`GET`)",
        "Header(`X-Env`, `prod`)",
    ):
        assert parse_simple(rule) is not None
        assert parse_simple(rule) == parse_full(rule)


def test_fast_path_leaves_the_rest_to_the_parser() -> None:
    for rule in (
        "",
        "Host(`a`) &&",
        "Host(`a`,)",
        "!Host(`a`)",
        "(Host(`a`))",
        'Host("a")',
        "func(`a`)",
    ):
        assert parse_simple(rule) is None
