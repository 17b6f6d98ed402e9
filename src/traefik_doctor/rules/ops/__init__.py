"""OPS: readiness for production."""

from traefik_doctor.rules.base import Rule

RULES: tuple[Rule, ...] = ()
