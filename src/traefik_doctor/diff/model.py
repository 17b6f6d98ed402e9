"""What ``diff`` finds: data, rendered by ``diff.render`` (text and JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field

from traefik_doctor.findings import Location

ROUTING = "Routing"
TLS = "TLS"
TIMEOUTS = "Timeouts"
HEALTH = "Health checks"
OBSERVABILITY = "Observability"
PROVIDERS = "Providers/API"
OTHER = "Other"
AREAS = (ROUTING, TLS, TIMEOUTS, HEALTH, OBSERVABILITY, PROVIDERS, OTHER)
"""The report's sections, in order."""

CHANGED, ADDED, REMOVED = "~", "+", "-"
OPS = {CHANGED: "changed", ADDED: "added", REMOVED: "removed"}


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a difference: the value as shown, where it is written (None: Traefik's
    default, or unset), and whether it is Traefik's default."""

    value: str
    location: Location | None = None
    default: bool = False


@dataclass(frozen=True, slots=True)
class Risk:
    """Why a difference makes B riskier than A: a finding ``check --profile prod`` reports in
    B and not in A (``code`` is the rule's), or a judgement on the difference itself
    (``code`` ``DIFF``) when no rule covers it."""

    code: str
    severity: str
    message: str
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """One difference. ``field`` is empty when the whole object is on one side only."""

    area: str
    op: str
    kind: str
    protocol: str
    name: str
    label: str
    field: str
    a: Side | None
    b: Side | None
    note: str = ""
    risks: tuple[Risk, ...] = ()

    @property
    def ident(self) -> tuple[str, str, str]:
        return (self.kind, self.protocol, self.name)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that makes the comparison incomplete: a file Traefik rejects on one side
    (its objects are missing from that side), Go code that does not parse."""

    side: str  # "A" or "B"
    message: str
    location: Location | None = None


@dataclass(slots=True)
class DiffResult:
    a: str
    b: str
    changes: list[Change] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    """Findings new in B that no difference explains (e.g. from code that was not compared)."""
    problems: list[Problem] = field(default_factory=list)
    risk_checked: bool = False
    """Risks were assessed (``--profile prod``)."""

    @property
    def risky(self) -> list[Change]:
        return [change for change in self.changes if change.risks]

    @property
    def risk_count(self) -> int:
        return len(self.risky) + len(self.risks)
