"""TMO: timeouts across the proxy and the Go server."""

from traefik_doctor.rules.base import Rule
from traefik_doctor.rules.tmo import (
    tmo001_backend_idle_shorter_than_proxy,
    tmo002_backend_write_timeout_short,
    tmo003_go_server_without_timeouts,
    tmo004_entrypoint_timeout_shorter_than_backend,
    tmo005_go_client_without_timeout,
    tmo006_healthcheck_timeout_not_below_interval,
)

RULES: tuple[Rule, ...] = (
    tmo001_backend_idle_shorter_than_proxy.RULE,
    tmo002_backend_write_timeout_short.RULE,
    tmo003_go_server_without_timeouts.RULE,
    tmo004_entrypoint_timeout_shorter_than_backend.RULE,
    tmo005_go_client_without_timeout.RULE,
    tmo006_healthcheck_timeout_not_below_interval.RULE,
)
