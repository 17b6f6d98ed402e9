"""``traefik-doctor probe`` and ``doctor``: diagnose a running Traefik and its backends.

``probe`` reports the LIVE findings (each correlated with the static finding that predicts
it); ``doctor`` is ``check`` + ``probe`` in one report with a short verdict first. Exit codes
as ``check``: a system that cannot be reached is a finding, only usage errors exit 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from traefik_doctor.errors import UsageError

if TYPE_CHECKING:
    from traefik_doctor.findings import Finding, Severity
    from traefik_doctor.model.project import Project


def add_parser(subparsers: Any) -> None:
    for name, help_text, handler in (
        ("probe", "probe a running Traefik and its backends, diagnose what fails", "run_probe"),
        (
            "doctor",
            "check + probe in one report, live failures tied to their static cause",
            "run_doctor",
        ),
    ):
        parser = subparsers.add_parser(name, help=help_text)
        _arguments(parser)
        parser.set_defaults(handler=f"traefik_doctor.probe_command:{handler}")


def _arguments(parser: argparse.ArgumentParser) -> None:
    from traefik_doctor.reports.options import add_report_options

    parser.add_argument("path", nargs="?", default=".", metavar="PATH")
    parser.add_argument("--static", type=Path, help="Traefik's static configuration file")
    parser.add_argument(
        "--api", metavar="URL", help="Traefik's API (default: from the static file)"
    )
    parser.add_argument(
        "--entrypoint",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="where an entry point answers (repeatable; default: its address)",
    )
    parser.add_argument("--access-log", type=Path, metavar="FILE", help="Traefik's JSON access log")
    parser.add_argument(
        "--metrics",
        metavar="URL",
        help="Traefik's Prometheus endpoint (default: from the static file)",
    )
    parser.add_argument(
        "--metrics-window",
        type=float,
        default=5.0,
        metavar="S",
        help="seconds between the two metrics scrapes (5; at most 60)",
    )
    parser.add_argument(
        "--pprof",
        action="append",
        default=[],
        metavar="URL",
        help="a Go process's pprof, read directly (repeatable; default: from the Go code)",
    )
    parser.add_argument("--pprof-samples", type=int, default=3, metavar="N", help="(3; at most 20)")
    parser.add_argument(
        "--pprof-interval", type=float, default=1.0, metavar="S", help="between samples (1)"
    )
    parser.add_argument(
        "--p99-threshold", type=float, default=1.0, metavar="S", help="LIVE012 above (1 s)"
    )
    parser.add_argument(
        "--error-threshold",
        type=float,
        default=5.0,
        metavar="PERCENT",
        help="LIVE013 above this 5xx share (5%%)",
    )
    parser.add_argument(
        "--min-requests", type=int, default=20, metavar="N", help="LIVE013 needs this many (20)"
    )
    parser.add_argument(
        "--cert-days", type=float, default=30.0, metavar="DAYS", help="LIVE011 within (30)"
    )
    parser.add_argument("--ca", type=Path, metavar="FILE", help="CA bundle for backend TLS checks")
    parser.add_argument("--timeout", type=float, default=5.0, metavar="S", help="per probe (5)")
    parser.add_argument(
        "--deadline",
        type=float,
        default=None,
        metavar="S",
        help="whole run (default 4x timeout + 5)",
    )
    parser.add_argument("--concurrency", type=int, default=32, metavar="N", help="in flight (32)")
    add_report_options(parser)
    parser.add_argument("--go-src", action="append", default=[], type=Path, metavar="DIR")
    parser.add_argument("--no-go", action="store_true", help="do not read Go code")
    parser.add_argument("--profile", choices=("dev", "prod"))
    parser.add_argument("--fail-on", choices=("error", "warning", "info"))
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")


def run_probe(args: argparse.Namespace) -> int:
    return _run(args, doctor=False)


def run_doctor(args: argparse.Namespace) -> int:
    return _run(args, doctor=True)


def _run(args: argparse.Namespace, *, doctor: bool) -> int:
    from traefik_doctor.engine import run_check
    from traefik_doctor.live.diagnose import diagnose, verdict
    from traefik_doctor.live.metrics_diagnose import Thresholds
    from traefik_doctor.live.plan import build_plan, parse_overrides
    from traefik_doctor.live.run import Sampling, run_plan
    from traefik_doctor.reports.options import report_targets
    from traefik_doctor.settings import settings_for
    from traefik_doctor.terminal import use_color

    pairs = report_targets(args.reports)
    target = Path(args.path)
    if not target.exists():
        raise UsageError(f"{args.path}: no such file or directory")
    if args.timeout <= 0 or (args.deadline is not None and args.deadline <= 0):
        raise UsageError("--timeout and --deadline must be positive")
    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    if args.metrics_window < 0 or args.pprof_interval < 0 or args.pprof_samples < 1:
        raise UsageError("--metrics-window and --pprof-interval >= 0, --pprof-samples >= 1")
    if args.p99_threshold <= 0 or not 0 <= args.error_threshold <= 100 or args.min_requests < 1:
        raise UsageError("--p99-threshold > 0, --error-threshold a percentage, --min-requests >= 1")
    if args.ca is not None and not args.ca.is_file():
        raise UsageError(f"--ca {args.ca}: no such file")
    try:
        overrides = parse_overrides(args.entrypoint)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    settings = settings_for(target, args)
    if not doctor:
        # probe reports live findings only; the static ones serve to name causes. RTR012
        # (pairwise overlap of equal priorities) is quadratic and names no live cause.
        settings.ignore = [*settings.ignore, "RTR012"]
    checked = run_check(target, settings)
    project = checked.project
    plan = build_plan(
        project,
        api=args.api,
        entry_points=overrides,
        access_log=args.access_log,
        metrics=args.metrics,
        pprof=args.pprof,
    )
    evidence = run_plan(
        plan,
        timeout=args.timeout,
        concurrency=args.concurrency,
        ca=str(args.ca) if args.ca else None,
        deadline=args.deadline,
        sampling=Sampling(args.metrics_window, args.pprof_samples, args.pprof_interval),
    )
    thresholds = Thresholds(
        p99_seconds=args.p99_threshold,
        error_share=args.error_threshold / 100,
        min_requests=args.min_requests,
    )
    diagnoses = diagnose(
        evidence,
        checked.findings,
        project=project,
        thresholds=thresholds,
        cert_days=args.cert_days,
    )
    notes = list(plan.notes)
    if evidence.access_log is not None and evidence.access_log.error:
        notes.append(evidence.access_log.error)
    if evidence.metrics is not None and not evidence.metrics.success:
        notes.append(f"metrics not read: {evidence.metrics.target}: {evidence.metrics.detail}")
    for profiled, result, _ in evidence.profiles:
        if not result.success:
            notes.append(f"pprof not read: {profiled.url}: {result.detail}")
    if evidence.timed_out:
        notes.append("the run hit its deadline: some probes did not finish")
    static = checked.findings if doctor else []
    head = verdict(diagnoses, static)
    return _report(
        pairs,
        color=use_color(args.color),
        head=head,
        notes=notes,
        diagnoses=diagnoses,
        static=static,
        project=project,
        fail_on=settings.fail_on,
    )


def _report(
    pairs: list[tuple[str, str | None]],
    *,
    color: bool,
    head: list[str],
    notes: list[str],
    diagnoses: list[Finding],
    static: list[Finding],
    project: Project,
    fail_on: Severity,
) -> int:
    from traefik_doctor import __version__
    from traefik_doctor.reports import WRITERS
    from traefik_doctor.reports.base import Report, RuleInfo
    from traefik_doctor.reports.text import render_finding, summary_line
    from traefik_doctor.rules.registry import BY_CODE

    infos = {
        code: RuleInfo(rule.code, rule.name, rule.summary, rule.severity, None)
        for code, rule in BY_CODE.items()
    }
    findings = (*diagnoses, *static)
    sources = project.sources()
    report = Report(tuple(findings), infos, str(project.root), __version__, sources)
    for name, target_file in pairs:
        if name == "text":
            paint = color if target_file is None else False
            numbered = [line for line in head if line.startswith("LIVE")]
            rest = [f"  {line}" for line in head if not line.startswith("LIVE")]
            listed = [f"  {i}. {line}" for i, line in enumerate(numbered, 1)]
            blocks = ["Verdict:\n" + "\n".join([*listed, *rest])]
            if notes:
                blocks.append("Notes:\n" + "\n".join(f"  - {n}" for n in notes))
            blocks.extend(render_finding(report, found, color=paint) for found in findings)
            blocks.append(summary_line(findings))
            text = "\n\n".join(blocks) + "\n"
        else:
            text = WRITERS[name].render(report, color=False)
        if target_file is None:
            sys.stdout.write(text)
        else:
            try:
                Path(target_file).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot write {target_file}: {exc.strerror}") from None
    if pairs and all(name != "text" or target for name, target in pairs) and notes:
        for note in notes:
            print(f"traefik-doctor: note: {note}", file=sys.stderr)
    return 1 if any(f.severity.rank >= fail_on.rank for f in findings) else 0
