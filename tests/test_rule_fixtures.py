"""Every rule against its fixtures: the findings equal the ``# expect:`` annotations."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures import Case, cases
from traefik_doctor.engine import run_check
from traefik_doctor.findings import Severity
from traefik_doctor.rules.registry import BY_CODE
from traefik_doctor.settings import Settings

CASES = cases()


def run_case(case: Case) -> set[tuple[str, int, str, int | None]]:
    settings = Settings(select=[case.code], profile=str(case.settings.get("profile", "dev")))
    result = run_check(case.path, settings)
    assert not result.crashed, result.crashed
    got = set()
    for finding in result.findings:
        assert finding.code == case.code
        assert finding.location.line is not None, f"{finding} has no line"
        got.add(
            (finding.location.path, finding.location.line, finding.code, finding.location.column)
        )
    return got


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_fixture(case: Case) -> None:
    got = run_case(case)
    if not case.failing:
        assert got == set(), f"pass case produced findings: {sorted(got)}"
        return
    assert case.expected, "a fail_ case needs at least one `# expect:` annotation"
    pinned = {(p, line, code) for p, line, code, col in case.expected}
    got_lines = {(p, line, code) for p, line, code, _ in got}
    assert got_lines == pinned, f"expected {sorted(pinned)}, got {sorted(got)}"
    for path, line, code, column in case.expected:
        if column is not None:
            assert (path, line, code, column) in got, (
                f"column of {path}:{line} {code}: got {sorted(got)}"
            )


@pytest.mark.parametrize("code", sorted(BY_CODE))
def test_every_rule_has_fixtures_and_docs(code: str) -> None:
    rule = BY_CODE[code]
    if code.startswith("LIVE"):
        # Live diagnoses judge a running system: their tests are the scenarios that run
        # real Traefik and backends (tests/live, tests/probes), which name the code.
        scenarios = Path(__file__).parent
        named = any(
            code in path.read_text(encoding="utf-8")
            for folder in ("live", "probes")
            for path in (scenarios / folder).glob("test_*.py")
        )
        assert named, f"{code} has no scenario test in tests/live or tests/probes"
    else:
        mine = [case for case in CASES if case.code == code]
        assert any(case.failing for case in mine), f"{code} has no fail_ fixture"
        assert any(not case.failing for case in mine), f"{code} has no pass_ fixture"
    for title in (
        "What it does",
        "Why is this bad?",
        "Example",
        "Use instead",
        "Fix safety",
        "References",
    ):
        assert rule.section(title), f"{code} docstring lacks `## {title}`"
    assert rule.summary.startswith("Checks for"), (
        f"{code}: What it does must start with 'Checks for'"
    )
    assert isinstance(rule.severity, Severity)
