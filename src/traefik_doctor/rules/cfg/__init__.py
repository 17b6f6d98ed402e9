"""CFG: loading and structure of configuration."""

from traefik_doctor.rules.base import Rule
from traefik_doctor.rules.cfg import (
    cfg001_config_syntax_error,
    cfg002_unknown_field,
    cfg003_wrong_value_type,
    cfg004_provider_wide_outage,
    cfg005_dynamic_config_in_static_file,
    cfg006_static_config_in_dynamic_file,
    cfg007_missing_config_path,
    cfg008_duplicate_key,
    cfg009_ignored_file,
    cfg010_conflicting_definition,
    cfg011_removed_in_v3,
    cfg012_empty_section,
    cfg013_ignored_static_source,
    cfg014_file_not_checked,
    cfg015_template_error,
)

RULES: tuple[Rule, ...] = (
    cfg001_config_syntax_error.RULE,
    cfg002_unknown_field.RULE,
    cfg003_wrong_value_type.RULE,
    cfg004_provider_wide_outage.RULE,
    cfg005_dynamic_config_in_static_file.RULE,
    cfg006_static_config_in_dynamic_file.RULE,
    cfg007_missing_config_path.RULE,
    cfg008_duplicate_key.RULE,
    cfg009_ignored_file.RULE,
    cfg010_conflicting_definition.RULE,
    cfg011_removed_in_v3.RULE,
    cfg012_empty_section.RULE,
    cfg013_ignored_static_source.RULE,
    cfg014_file_not_checked.RULE,
    cfg015_template_error.RULE,
)
