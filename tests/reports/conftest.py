"""A fixed report that exercises every branch a writer has, shared by the report tests."""

from __future__ import annotations

import pytest

from traefik_doctor.findings import Finding, Fix, FixSafety, Location, Related, Severity
from traefik_doctor.reports import Report, RuleInfo
from traefik_doctor.source import Source

ROUTERS = (
    "http:\n"
    "  routers:\n"
    "    web:\n"
    '      rule: "Host(`example.com`)"\n'
    "      service: api@file\n"
    "      middlewares:\t[auth]\n"
)
SERVICES = "http:\n  services:\n    api-v2:\n      loadBalancer: {}\n"

RULES = {
    "TD101": RuleInfo(
        "TD101",
        "unknown-service",
        "A router points at a service that no provider defines.",
        Severity.ERROR,
        "https://example.invalid/rules/TD101",
    ),
    "TD205": RuleInfo(
        "TD205", "unknown-middleware", "A router uses an undefined middleware.", Severity.WARNING
    ),
    "TD301": RuleInfo("TD301", "http-only", "A router is reachable over HTTP only.", Severity.INFO),
    "TD401": RuleInfo(
        "TD401", "missing-entrypoint", "A router names an unknown entry point.", Severity.WARNING
    ),
    "TD999": RuleInfo("TD999", "never-fires", "A rule with no finding here.", Severity.ERROR),
}

FINDINGS = (
    Finding(
        "TD301",
        "http-only",
        Severity.INFO,
        "router `web` matches Host(`example.com`) but has no TLS",
        Location("dynamic/routers.yml", 4, 13),
        fix=Fix("add `tls: {}` to router `web`"),
    ),
    Finding(
        "TD101",
        "unknown-service",
        Severity.ERROR,
        "router `web` uses service `api@file`, which is not defined",
        Location("dynamic/routers.yml", 5, 16),
        related=(
            Related(Location("services dir/api.yml", 3, 5), "service `api-v2` is defined here"),
            Related(Location("cmd/server/main.go", 42), "the Go service listens on :8081"),
        ),
        fix=Fix("point the router at `api-v2@file`", FixSafety.UNSAFE),
    ),
    Finding(
        "TD205",
        "unknown-middleware",
        Severity.WARNING,
        "middleware `auth` is not defined\x1b]0;pwned\x07, 100% sure:\r\nno provider has it\x1b[2J",
        Location("dynamic/routers.yml", 6, 21),
    ),
    Finding(
        "TD401",
        "missing-entrypoint",
        Severity.WARNING,
        "no entry point named `websecure` in the static configuration",
        Location("traefik.toml"),
    ),
)


def make_report(findings: tuple[Finding, ...] = FINDINGS) -> Report:
    sources = {
        "dynamic/routers.yml": Source("/srv/traefik/dynamic/routers.yml", "dynamic/routers.yml"),
        "services dir/api.yml": Source("/srv/traefik/services dir/api.yml", "services dir/api.yml"),
        "traefik.toml": Source("/srv/traefik/traefik.toml", "traefik.toml", b""),
    }
    sources["dynamic/routers.yml"].data = ROUTERS.encode()
    sources["services dir/api.yml"].data = SERVICES.encode()
    return Report(findings, RULES, "/srv/traefik", "0.1.0-test", sources)


@pytest.fixture
def report() -> Report:
    return make_report()


@pytest.fixture
def empty_report() -> Report:
    return make_report(())
