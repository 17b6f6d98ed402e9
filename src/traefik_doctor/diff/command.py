"""``traefik-doctor diff``: argument parsing and output (kept light: imported by the CLI)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from traefik_doctor.errors import UsageError

DIFF_HELP = """\
Compare two projects, e.g. staging and production: routing (routers, rules, entry points,
middleware chains, services and servers), TLS (router TLS, certificates by the names they
cover, TLS options, servers transports' verification, HTTPS redirects), timeouts (entry
points, servers transports, the Go servers), health checks, observability (access log,
metrics, tracing, log level) and providers/API. Objects are compared by Traefik's own names
(`api@file`); key order, file layout, spelling of keys, `10s` vs `10`, and values equal to
Traefik's defaults make no difference.

With --profile prod, both projects are also checked with the prod profile: a finding B has
and A has not marks the difference that causes it as risky (B is the target), and
differences no rule covers (a router or a timeout B lost) are judged too.

Exit codes: 0 no differences; 1 differences (--fail-on-risk: risky differences only;
it implies --profile prod); 2 usage error."""


def add_parser(commands: Any) -> None:
    diff = commands.add_parser(
        "diff",
        help="compare two projects (e.g. staging vs prod); mark what makes B riskier",
        description=DIFF_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    diff.add_argument("dir_a", metavar="DIR_A", help="the reference (e.g. staging)")
    diff.add_argument("dir_b", metavar="DIR_B", help="the target (e.g. prod)")
    diff.add_argument("--static-a", type=Path, metavar="FILE", help="A's static configuration")
    diff.add_argument("--static-b", type=Path, metavar="FILE", help="B's static configuration")
    diff.add_argument("--no-go", action="store_true", help="do not read Go code")
    diff.add_argument("--profile", choices=("dev", "prod"))
    diff.add_argument(
        "--fail-on-risk", action="store_true", help="exit 1 only for risky differences"
    )
    diff.add_argument("--format", choices=("text", "json"), default="text")
    diff.set_defaults(handler="traefik_doctor.diff.command:run")


def run(args: argparse.Namespace) -> int:
    import gc

    # As in ``check``: loading allocates many small objects and no cycles, and this process
    # ends after the report, so the cycle collector would only scan them again and again.
    gc.disable()
    from traefik_doctor.diff.render import render_json, render_text
    from traefik_doctor.diff.run import diff_projects
    from traefik_doctor.settings import settings_for

    if args.fail_on_risk and args.profile == "dev":
        raise UsageError("--fail-on-risk judges risk under the prod profile: drop --profile dev")
    sides = []
    for raw, static in ((args.dir_a, args.static_a), (args.dir_b, args.static_b)):
        target = Path(raw)
        if not target.exists():
            raise UsageError(f"{raw}: no such file or directory")
        if static is not None and not static.is_file():
            raise UsageError(f"{static}: no such file")
        options = argparse.Namespace(static=static, no_go=args.no_go, profile=args.profile)
        sides.append((target, settings_for(target, options)))
    (a, settings_a), (b, settings_b) = sides
    assess = args.fail_on_risk or settings_b.profile == "prod"
    labels = (str(args.dir_a), str(args.dir_b))
    result, crashed = diff_projects(a, b, settings_a, settings_b, assess_risk=assess, labels=labels)
    if args.format == "json":
        sys.stdout.write(render_json(result, "prod" if assess else "dev"))
    else:
        base_a = str(a if a.is_dir() else a.parent)
        base_b = str(b if b.is_dir() else b.parent)
        sys.stdout.write(render_text(result, base_a, base_b))
    for message in crashed:
        print(f"traefik-doctor: internal error in rule {message}", file=sys.stderr)
    if crashed:
        return 2
    if args.fail_on_risk:
        return 1 if result.risk_count else 0
    return 1 if result.changes or result.risks else 0
