"""``traefik-doctor compare``: a canary verdict from Traefik's metrics for two services.

Kept light at import (every command's parser is built on each run): the metrics probe, the
project loader and the verdict are imported in ``run``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from traefik_doctor.errors import UsageError

if TYPE_CHECKING:
    from traefik_doctor.canary.verdict import Decision, Histogram, Limits, Match
    from traefik_doctor.probes.metrics import MetricsWindow

MAX_WINDOW = 60.0  # probes/metrics.py MAX_WINDOW (not imported here: it pulls in the probe)

COMPARE_HELP = """\
Compare two services over the same window of Traefik's Prometheus metrics, e.g. the two
sides of a weighted service, and say whether to promote the canary, hold, or roll it back.

  traefik-doctor compare --metrics http://127.0.0.1:8082/metrics \\
      --service stable@file --service next@file --window 60s

The first --service is the baseline, the second the canary (`name@provider`, or a plain
name under one provider). A weighted service has no series of its own: compare its
children. Without --metrics, the URL comes from the project's static configuration
(PATH, default `.`): Prometheus on `metrics.prometheus.entryPoint` at /metrics.

The verdict, with the defaults:
  hold       fewer than --min-requests (100) on either side, a service without series,
             metrics not readable, buckets too coarse to tell (OPS005), a 5xx or
             latency increase above the limit that could still be chance, a ratio between
             --promote-latency-ratio (1.2) and --max-latency-ratio (1.5)
  roll back  the canary's 5xx share more than --max-error-increase (1) percentage points
             above the baseline's and a one-sided two-proportion z-test with p below
             1 - --confidence (0.95); or its P50 or P99 above 1.5x the baseline's,
             more than --min-latency-increase (50ms) slower, and the same test says its
             share of requests slower than the baseline's bucket is not chance
  promote    otherwise

