"""MW: middlewares."""

from traefik_doctor.rules.base import Rule
from traefik_doctor.rules.mw import (
    mw001_header_template_literal,
    mw002_strip_prefix_mismatch,
    mw003_cors_wildcard,
    mw004_retry_non_idempotent,
    mw005_plaintext_credentials,
    mw006_unknown_middleware_type,
    mw007_middleware_cycle,
)

RULES: tuple[Rule, ...] = (
    mw001_header_template_literal.RULE,
    mw002_strip_prefix_mismatch.RULE,
    mw003_cors_wildcard.RULE,
    mw004_retry_non_idempotent.RULE,
    mw005_plaintext_credentials.RULE,
    mw006_unknown_middleware_type.RULE,
    mw007_middleware_cycle.RULE,
)
