"""TLS: certificates and TLS."""

from traefik_doctor.rules.base import Rule
from traefik_doctor.rules.tls import (
    tls001_unreadable_certificate,
    tls002_certificate_key_mismatch,
    tls003_certificate_expiry,
    tls004_host_not_covered,
    tls005_incomplete_chain,
    tls006_insecure_skip_verify,
    tls007_go_client_insecure_skip_verify,
    tls008_weak_tls_options,
)

RULES: tuple[Rule, ...] = (
    tls001_unreadable_certificate.RULE,
    tls002_certificate_key_mismatch.RULE,
    tls003_certificate_expiry.RULE,
    tls004_host_not_covered.RULE,
    tls005_incomplete_chain.RULE,
    tls006_insecure_skip_verify.RULE,
    tls007_go_client_insecure_skip_verify.RULE,
    tls008_weak_tls_options.RULE,
)
