"""Severities under the dev and prod profiles for the OPS rules and TLS006."""

from __future__ import annotations

from pathlib import Path

import pytest

from traefik_doctor.engine import run_check
from traefik_doctor.findings import Severity
from traefik_doctor.settings import Settings

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.mark.parametrize(
    ("case", "code", "dev", "prod"),
    [
        ("OPS001/fail_insecure", "OPS001", Severity.WARNING, Severity.ERROR),
        ("OPS002/fail_debug", "OPS002", Severity.INFO, Severity.ERROR),
        ("OPS003/fail_no_metrics", "OPS003", Severity.INFO, Severity.ERROR),
        ("OPS004/fail_no_access_log", "OPS004", Severity.INFO, Severity.ERROR),
        ("OPS005/fail_default_buckets", "OPS005", Severity.INFO, Severity.WARNING),
        ("OPS007/fail_watch_off", "OPS007", Severity.WARNING, None),
        ("TLS006/fail_http_transport", "TLS006", Severity.WARNING, Severity.ERROR),
    ],
)
def test_profile_severity(case: str, code: str, dev: Severity, prod: Severity | None) -> None:
    for profile, expected in (("dev", dev), ("prod", prod)):
        result = run_check(FIXTURES / case, Settings(select=[code], profile=profile))
        severities = {finding.severity for finding in result.findings}
        assert severities == ({expected} if expected else set()), (profile, result.findings)


def test_key_material_never_in_messages() -> None:
    for case in sorted(FIXTURES.glob("TLS00*/*")):
        result = run_check(case, Settings(select=["TLS"]))
        for finding in result.findings:
            assert "PRIVATE KEY" not in finding.message and "MII" not in finding.message
