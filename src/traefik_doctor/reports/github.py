"""GitHub Actions workflow commands, which turn findings into annotations on the diff.

A message is data on a command line that the runner parses, so newlines and ``%`` are escaped
(and ``:`` and ``,`` in properties) or a hostile message could issue commands of its own.
"""

from __future__ import annotations

from traefik_doctor.findings import Finding, FixSafety, Severity
from traefik_doctor.reports.base import Report, clean_text

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


class GithubWriter:
    """One ``::error``/``::warning``/``::notice`` line per finding.

    Notes and the fix follow the message on further lines of the same annotation, where
    someone reading the pull request sees them.
    """

    name = "github"

    def render(self, report: Report, *, color: bool) -> str:
        return "".join(_command(finding) + "\n" for finding in report.findings)


def _command(finding: Finding) -> str:
    loc = finding.location
    props = [f"file={escape_property(clean_text(loc.path))}"]
    if loc.line is not None:
        props.append(f"line={loc.line}")
        if loc.column is not None:
            props.append(f"col={loc.column}")
    props.append(f"title={escape_property(clean_text(f'{finding.code} {finding.name}'))}")
    lines = [finding.message]
    lines.extend(f"note: {rel.location}: {rel.message}" for rel in finding.related)
    lines.extend(f"evidence: {e.kind}: {e.text}" for e in finding.evidence)
    if finding.fix is not None:
        unsafe = " (unsafe fix)" if finding.fix.safety is FixSafety.UNSAFE else ""
        lines.append(f"help: {finding.fix.description}{unsafe}")
    message = escape_data(_clean_lines("\n".join(lines)))
    return f"::{_COMMAND[finding.severity]} {','.join(props)}::{message}"


def _clean_lines(text: str) -> str:
    """Control characters dropped (the log viewer would obey them) but line breaks kept."""
    return "\n".join(clean_text(part) for part in text.replace("\r\n", "\n").split("\n"))


def escape_data(text: str) -> str:
    """A command's message, escaped as the Actions runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command property value: data escaping plus the ``:`` and ``,`` that delimit them."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
