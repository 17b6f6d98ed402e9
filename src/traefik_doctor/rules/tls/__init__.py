"""TLS: certificates and TLS."""

from traefik_doctor.rules.base import Rule

RULES: tuple[Rule, ...] = ()
