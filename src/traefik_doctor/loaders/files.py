"""Reading files safely: bounded size, symlink loops, unreadable files, and Traefik's own
rules for which files a provider directory reads."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Larger files are not parsed (memory stays bounded); Traefik configs are far smaller."""

CONFIG_EXTENSIONS = (".yml", ".yaml", ".toml")
"""What Traefik's file provider reads from a directory; the extension's case does not matter."""


@dataclass(frozen=True, slots=True)
class ReadResult:
    data: bytes | None
    error: str | None


def read_bounded(path: Path, limit: int = MAX_FILE_BYTES) -> ReadResult:
    """Read at most ``limit`` bytes; say why when the file cannot be read."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except IsADirectoryError:
        return ReadResult(None, "is a directory")
    except PermissionError:
        return ReadResult(None, "permission denied")
    except FileNotFoundError:
        return ReadResult(None, "no such file")
    except OSError as exc:
        return ReadResult(None, exc.strerror or str(exc))
    if len(data) > limit:
        return ReadResult(None, f"larger than {limit // (1024 * 1024)} MiB, not checked")
    return ReadResult(data, None)


def is_config_file(name: str) -> bool:
    return name.lower().endswith(CONFIG_EXTENSIONS)


@dataclass(frozen=True, slots=True)
class Listing:
    files: list[Path]
    ignored: list[Path]
    loops: list[Path]


def list_provider_directory(directory: Path) -> Listing:
    """Files Traefik's file provider reads from ``directory``: recursively, sorted by name,
    only .yml/.yaml/.toml. Symlinked directories are followed once (a loop is reported)."""
    files: list[Path] = []
    ignored: list[Path] = []
    loops: list[Path] = []
    seen: set[str] = set()
    stack = [directory]
    while stack:
        current = stack.pop()
        try:
            real = os.path.realpath(current)
        except OSError:
            continue
        if real in seen:
            loops.append(current)
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                subdirs.append(path)
            elif is_config_file(entry.name):
                files.append(path)
            elif not entry.name.startswith("."):
                ignored.append(path)
        stack.extend(reversed(subdirs))
    return Listing(files, ignored, loops)


def display_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
