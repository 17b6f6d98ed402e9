"""``traefik-doctor fix``: argument parsing and output (kept light: imported by the CLI)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from traefik_doctor.errors import UsageError

if TYPE_CHECKING:
    from traefik_doctor.fix.run import FixReport

FIX_HELP = """\
Apply the fixes that rules attach to their findings, editing YAML with ruamel.yaml and TOML
with tomlkit: comments, key order, quoting and every untouched line stay as written. Safe
fixes by default; unsafe ones (which may change what the configuration was meant to do)
only with --unsafe. --diff prints a unified diff and writes nothing.

Only files inside the checked directory are written, never through a symbolic link that
leaves it; each write is atomic (temporary file, fsync, rename), keeps the original as
FILE.bak (--no-backup: not), and is skipped if the file changed meanwhile. Then the project
is checked again, and a file whose fix made anything worse (a new finding) is put back.
Values from compose labels, CLI flags or environment variables are not edited.

Exit codes: 0 nothing is left to fix; 1 fixable findings remain (--diff: there are
changes); 2 usage error."""


def add_parser(commands: Any) -> None:
    fix = commands.add_parser(
        "fix",
        help="apply the fixes rules offer (YAML and TOML, comments kept)",
        description=FIX_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fix.add_argument("path", nargs="?", default=".", metavar="PATH")
    fix.add_argument("--diff", action="store_true", help="print a unified diff; write nothing")
    fix.add_argument("--unsafe", action="store_true", help="apply unsafe fixes too")
    fix.add_argument("--no-backup", action="store_true", help="do not keep FILE.bak")
    fix.add_argument("--select", action="append", default=[], metavar="CODES")
    fix.add_argument("--ignore", action="append", default=[], metavar="CODES")
    fix.add_argument("--profile", choices=("dev", "prod"))
    fix.add_argument("--static", type=Path, help="Traefik's static configuration file")
    fix.add_argument("--go-src", action="append", default=[], type=Path, metavar="DIR")
    fix.add_argument("--no-go", action="store_true", help="do not read Go code")
    fix.set_defaults(handler="traefik_doctor.fix.command:run")


def run(args: argparse.Namespace) -> int:
    from traefik_doctor.fix.apply import FileWriter
    from traefik_doctor.fix.run import FixOptions, fix_project
    from traefik_doctor.settings import parse_codes, settings_for

    target = Path(args.path)
    if not target.exists():
        raise UsageError(f"{args.path}: no such file or directory")
    select, ignore = tuple(parse_codes(args.select)), tuple(parse_codes(args.ignore))
    # --select/--ignore choose which fixes apply; the check itself runs every rule.
    settings = settings_for(
        target, argparse.Namespace(**{**vars(args), "select": [], "ignore": []})
    )
    options = FixOptions(unsafe=args.unsafe, select=select, ignore=ignore, diff=args.diff)
    report = fix_project(target, settings, options, FileWriter(backup=not args.no_backup))
    for message in report.crashed:
        print(f"traefik-doctor: internal error in rule {message}", file=sys.stderr)
    if report.crashed:
        return 2
    if args.diff:
        sys.stdout.write(report.diff)
        write_summary(report, sys.stderr, diff=True)
        return 1 if report.diff else 0
    write_summary(report, sys.stdout, diff=False)
    return 1 if report.remaining else 0


def write_summary(report: FixReport, out: TextIO, *, diff: bool) -> None:
    """One line per file that was (or would be) changed or could not be, then the summary:
    ``fixed N findings in M files (K unsafe skipped: use --unsafe)``."""
    for file in report.files:
        codes = ", ".join(sorted({f.code for f in file.fixed}))
        if file.status in ("fixed", "would-fix"):
            verb = "would fix" if diff else "fixed"
            out.write(f"{file.display}: {verb} {codes}\n")
        elif file.status != "unchanged":
            out.write(f"{file.display}: {file.status}: {file.message}\n")
        for finding, reason in file.not_applied:
            out.write(f"{finding.location}: {finding.code} not fixed: {reason}\n")
    if report.worse:
        shown = "; ".join(report.worse[:5]) + ("; ..." if len(report.worse) > 5 else "")
        out.write(f"the check after writing found new findings: {shown}\n")
    fixed = report.fixed
    files = len({file.display for file in report.files if file.status in ("fixed", "would-fix")})
    verb = "would fix" if diff else "fixed"
    line = f"{verb} {_count(len(fixed), 'finding')} in {_count(files, 'file')}"
    extra = []
    if report.unsafe_skipped:
        extra.append(f"{len(report.unsafe_skipped)} unsafe skipped: use --unsafe")
    if report.described_only:
        labels = f", {report.in_labels} in compose labels or flags" if report.in_labels else ""
        extra.append(f"{len(report.described_only)} with no automatic fix{labels}")
    if extra:
        line += f" ({'; '.join(extra)})"
    out.write(line + "\n")
    if report.backups:
        out.write(f"originals kept as {', '.join(report.backups)}: delete them when done\n")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
