"""The rule registry: explicit lists per area, so adding a rule is one visible line in its
area's ``__init__``."""

from __future__ import annotations

from traefik_doctor.rules import cfg, go, k8s, live, mw, ops, rtr, svc, tls, tmo
from traefik_doctor.rules.base import Rule

RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            *cfg.RULES,
            *rtr.RULES,
            *svc.RULES,
            *mw.RULES,
            *tls.RULES,
            *ops.RULES,
            *tmo.RULES,
            *go.RULES,
            *live.RULES,
            *k8s.RULES,
        ),
        key=lambda rule: rule.code,
    )
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
