"""The bundled examples stay what the README says: one finding of each kind in broken-app,
nothing at all in clean-app (Go side included)."""

from __future__ import annotations

from pathlib import Path

from traefik_doctor.engine import run_check
from traefik_doctor.settings import Settings

EXAMPLES = Path(__file__).parent.parent / "examples"

BROKEN = {
    # Traefik configuration
    "CFG002", "CFG004", "CFG009", "CFG011", "MW001", "MW005", "OPS001", "OPS002", "OPS003",
    "OPS004", "RTR003", "RTR004", "RTR007", "RTR008", "RTR010", "RTR013", "RTR014", "RTR018",
    "RTR019", "SVC004", "SVC006", "SVC014",
    # Traefik against the Go service
    "GO002", "GO006", "MW002", "MW004", "SVC003", "SVC005", "SVC007", "SVC012", "SVC013",
    "TLS007", "TMO001", "TMO002", "TMO003", "TMO004", "TMO005", "TMO006",
}  # fmt: skip


def test_broken_app_shows_each_fault() -> None:
    result = run_check(EXAMPLES / "broken-app", Settings())
    assert not result.crashed
    assert {finding.code for finding in result.findings} == BROKEN


def test_cross_checks_name_both_sides() -> None:
    cross = ["TMO001", "TMO002", "TMO004", "SVC003", "SVC005", "SVC013", "MW002"]
    result = run_check(EXAMPLES / "broken-app", Settings(select=cross))
    for finding in result.findings:
        paths = {finding.location.path, *(r.location.path for r in finding.related)}
        assert any(p.endswith(".go") for p in paths), finding
        assert any(p.endswith((".yml", ".yaml", ".toml")) for p in paths), finding


def test_clean_app_is_clean() -> None:
    result = run_check(EXAMPLES / "clean-app", Settings())
    assert result.project.go is not None and result.project.go.programs
    assert result.findings == []
