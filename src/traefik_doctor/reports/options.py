"""The ``--format FORMAT[=FILE]`` / ``--output FILE`` options every reporting command shares."""

from __future__ import annotations

import argparse

from traefik_doctor.errors import UsageError

FORMATS = ("text", "json", "sarif", "junit", "github")


class ReportAction(argparse.Action):
    """``--format`` adds a report; ``--output`` names the file of the ``--format`` before it."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        reports: list[list[str | None]] = getattr(namespace, "reports", None) or []
        text = str(values)
        if option_string == "--format":
            name, _, target = text.partition("=")
            reports.append([name, target or None])
        elif not reports or reports[-1][1] is not None:
            raise UsageError("--output given without a --format before it")
        else:
            reports[-1][1] = text
        namespace.reports = reports


def add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        action=ReportAction,
        dest="reports",
        metavar="FORMAT[=FILE]",
        help=f"report format, repeatable: {', '.join(FORMATS)}",
    )
    parser.add_argument(
        "--output", action=ReportAction, dest="reports", metavar="FILE", help="file of --format"
    )


def report_targets(reports: list[list[str | None]] | None) -> list[tuple[str, str | None]]:
    """(format, file or None for stdout) pairs; text to stdout when none is asked."""
    pairs: list[tuple[str, str | None]] = []
    for name, target in reports or [["text", None]]:
        if name not in FORMATS:
            raise UsageError(f"unknown format `{name}` (choose from {', '.join(FORMATS)})")
        pairs.append((str(name), target))
    return pairs
