"""RTR: routers and rules."""

from traefik_doctor.rules.base import Rule
from traefik_doctor.rules.rtr import rtr007_undefined_service

RULES: tuple[Rule, ...] = (rtr007_undefined_service.RULE,)
