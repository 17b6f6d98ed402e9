"""``traefik-doctor graph``: argument parsing and output (kept light: imported by the CLI)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from traefik_doctor.errors import UsageError

GRAPH_HELP = """\
Draw entry points -> routers -> middlewares -> services -> servers (-> Go listeners and
handlers when the Go code is there), with check's findings as badges on the nodes they point
at: the definition (router, service, middleware, entry point) whose lines contain the
finding, a Go listener or handler on the finding's line, else every name@provider quoted in
the message; the rest are listed apart. html is one self-contained file for a browser."""


def add_parser(commands: Any) -> None:
    graph = commands.add_parser(
        "graph",
        help="draw the routing topology with findings marked (mermaid, dot, html)",
        description=GRAPH_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    graph.add_argument("path", nargs="?", default=".", metavar="PATH")
    graph.add_argument("--format", choices=("mermaid", "dot", "html"), default="mermaid")
    graph.add_argument("--output", type=Path, metavar="FILE", help="write here, not stdout")
    graph.add_argument("--static", type=Path, help="Traefik's static configuration file")
    graph.add_argument("--go-src", action="append", default=[], type=Path, metavar="DIR")
    graph.add_argument("--no-go", action="store_true", help="do not read Go code")
    graph.set_defaults(handler="traefik_doctor.graph.command:run")


def run(args: argparse.Namespace) -> int:
    from traefik_doctor.engine import run_check
    from traefik_doctor.graph.html import render_html
    from traefik_doctor.graph.model import build_graph
    from traefik_doctor.graph.text import render_dot, render_mermaid
    from traefik_doctor.settings import settings_for

    target = Path(args.path)
    if not target.exists():
        raise UsageError(f"{args.path}: no such file or directory")
    settings = settings_for(target, args)
    result = run_check(target, settings)
    graph = build_graph(result.project, result.findings)
    if args.format == "mermaid":
        text = render_mermaid(graph)
    elif args.format == "dot":
        text = render_dot(graph)
    else:
        text = render_html(graph, f"Traefik topology: {result.project.root.name}")
    if args.output is None:
        sys.stdout.write(text)
    else:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
    return 0
