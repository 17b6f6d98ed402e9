"""RTR: routers and rules."""

from traefik_doctor.rules.base import Rule
from traefik_doctor.rules.rtr import (
    rtr001_rule_syntax_error,
    rtr002_unknown_matcher,
    rtr003_matcher_argument_count,
    rtr004_v2_placeholder_under_v3,
    rtr005_invalid_regexp,
    rtr006_unescaped_dot_in_regexp,
    rtr007_undefined_service,
    rtr008_undefined_middleware,
    rtr009_undefined_entrypoint,
    rtr010_undefined_tls_reference,
    rtr013_mixed_http_https_router,
    rtr014_router_on_all_entrypoints,
    rtr015_priority_out_of_range,
    rtr016_path_missing_slash,
    rtr017_missing_rule,
    rtr018_tls_host_without_certificate,
    rtr019_ping_shadows_app_route,
)

RULES: tuple[Rule, ...] = (
    rtr001_rule_syntax_error.RULE,
    rtr002_unknown_matcher.RULE,
    rtr003_matcher_argument_count.RULE,
    rtr004_v2_placeholder_under_v3.RULE,
    rtr005_invalid_regexp.RULE,
    rtr006_unescaped_dot_in_regexp.RULE,
    rtr007_undefined_service.RULE,
    rtr008_undefined_middleware.RULE,
    rtr009_undefined_entrypoint.RULE,
    rtr010_undefined_tls_reference.RULE,
    rtr013_mixed_http_https_router.RULE,
    rtr014_router_on_all_entrypoints.RULE,
    rtr015_priority_out_of_range.RULE,
    rtr016_path_missing_slash.RULE,
    rtr017_missing_rule.RULE,
    rtr018_tls_host_without_certificate.RULE,
    rtr019_ping_shadows_app_route.RULE,
)
