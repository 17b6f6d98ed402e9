"""Package results kept between scans of the same code (``traefik-doctor watch``).

A package's ``PackageResult`` is a pure function of its files' bytes, its name and import
path, and the tables its same-module dependencies export (``module_values``,
``module_routers``). The cache keeps the last result of each package with that input: the
files by *stamp* (device, inode, size, mtime and ctime in nanoseconds, taken before the files
are read) and the dependency tables by value. A scan whose input is equal reuses the result
without reading or parsing a byte; a change to a dependency's exported constants re-extracts
its importers, because their input changed.

A stamp taken before reading can only be older than the bytes read, so a file changed while
it is read costs one more parse next time, never a stale result. Files changed in place twice
within one timestamp tick keep the same stamp; a package with a file modified less than
``RACY_SECONDS`` before the scan is therefore not kept (git's "racily clean" rule), and is
simply extracted again next time.

This module is imported by the loader without tree-sitter: nothing here parses.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from traefik_doctor.goscan.package import PackageResult
    from traefik_doctor.goscan.values import Val

RACY_SECONDS = 2.0
"""A file modified this recently may change again without changing its stamp (FAT keeps
mtimes to 2 s; Linux file systems to a scheduler tick)."""

Stamp = tuple[int, int, int, int, int]
"""``(st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns)``."""


def stamp(path: Path | str) -> Stamp | None:
    """The file's stamp, or None when it cannot be read (then nothing is cached for it)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def racy(file_stamp: Stamp, now_ns: int) -> bool:
    """Modified too recently for the stamp to prove the bytes unchanged next time: a write
    after the stamp sets the mtime to the time of that write, which equals the stamp's only
    if the stamp's mtime is that recent (whatever the ctime: ``touch -d`` moves only that)."""
    return file_stamp[3] >= now_ns - int(RACY_SECONDS * 1e9)


@dataclass(frozen=True, slots=True)
class PackageKey:
    """Everything ``process`` reads besides the dependency tables."""

    import_path: str
    rel: str
    name: str | None
    files: tuple[tuple[str, str, Stamp], ...]
    module_packages: frozenset[str]
    exported: bool


@dataclass(frozen=True, slots=True)
class _Entry:
    key: PackageKey
    module_values: dict[str, dict[str, Val]]
    module_routers: dict[str, dict[str, tuple[str, str, str]]]
    result: PackageResult


@dataclass(slots=True)
class PackageCache:
    """The last result of each package (by import path), and counts of the last scan."""

    entries: dict[str, _Entry] = field(default_factory=dict)
    hits: int = 0
    """Packages reused by the last scan."""
    misses: int = 0
    """Packages extracted by the last scan."""
    files_reused: int = 0
    files_parsed: int = 0

    def start(self) -> None:
        self.hits = self.misses = self.files_reused = self.files_parsed = 0

    def get(
        self,
        key: PackageKey | None,
        module_values: dict[str, dict[str, Val]],
        module_routers: dict[str, dict[str, tuple[str, str, str]]],
    ) -> PackageResult | None:
        if key is None:
            return None
        entry = self.entries.get(key.import_path)
        if (
            entry is None
            or entry.key != key
            or entry.module_values != module_values
            or entry.module_routers != module_routers
        ):
            return None
        return entry.result

    def put(
        self,
        key: PackageKey | None,
        module_values: dict[str, dict[str, Val]],
        module_routers: dict[str, dict[str, tuple[str, str, str]]],
        result: PackageResult,
        now_ns: int,
    ) -> None:
        if key is None:
            return
        if any(racy(file_stamp, now_ns) for _, _, file_stamp in key.files):
            self.entries.pop(key.import_path, None)
            return
        self.entries[key.import_path] = _Entry(key, module_values, module_routers, result)

    def keep_only(self, import_paths: Iterable[str]) -> None:
        """Forget packages that are gone."""
        wanted = set(import_paths)
        for path in [p for p in self.entries if p not in wanted]:
            del self.entries[path]


def now_ns() -> int:
    return time.time_ns()
