"""Small helpers shared by the goscan tests (a plain module: ``conftest`` is not importable
by name when the whole suite runs)."""

from __future__ import annotations

from pathlib import Path

from traefik_doctor.findings import Location
from traefik_doctor.goscan.extract import scan
from traefik_doctor.goscan.facts import GoProgram, GoScan

SAMPLES = Path(__file__).parent / "samples"


def L(path: str, line: int, column: int | None = None) -> Location:  # noqa: N802
    return Location(path, line, column)


def route_table(program: GoProgram) -> list[tuple[str, str | None, str, bool, str]]:
    return [(r.router, r.method, r.path, r.prefix, str(r.location)) for r in program.routes]


def scan_sample(name: str) -> GoScan:
    """Scan ``samples/<name>``; paths in facts start with ``<name>/``."""
    return scan([SAMPLES / name], SAMPLES)


def only_program(result: GoScan) -> GoProgram:
    assert len(result.programs) == 1, [p.package for p in result.programs]
    return result.programs[0]
