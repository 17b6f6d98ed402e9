"""One watched project: re-check on demand, remember the last findings, say what changed.

``WatchSession.check`` is ``check`` with a memory: the project is loaded through a
``LoadCache`` (unchanged provider files and Go packages are not read again), every rule runs
on the whole project (a change in one file can break a route defined in another), and the
findings are compared with the last check's (``watch.diff``). It never raises for bad
input or a failing re-check: the outcome carries the one-line error and the last good
findings stay the reference. ``watch.loop`` feeds it file events; tests can call it directly.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from traefik_doctor.engine import run_check
from traefik_doctor.errors import ToolError
from traefik_doctor.findings import Finding, Severity
from traefik_doctor.loaders.files import read_bounded
from traefik_doctor.loaders.project import LoadCache
from traefik_doctor.model.project import Project, Role
from traefik_doctor.settings import Settings, settings_for
from traefik_doctor.source import Source
from traefik_doctor.watch.diff import Diff, Seen, diff, seen

if TYPE_CHECKING:
    from traefik_doctor.watch.probe import LiveProber

WATCHED_SUFFIXES = frozenset(
    {".yml", ".yaml", ".toml", ".go", ".pem", ".crt", ".cer", ".key", ".env"}
)
"""Files whose change can change a finding anywhere under the project: configuration and
compose files, settings, Go sources, certificates and keys."""
WATCHED_NAMES = frozenset({"go.mod", ".env"})
IGNORED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".venv",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".idea",
    }
)
_EDITOR_TEMP_ENDINGS = ("~", ".swp", ".swx", ".swo", ".tmp", ".bak", ".kate-swp", "___jb_tmp___")


@dataclass(slots=True)
class Overrides:
    """The command line's options, applied over the settings file at every check (the
    settings file is re-read, so editing it takes effect too)."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    profile: str | None = None
    fail_on: Severity | None = None
    static: Path | None = None
    go_src: list[Path] = field(default_factory=list)
    no_go: bool = False

    def settings(self, root: Path) -> Settings:
        """Read again on every check: an edit of the settings file applies at once."""
        import argparse

        given = argparse.Namespace(
            select=list(self.select),
            ignore=list(self.ignore),
            profile=self.profile,
            fail_on=self.fail_on.value if self.fail_on is not None else None,
            static=self.static,
            go_src=list(self.go_src),
            no_go=self.no_go,
        )
        return settings_for(root, given)


@dataclass(frozen=True, slots=True)
class Reread:
    """How much the last check read again: files parsed of files loaded."""

    provider_parsed: int = 0
    provider_total: int = 0
    go_parsed: int = 0
    go_total: int = 0


@dataclass(frozen=True, slots=True)
class Outcome:
    """One check: the current findings, what changed since the last one, and how it went."""

    when: float
    changed: tuple[str, ...]
    findings: tuple[Finding, ...] = ()
    diff: Diff = field(default_factory=Diff)
    sources: dict[str, Source] = field(default_factory=dict)
    elapsed: float = 0.0
    reread: Reread = field(default_factory=Reread)
    first: bool = False
    error: str | None = None
    crashed: tuple[str, ...] = ()
    probed: tuple[str, ...] | None = None
    notes: tuple[str, ...] = ()


