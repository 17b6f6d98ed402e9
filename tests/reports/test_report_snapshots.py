"""Every writer's output for the shared report, compared byte for byte with a reviewed file.

Run with ``UPDATE_SNAPSHOTS=1`` to rewrite the files after an intended change, then review
the diff: the snapshot is the spec of what users see.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from traefik_doctor.reports import WRITERS, Report

SNAPSHOTS = Path(__file__).parent / "snapshots"


def test_registry_names_match_writers() -> None:
    assert list(WRITERS) == ["text", "json", "sarif", "junit", "github"]
    for name, writer in WRITERS.items():
        assert writer.name == name


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_snapshot(fmt: str, report: Report) -> None:
    output = WRITERS[fmt].render(report, color=False)
    path = SNAPSHOTS / f"{fmt}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_bytes(output.encode("utf-8"))
    assert path.exists(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert output == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_output_is_deterministic_and_ends_with_newline(fmt: str, report: Report) -> None:
    first = WRITERS[fmt].render(report, color=False)
    assert first == WRITERS[fmt].render(report, color=False)
    assert first.endswith("\n")
