"""``traefik-doctor init``: argument parsing, the overwrite guard and atomic writes.

Kept light (the CLI builds every command's parser at start-up): the templates are imported
when the command runs.

Writing is all or nothing with respect to existing files: every target is checked first,
and without ``--force`` a single existing one stops the run before anything is written.
Each file is written to a temporary file in its own directory and renamed over the target
(``os.replace``), so a Traefik watching ``dynamic/`` never reads half a file; the temporary
names end in ``.tmp``, an extension the file provider ignores.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from traefik_doctor.errors import UsageError

if TYPE_CHECKING:
    from traefik_doctor.scaffold.templates import Spec

INIT_HELP = """\
Write a minimal project that is already right, in DIR (default: the current directory;
created if missing):

  traefik.yml               entry points, file provider (watch), the API on its own
                            loopback entry point, JSON access log, Prometheus metrics with
                            router and service labels, timeouts matched with main.go's
  dynamic/APP.yml           the router and the service (health check on /healthz)
  dynamic/traefik-api.yml   the router that serves the API and dashboard
  main.go, go.mod           a stdlib-only Go service (Go 1.19): timeouts aligned with
                            Traefik's, /healthz, pprof on a separate loopback listener,
                            graceful shutdown
  compose.yaml, Dockerfile  with --compose: Traefik (docker provider, exposedByDefault
                            false, log level from TRAEFIK_LOG_LEVEL) and the app

Existing files are never overwritten without --force: if any target exists, nothing is
written. `traefik-doctor check --profile prod DIR` reports no error in the result."""

_NAME = re.compile(r"^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
OTHER_COMPOSE_NAMES = ("compose.yml", "docker-compose.yml", "docker-compose.yaml")
"""Names docker compose (and check) would also read; compose.yaml wins over them."""
RESERVED_NAMES = ("traefik", "traefik-api")
"""The compose service and the router (and file) of Traefik's own API."""


def app_name(text: str) -> str:
    """A name that is at once a file name, a router and service name, a compose service, a
    Docker label segment, a Go module path and a DNS label (``APP.localhost``)."""
    if not _NAME.match(text):
        raise argparse.ArgumentTypeError(
            f"`{text}` is not a valid app name: use lowercase letters, digits and `-`,"
            " starting with a letter, at most 63 characters (e.g. `my-api`)"
        )
    if text in RESERVED_NAMES:
        raise argparse.ArgumentTypeError(f"`{text}` is taken by Traefik's own API router")
    return text


def port_number(text: str) -> int:
    try:
        number = int(text, 10)
    except ValueError:
        number = 0
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"`{text}` is not a port number (1-65535)")
    return number


def host_name(text: str) -> str:
    host = text.strip().lower().rstrip(".")
    labels = host.split(".")
    if not host or len(host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise argparse.ArgumentTypeError(f"`{text}` is not a host name (e.g. `api.example.com`)")
    return host


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "init",
        help="write a minimal Traefik + Go project that passes check",
        description=INIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("dir", nargs="?", default=".", metavar="DIR")
    parser.add_argument(
        "--name",
        type=app_name,
        metavar="APP",
        help="the app's name (default: DIR's name, made valid, else `app`)",
    )
    parser.add_argument(
        "--port", type=port_number, default=8080, metavar="N", help="the Go service's port (8080)"
    )
    parser.add_argument(
        "--web-port",
        type=port_number,
        default=8000,
        metavar="N",
        help="Traefik's `web` entry point (8000)",
    )
    parser.add_argument(
        "--api-port",
        type=port_number,
        default=8081,
        metavar="N",
        help="Traefik's `traefik` entry point: API, dashboard, metrics, on loopback (8081)",
    )
    parser.add_argument(
        "--host", type=host_name, metavar="HOST", help="the router's host (APP.localhost)"
    )
    parser.add_argument(
        "--compose", action="store_true", help="also write compose.yaml and a Dockerfile"
    )
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    parser.set_defaults(handler="traefik_doctor.scaffold.command:run")


def default_name(directory: Path) -> str:
    """DIR's name made into a valid app name (``My_App`` -> ``my-app``), else ``app``."""
    text = re.sub(r"[^a-z0-9]+", "-", directory.resolve().name.lower()).strip("-")
    text = text.lstrip("0123456789-")[:63].rstrip("-")
    return text if _NAME.match(text) and text not in RESERVED_NAMES else "app"


def run(args: argparse.Namespace) -> int:
    import sys

    from traefik_doctor.scaffold.templates import PPROF_ADDRESS, Spec, render

    directory = Path(args.dir)
    name = args.name or default_name(directory)
    pprof_port = int(PPROF_ADDRESS.rsplit(":", 1)[1])
    ports = {
        "--port": args.port,
        "--web-port": args.web_port,
        "--api-port": args.api_port,
        "pprof": pprof_port,
    }
    seen: dict[int, str] = {}
    for option, number in ports.items():
        if number in seen:
            raise UsageError(f"{seen[number]} and {option} are both {number}: use distinct ports")
        seen[number] = option
    spec = Spec(
        name=name,
        port=args.port,
        web_port=args.web_port,
        api_port=args.api_port,
        host=args.host or f"{name}.localhost",
        compose=args.compose,
    )
    files = render(spec)
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{args.dir}: not a directory")
    _guard(directory, sorted(files), force=args.force)
    if spec.compose:
        others = [directory / n for n in OTHER_COMPOSE_NAMES if (directory / n).exists()]
        if others:
            raise UsageError(
                f"{others[0]} exists: with compose.yaml next to it, docker compose and check"
                " would read only compose.yaml; merge them by hand instead"
            )
    written = []
    for relative in sorted(files):
        target = directory / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, files[relative].encode("utf-8"))
        except OSError as exc:
            raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
        written.append(relative)
    sys.stdout.write(_summary(args.dir, spec, written))
    return 0


