"""GO: the Go application."""

from traefik_doctor.rules.base import Rule
from traefik_doctor.rules.go import (
    go001_no_listener_found,
    go002_pprof_exposed,
    go003_healthz_missing,
    go004_loopback_listener_behind_container_proxy,
    go005_route_not_served,
    go006_go_version_pattern_mismatch,
)

RULES: tuple[Rule, ...] = (
    go001_no_listener_found.RULE,
    go002_pprof_exposed.RULE,
    go003_healthz_missing.RULE,
    go004_loopback_listener_behind_container_proxy.RULE,
    go005_route_not_served.RULE,
    go006_go_version_pattern_mismatch.RULE,
)
