"""Suppressions written next to the configuration they silence.

In YAML and TOML: ``# traefik-doctor: ignore[RTR014,OPS002] reason`` at the end of the
offending line, or alone on the line above it; in Go, the same after ``//``. In compose
files the same comment works on a label line; a container can also carry the label
``traefik-doctor.ignore=RTR014,SVC008`` (handled by the compose loader, which records it
here as a line range).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from traefik_doctor.findings import Finding
from traefik_doctor.source import Source

_DIRECTIVE = re.compile(r"(?:#|//)\s*traefik-doctor:\s*ignore\[([A-Za-z0-9_, ]+)\](.*)$")


@dataclass(slots=True)
class Suppressions:
    """Codes silenced per (display path, line); ``None`` line means the whole file."""

    by_line: dict[tuple[str, int | None], set[str]] = field(default_factory=dict)
    ranges: list[tuple[str, int, int, frozenset[str]]] = field(default_factory=list)
    """Codes silenced on a range of lines (a compose service's ``traefik-doctor.ignore``)."""

    def add(self, path: str, line: int | None, codes: set[str]) -> None:
        self.by_line.setdefault((path, line), set()).update(codes)

    def scan(self, source: Source) -> None:
        if b"traefik-doctor" not in source.data:
            return
        lines = source.data.decode("utf-8", "replace").splitlines()
        for index, text in enumerate(lines, start=1):
            match = _DIRECTIVE.search(text)
            if not match:
                continue
            codes = {code.strip().upper() for code in match.group(1).split(",") if code.strip()}
            own = text[: match.start()].strip()
            # A directive alone on its line applies to the next line.
            self.add(source.display, index if own else index + 1, codes)

    def covers(self, finding: Finding) -> bool:
        loc = finding.location
        for path, first, last, silenced in self.ranges:
            inside = path == loc.path and loc.line is not None and first <= loc.line <= last
            if inside and any(finding.code.startswith(code) for code in silenced):
                return True
        for line in (loc.line, None):
            codes = self.by_line.get((loc.path, line))
            if codes and any(finding.code.startswith(code) for code in codes):
                return True
        return False
