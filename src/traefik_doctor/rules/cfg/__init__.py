"""CFG: loading and structure of configuration."""

from traefik_doctor.rules.base import Rule
from traefik_doctor.rules.cfg import cfg001_config_syntax_error, cfg002_unknown_field

RULES: tuple[Rule, ...] = (
    cfg001_config_syntax_error.RULE,
    cfg002_unknown_field.RULE,
)
