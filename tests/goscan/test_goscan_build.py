"""The stdlib samples are real Go: each builds with the Go toolchain (Debian's Go 1.19)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "samples"
# Samples that need third-party modules (chi, gin, echo, gorilla, grpc, x/net) cannot be built
# offline, and parseerror is Go 1.26 syntax on purpose: those only need to parse.
STDLIB_SAMPLES = ["admin", "client", "flags", "go121", "go122", "pprofimport", "stdlib"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("go") is None, reason="no Go toolchain on PATH")
@pytest.mark.parametrize("name", STDLIB_SAMPLES)
def test_sample_builds(name: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "GOFLAGS": "-mod=mod",
        "GOPROXY": "off",
        "GOTOOLCHAIN": "local",
        "GOCACHE": os.environ.get("GOCACHE", str(tmp_path.parent / "gocache")),
        "GOPATH": str(tmp_path / "gopath"),
    }
    completed = subprocess.run(
        ["go", "build", "-o", str(tmp_path / "bin") + os.sep, "./..."],
        cwd=SAMPLES / name,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert any((tmp_path / "bin").iterdir())


def test_every_sample_is_listed_somewhere() -> None:
    parse_only = {"chi", "gin", "echo", "gorilla", "grpc", "h2c", "parseerror"}
    present = {p.name for p in SAMPLES.iterdir() if p.is_dir()}
    assert present == parse_only | set(STDLIB_SAMPLES)
