"""The command line. Thin: parse arguments, call the engine, write reports, return the code.

Exit codes: 0 nothing reached ``--fail-on``; 1 something did; 2 usage error or unreadable
input (one sentence on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from traefik_doctor import __version__
from traefik_doctor.errors import ToolError, UsageError
from traefik_doctor.findings import Finding, Severity
from traefik_doctor.reports.options import add_report_options, report_targets
from traefik_doctor.source import Source
from traefik_doctor.terminal import use_color

COMMANDS = (
    "traefik_doctor.route.command",
    "traefik_doctor.graph.command",
    "traefik_doctor.probe_command",
    "traefik_doctor.demo.command",
    "traefik_doctor.scaffold.command",
    "traefik_doctor.watch.command",
    "traefik_doctor.fix.command",
    "traefik_doctor.canary.command",
    "traefik_doctor.serve.command",
    "traefik_doctor.diff.command",
)
"""Modules that add subcommands beyond check/rule/rules: each has ``add_parser(commands)``,
which sets the parser's ``handler`` default to ``"module:function"`` (imported only when that
command runs, so one command's dependencies never slow another down)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="traefik-doctor",
        description="Find out why a service behind Traefik does not answer as expected.",
    )
    parser.add_argument("--version", action="version", version=f"traefik-doctor {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check Traefik configuration and report problems")
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    check.add_argument("--static", type=Path, help="Traefik's static configuration file")
    add_report_options(check)
    check.add_argument(
        "--go-src",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="a directory with Go code outside the checked path (repeatable)",
    )
    check.add_argument("--no-go", action="store_true", help="do not read Go code")
    check.add_argument("--select", action="append", default=[], metavar="CODES")
    check.add_argument("--ignore", action="append", default=[], metavar="CODES")
    check.add_argument("--profile", choices=("dev", "prod"))
    check.add_argument("--fail-on", choices=("error", "warning", "info"))
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")

    rule = commands.add_parser("rule", help="explain one rule")
    rule.add_argument("code")
    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")

    for module in COMMANDS:
        importlib.import_module(module).add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list == ["--version"]:
        # Answered before the subcommands' parsers (and their imports) are built.
        sys.stdout.write(f"traefik-doctor {__version__}\n")
        return 0
    try:
        args = build_parser().parse_args(args_list)
        if args.command == "check":
            return _check(args)
        if args.command == "rule":
            return _rule(args.code)
        if args.command == "rules":
            return _rules(args.format)
        handler = getattr(args, "handler", None)
        if handler is not None:
            module, _, function = str(handler).partition(":")
            run: Callable[[argparse.Namespace], int] = getattr(
                importlib.import_module(module), function
            )
            return run(args)
        build_parser().print_help()
        return 2
    except ToolError as exc:
        print(f"traefik-doctor: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def main_exit() -> None:
    code = main()
    if not gc.isenabled():
        # `check` turned the cycle collector off; the interpreter's exit would still walk
        # the whole model (0.3 s for 10,000 routers). Nothing is left to do but leave.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _check(args: argparse.Namespace) -> int:
    # Loading allocates hundreds of thousands of small objects and no garbage cycles; the
    # cycle collector would scan them again and again (half the load time of 10,000
    # routers). This process ends after the report, so it simply does without it.
    gc.disable()
    from traefik_doctor.engine import run_check
    from traefik_doctor.reports import WRITERS
    from traefik_doctor.reports.base import Report, RuleInfo
    from traefik_doctor.rules.registry import BY_CODE
    from traefik_doctor.settings import settings_for

    pairs = report_targets(args.reports)
    findings: list[Finding] = []
    sources: dict[str, Source] = {}
    roots = []
    crashed: list[str] = []
    fail_on = Severity.ERROR
    for raw in args.paths:
        target = Path(raw)
        if not target.exists():
            raise UsageError(f"{raw}: no such file or directory")
        settings = settings_for(target, args)
        fail_on = settings.fail_on
        result = run_check(target, settings)
        findings.extend(result.findings)
        sources.update(result.project.sources())
        _add_other_sources(result.findings, result.project.root, sources)
        roots.append(str(result.project.root))
        crashed.extend(result.crashed)
    infos = {
        code: RuleInfo(rule.code, rule.name, rule.summary, rule.severity, None)
        for code, rule in BY_CODE.items()
    }
    report = Report(
        tuple(findings), infos, roots[0] if roots else os.getcwd(), __version__, sources
    )
    for name, target_file in pairs:
        color = use_color(args.color) if target_file is None and name == "text" else False
        text = WRITERS[name].render(report, color=color)
        if target_file is None:
            sys.stdout.write(text)
        else:
            try:
                Path(target_file).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot write {target_file}: {exc.strerror}") from None
    for message in crashed:
        print(f"traefik-doctor: internal error in rule {message}", file=sys.stderr)
    if crashed:
        return 2
    return 1 if any(f.severity.rank >= fail_on.rank for f in findings) else 0


def _add_other_sources(findings: list[Finding], root: Path, sources: dict[str, Source]) -> None:
    """Go files (and any other file a finding points at) for the code frames: configuration
    files are already loaded, the rest is read here, bounded like every input."""
    from traefik_doctor.loaders.files import read_bounded

    for finding in findings:
        for location in (finding.location, *(related.location for related in finding.related)):
            if not location.path or location.path in sources or location.line is None:
                continue
            path = root / location.path
            data = read_bounded(path).data if path.is_file() else None
            sources[location.path] = Source(str(path), location.path, data or b"")


def _rule(code: str) -> int:
    from traefik_doctor.rules.docs import explain
    from traefik_doctor.rules.registry import BY_CODE

    rule = BY_CODE.get(code.upper())
    if rule is None:
        raise UsageError(f"unknown rule `{code}`; `traefik-doctor rules` lists them")
    sys.stdout.write(explain(rule))
    return 0


def _rules(fmt: str) -> int:
    from traefik_doctor.rules.docs import listing, reference
    from traefik_doctor.rules.registry import RULES

    if fmt == "json":
        import json

        sys.stdout.write(json.dumps(listing(RULES), indent=2) + "\n")
    elif fmt == "markdown":
        sys.stdout.write(reference(RULES))
    else:
        for rule in RULES:
            sys.stdout.write(
                f"{rule.code}  {rule.name:<36} {rule.severity.value:<8} {rule.summary}\n"
            )
    return 0
