"""How ``watch`` shows a check: on a screen it redraws, or as a log it appends to.

First check: the full report (``reports.text``'s code frames) and a summary. Then, per batch
of saves, a header (time and the files that changed), one line per finding that appeared
(``+``), was resolved (``-``) or was reworded at the same place (``~``), and one summary line
with the counts and how much was read again. ``screen`` (the default on a terminal) clears
it first and shows the whole current list above the changes, so the latest state is always
what is on screen; ``--plain`` appends only the changes.
"""

from __future__ import annotations

import time
from pathlib import Path

from traefik_doctor import __version__
from traefik_doctor.findings import Finding, Severity
from traefik_doctor.reports.base import Report, clean_text
from traefik_doctor.reports.text import counted, render_finding
from traefik_doctor.watch.session import Outcome

CLEAR = "\x1b[2J\x1b[H"
_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_GREEN = "\x1b[32m"
_YELLOW = "\x1b[33m"
_SEVERITY = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;34m",
}


def _paint(color: bool, style: str, text: str) -> str:
    return f"{style}{text}{_RESET}" if color and text else text


def _report(outcome: Outcome, root: str) -> Report:
    return Report(outcome.findings, {}, root, __version__, outcome.sources)


def headline(report: Report, finding: Finding, *, color: bool) -> str:
    """The first line of the text report's block for the finding."""
    return render_finding(report, finding, color=color).split("\n", 1)[0]


def _clock(when: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(when))


def _changed(outcome: Outcome) -> str:
    shown = [clean_text(path) for path in outcome.changed]
    if not shown:
        return "checked"
    if len(shown) > 5:
        shown = [*shown[:5], f"and {len(shown) - 5} more"]
    return ", ".join(shown)


def _stats(outcome: Outcome) -> str:
    reread = outcome.reread
    parts = [f"{outcome.elapsed:.2f} s"]
    if reread.provider_total:
        parts.append(f"provider files re-read {reread.provider_parsed}/{reread.provider_total}")
    if reread.go_total:
        parts.append(f"Go files re-read {reread.go_parsed}/{reread.go_total}")
    return "; ".join(parts)


def render(outcome: Outcome, *, root: str, screen: bool, color: bool) -> str:
    """The text to write for one check (ends with a newline)."""
    stamp = _paint(color, _DIM, f"[{_clock(outcome.when)}]")
    if outcome.error is not None:
        line = f"{stamp} {_changed(outcome)}: check failed: {clean_text(outcome.error)}"
        return line + " (still watching)\n"
    report = _report(outcome, root)
    blocks: list[str] = []
    if outcome.first or screen:
        blocks.extend(render_finding(report, finding, color=color) for finding in outcome.findings)
    lines: list[str] = []
    if outcome.first:
        lines.append(f"{stamp} {_paint(color, _BOLD, 'checked')} {clean_text(root)}")
    else:
        lines.append(f"{stamp} {_paint(color, _BOLD, _changed(outcome))}")
        diff = outcome.diff
        for finding in diff.appeared:
            mark = _paint(color, _SEVERITY[finding.severity], "+")
            lines.append(f"{mark} {headline(report, finding, color=color)}")
        for finding in diff.resolved:
            lines.append(f"{_paint(color, _GREEN, '-')} {headline(report, finding, color=False)}")
        for _before, after in diff.changed:
            lines.append(f"{_paint(color, _YELLOW, '~')} {headline(report, after, color=color)}")
    for note in outcome.notes:
        lines.append(f"  note: {clean_text(note)}")
    for message in outcome.crashed:
        lines.append(f"  internal error in rule {clean_text(message)}")
    if outcome.probed is not None and outcome.probed:
        names = ", ".join(f"`{name}`" for name in outcome.probed)
        count = len(outcome.probed)
        lines.append(f"  probed {count} router{'' if count == 1 else 's'}: {clean_text(names)}")
    lines.append(_summary_line(outcome, color=color))
    blocks.append("\n".join(lines))
    text = "\n\n".join(blocks) + "\n"
    return (CLEAR + text) if screen else text


def watching(folders: list[Path], root: Path, shown_root: str, *, color: bool) -> str:
    """The line that says the watch is live, and on which folders (the checked one first,
    as the header names it)."""
    shown = [shown_root if folder == root else folder.as_posix() for folder in folders]
    shown.sort(key=lambda name: (name != shown_root, name))
    names = ", ".join(clean_text(name) for name in shown)
    return f"{_paint(color, _BOLD, 'watching')} {names} (Ctrl-C to stop)\n"


def _summary_line(outcome: Outcome, *, color: bool) -> str:
    diff = outcome.diff
    if outcome.first:
        change = f"{len(outcome.findings)} finding{'' if len(outcome.findings) == 1 else 's'}"
    elif diff.empty:
        change = "no change"
    else:
        parts = [f"{len(diff.appeared)} new", f"{len(diff.resolved)} resolved"]
        if diff.changed:
            parts.append(f"{len(diff.changed)} changed")
        change = ", ".join(parts)
    text = f"= {counted(outcome.findings)} ({change}; {_stats(outcome)})"
    return _paint(color, _BOLD, text)
