"""## What it does
Checks for two entry points that listen on the same port and protocol where their addresses
overlap: the same host, or one of them on all interfaces (`:80`, `0.0.0.0:80`, `[::]:80`).
Also checks for a Go server listening on the host:port of an entry point while Traefik runs
on the same machine (not in a container), including the entry points Traefik creates
itself: `traefik` on `:8080` for `api.insecure`, `ping` or Prometheus metrics, and `http` on
`:80` when none is configured.

## Why is this bad?
Traefik opens every entry point at startup; the second bind fails with `address already in
use` and Traefik exits (`error while building entryPoint web: building listener: ...`).
`:80` and `0.0.0.0:80` are the same listener, and `127.0.0.1:80` overlaps `:80`.
A Go server on an entry point's port has the same problem across two processes: whichever
starts second fails to bind. The classic is the Go app on `:8080` next to Traefik's API
entry point `traefik`, which Traefik opens on `:8080` unless told otherwise.

## Example
```yaml
entryPoints:
  web:
    address: ":80"
  http:
    address: "0.0.0.0:80"
```

## Use instead
```yaml
entryPoints:
  web:
    address: ":80"
  alt:
    address: ":8081"
```

## Fix safety
No automatic fix: choose which entry point keeps the port.

## References
- Measured with Traefik 3.7.15: `127.0.0.1:P` twice, `:P` with `0.0.0.0:P`, and
  `127.0.0.1:P` with `:P` each exit with rc=1 and `bind: address already in use`; `:P` with
  `:P/udp` starts, and so do two entry points that both set `reusePort: true`
- Measured with Traefik 3.7.15: with `api.insecure: true` and no `traefik` entry point,
  Traefik listens on `*:8080`; with no entry point at all (and `ping: {}`) on `*:80` and
  `*:8080` (Traefik's `SetEffectiveConfiguration`)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.goscan.facts import GoServer
from traefik_doctor.loaders.tree import Scalar
from traefik_doctor.model.project import Project
from traefik_doctor.model.static import INTERNAL_ENTRYPOINT, EntryPoint
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.source import Origin

WILDCARDS = frozenset({"", "0.0.0.0", "::", "[::]"})


def listener(ep: EntryPoint) -> tuple[str, int, str] | None:
    """(host, port, protocol) of an entry point address, host normalised."""
    if ep.address is None:
        return None
    text = ep.address.text.strip()
    address, _, protocol = text.partition("/")
    port_text = address.rsplit(":", 1)[-1] if ":" in address else ""
    if not port_text.isdigit():
        return None
    host = address.rsplit(":", 1)[0].strip("[]").lower()
    if host == "localhost":
        host = "127.0.0.1"
    if host in WILDCARDS:
        host = ""
    return host, int(port_text), (protocol or "tcp").lower()


def _reuse(ep: EntryPoint) -> bool:
    if ep.body is None:
        return False
    entry = ep.body.find("reusePort")
    if entry is None:
        return False
    return isinstance(entry.value, Scalar) and entry.value.text.strip().lower() == "true"


def check(context: Context) -> Iterator[Finding]:
    seen: list[tuple[EntryPoint, tuple[str, int, str]]] = []
    for ep in context.project.static.entry_points.values():
        found = listener(ep)
        if found is None or ep.address is None:
            continue
        host, port, protocol = found
        for other, (o_host, o_port, o_protocol) in seen:
            if (port, protocol) != (o_port, o_protocol):
                continue
            if host and o_host and host != o_host:
                continue
            if _reuse(ep) and _reuse(other):
                continue
            assert other.address is not None
            yield RULE.finding(
                f"entry point `{ep.name}` ({ep.address.text.strip()}) listens on the same port as"
                f" entry point `{other.name}` ({other.address.text.strip()}); Traefik fails to"
                " bind the second and refuses to start",
                ep.address.origin,
                related=[(other.address.origin, f"entry point `{other.name}` binds it first")],
                fix="Give each entry point its own port",
            )
            break
        seen.append((ep, found))
    yield from _go_conflicts(context.project)


def _normal_host(host: str) -> str:
    host = host.strip("[]").lower()
    if host == "localhost":
        return "127.0.0.1"
    return "" if host in WILDCARDS else host


def _enabled(project: Project, *path: str) -> bool:
    found = project.static.get(*path)
    return found is not None and found.as_bool() is True


def _internal_entry_point(project: Project) -> tuple[str, Origin | None] | None:
    """Why Traefik creates the `traefik` entry point on :8080 itself, and where that is set."""
    static = project.static
    if _enabled(project, "api", "insecure"):
        return "`api.insecure` is true", static.key_origin("api", "insecure")
    if _enabled(project, "providers", "rest", "insecure"):
        return "`providers.rest.insecure` is true", static.key_origin("providers", "rest")
    for path, name in ((("ping",), "`ping`"), (("metrics", "prometheus"), "Prometheus metrics")):
        if not static.has(*path) or _enabled(project, *path, "manualRouting"):
            continue
        entry_point = static.get(*path, "entryPoint")
        if entry_point is None or entry_point.text.strip() == INTERNAL_ENTRYPOINT:
            return f"{name} is enabled on its default entry point", static.key_origin(*path)
    return None


def _entry_point_listeners(
    project: Project,
) -> Iterator[tuple[str, str, int, str, Origin | None]]:
    """(name, host, port, how it is written, origin) of every TCP entry point Traefik opens."""
    static = project.static
    for ep in static.entry_points.values():
        found = listener(ep)
        if found is None or ep.address is None or found[2] != "tcp":
            continue
        yield ep.name, found[0], found[1], ep.address.text.strip(), ep.address.origin
    if not static.present:
        return
    if not static.entry_points:
        yield "http", "", 80, ":80 (Traefik's default entry point)", static.origin
    if INTERNAL_ENTRYPOINT not in static.entry_points:
        internal = _internal_entry_point(project)
        if internal is not None:
            why, origin = internal
            yield (
                INTERNAL_ENTRYPOINT,
                "",
                8080,
                f":8080 (created by Traefik because {why})",
                origin or static.origin,
            )


def _go_conflicts(project: Project) -> Iterator[Finding]:
    scan = project.go
    if scan is None or project.in_container:
        return
    entry_points = list(_entry_point_listeners(project))
    done: set[tuple[str, int | None]] = set()
    for program in scan.programs:
        for server in program.servers:
            if server.port is None or server.host is None:
                continue
            key = (server.location.path, server.location.line)
            if key in done:
                continue
            host = _normal_host(server.host)
            for name, ep_host, port, shown, origin in entry_points:
                if port != server.port or (host and ep_host and host != ep_host):
                    continue
                done.add(key)
                yield RULE.finding(
                    f"Go server `{server.kind}` listens on {_go_address(server)}, the same"
                    f" host:port as Traefik's entry point `{name}` ({shown}), on the same"
                    " machine: whichever starts second fails to bind (address already in use)",
                    server.location,
                    related=[] if origin is None else [(origin, f"entry point `{name}`")],
                    fix=f"Move the Go server or entry point `{name}` to another port",
                )
                break


def _go_address(server: GoServer) -> str:
    address = server.addr
    names = [f"${name}" for name in address.env] + [f"-{name}" for name in address.flags]
    shown = f'"{address.default}"'
    return f"{shown} (default of {' / '.join(names)})" if names else shown


RULE = Rule("SVC012", "port-conflict", Severity.ERROR, check, __doc__ or "")
