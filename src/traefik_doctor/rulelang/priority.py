"""The priority Traefik gives a router that sets none.

``GetRulePriority`` in ``pkg/muxer/http/mux.go`` returns ``len(rule)``: Go's
``len`` of a string counts UTF-8 bytes, not characters, and nothing is trimmed,
so spaces, newlines and comments all count (an empty rule has priority 0).
TCP routers use the same length, except that a rule made of ``HostSNI(`*`)``
alone (any accepted spelling, even negated or in parentheses) gets -1 so the
catch-all is tried last (``pkg/muxer/tcp/mux.go``).

A user-set priority above ``MAX_PRIORITY`` (``math.MaxInt - 1000``; Traefik's
release binaries are 64-bit) disables the router: the top 1000 values are kept
for Traefik's internal routers (``pkg/server/router/router.go``).
"""

from __future__ import annotations

from traefik_doctor.rulelang.ast import Matcher, Not
from traefik_doctor.rulelang.matchers import spellings
from traefik_doctor.rulelang.parser import parse

__all__ = ["MAX_PRIORITY", "default_priority", "default_tcp_priority"]

MAX_PRIORITY = 2**63 - 1 - 1000
"""The largest priority a user-defined router may have (9223372036854774807)."""


def default_priority(rule: str) -> int:
    """Traefik's default HTTP router priority: the rule's length in UTF-8 bytes."""
    return len(rule.encode("utf-8", "surrogateescape"))


def default_tcp_priority(rule: str) -> int:
    """Traefik's default TCP router priority: -1 for a lone ``HostSNI(`*`)``, else the length."""
    tree = parse(rule)
    while isinstance(tree, Not):
        tree = tree.operand
    if (
        isinstance(tree, Matcher)
        and tree.name in spellings("HostSNI")
        and len(tree.args) == 1
        and tree.args[0].value == "*"
    ):
        return -1
    return default_priority(rule)
