"""One finding type for static checks, cross-checks and live diagnoses.

Findings are data: rules yield them, reports render them. Each one carries where it points
(``Location``), the other side of a cross-check (``related``), the fix a rule offers and,
for live diagnoses, the evidence seen on the running system.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from traefik_doctor.fix.edits import Edit


class Severity(Enum):
    """error: traffic fails or Traefik drops config; warning: fails under some conditions."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.lower())
        except ValueError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or info)") from None


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class FixSafety(Enum):
    """safe: keeps the intended behaviour; unsafe: may change what the user meant."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file: ``path`` relative to the checked directory, 1-based line and column."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.path
        if self.column is None:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Related:
    """The other side of a finding: the definition that conflicts, the Go line that disagrees."""

    location: Location
    message: str


@dataclass(frozen=True, slots=True)
class Fix:
    """What to change; ``safety`` says whether applying it can change intended behaviour.
    ``edits`` make it machine-applicable (``traefik-doctor fix``); empty: described only."""

    description: str
    safety: FixSafety = FixSafety.SAFE
    edits: tuple[Edit, ...] = ()

    @property
    def applicable(self) -> bool:
        return bool(self.edits)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a live diagnosis saw, quoted as proof: the request sent, the response, the
    access-log record, the API's status, a direct probe of the backend, metrics numbers."""

    kind: str  # "request", "response", "access-log", "api", "direct-probe", "metrics", "log"
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem in the user's setup, with the rule that found it."""

    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    related: tuple[Related, ...] = ()
    fix: Fix | None = None
    hint: str | None = field(default=None, compare=False)
    evidence: tuple[Evidence, ...] = ()

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line or 0, loc.column or 0, self.code, self.message)
