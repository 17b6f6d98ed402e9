"""## What it does
Checks for two entry points that listen on the same port and protocol where their addresses
overlap: the same host, or one of them on all interfaces (`:80`, `0.0.0.0:80`, `[::]:80`).

## Why is this bad?
Traefik opens every entry point at startup; the second bind fails with `address already in
use` and Traefik exits (`error while building entryPoint web: building listener: ...`).
`:80` and `0.0.0.0:80` are the same listener, and `127.0.0.1:80` overlaps `:80`.

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
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.loaders.tree import Scalar
from traefik_doctor.model.static import EntryPoint
from traefik_doctor.rules.base import Context, Rule

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


RULE = Rule("SVC012", "port-conflict", Severity.ERROR, check, __doc__ or "")
