"""``traefik-doctor serve``: argument parsing (kept light: imported by the CLI) and the run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from traefik_doctor.errors import UsageError

SERVE_HELP = """\
A Prometheus exporter: check each target's project when one of its files changes, probe its
running Traefik every --interval seconds, and expose the results on /metrics (and /healthz),
for one exporter per cluster or per Traefik. --config is a project folder (one target,
probed at the addresses of its static file) or a TOML file listing targets (see
deploy/serve.toml; keys: name, path, static, probe, api, entrypoints, access-log, ca,
cert-days, interval, timeout, deadline, profile, select, ignore, go, go-src).

Metrics (every series has a `target` label):
  traefik_doctor_check_success, _check_duration_seconds, _last_check_timestamp_seconds
  traefik_doctor_findings{code,severity,name}      findings per rule code
  traefik_doctor_findings_by_severity{severity}    totals (0 included)
  traefik_doctor_finding{code,severity,file,line}  where (first 1000 series per target)
  traefik_doctor_probe_success{router,entrypoint}  answer below 500, not Traefik's own 404
  traefik_doctor_probe_failure{router,reason}
  traefik_doctor_probe_duration_seconds{router,phase}   connect, tls, processing, transfer
  traefik_doctor_probe_status_code{router}
  traefik_doctor_cert_expiry_timestamp_seconds{router,host}
  traefik_doctor_backend_up{service,url}, _backend_cert_expiry_timestamp_seconds
  traefik_doctor_entrypoint_up{entrypoint}, traefik_doctor_api_up
  traefik_doctor_live_finding{code,severity,router,service}
  traefik_doctor_probe_run_success, _probe_run_duration_seconds, _last_probe_timestamp_seconds
  traefik_doctor_build_info{version}

SIGTERM or Ctrl-C stops it (exit code 0). --once checks and probes each target once, prints
the metrics and exits (for cron, the textfile collector, or a look)."""


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "serve",
        help="a Prometheus exporter: check on change, probe on an interval, serve /metrics",
        description=SERVE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--config",
        type=Path,
        required=True,
        metavar="FILE|DIR",
        help="a serve TOML file listing targets, or one project folder",
    )
    parser.add_argument(
        "--listen",
        default="127.0.0.1:9725",
        metavar="ADDR",
        help="HOST:PORT to serve on (127.0.0.1:9725; `:9725` for every interface)",
    )
    parser.add_argument(
        "--interval", type=float, metavar="S", help="seconds between probe runs (file, or 30)"
    )
    parser.add_argument("--timeout", type=float, metavar="S", help="per probe (file, or 5)")
    parser.add_argument("--no-probe", action="store_true", help="check only; never probe")
    parser.add_argument(
        "--once", action="store_true", help="check and probe once, print the metrics, exit"
    )
    # For tests: watch by polling (file events may not reach a container's mounted volume).
    parser.add_argument("--force-polling", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(handler="traefik_doctor.serve.command:run")


def run(args: argparse.Namespace) -> int:
    import signal
    import threading

    from traefik_doctor.serve.config import load_config
    from traefik_doctor.serve.exporter import render
    from traefik_doctor.serve.loop import Exporter, run_once
    from traefik_doctor.serve.server import parse_listen, serve

    host, port = parse_listen(args.listen)
    if args.interval is not None and args.interval <= 0:
        raise UsageError("--interval must be positive")
    if args.timeout is not None and args.timeout <= 0:
        raise UsageError("--timeout must be positive")
    config = load_config(
        args.config,
        interval=args.interval,
        timeout=args.timeout,
        probe=False if args.no_probe else None,
    )
    if args.once:
        sys.stdout.buffer.write(render(run_once(config)))
        sys.stdout.flush()
        return 0

    def log(text: str) -> None:
        print(f"traefik-doctor: {text}", file=sys.stderr, flush=True)

    polling = True if args.force_polling else None
    exporter = Exporter(config, render=render, force_polling=polling, log=log)
    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stop.set()

    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, on_signal)

    names = ", ".join(t.name for t in config.targets)
    try:
        serve(exporter, host, port, stop, lambda text: log(f"{text} (targets: {names})"))
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0
