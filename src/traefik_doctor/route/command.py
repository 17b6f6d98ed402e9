"""The ``route`` subcommand: arguments, loading the project, printing the explanation."""

from __future__ import annotations

import argparse
import ipaddress
import json
import re
import sys
from pathlib import Path
from typing import Any

from traefik_doctor.errors import UsageError

ROUTE_HELP = """\
Explain which router gets a request, what its middlewares do to it, and which backend (and
Go handler) receives it.

  traefik-doctor route GET http://api.example.com/api/v1/users
  traefik-doctor route examples/broken-app GET http://api.example.com/api/v1/users
  traefik-doctor route --project examples/broken-app -H 'Authorization: Basic eDp5' \\
      GET https://admin.example.com/

The positional arguments are [PATH] METHOD URL (PATH, the project directory, defaults to
`.`; `--project PATH` says the same). Options may come anywhere.
Exit status: 0 routed to a service (or answered by a middleware), 1 Traefik's own 404, no
entry point on that port, or the Go backend has no handler (its 404), 2 usage error."""


class _IntermixedParser(argparse.ArgumentParser):
    """``route``'s parser: options may come between the positional words
    (``route PATH --entrypoint web GET URL``), as ``parse_intermixed_args`` allows."""

    _inside = False

    def parse_known_args(  # type: ignore[override]
        self, args: Any = None, namespace: Any = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if self._inside:
            return super().parse_known_args(args, namespace)
        self._inside = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._inside = False

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def add_parser(commands: Any) -> None:
    """Register ``route`` on the CLI's subcommands."""
    route = commands.add_parser(
        "route",
        help="explain which router, middlewares and backend a request goes through",
        description=ROUTE_HELP,
        usage="traefik-doctor route [options] [PATH] METHOD URL",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    route.add_argument("words", nargs="+", metavar="[PATH] METHOD URL")
    route.add_argument("--project", type=Path, metavar="PATH", help="the project directory")
    route.add_argument("--entrypoint", metavar="NAME", help="the entry point (default: by port)")
    route.add_argument(
        "-H",
        "--header",
        action="append",
        default=[],
        dest="headers",
        metavar="'NAME: VALUE'",
        help="a request header (repeatable)",
    )
    route.add_argument("--client-ip", default="127.0.0.1", metavar="IP")
    route.add_argument("--format", choices=("text", "json"), default="text")
    route.add_argument("--static", type=Path, help="Traefik's static configuration file")
    route.add_argument("--go-src", action="append", default=[], type=Path, metavar="DIR")
    route.add_argument("--no-go", action="store_true", help="do not read Go code")
    route.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    route.set_defaults(handler="traefik_doctor.route.command:run")
    route.__class__ = _IntermixedParser


# --- the explanation, as data ----------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    """The ``route`` command: returns the exit code."""
    # Imported here: every command builds this parser, only `route` needs the engine.
    from traefik_doctor.loaders.project import load_project
    from traefik_doctor.route.explain import explain
    from traefik_doctor.route.render import render_text
    from traefik_doctor.settings import settings_for

    words: list[str] = list(args.words)
    if len(words) == 3:
        if args.project is not None:
            raise UsageError("give the project as PATH or as --project, not both")
        target = Path(words[0])
        method, url = words[1], words[2]
    elif len(words) == 2:
        target = args.project or Path(".")
        method, url = words
    else:
        raise UsageError("route takes [PATH] METHOD URL")
    if not target.exists():
        raise UsageError(f"{target}: no such file or directory")
    if not re.fullmatch(r"[A-Za-z]+", method):
        raise UsageError(f"`{method}` is not an HTTP method (route takes [PATH] METHOD URL)")
    if not re.match(r"(?i)https?://[^/?#]", url):
        raise UsageError(f"URL `{url}` must start with http:// or https:// and name a host")
    headers = tuple(_header(text) for text in args.headers)
    try:
        ipaddress.ip_address(args.client_ip)
    except ValueError:
        raise UsageError(f"--client-ip `{args.client_ip}` is not an IP address") from None

    settings = settings_for(target, args)
    project = load_project(
        target,
        settings.static,
        go=settings.go,
        go_src=settings.go_src,
        go_services=settings.go_services,
    )
    if (
        args.entrypoint is not None
        and project.static.entry_points
        and args.entrypoint not in project.static.entry_points
    ):
        known = ", ".join(sorted(project.static.entry_points))
        raise UsageError(
            f"no entry point `{args.entrypoint}` (the static configuration has {known})"
        )
    explanation = explain(
        project,
        method.upper(),
        url,
        headers=headers,
        client_ip=args.client_ip,
        entry_point=args.entrypoint,
    )
    if args.format == "json":
        sys.stdout.write(json.dumps(explanation.to_json(), indent=2) + "\n")
    else:
        from traefik_doctor.terminal import use_color

        sys.stdout.write(render_text(explanation, color=use_color(args.color)))
    return explanation.exit_code


def _header(text: str) -> tuple[str, str]:
    name, colon, content = text.partition(":")
    if not colon or not name.strip() or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name):
        raise UsageError(f"header `{text}` is not `Name: value`")
    return name.strip(), content.strip()