def _guard(directory: Path, relatives: list[str], *, force: bool) -> None:
    """Stop before writing anything if a target exists (unless ``force``) or is a directory."""
    existing = []
    for relative in relatives:
        target = directory / relative
        parent = target.parent
        if parent != directory and parent.exists() and not parent.is_dir():
            raise UsageError(f"{parent} is not a directory; move it away first")
        if target.is_dir():
            raise UsageError(f"{target} is a directory; move it away first")
        if target.exists() or target.is_symlink():
            existing.append(str(target))
    if existing and not force:
        raise UsageError(
            f"refusing to overwrite {', '.join(existing)} (nothing was written; --force overwrites)"
        )


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file next to ``path``, then rename it over ``path``.
    The file gets the usual mode (0666 less the umask); the temporary file never survives."""
    import contextlib
    import os
    import secrets

    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _summary(shown_dir: str, spec: Spec, written: list[str]) -> str:
    import shlex

    from traefik_doctor.scaffold.templates import PPROF_ADDRESS

    where = "" if shown_dir in (".", "./") else shown_dir.rstrip("/") + "/"
    lines = [f"Wrote {len(written)} files for `{spec.name}`:"]
    lines.extend(f"  {where}{relative}" for relative in written)
    web = f"http://127.0.0.1:{spec.web_port}/"
    api = f"http://127.0.0.1:{spec.api_port}"
    lines.append("")
    lines.append(f"Next, in {shlex.quote(shown_dir)}:" if where else "Next:")
    steps = [
        ("go run .", f"{spec.name} on :{spec.port}, pprof on {PPROF_ADDRESS}"),
        ("traefik --configFile=traefik.yml", "in a second terminal"),
        (f"curl -H 'Host: {spec.host}' {web}", "through Traefik's router"),
        ("traefik-doctor doctor", "check the files and probe what runs"),
    ]
    if spec.compose:
        # In a compose project, a directory means compose.yaml's Traefik; the file means
        # the Traefik started above on this machine.
        steps[-1] = (
            "traefik-doctor doctor traefik.yml",
            "check and probe the Traefik on this machine",
        )
        steps.extend(
            [
                ("docker compose up --build", "or both in containers instead"),
                ("TRAEFIK_LOG_LEVEL=DEBUG docker compose up", "with Traefik's DEBUG log"),
                ("traefik-doctor check --profile prod", "check compose.yaml's setup"),
            ]
        )
    width = max(len(command) for command, _ in steps)
    lines.extend(f"  {command:<{width}}  # {note}" for command, note in steps)
    lines.append(f"Dashboard: {api}/dashboard/  Metrics: {api}/metrics")
    return "\n".join(lines) + "\n"
