"""RTR: routers and rules."""

from traefik_doctor.rules.base import Rule
from traefik_doctor.rules.rtr import (
    rtr001_rule_syntax_error,
    rtr007_undefined_service,
    rtr008_undefined_middleware,
    rtr009_undefined_entrypoint,
    rtr010_undefined_tls_reference,
    rtr013_mixed_http_https_router,
    rtr014_router_on_all_entrypoints,
    rtr017_missing_rule,
    rtr018_tls_host_without_certificate,
    rtr019_ping_shadows_app_route,
)

RULES: tuple[Rule, ...] = (
    rtr001_rule_syntax_error.RULE,
    rtr007_undefined_service.RULE,
    rtr008_undefined_middleware.RULE,
    rtr009_undefined_entrypoint.RULE,
    rtr010_undefined_tls_reference.RULE,
    rtr013_mixed_http_https_router.RULE,
    rtr014_router_on_all_entrypoints.RULE,
    rtr017_missing_rule.RULE,
    rtr018_tls_host_without_certificate.RULE,
    rtr019_ping_shadows_app_route.RULE,
)
