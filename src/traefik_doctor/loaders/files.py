"""Reading files safely: bounded size, symlink loops, unreadable files, and Traefik's own
rules for which files a provider directory reads."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
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
        # Only regular files: a FIFO or device named `x.yml` would block or never end.
        if not stat.S_ISREG(path.stat().st_mode):
            return ReadResult(None, "is not a regular file")
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
    linked_dirs: list[Path] = field(default_factory=list)
    """Symbolic links to directories: Traefik does not follow them (os.ReadDir, measured)."""


def list_provider_directory(directory: Path) -> Listing:
    """Files Traefik's file provider reads from ``directory``, in Traefik's order: the entries
    of a folder sorted by name, a subfolder read where its name sorts (depth-first, so
    ``a/x.yml`` comes before ``b.yml``), only .yml/.yaml/.toml in any case. Symbolic links to
    directories are not followed (Go's ``os.ReadDir`` does not report them as directories),
    so there is no loop to guard against. Measured with Traefik 3.7.15."""
    files: list[Path] = []
    ignored: list[Path] = []
    linked: list[Path] = []
    stack: list[Iterator[os.DirEntry[str]]] = [_sorted_entries(directory)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            linked_dir = not is_dir and entry.is_symlink() and path.is_dir()
        except OSError:
            is_dir = linked_dir = False
        if is_dir:
            stack.append(_sorted_entries(path))
        elif is_config_file(entry.name):
            files.append(path)
        elif linked_dir:
            if not entry.name.startswith("."):
                linked.append(path)
        elif not entry.name.startswith("."):
            ignored.append(path)
    return Listing(files, ignored, [], linked)


def _sorted_entries(directory: Path) -> Iterator[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as scan:
            return iter(sorted(scan, key=lambda e: e.name))
    except OSError:
        return iter(())


def display_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


_NOT_GO_SOURCE = frozenset({"vendor", "testdata", "node_modules"})


def has_go_code(root: Path) -> bool:
    """Whether a ``.go`` file lies under ``root`` where the Go tool would build it (not in
    ``vendor``, ``testdata`` or hidden folders); stops at the first one."""
    if root.is_file():
        return root.suffix == ".go"
    for _dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [
            d for d in dirnames if d not in _NOT_GO_SOURCE and not d.startswith((".", "_"))
        ]
        if any(name.endswith(".go") for name in filenames):
            return True
    return False
