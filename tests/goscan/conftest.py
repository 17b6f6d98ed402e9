"""Fixtures for the Go extractor tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests_goscan_support import only_program, scan_sample

from traefik_doctor.goscan.facts import GoProgram


@pytest.fixture
def sample() -> Callable[[str], GoProgram]:
    """Scan one sample module and return its only program."""
    return lambda name: only_program(scan_sample(name))
