"""Every Go module in the rule fixtures is real Go: it builds with the real toolchain.

A cross-check rule is only as credible as the Go code it is tested on, so the fixtures must
compile (Go 1.19 syntax, standard library only, nothing downloaded).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
MODULES = sorted(path.parent for path in FIXTURES.rglob("go.mod"))


@pytest.mark.go
@pytest.mark.parametrize("module", MODULES, ids=[str(m.relative_to(FIXTURES)) for m in MODULES])
def test_fixture_module_builds(module: Path, tmp_path: Path) -> None:
    go = shutil.which("go")
    assert go is not None, "Go is not installed: `apt-get install golang-go` (CI does this)"
    env = {
        **os.environ,
        "GOFLAGS": "-mod=mod",
        "GOPROXY": "off",
        "GOTOOLCHAIN": "local",
        "GOCACHE": str(tmp_path.parent / "gocache"),
        "GOPATH": str(tmp_path.parent / "gopath"),
    }
    done = subprocess.run(
        [go, "build", "-o", f"{tmp_path}/", "./..."],
        cwd=module,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
