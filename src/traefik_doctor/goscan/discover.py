"""Find Go modules and packages under the checked directories.

The walk skips what the Go tool skips (``vendor/``, ``testdata/``, directories starting with
``.`` or ``_``, ``*_test.go``), follows symlinks only while they stay inside the roots and
visits each real directory once, so a symlink loop ends the walk of that branch. A package is a
directory; its name and imports are read with a cheap scan of the file header so packages can
be processed dependencies-first without keeping trees around.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from traefik_doctor.findings import Location

_SKIP_DIRS = frozenset({"vendor", "testdata"})
_PACKAGE_RE = re.compile(rb"^\s*package\s+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)
_IMPORT_BLOCK_RE = re.compile(rb"^import\s*\((.*?)\)", re.MULTILINE | re.DOTALL)
_IMPORT_LINE_RE = re.compile(rb'^import\s+(?:[A-Za-z_.][A-Za-z0-9_]*\s+)?"([^"]+)"', re.MULTILINE)
_IMPORT_SPEC_RE = re.compile(rb'"([^"\n]+)"')
_MODULE_RE = re.compile(r"^\s*module\s+\"?([^\s\"]+)\"?", re.MULTILINE)
_GO_RE = re.compile(r"^\s*go\s+([0-9][0-9A-Za-z.\-]*)", re.MULTILINE)


@dataclass(slots=True)
class Module:
    """A ``go.mod``: its directory, module path and ``go`` line (with where it is)."""

    directory: Path
    rel: str
    path: str | None
    go_version: str | None
    go_mod: Location


@dataclass(slots=True)
class Package:
    """A directory of non-test ``.go`` files."""

    directory: Path
    rel: str
    files: list[Path] = field(default_factory=list)
    name: str | None = None
    imports: set[str] = field(default_factory=set)
    module: Module | None = None
    import_path: str = ""
    size: int = 0

    @property
    def is_main(self) -> bool:
        return self.name == "main"


@dataclass(slots=True)
class Discovery:
    modules: list[Module]
    packages: list[Package]
    skipped: list[str]


def _rel(path: Path, display_root: Path) -> str:
    try:
        return path.relative_to(display_root).as_posix()
    except ValueError:
        return path.as_posix()


def _within(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _read_go_mod(directory: Path, display_root: Path) -> Module:
    path = directory / "go.mod"
    rel = _rel(path, display_root)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    module = _MODULE_RE.search(text)
    go = _GO_RE.search(text)
    line = text.count("\n", 0, go.start(1)) + 1 if go else 1
    return Module(
        directory,
        _rel(directory, display_root) or ".",
        module.group(1) if module else None,
        go.group(1) if go else None,
        Location(rel, line if go else None),
    )


def header_facts(source: bytes) -> tuple[str | None, set[str]]:
    """The package name and imported paths, from the file header (no parsing)."""
    name = _PACKAGE_RE.search(source)
    head = source[: name.end() + 65536] if name else source[:65536]
    imports: set[str] = set()
    for block in _IMPORT_BLOCK_RE.finditer(head):
        imports.update(
            m.group(1).decode("utf-8", "replace") for m in _IMPORT_SPEC_RE.finditer(block.group(1))
        )
    imports.update(m.group(1).decode("utf-8", "replace") for m in _IMPORT_LINE_RE.finditer(head))
    return (name.group(1).decode() if name else None), imports


def discover(roots: list[Path], display_root: Path) -> Discovery:
    real_roots = [os.path.realpath(root) for root in roots]
    visited: set[str] = set()
    modules: dict[str, Module] = {}
    packages: list[Package] = []
    skipped: list[str] = []

    def module_for(directory: Path, inherited: Module | None) -> Module | None:
        if (directory / "go.mod").is_file():
            module = _read_go_mod(directory, display_root)
            modules[str(directory)] = module
            return module
        return inherited

    stack: list[tuple[Path, Module | None]] = [(Path(root), None) for root in roots]
    while stack:
        directory, inherited = stack.pop()
        real = os.path.realpath(directory)
        if real in visited or not _within(real, real_roots):
            continue
        visited.add(real)
        module = module_for(directory, inherited)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            skipped.append(_rel(directory, display_root))
            continue
        package = Package(directory, _rel(directory, display_root) or ".", module=module)
        subdirs: list[Path] = []
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                continue
            if is_dir:
                if name in _SKIP_DIRS or name.startswith((".", "_")):
                    if name in _SKIP_DIRS:
                        skipped.append(_rel(directory / name, display_root))
                    continue
                subdirs.append(directory / name)
            elif is_file and name.endswith(".go") and not name.endswith("_test.go"):
                if name.startswith((".", "_")):
                    continue
                if entry.is_symlink() and not _within(os.path.realpath(entry.path), real_roots):
                    skipped.append(_rel(directory / name, display_root))
                    continue
                package.files.append(directory / name)
        if package.files:
            packages.append(package)
        stack.extend((sub, module) for sub in reversed(subdirs))
    for package in packages:
        module = package.module
        if module is not None and module.path is not None:
            tail = package.directory.relative_to(module.directory).as_posix()
            package.import_path = module.path if tail == "." else f"{module.path}/{tail}"
        else:
            package.import_path = package.rel
    packages.sort(key=lambda p: p.rel)
    return Discovery(sorted(modules.values(), key=lambda m: m.rel), packages, sorted(skipped))
