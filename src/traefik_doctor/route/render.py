"""Text rendering of a route ``Explanation``."""

from __future__ import annotations

from traefik_doctor.reports.base import clean_text
from traefik_doctor.route.lines import Explanation

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RED = "\x1b[1;31m"
_GREEN = "\x1b[1;32m"
_YELLOW = "\x1b[1;33m"


def _priority(number: int) -> str:
    """Internal routers (ping, metrics) run at Traefik's maximum priority."""
    return "max" if number >= 2**62 else str(number)


def render_text(ex: Explanation, *, color: bool = False) -> str:
    def paint(style: str, text: str) -> str:
        return f"{style}{text}{_RESET}" if color and text else text

    c = clean_text
    lines = [
        paint(_BOLD, f"{ex.method} {c(ex.url)}") + f"  (Host {c(ex.host)}, from {ex.client_ip})"
    ]
    if ex.entrypoint is None:
        lines.append(f"entry point: none. {c(ex.outcome)}")
        return "\n".join(lines) + "\n"
    address = f" ({c(ex.entrypoint_address)})" if ex.entrypoint_address else ""
    lines.append(f"entry point: {c(ex.entrypoint)}{address}")
    lines.append("")
    lines.append(paint(_BOLD, f"routers on `{c(ex.entrypoint)}`, in Traefik's order:"))
    if not ex.routers:
        lines.append("  (none)")
    width = max((len(r.router) for r in ex.routers), default=0)
    shown = {id(r): _priority(r.priority) for r in ex.routers}
    pwidth = max((len(p) for p in shown.values()), default=0)
    for line in ex.routers:
        if line.skipped:
            mark, status = paint(_DIM, "·"), f"never runs: {c(line.skipped)}"
        elif line.matched:
            mark = paint(_GREEN, "✓")
            status = "matches"
            if line.router == ex.router:
                status = paint(_GREEN, "matches, wins")
            elif line.router in ex.ambiguous:
                status = paint(_YELLOW, "matches, same priority: AMBIGUOUS")
            else:
                status = "matches (a higher-priority router won)"
        else:
            mark, status = paint(_RED, "✗"), c(line.reason)
        priority = shown[id(line)]
        lines.append(f"  {mark} {c(line.router):<{width}}  priority {priority:<{pwidth}}  {status}")
        if not line.matched and not line.skipped and line.matcher and line.rule is not None:
            lines.append(f"      {paint(_DIM, c(line.location or ''))}  {c(line.rule)}")
            assert line.offset is not None
            pad = len(c(line.location or "")) + 2 + len(c(line.rule[: line.offset]))
            lines.append("      " + " " * pad + paint(_RED, "^" * max(len(line.matcher), 1)))
    lines.append("")
    if ex.router is None:
        lines.append(paint(_RED, "→ " + c(ex.outcome)))
        if ex.status == 404:
            lines.append(
                "  (byte for byte Go's http.NotFoundHandler: the same as a Go backend's 404)"
            )
        if ex.near_misses and ex.status == 404:
            lines.append("  nearest misses:")
            lines.extend(f"    - {c(m)}" for m in ex.near_misses)
        return "\n".join(lines) + "\n"
    chosen = _priority(ex.priority) if ex.priority is not None else "?"
    lines.append(paint(_BOLD, f"router: {c(ex.router)} (priority {chosen})"))
    if ex.ambiguous:
        others = ", ".join(c(a) for a in ex.ambiguous)
        lines.append(
            paint(_YELLOW, f"  ambiguous: {others} also match with the same priority;")
            + " Traefik picks one at random at each start"
        )
    if ex.middlewares:
        lines.append(paint(_BOLD, "middlewares, in order:"))
        for number, mw in enumerate(ex.middlewares, 1):
            stop = paint(_RED, f" [stops: {mw.stops}]") if mw.stops is not None else ""
            lines.append(f"  {number}. {c(mw.name)} ({c(mw.type)}): {c(mw.effect)}{stop}")
    else:
        lines.append("middlewares: none")
    if ex.upstream is not None:
        lines.append(
            paint(_BOLD, "backend receives:")
            + f" Host `{c(ex.upstream['host'])}`, path `{c(ex.upstream['path'])}`"
        )
        lines.extend(f"  {c(n)}" for n in ex.upstream_notes)
    if ex.service is not None:
        lines.append(paint(_BOLD, f"service: {c(ex.service)}"))
    lines.extend(f"  {c(n)}" for n in ex.service_notes)
    differ = len({(s.upstream_host, s.upstream_path) for s in ex.servers}) > 1
    for server in ex.servers:
        extra = []
        if server.weight is not None:
            extra.append(f"weight {server.weight}")
        if server.health_check:
            extra.append(f"health check {c(server.health_check)}")
        suffix = f" ({', '.join(extra)})" if extra else ""
        lines.append(f"  server {c(server.url)}{suffix}")
        if " → " in server.via or server.via != server.service:
            lines.append(f"    via {c(server.via)}")
        if differ:
            lines.append(
                f"    receives Host `{c(server.upstream_host or '')}`,"
                f" path `{c(server.upstream_path or '')}`"
            )
        lines.extend(f"    {c(n)}" for n in server.notes if n not in ex.upstream_notes)
        if server.go is not None:
            style = _RED if server.backend_404 else _GREEN if server.handler else _YELLOW
            lines.append("    Go: " + paint(style, c(server.go)))
    lines.append("")
    style = _RED if ex.exit_code else _GREEN
    lines.append(paint(style, "→ " + c(ex.outcome)))
    return "\n".join(lines) + "\n"