Exit status: 0 promote, 1 roll back, 3 hold (also when the metrics cannot be read),
2 usage error."""


def add_parser(commands: Any) -> None:
    """Register ``compare`` on the CLI's subcommands."""
    parser = commands.add_parser(
        "compare",
        help="canary: compare two services' latency and 5xx share from Traefik's metrics",
        description=COMPARE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "path",
        nargs="?",
        default=None,
        metavar="PATH",
        help="project whose static configuration names the metrics endpoint (default: .)",
    )
    parser.add_argument("--static", type=Path, help="Traefik's static configuration file")
    parser.add_argument("--metrics", metavar="URL", help="Traefik's Prometheus endpoint")
    parser.add_argument(
        "--service",
        action="append",
        default=[],
        dest="services",
        metavar="NAME",
        help="twice: the baseline, then the canary (`stable@file`, or `stable`)",
    )
    parser.add_argument(
        "--window",
        default="30s",
        metavar="DURATION",
        help=f"between the two scrapes: 30s, 1m, 45 (default 30s; at most {MAX_WINDOW:g}s)",
    )
    parser.add_argument(
        "--min-requests",
        type=int,
        default=100,
        metavar="N",
        help="per side in the window, else hold (100)",
    )
    parser.add_argument(
        "--max-error-increase",
        type=float,
        default=1.0,
        metavar="POINTS",
        help="5xx share above the baseline's, in percentage points, to roll back (1)",
    )
    parser.add_argument(
        "--confidence",
        type=float,
        default=0.95,
        metavar="C",
        help="of the tests that an increase is not chance (0.95)",
    )
    parser.add_argument(
        "--max-latency-ratio",
        type=float,
        default=1.5,
        metavar="R",
        help="canary / baseline P50 or P99 above it: roll back (1.5)",
    )
    parser.add_argument(
        "--promote-latency-ratio",
        type=float,
        default=1.2,
        metavar="R",
        help="at or below it: promote; in between: hold (1.2)",
    )
    parser.add_argument(
        "--min-latency-increase",
        default="50ms",
        metavar="DURATION",
        help="latency increases up to this are noise (50ms)",
    )
    parser.add_argument("--timeout", type=float, default=5.0, metavar="S", help="per scrape (5)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.set_defaults(handler="traefik_doctor.canary.command:run")


def run(args: argparse.Namespace) -> int:
    """The ``compare`` command: returns the exit code (0 promote, 1 roll back, 3 hold)."""
    import asyncio

    from traefik_doctor import __version__
    from traefik_doctor.canary.render import Comparison, render_text, to_json
    from traefik_doctor.canary.verdict import HOLD, Decision, Match, Reason, find_service
    from traefik_doctor.canary.window import read_window
    from traefik_doctor.terminal import use_color

    services: list[str] = [s.strip() for s in args.services]
    if len(services) != 2 or not all(services):
        raise UsageError("give --service twice: the baseline first, then the canary")
    if services[0] == services[1]:
        raise UsageError(f"--service `{services[0]}` is given twice: compare two services")
    window = parse_seconds(args.window, "--window")
    if not 0 < window <= MAX_WINDOW:
        raise UsageError(f"--window must be above 0 and at most {MAX_WINDOW:g}s, got {window:g}s")
    if args.timeout <= 0:
        raise UsageError("--timeout must be positive")
    limits = _limits(args)
    url = _metrics_url(args)

    if sys.stderr.isatty() and args.format == "text":
        print(f"reading {url} twice, {window:g}s apart...", file=sys.stderr)
    result, stats, histograms = asyncio.run(read_window(url, window, args.timeout))
    if stats is None:
        reason = Reason(
            HOLD,
            "metrics",
            f"metrics not read: {result.target}: {result.failure}: {result.detail}",
        )
        comparison = Comparison(
            url,
            None,
            Match(services[0], None),
            Match(services[1], None),
            Decision(HOLD, (reason,)),
            limits,
        )
    else:
        baseline, canary = (find_service(stats, name) for name in services)
        for match in (baseline, canary):
            if match.candidates:
                listed = ", ".join(f"`{n}`" for n in match.candidates)
                raise UsageError(
                    f"--service `{match.requested}` matches {listed}: name the provider"
                )
        if (
            baseline.stats is not None
            and canary.stats is not None
            and baseline.stats.name == canary.stats.name
        ):
            raise UsageError(
                f"--service `{baseline.requested}` and `{canary.requested}` are both"
                f" `{baseline.stats.name}`: compare two services"
            )
        comparison = Comparison(
            url,
            stats,
            baseline,
            canary,
            _decide(baseline, canary, stats, histograms, limits),
            limits,
        )
    if args.format == "json":
        sys.stdout.write(to_json(comparison, __version__))
    else:
        sys.stdout.write(render_text(comparison, color=use_color(args.color)))
    return comparison.decision.exit_code


def _decide(
    baseline: Match,
    canary: Match,
    stats: MetricsWindow,
    histograms: dict[str, Histogram],
    limits: Limits,
) -> Decision:
    from traefik_doctor.canary.verdict import HOLD, Decision, Reason, decide, missing_text

    missing = [
        Reason(HOLD, "series", missing_text(match, stats, side))
        for side, match in (("baseline", baseline), ("canary", canary))
        if match.stats is None
    ]
    if baseline.stats is None or canary.stats is None:
        return Decision(HOLD, tuple(missing))
    pair = (histograms.get(baseline.stats.name, ()), histograms.get(canary.stats.name, ()))
    return decide(baseline.stats, canary.stats, limits, window_coarse=stats.coarse, histograms=pair)


_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")


def parse_seconds(text: str, option: str) -> float:
    """``30``, ``2.5``, ``30s``, ``1m``, ``1m30s``, ``500ms`` -> seconds."""
    from traefik_doctor.schema.defaults import parse_duration_seconds

    value = text.strip()
    seconds = float(value) if _NUMBER.fullmatch(value) else parse_duration_seconds(value)
    if seconds is None or seconds < 0:
        raise UsageError(f"{option} `{text}` is not a duration (30s, 1m, 45)")
    return seconds


def _limits(args: argparse.Namespace) -> Limits:
    from traefik_doctor.canary.verdict import Limits

    if args.min_requests < 1:
        raise UsageError("--min-requests must be at least 1")
    if not 0 <= args.max_error_increase <= 100:
        raise UsageError("--max-error-increase is in percentage points, from 0 to 100")
    if not 0.5 <= args.confidence < 1:
        raise UsageError("--confidence must be at least 0.5 and below 1 (e.g. 0.95)")
    if not 1 <= args.promote_latency_ratio <= args.max_latency_ratio:
        raise UsageError("latency ratios: 1 <= --promote-latency-ratio <= --max-latency-ratio")
    return Limits(
        min_requests=args.min_requests,
        max_error_increase=args.max_error_increase,
        confidence=args.confidence,
        max_latency_ratio=args.max_latency_ratio,
        promote_latency_ratio=args.promote_latency_ratio,
        min_latency_increase=parse_seconds(args.min_latency_increase, "--min-latency-increase"),
    )


def _metrics_url(args: argparse.Namespace) -> str:
    """``--metrics``, else what ``probe`` derives from the project's static configuration."""
    if args.metrics is not None:
        url = str(args.metrics).strip()
        if not re.match(r"(?i)https?://[^/?#]", url):
            raise UsageError(f"--metrics `{url}` must start with http:// or https://")
        return url
    from traefik_doctor.live.plan import build_plan
    from traefik_doctor.loaders.project import load_project
    from traefik_doctor.settings import settings_for

    target = Path(args.path or ".")
    if not target.exists():
        raise UsageError(f"{target}: no such file or directory")
    settings = settings_for(target, args)
    project = load_project(target, settings.static, go=False)
    plan = build_plan(project)
    if plan.metrics_url is None:
        why = "; ".join(n for n in plan.notes if "metrics" in n) or "none configured"
        raise UsageError(f"no metrics endpoint for {target}: {why}; pass --metrics URL")
    return plan.metrics_url
