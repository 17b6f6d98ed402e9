"""``fix`` from start to end: check, choose the edits, edit each file in memory, write the
files safely, check again, and put back any file whose fix made the project worse.

Which findings are fixed: those whose ``Fix`` carries edits, selected by ``--select`` /
``--ignore`` (prefixes, like ``check``), and unsafe ones only with ``--unsafe``. All rules
still run: the check after writing compares every finding, not only the selected codes.

Worse means: a finding (by code, file and severity) that was not there before, or more of
them, or a rule that now fails with an internal error; findings about the backups ``fix``
itself writes (``FILE.bak``) do not count.
When the files written together make it worse, all are restored, then each file is tried
alone, and only the files that do not make it worse are kept. A restore, too, happens only
if the file still holds what ``fix`` wrote.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from traefik_doctor.engine import CheckResult, run_check
from traefik_doctor.findings import Finding, FixSafety
from traefik_doctor.fix.apply import (
    FileChangedError,
    FileRefusedError,
    FileWriter,
    Snapshot,
    WriteFailedError,
)
from traefik_doctor.fix.edits import Edit
from traefik_doctor.fix.text import edit_text
from traefik_doctor.loaders.files import display_path
from traefik_doctor.model.project import Role
from traefik_doctor.redact import redact_line
from traefik_doctor.settings import Settings


@dataclass(frozen=True, slots=True)
class FixOptions:
    unsafe: bool = False
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    diff: bool = False

    def selected(self, code: str) -> bool:
        if self.select and not code.startswith(self.select):
            return False
        return not (self.ignore and code.startswith(self.ignore))


@dataclass(slots=True)
class FileResult:
    """What happened to one file: ``status`` is ``fixed``, ``would-fix`` (``--diff``),
    ``refused``, ``changed``, ``failed``, ``rolled-back`` or ``unchanged``."""

    display: str
    status: str
    fixed: list[Finding] = field(default_factory=list)
    not_applied: list[tuple[Finding, str]] = field(default_factory=list)
    message: str = ""
    diff: str = ""
    backup: str | None = None
    """The original's copy (``FILE.bak``, shown relative to the checked directory)."""


@dataclass(slots=True)
class FixReport:
    root: Path
    files: list[FileResult] = field(default_factory=list)
    unsafe_skipped: list[Finding] = field(default_factory=list)
    described_only: list[Finding] = field(default_factory=list)
    """Selected findings whose fix has no edits (described only)."""
    in_labels: int = 0
    """Of ``described_only``: those located in a compose file (labels, flags)."""
    crashed: list[str] = field(default_factory=list)
    worse: list[str] = field(default_factory=list)
    """The new findings that made ``fix`` restore files, as ``path: CODE`` lines."""

    @property
    def fixed(self) -> list[Finding]:
        return [
            f for file in self.files if file.status in ("fixed", "would-fix") for f in file.fixed
        ]

    @property
    def remaining(self) -> int:
        """Findings with an applicable fix that is not applied (skipped, failed, undone)."""
        left = len(self.unsafe_skipped)
        for file in self.files:
            left += len(file.not_applied)
            if file.status not in ("fixed", "would-fix"):
                left += len(file.fixed)
        return left

    @property
    def backups(self) -> list[str]:
        return [f.backup for f in self.files if f.status == "fixed" and f.backup]

    @property
    def diff(self) -> str:
        return "".join(file.diff for file in self.files)


@dataclass(slots=True)
class _Plan:
    path: str
    findings: list[Finding]


@dataclass(slots=True)
class _Written:
    result: FileResult
    snapshot: Snapshot
    data: bytes
    backup: bool