class WatchSession:
    """A project under watch. ``check`` after each batch of file events."""

    def __init__(
        self, target: Path, overrides: Overrides, *, prober: LiveProber | None = None
    ) -> None:
        self.target = target
        resolved = target.resolve()
        self.root = resolved if resolved.is_dir() else resolved.parent
        self.overrides = overrides
        self.prober = prober
        self.cache = LoadCache()
        self.project: Project | None = None
        self.settings: Settings | None = None
        self.last: tuple[Seen, ...] | None = None
        self.last_findings: tuple[Finding, ...] = ()

    # -- checking -------------------------------------------------------------------------

    def check(self, changed: Sequence[str] = ()) -> Outcome:
        """Check the whole project again and compare with the last good check."""
        when = time.time()
        started = time.perf_counter()
        first = self.last is None
        if not self.target.exists():
            error = f"{self.target} does not exist (any more); waiting for it"
            return self._failed(when, changed, error, started)
        collecting = gc.isenabled()
        # As in `check`: loading makes many objects and no cycles; the collector would scan
        # them (and the cache) again and again. The loop collects once the output is out.
        gc.disable()
        try:
            settings = self.overrides.settings(self.root)
            checked = run_check(self.target, settings, cache=self.cache)
            sources = _sources(checked.project, checked.findings)
            findings = list(checked.findings)
            probed: tuple[str, ...] | None = None
            notes: tuple[str, ...] = ()
            if self.prober is not None:
                report = self.prober.update(checked.project, checked.findings)
                findings.extend(report.findings)
                probed, notes = report.probed, report.notes
            findings.sort(key=Finding.sort_key)
            current = seen(findings, sources)
        except ToolError as exc:
            return self._failed(when, changed, str(exc), started)
        except Exception as exc:  # never a traceback: say it in one line, keep watching
            text = str(exc).splitlines()[0] if str(exc) else ""
            return self._failed(when, changed, f"{type(exc).__name__}: {text}", started)
        finally:
            if collecting:
                gc.enable()
        self.settings = settings
        self.project = checked.project
        found = diff(self.last or (), current)
        self.last = current
        self.last_findings = tuple(findings)
        return Outcome(
            when=when,
            changed=tuple(changed),
            findings=tuple(findings),
            diff=found,
            sources=sources,
            elapsed=time.perf_counter() - started,
            reread=self._reread(checked.project),
            first=first,
            crashed=tuple(checked.crashed),
            probed=probed,
            notes=notes,
        )

    def _failed(self, when: float, changed: Sequence[str], error: str, started: float) -> Outcome:
        return Outcome(
            when=when,
            changed=tuple(changed),
            findings=self.last_findings,
            elapsed=time.perf_counter() - started,
            first=self.last is None,
            error=error or "unknown error",
        )

    def _reread(self, project: Project) -> Reread:
        cache = self.cache
        go = project.go
        return Reread(
            provider_parsed=cache.documents_parsed,
            provider_total=cache.documents_parsed + cache.documents_reused,
            go_parsed=cache.go.files_parsed if go is not None else 0,
            go_total=go.files if go is not None else 0,
        )

    # -- what to watch ----------------------------------------------------------------------

    def watch_paths(self) -> list[Path]:
        """Folders to watch, recursively: the checked folder, and where the static file, the
        file provider and ``go-src`` point when that is outside it. Folders, not files:
        editors save by writing a new file and renaming it over the old one. None when the
        checked folder itself is gone."""
        if not self.root.is_dir():
            return []
        wanted: list[Path] = [self.root]
        project = self.project
        if project is not None:
            provider = project.file_provider
            if provider is not None and provider.path is not None:
                wanted.append(provider.path if provider.is_directory else provider.path.parent)
            for document in project.documents:
                if document.role is Role.STATIC and document.source.path:
                    wanted.append(Path(document.source.path).parent)
        if self.overrides.static is not None:
            wanted.append(self.overrides.static.resolve().parent)
        go_src = self.settings.go_src if self.settings is not None else self.overrides.go_src
        wanted.extend(path if path.is_absolute() else self.root / path for path in go_src)
        return _outermost(path.resolve() for path in wanted if path.is_dir())

    def provider_directory(self) -> Path | None:
        provider = self.project.file_provider if self.project is not None else None
        if provider is None or provider.path is None or not provider.is_directory:
            return None
        return provider.path

    def relevant(self, path: str) -> bool:
        """Can a change of ``path`` change a finding? Configuration, compose, settings, Go
        and certificate files; any file in the provider directory (Traefik lists it: CFG009)
        except editors' temporary files; folders (a renamed package). Not: ``_test.go``,
        VCS and tool folders, editors' swap and backup files."""
        p = Path(path)
        if IGNORED_DIRS.intersection(p.parts):
            return False
        name = p.name
        if name.endswith("_test.go") or _editor_temp(name):
            return False
        if name in WATCHED_NAMES or p.suffix.lower() in WATCHED_SUFFIXES:
            return True
        provider = self.provider_directory()
        if provider is not None and p.is_relative_to(provider) and not name.startswith("."):
            return True
        if name.startswith("."):
            return False
        try:
            return p.is_dir() or (not p.exists() and not p.suffix)
        except OSError:
            return False

    def describe(self, paths: Iterable[str]) -> tuple[str, ...]:
        """Changed paths for the header: relative to the project, ``(deleted)`` when gone.
        Gone paths that are not configuration or Go files are left out: they are mostly
        temporary files of a save (``sed -i``'s, an editor's) that came and went."""
        shown: list[str] = []
        for raw in sorted(set(paths)):
            p = Path(raw)
            try:
                exists = p.exists()
            except OSError:
                exists = False
            if (
                not exists
                and p.suffix.lower() not in WATCHED_SUFFIXES
                and p.name not in WATCHED_NAMES
            ):
                continue
            try:
                text = p.relative_to(self.root).as_posix()
            except ValueError:
                text = p.as_posix()
            shown.append(text if exists else f"{text} (deleted)")
        return tuple(shown)


def _editor_temp(name: str) -> bool:
    return name.startswith((".#", "#")) or name.endswith(_EDITOR_TEMP_ENDINGS) or name == "4913"


def _outermost(paths: Iterable[Path]) -> list[Path]:
    """Each folder once, without those inside another (watched recursively anyway)."""
    unique = sorted(set(paths), key=lambda p: (len(p.parts), str(p)))
    kept: list[Path] = []
    for path in unique:
        if not any(path.is_relative_to(outer) for outer in kept):
            kept.append(path)
    return sorted(kept)


def _sources(project: Project, findings: Iterable[Finding]) -> dict[str, Source]:
    """The loaded documents, and the other files findings point at (Go code), read now, so
    code frames and the line anchors of ``watch.diff`` see what was checked."""
    sources = project.sources()
    for finding in findings:
        for location in (finding.location, *(r.location for r in finding.related)):
            if not location.path or location.path in sources or location.line is None:
                continue
            path = project.root / location.path
            data = read_bounded(path).data if path.is_file() else None
            sources[location.path] = Source(str(path), location.path, data or b"")
    return sources
