"""SVC: services and backends."""

from traefik_doctor.rules.base import Rule

RULES: tuple[Rule, ...] = ()
