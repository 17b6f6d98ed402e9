"""What a rule is: a code, a name, a severity, a check, and a docstring that documents it.

Rules read the model (``Context.project``) and yield findings; ``Rule.finding`` stamps the
rule's identity on each one so a rule cannot misreport its own code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from traefik_doctor.findings import (
    Evidence,
    Finding,
    Fix,
    FixSafety,
    Location,
    Related,
    Severity,
)
from traefik_doctor.fix.edits import Edit
from traefik_doctor.model.project import Project
from traefik_doctor.redact import redact_text
from traefik_doctor.source import Origin

DOC_SECTIONS = (
    "What it does",
    "Why is this bad?",
    "Example",
    "Use instead",
    "Fix safety",
    "References",
)


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule may read."""

    project: Project
    profile: str = "dev"


CheckFn = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    check: CheckFn = field(repr=False)
    doc: str = field(repr=False, default="")
    prod_severity: Severity | None = None
    fixable: bool = False

    def finding(
        self,
        message: str,
        origin: Origin | Location | None,
        *,
        related: Iterable[tuple[Origin | Location, str]] = (),
        fix: str | None = None,
        unsafe: bool = False,
        severity: Severity | None = None,
        evidence: Iterable[Evidence] = (),
        edits: Iterable[Edit] = (),
    ) -> Finding:
        return Finding(
            code=self.code,
            name=self.name,
            severity=severity or self.severity,
            message=redact_text(message),
            location=_location(origin),
            related=tuple(Related(_location(o), redact_text(m)) for o, m in related),
            fix=Fix(redact_text(fix), FixSafety.UNSAFE if unsafe else FixSafety.SAFE, tuple(edits))
            if fix
            else None,
            evidence=tuple(Evidence(e.kind, redact_text(e.text)) for e in evidence),
        )

    @property
    def summary(self) -> str:
        """The first sentence of *What it does*."""
        body = self.section("What it does")
        first = re.split(r"(?<=\.)\s", body.strip(), maxsplit=1)[0] if body else ""
        return " ".join(first.split())

    def section(self, title: str) -> str:
        return doc_sections(self.doc).get(title, "")

    def run(self, context: Context) -> Iterator[Finding]:
        severity = self.prod_severity if context.profile == "prod" else None
        for produced in self.check(context):
            if severity and produced.severity is self.severity:
                yield produced.with_severity(severity)
            else:
                yield produced


def _location(origin: Origin | Location | None) -> Location:
    if origin is None:
        return Location("")
    if isinstance(origin, Location):
        return origin
    return origin.location()


_HEADING = re.compile(r"^## (.+?)\s*$", re.MULTILINE)


def doc_sections(doc: str) -> dict[str, str]:
    """Split a rule docstring into its ``## `` sections."""
    out: dict[str, str] = {}
    matches = list(_HEADING.finditer(doc))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(doc)
        out[match.group(1)] = doc[match.end() : end].strip("\n")
    return out