def fix_project(
    target: Path, settings: Settings, options: FixOptions, writer: FileWriter | None = None
) -> FixReport:
    writer = writer or FileWriter()
    before = run_check(target, settings)
    root = before.project.root
    report = FixReport(root, crashed=list(before.crashed))
    if before.crashed:
        return report
    plans = _plans(before, options, report)
    written: list[_Written] = []
    for plan in plans:
        display = display_path(Path(plan.path), root)
        outcome = _edit_file(before, plan, display, writer, root)
        if isinstance(outcome, FileResult):
            report.files.append(outcome)
            continue
        result, snapshot, data = outcome
        report.files.append(result)
        result.diff = _diff(display, snapshot.data, data)
        if options.diff:
            result.status = "would-fix"
            continue
        try:
            backup = writer.replace(snapshot, data)
        except FileChangedError:
            result.status = "changed"
            result.message = "it changed while being fixed; nothing written (run fix again)"
            continue
        except WriteFailedError as exc:
            result.status = "failed"
            result.message = f"cannot write it: {exc}; the file is unchanged"
            continue
        result.status = "fixed"
        result.backup = display_path(snapshot.backup, root) if backup else None
        written.append(_Written(result, snapshot, data, backup))
    if written:
        _recheck(before, written, target=target, settings=settings, writer=writer, report=report)
    return report


def _plans(before: CheckResult, options: FixOptions, report: FixReport) -> list[_Plan]:
    compose = {d.source.display for d in before.project.documents if d.role is Role.COMPOSE}
    by_file: dict[str, _Plan] = {}
    for finding in before.findings:
        fix = finding.fix
        if fix is None or not options.selected(finding.code):
            continue
        if not fix.edits:
            report.described_only.append(finding)
            if finding.location.path in compose:
                report.in_labels += 1
            continue
        if fix.safety is FixSafety.UNSAFE and not options.unsafe:
            report.unsafe_skipped.append(finding)
            continue
        files = {edit.file for edit in fix.edits}
        if len(files) != 1:
            report.described_only.append(finding)
            continue
        path = files.pop()
        by_file.setdefault(path, _Plan(path, [])).findings.append(finding)
    return sorted(by_file.values(), key=lambda plan: plan.path)


def _edit_file(
    before: CheckResult, plan: _Plan, display: str, writer: FileWriter, root: Path
) -> FileResult | tuple[FileResult, Snapshot, bytes]:
    result = FileResult(display, "unchanged")
    try:
        snapshot = writer.snapshot(plan.path, root)
    except FileRefusedError as exc:
        result.status = "refused"
        result.message = str(exc)
        result.not_applied = [(f, "file refused") for f in plan.findings]
        return result
    checked = next(
        (d.source.data for d in before.project.documents if d.source.path == plan.path), None
    )
    if checked is not None and checked != snapshot.data:
        result.status = "changed"
        result.message = "it changed since it was checked; nothing written (run fix again)"
        result.not_applied = [(f, "file changed") for f in plan.findings]
        return result
    try:
        text = snapshot.data.decode("utf-8")
    except UnicodeDecodeError:
        result.status = "refused"
        result.message = "it is not UTF-8 text"
        result.not_applied = [(f, "not UTF-8") for f in plan.findings]
        return result
    bom = text.startswith("\ufeff")
    crlf = 0 < text.count("\r\n") == text.count("\n")  # only when every line ends so
    body = text.removeprefix("\ufeff").replace("\r\n", "\n") if bom or crlf else text
    groups: list[tuple[Hashable, tuple[Edit, ...]]] = [
        (finding, finding.fix.edits) for finding in plan.findings if finding.fix is not None
    ]
    edited = edit_text(plan.path, body, groups)
    result.not_applied = [(_as_finding(key), why) for key, why in edited.failed]
    if edited.error is not None:
        result.status = "refused"
        result.message = f"cannot edit it: {edited.error}"
        result.not_applied = [(f, edited.error) for f in plan.findings]
        return result
    if edited.text is None:
        result.status = "failed" if result.not_applied else "unchanged"
        result.message = "none of its fixes could be applied"
        return result
    result.fixed = [_as_finding(key) for key in edited.applied]
    new = edited.text.replace("\n", "\r\n") if crlf else edited.text
    data = (("\ufeff" if bom else "") + new).encode("utf-8")
    if data == snapshot.data:
        result.status = "unchanged"
        return result
    return result, snapshot, data


