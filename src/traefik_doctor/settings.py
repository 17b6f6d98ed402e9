"""The tool's own settings: ``[tool.traefik-doctor]`` in pyproject.toml or
``.traefik-doctor.toml``, overridden by the command line."""

from __future__ import annotations

import argparse
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from traefik_doctor.errors import UsageError
from traefik_doctor.findings import Severity

PROFILES = ("dev", "prod")


@dataclass(slots=True)
class Settings:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    profile: str = "dev"
    fail_on: Severity = Severity.ERROR
    static: Path | None = None
    origin: str | None = None
    go: bool = True
    """Read the Go code (``--no-go`` turns it off)."""
    go_src: list[Path] = field(default_factory=list)
    """More directories with Go code (``--go-src``), besides the checked one."""
    go_services: dict[str, str] = field(default_factory=dict)
    """Explicit service -> Go program mapping: ``{"api@file" = "cmd/api"}``."""

    def selected(self, code: str) -> bool:
        if self.select and not any(code.startswith(prefix) for prefix in self.select):
            return False
        return not any(code.startswith(prefix) for prefix in self.ignore)


_KEYS = {"select", "ignore", "profile", "fail-on", "static", "go", "go-src", "go-services"}


def load_settings(root: Path) -> Settings:
    """Read the settings file nearest ``root`` (``.traefik-doctor.toml`` wins)."""
    settings = Settings()
    for name, table_path in (
        (".traefik-doctor.toml", ()),
        ("pyproject.toml", ("tool", "traefik-doctor")),
    ):
        path = root / name
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise UsageError(f"invalid settings file {path.name}: {exc}") from None
        table: object = data
        for part in table_path:
            table = table.get(part, {}) if isinstance(table, dict) else {}
        if not isinstance(table, dict) or not table:
            continue
        _apply(settings, table, path.name)
        settings.origin = path.name
        break
    return settings


def _apply(settings: Settings, table: dict[str, object], where: str) -> None:
    unknown = set(table) - _KEYS
    if unknown:
        raise UsageError(f"invalid config: {where}: unknown setting `{sorted(unknown)[0]}`")
    for key in ("select", "ignore"):
        if key in table:
            raw = table[key]
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                raise UsageError(f"invalid config: {where}: `{key}` must be a list of codes")
            setattr(settings, key, [code.upper() for code in raw])
    if "profile" in table:
        profile = table["profile"]
        if profile not in PROFILES:
            raise UsageError(f"invalid config: {where}: `profile` must be dev or prod")
        settings.profile = str(profile)
    if "fail-on" in table:
        try:
            settings.fail_on = Severity.parse(str(table["fail-on"]))
        except ValueError as exc:
            raise UsageError(f"invalid config: {where}: {exc}") from None
    if "static" in table:
        settings.static = Path(str(table["static"]))
    if "go" in table:
        if not isinstance(table["go"], bool):
            raise UsageError(f"invalid config: {where}: `go` must be true or false")
        settings.go = table["go"]
    if "go-src" in table:
        raw = table["go-src"]
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            raise UsageError(f"invalid config: {where}: `go-src` must be a list of directories")
        settings.go_src = [Path(x) for x in raw]
    if "go-services" in table:
        mapping = table["go-services"]
        if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
        ):
            raise UsageError(
                f"invalid config: {where}: `go-services` maps service names to Go program"
                " directories"
            )
        settings.go_services = dict(mapping)


def parse_codes(values: Iterable[str]) -> list[str]:
    """``--select RTR,SVC004 --select ops`` -> ``["RTR", "SVC004", "OPS"]``; a code or prefix
    that names no rule is a usage error (a typo must not silently select nothing)."""
    from traefik_doctor.rules.registry import BY_CODE

    codes = [code.strip().upper() for value in values for code in value.split(",") if code.strip()]
    for code in codes:
        if not any(name.startswith(code) for name in BY_CODE):
            raise UsageError(f"unknown rule code or prefix `{code}`")
    return codes


def settings_for(target: Path, args: argparse.Namespace) -> Settings:
    """The settings of the project at ``target`` with the command line's options over them:
    ``--select``/``--ignore`` (ignore adds to the file's), ``--profile``, ``--fail-on``,
    ``--static``, ``--go-src`` (adds), ``--no-go``, for the commands that have them."""
    root = target if target.is_dir() else target.parent
    settings = load_settings(root.resolve())
    parse_codes([*settings.select, *settings.ignore])
    if getattr(args, "select", None):
        settings.select = parse_codes(args.select)
    if getattr(args, "ignore", None):
        settings.ignore = [*settings.ignore, *parse_codes(args.ignore)]
    if getattr(args, "profile", None):
        settings.profile = args.profile
    if getattr(args, "fail_on", None):
        settings.fail_on = Severity.parse(args.fail_on)
    if getattr(args, "static", None):
        settings.static = args.static
    go_src: list[Path] = getattr(args, "go_src", None) or []
    if go_src:
        settings.go_src = [*settings.go_src, *(path.resolve() for path in go_src)]
    if getattr(args, "no_go", False):
        settings.go = False
    return settings
