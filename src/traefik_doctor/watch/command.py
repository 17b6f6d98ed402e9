"""``traefik-doctor watch``: argument parsing (kept light: imported by the CLI) and the run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from traefik_doctor.errors import UsageError

WATCH_HELP = """\
Check once, then again after every save of the static file, the file provider's files, the
compose file, the settings or the Go code, and print what appeared (+) and what was resolved
(-) since the last save. Only changed files are read and parsed again; every rule runs on the
whole project. A half-written or broken file is reported as a finding and the watch goes on.
On a terminal the screen is redrawn with the full list; --plain appends a log instead.
With --probe, the routers whose definition changed are probed again on the running Traefik
(as `probe` does) and their LIVE findings join the list. Ctrl-C stops (exit code 0)."""


def add_parser(commands: Any) -> None:
    watch = commands.add_parser(
        "watch",
        help="re-check on every save and show what appeared and what was resolved",
        description=WATCH_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    watch.add_argument("path", nargs="?", default=".", metavar="PATH")
    watch.add_argument("--static", type=Path, help="Traefik's static configuration file")
    watch.add_argument("--go-src", action="append", default=[], type=Path, metavar="DIR")
    watch.add_argument("--no-go", action="store_true", help="do not read Go code")
    watch.add_argument("--select", action="append", default=[], metavar="CODES")
    watch.add_argument("--ignore", action="append", default=[], metavar="CODES")
    watch.add_argument("--profile", choices=("dev", "prod"))
    watch.add_argument("--plain", action="store_true", help="append a log; never clear the screen")
    watch.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    probe = watch.add_argument_group("live probing")
    probe.add_argument(
        "--probe", action="store_true", help="probe the routers that changed on the running Traefik"
    )
    probe.add_argument("--api", metavar="URL", help="Traefik's API (default: from the static file)")
    probe.add_argument(
        "--entrypoint",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="where an entry point answers (repeatable; default: its address)",
    )
    probe.add_argument("--access-log", type=Path, metavar="FILE", help="Traefik's JSON access log")
    probe.add_argument("--timeout", type=float, default=5.0, metavar="S", help="per probe (5)")
    # For tests and scripts: stop after N checks that followed a save.
    watch.add_argument("--max-changes", type=int, default=None, help=argparse.SUPPRESS)
    watch.add_argument("--debounce", type=int, default=1600, help=argparse.SUPPRESS)
    watch.set_defaults(handler="traefik_doctor.watch.command:run")


def run(args: argparse.Namespace) -> int:
    import os
    import signal
    import threading

    from traefik_doctor.settings import parse_codes
    from traefik_doctor.terminal import use_color
    from traefik_doctor.watch.loop import run_watch
    from traefik_doctor.watch.session import Overrides, WatchSession

    target = Path(args.path)
    if not target.exists():
        raise UsageError(f"{args.path}: no such file or directory")
    if args.timeout <= 0:
        raise UsageError("--timeout must be positive")
    if args.max_changes is not None and args.max_changes < 1:
        raise UsageError("--max-changes must be at least 1")
    overrides = Overrides(
        select=parse_codes(args.select),
        ignore=parse_codes(args.ignore),
        profile=args.profile,
        static=args.static.resolve() if args.static else None,
        go_src=[path.resolve() for path in args.go_src],
        no_go=args.no_go,
    )
    root = target.resolve() if target.is_dir() else target.resolve().parent
    overrides.settings(root)  # a bad settings file or code is a usage error before watching
    prober = None
    if args.probe:
        from traefik_doctor.live.plan import parse_overrides
        from traefik_doctor.watch.probe import LiveProber, ProbeOptions

        try:
            entry_points = parse_overrides(args.entrypoint)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        prober = LiveProber(
            ProbeOptions(args.api, entry_points, args.access_log, timeout=args.timeout)
        )
    elif args.api or args.entrypoint or args.access_log:
        raise UsageError("--api, --entrypoint and --access-log need --probe")
    session = WatchSession(target, overrides, prober=prober)
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())

    def write(text: str) -> None:
        try:
            sys.stdout.write(text)
        except UnicodeEncodeError:  # a file name that is not valid UTF-8, a narrow terminal
            encoding = sys.stdout.encoding or "utf-8"
            sys.stdout.write(text.encode(encoding, "replace").decode(encoding))
        sys.stdout.flush()

    try:
        return run_watch(
            session,
            write,
            screen=not args.plain and sys.stdout.isatty(),
            color=use_color(args.color),
            stop=stop,
            max_changes=args.max_changes,
            debounce_ms=args.debounce,
        )
    except KeyboardInterrupt:
        sys.stdout.write("\n")
        return 0
    except BrokenPipeError:  # `watch | head`: the reader is gone; so is the last flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