def _as_finding(key: Hashable) -> Finding:
    assert isinstance(key, Finding)
    return key


def _masked(text: str) -> list[str]:
    """The file's lines with secrets masked as in code frames (a diff is shown, and kept in
    CI logs); a line is masked the same way on both sides, so only real edits differ."""
    rows = text.splitlines(keepends=True)

    def line(number: int) -> str:
        return rows[number - 1].rstrip("\r\n") if 1 <= number <= len(rows) else ""

    out = []
    for number, row in enumerate(rows, 1):
        body = row.rstrip("\r\n")
        out.append(redact_line(line, number)[0] + row[len(body) :])
    return out


def _diff(display: str, old: bytes, new: bytes) -> str:
    lines = difflib.unified_diff(
        _masked(old.decode("utf-8", "replace")),
        _masked(new.decode("utf-8", "replace")),
        f"a/{display}",
        f"b/{display}",
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


# -- the check after writing ---------------------------------------------------------------


def _counts(findings: Iterable[Finding], ignored: set[str]) -> Counter[tuple[str, str, str]]:
    return Counter(
        (f.code, f.location.path, f.severity.value)
        for f in findings
        if f.location.path not in ignored
    )


def _worse(
    before: Counter[tuple[str, str, str]], after: Counter[tuple[str, str, str]]
) -> list[str]:
    return sorted(
        f"{path or '(project)'}: {code} ({severity})"
        for (code, path, severity), count in after.items()
        if count > before.get((code, path, severity), 0)
    )


@dataclass(slots=True)
class _Recheck:
    """Checks the project again after writing, and undoes what made it worse."""

    target: Path
    settings: Settings
    writer: FileWriter
    root: Path
    baseline: Counter[tuple[str, str, str]]
    backups: set[str]
    crashed: list[str]

    def worse(self) -> list[str]:
        after = run_check(self.target, self.settings)
        crashed = [f"internal error in rule {c}" for c in after.crashed if c not in self.crashed]
        return crashed + _worse(self.baseline, _counts(after.findings, self.backups))

    def undo(self, item: _Written) -> None:
        result = item.result
        try:
            self.writer.restore(item.snapshot, item.data, backup_written=item.backup)
        except FileChangedError:
            result.status = "failed"
            result.message = "the fix made things worse, but the file was edited since: left as is"
            return
        except (WriteFailedError, OSError) as exc:
            result.status = "failed"
            result.message = f"the fix made things worse but could not be undone: {exc}"
            return
        result.status = "rolled-back"
        result.message = "the fix made things worse, so the original was put back"
        result.backup = None

    def retry(self, item: _Written) -> None:
        """Write ``item`` again, alone on top of what is kept; keep it if not worse."""
        try:
            snapshot = self.writer.snapshot(item.snapshot.path, self.root)
        except FileRefusedError:
            return
        if snapshot.data != item.snapshot.data:
            return
        try:
            backup = self.writer.replace(snapshot, item.data)
        except (FileChangedError, WriteFailedError):
            return
        item.snapshot, item.backup = snapshot, backup
        item.result.backup = display_path(snapshot.backup, self.root) if backup else None
        if self.worse():
            self.undo(item)
        else:
            item.result.status = "fixed"
            item.result.message = ""


def _recheck(
    before: CheckResult,
    written: list[_Written],
    *,
    target: Path,
    settings: Settings,
    writer: FileWriter,
    report: FixReport,
) -> None:
    root = before.project.root
    backups = {display_path(item.snapshot.backup, root) for item in written}
    baseline = _counts(before.findings, backups)
    check = _Recheck(target, settings, writer, root, baseline, backups, before.crashed)
    worse = check.worse()
    if not worse:
        return
    report.worse = worse
    for item in reversed(written):
        check.undo(item)
    if len(written) > 1:  # together they made it worse: keep each file that alone does not
        for item in written:
            if item.result.status == "rolled-back":
                check.retry(item)
