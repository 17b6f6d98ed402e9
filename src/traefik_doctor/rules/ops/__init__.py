"""OPS: readiness for production."""

from traefik_doctor.rules.base import Rule
from traefik_doctor.rules.ops import (
    ops001_api_insecure,
    ops002_debug_logging,
    ops003_metrics_missing,
    ops004_access_log_missing,
    ops005_coarse_latency_buckets,
    ops006_docker_exposed_by_default,
    ops007_file_watch_off,
)

RULES: tuple[Rule, ...] = (
    ops001_api_insecure.RULE,
    ops002_debug_logging.RULE,
    ops003_metrics_missing.RULE,
    ops004_access_log_missing.RULE,
    ops005_coarse_latency_buckets.RULE,
    ops006_docker_exposed_by_default.RULE,
    ops007_file_watch_off.RULE,
)
