"""What ``traefik-doctor serve --config`` watches: a small TOML file, or just a project folder.

A folder is one target with the defaults (named after the folder, probed at the addresses
its static file gives). A TOML file lists targets; relative paths are relative to the file::

    interval = 30     # seconds between probe runs (each target may override it)
    timeout = 5       # seconds per probe
    recheck = 300     # check again after this long even without a file event (0: never)

    [[target]]
    name = "edge"                     # the `target` label (default: the folder's name)
    path = "/etc/traefik"             # the project: the folder with traefik.yml
    static = "/etc/traefik/traefik.yml"   # optional, as `check --static`
    probe = true                      # false: check only
    api = "http://traefik.ingress:8080"   # optional, as `probe --api`
    entrypoints = { web = "http://traefik.ingress:80", websecure = "https://traefik.ingress:443" }
    access-log = "/var/log/traefik/access.json"
    ca = "/etc/ssl/backend-ca.pem"    # CA bundle for the backends' TLS
    cert-days = 30                    # LIVE011 within
    deadline = 20                     # a whole probe run (default 4 x timeout + 5)
    profile = "prod"                  # and select, ignore, go, go-src: as the settings file

The project's own settings file (``.traefik-doctor.toml``) applies as for ``check``; the
target's keys win. Unknown keys are errors (a typo must not silently do nothing).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from traefik_doctor.errors import UsageError

DEFAULT_INTERVAL = 30.0
DEFAULT_TIMEOUT = 5.0
DEFAULT_RECHECK = 300.0
MAX_TARGETS = 64
MIN_INTERVAL = 0.2

_TOP_KEYS = {"interval", "timeout", "recheck", "target"}
_TARGET_KEYS = {
    "name",
    "path",
    "static",
    "probe",
    "api",
    "entrypoints",
    "access-log",
    "ca",
    "cert-days",
    "interval",
    "timeout",
    "deadline",
    "profile",
    "select",
    "ignore",
    "go",
    "go-src",
}


@dataclass(frozen=True, slots=True)
class Target:
    """One project to check, and the running Traefik to probe for it."""

    name: str
    path: Path
    static: Path | None = None
    probe: bool = True
    api: str | None = None
    entry_points: dict[str, str] = field(default_factory=dict)
    access_log: Path | None = None
    ca: Path | None = None
    cert_days: float = 30.0
    interval: float = DEFAULT_INTERVAL
    timeout: float = DEFAULT_TIMEOUT
    deadline: float | None = None
    profile: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    go: bool | None = None
    go_src: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class ServeConfig:
    targets: tuple[Target, ...]
    recheck: float = DEFAULT_RECHECK
    source: Path | None = None


def load_config(
    path: Path,
    *,
    interval: float | None = None,
    timeout: float | None = None,
    probe: bool | None = None,
) -> ServeConfig:
    """Read ``--config``: a folder (one target) or a TOML file. ``interval``, ``timeout``
    and ``probe`` (the command line's ``--interval``, ``--timeout``, ``--no-probe``) replace
    what the file says, for every target. Raises ``UsageError`` with one sentence."""
    if path.is_dir():
        config = ServeConfig((Target(name=path.resolve().name or "root", path=path.resolve()),))
    elif path.is_file():
        config = _read(path)
    else:
        raise UsageError(f"--config {path}: no such file or directory")
    targets = []
    for given in config.targets:
        target = given
        if interval is not None:
            target = replace(target, interval=interval)
        if timeout is not None:
            target = replace(target, timeout=timeout)
        if probe is False:
            target = replace(target, probe=False)
        _check_numbers(target, str(path))
        targets.append(target)
    return replace(config, targets=tuple(targets))


def _read(path: Path) -> ServeConfig:
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--config {where}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(
            f"--config {where}: not a serve configuration (TOML: {exc}); pass a TOML file"
            " with [[target]] tables, or a project folder"
        ) from None
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise UsageError(f"--config {where}: unknown key `{sorted(unknown)[0]}`")
    base = path.resolve().parent
    interval = _number(data, "interval", where, DEFAULT_INTERVAL)
    timeout = _number(data, "timeout", where, DEFAULT_TIMEOUT)
    recheck = _number(data, "recheck", where, DEFAULT_RECHECK)
    if recheck < 0:
        raise UsageError(f"--config {where}: `recheck` must be 0 (off) or positive")
    tables = data.get("target")
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise UsageError(f"--config {where}: no [[target]] table (each names a project `path`)")
    if len(tables) > MAX_TARGETS:
        raise UsageError(f"--config {where}: more than {MAX_TARGETS} targets")
    targets = [
        _target(table, base, f"{where}: target {i}", interval, timeout)
        for i, table in enumerate(tables, 1)
    ]
    names = [t.name for t in targets]
    for name in names:
        if names.count(name) > 1:
            raise UsageError(f"--config {where}: two targets are named `{name}` (set `name`)")
    return ServeConfig(tuple(targets), recheck=recheck, source=path.resolve())


def _target(
    table: dict[str, Any], base: Path, where: str, interval: float, timeout: float
) -> Target:
    unknown = set(table) - _TARGET_KEYS
    if unknown:
        raise UsageError(f"--config {where}: unknown key `{sorted(unknown)[0]}`")
    raw_path = table.get("path")
    if not isinstance(raw_path, str) or not raw_path:
        raise UsageError(f"--config {where}: `path` (the project folder) is required")
    path = (base / raw_path).resolve()
    name = table.get("name", path.name or "root")
    if not isinstance(name, str) or not name.strip():
        raise UsageError(f"--config {where}: `name` must be a non-empty string")
    entry_points = table.get("entrypoints", {})
    if not isinstance(entry_points, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in entry_points.items()
    ):
        raise UsageError(f"--config {where}: `entrypoints` maps entry point names to URLs")
    from traefik_doctor.live.plan import parse_overrides

    try:
        parsed = parse_overrides([f"{k}={v}" for k, v in entry_points.items()])
    except ValueError as exc:
        raise UsageError(f"--config {where}: {exc}") from None
    profile = _string(table, "profile", where)
    if profile is not None and profile not in ("dev", "prod"):
        raise UsageError(f"--config {where}: `profile` must be dev or prod")
    go = table.get("go")
    if go is not None and not isinstance(go, bool):
        raise UsageError(f"--config {where}: `go` must be true or false")
    probe = table.get("probe", True)
    if not isinstance(probe, bool):
        raise UsageError(f"--config {where}: `probe` must be true or false")
    api = _string(table, "api", where)
    static = _string(table, "static", where)
    access_log = _string(table, "access-log", where)
    ca = _string(table, "ca", where)
    deadline = table.get("deadline")
    return Target(
        name=name.strip(),
        path=path,
        static=(base / static).resolve() if static else None,
        probe=probe,
        api=api.rstrip("/") if api else None,
        entry_points=parsed,
        access_log=(base / access_log).resolve() if access_log else None,
        ca=(base / ca).resolve() if ca else None,
        cert_days=_number(table, "cert-days", where, 30.0),
        interval=_number(table, "interval", where, interval),
        timeout=_number(table, "timeout", where, timeout),
        deadline=None if deadline is None else _number(table, "deadline", where, 0.0),
        profile=profile,
        select=_strings(table, "select", where),
        ignore=_strings(table, "ignore", where),
        go=go,
        go_src=tuple((base / p).resolve() for p in _strings(table, "go-src", where)),
    )


def _number(table: dict[str, Any], key: str, where: str, default: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UsageError(f"--config {where}: `{key}` must be a number of seconds")
    return float(value)


def _string(table: dict[str, Any], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise UsageError(f"--config {where}: `{key}` must be a string")
    return value


def _strings(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise UsageError(f"--config {where}: `{key}` must be a list of strings")
    return tuple(value)


def _check_numbers(target: Target, where: str) -> None:
    if target.interval < MIN_INTERVAL:
        raise UsageError(f"--config {where}: interval of `{target.name}` below {MIN_INTERVAL} s")
    if target.timeout <= 0:
        raise UsageError(f"--config {where}: timeout of `{target.name}` must be positive")
    if target.deadline is not None and target.deadline <= 0:
        raise UsageError(f"--config {where}: deadline of `{target.name}` must be positive")
    if target.cert_days < 0:
        raise UsageError(f"--config {where}: cert-days of `{target.name}` must be 0 or more")
