"""Shared test helpers."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests must not depend on the developer's shell: drop TRAEFIK_* and colour settings."""
    for name in list(os.environ):
        if name.startswith("TRAEFIK_") or name in ("NO_COLOR", "FORCE_COLOR"):
            monkeypatch.delenv(name, raising=False)
    yield
