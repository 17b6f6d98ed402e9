"""LIVE: diagnoses of a running Traefik and its backends (made by ``probe``/``doctor``)."""

from traefik_doctor.rules.base import Rule
from traefik_doctor.rules.live import (
    live001_entrypoint_unreachable,
    live002_no_router_matched,
    live003_router_not_running,
    live004_backend_refused,
    live005_backend_timeout,
    live006_backend_tls_untrusted,
    live007_no_healthy_server,
    live008_backend_404_after_routing,
    live009_backend_connection_closed,
    live010_default_certificate_served,
    live012_high_latency,
    live013_high_error_rate,
    live014_goroutine_growth,
    live015_heap_growth,
    live016_config_reload_failed,
    live017_pprof_reachable_through_proxy,
    live018_healthz_failing,
)

RULES: tuple[Rule, ...] = (
    live001_entrypoint_unreachable.RULE,
    live002_no_router_matched.RULE,
    live003_router_not_running.RULE,
    live004_backend_refused.RULE,
    live005_backend_timeout.RULE,
    live006_backend_tls_untrusted.RULE,
    live007_no_healthy_server.RULE,
    live008_backend_404_after_routing.RULE,
    live009_backend_connection_closed.RULE,
    live010_default_certificate_served.RULE,
    live012_high_latency.RULE,
    live013_high_error_rate.RULE,
    live014_goroutine_growth.RULE,
    live015_heap_growth.RULE,
    live016_config_reload_failed.RULE,
    live017_pprof_reachable_through_proxy.RULE,
    live018_healthz_failing.RULE,
)
