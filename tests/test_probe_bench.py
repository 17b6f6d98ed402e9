"""The probe benchmark (``bench/probe_bench.py``, issue 5) end to end on a small project: the
real Traefik, the real ``traefik-doctor probe`` CLI and the generated curl script are both
timed, and both sanity checks hold (no LIVE finding on healthy routes, one logged request
with an ``X-Diag-Id`` per router, every curl answer 200). The times are reported, never
asserted: tests do not judge wall-clock speed.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = [pytest.mark.traefik, pytest.mark.slow]

BENCH = Path(__file__).resolve().parents[1] / "bench" / "probe_bench.py"
ROUTERS = 50


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("probe_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["probe_bench"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_small_run_times_both_approaches_and_is_sane(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _bench()
    code = bench.main(["--routers", str(ROUTERS), "--repeat", "1", "--files", "2"])
    out = capsys.readouterr().out
    assert code == 0, out
    rows = {
        cells[0]: cells
        for line in out.splitlines()
        if line.startswith("| ") and not line.startswith("| approach")
        for cells in [[cell.strip() for cell in line.strip("|").split("|")]]
    }
    probe, curl = rows["traefik-doctor probe"], rows["curl one by one (bash)"]
    # One request per router (health checks and API reads go elsewhere or are not logged).
    assert probe[1] == str(ROUTERS)
    # curl also reads the two API lists and each backend's health path.
    assert int(curl[1]) > ROUTERS
    for row in (probe, curl):
        assert re.fullmatch(r"\d+\.\d\d s", row[2]), row
        assert row[4] == "ok", out
    summary = out.strip().splitlines()[-1]
    assert summary.startswith(f"{ROUTERS} routers: probe "), summary
    assert "ratio curl/probe" in summary and "sanity ok" in summary, summary
