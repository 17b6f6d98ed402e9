"""The Go extractor's entry point: ``scan(roots, display_root) -> GoScan``.

Pipeline: discover modules and packages (``discover``), order each module's packages
dependencies-first from a cheap header scan, extract one package at a time (``package``:
trees are dropped when the package is done, only facts and small tables of exported constants
and router-returning functions are kept), then build one ``GoProgram`` per ``main`` package
from the facts of its import closure inside its module (``program``).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from traefik_doctor.goscan.cache import PackageCache, PackageKey, Stamp, now_ns, stamp
from traefik_doctor.goscan.discover import Package, discover, header_facts
from traefik_doctor.goscan.facts import GoIssue, GoScan
from traefik_doctor.goscan.package import PackageResult, process
from traefik_doctor.goscan.program import build_program
from traefik_doctor.goscan.values import Val

_HEADER_BYTES = 65536
# Below this much source, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 4 * 1024 * 1024


def _read_headers(package: Package) -> None:
    names: list[str] = []
    for path in package.files:
        try:
            with path.open("rb") as handle:
                head = handle.read(_HEADER_BYTES)
        except OSError:
            continue
        name, imports = header_facts(head)
        with contextlib.suppress(OSError):
            package.size += path.stat().st_size
        if name is not None:
            names.append(name)
        package.imports.update(imports)
    non_main = [n for n in names if n != "main"]
    package.name = "main" if "main" in names else (non_main[0] if non_main else None)


def _order(packages: list[Package], by_path: dict[str, Package]) -> list[Package]:
    """Dependencies first (an import cycle, impossible in valid Go, is cut)."""
    ordered: list[Package] = []
    state: dict[str, int] = {}
    for start in packages:
        stack: list[tuple[Package, list[str]]] = [(start, sorted(start.imports))]
        if state.get(start.import_path):
            continue
        state[start.import_path] = 1
        while stack:
            package, pending = stack[-1]
            while pending:
                dep = by_path.get(pending.pop())
                if (
                    dep is not None
                    and dep.module is package.module
                    and not state.get(dep.import_path)
                ):
                    state[dep.import_path] = 1
                    stack.append((dep, sorted(dep.imports)))
                    break
            else:
                stack.pop()
                state[package.import_path] = 2
                ordered.append(package)
    return ordered


def scan(
    roots: Sequence[Path],
    display_root: Path,
    *,
    jobs: int | None = None,
    cache: PackageCache | None = None,
) -> GoScan:
    """Read the Go code under ``roots``; paths in facts are relative to ``display_root``.

    ``jobs``: worker processes (default: one per core, at most 4, and only for more than
    ``PARALLEL_MIN_BYTES`` of source; ``TRAEFIK_DOCTOR_GO_JOBS`` overrides the default).
    ``cache``: reuse the results of packages whose input did not change since the last scan
    with the same cache (see ``goscan.cache``); the result is the same as without it.
    """
    found = discover(list(roots), display_root)
    started = now_ns()
    stamps = (
        {path: stamp(path) for package in found.packages for path in package.files}
        if cache is not None
        else {}
    )
    for package in found.packages:
        _read_headers(package)
    by_path: dict[str, Package] = {}
    for package in found.packages:
        by_path.setdefault(package.import_path, package)
    imported: set[str] = set()
    for package in found.packages:
        imported.update(p for p in package.imports if p in by_path)
    order = _order(found.packages, by_path)
    total = sum(package.size for package in order)
    workers = _workers(total, jobs)
    results: dict[str, PackageResult] = {}
    plan = _Plan(order, by_path, imported, display_root)
    if cache is not None:
        _run_cached(plan, results, workers=workers, cache=cache, stamps=stamps, started=started)
    else:
        if workers > 1:
            # A pool that cannot start or dies leaves the rest to this process.
            with contextlib.suppress(BrokenProcessPool, OSError):
                _run_parallel(plan, workers, results)
        _run_sequential(plan, results)
    files = sum(result.files for result in results.values())
    size = sum(result.bytes for result in results.values())
    parse_errors = [issue for result in results.values() for issue in result.parse_errors]
    programs = []
    unresolved: list[GoIssue] = []
    for result in results.values():
        unresolved.extend(result.facts.unresolved)
    for package in found.packages:
        if package.is_main and package.import_path in results:
            program, issues = build_program(package, by_path, results)
            programs.append(program)
            unresolved.extend(issues)
    return GoScan(
        programs=tuple(programs),
        files=files,
        bytes=size,
        parse_errors=tuple(sorted(parse_errors, key=_issue_key)),
        unresolved=tuple(sorted(dict.fromkeys(unresolved), key=_issue_key)),
        skipped=tuple(found.skipped),
    )


def _same_module_imports(package: Package, by_path: dict[str, Package]) -> frozenset[str]:
    return frozenset(
        p
        for p in package.imports
        if p in by_path and by_path[p].module is package.module and p != package.import_path
    )


class _Job(TypedDict):
    files: list[tuple[Path, str]]
    module_values: dict[str, dict[str, Val]]
    module_routers: dict[str, dict[str, tuple[str, str, str]]]
    module_packages: frozenset[str]
    exported: bool


@dataclass(frozen=True, slots=True)
class _Plan:
    """The packages in dependency order and what each job needs to know."""

    order: list[Package]
    by_path: dict[str, Package]
    imported: set[str]
    display_root: Path

    def run(self, package: Package, results: dict[str, PackageResult]) -> PackageResult:
        return process(package, **self.job(package, results))

    def submit(
        self, pool: ProcessPoolExecutor, package: Package, results: dict[str, PackageResult]
    ) -> Future[PackageResult]:
        return pool.submit(process, package, **self.job(package, results))

    def job(self, package: Package, results: dict[str, PackageResult]) -> _Job:
        """The arguments of ``process``, given the results of the package's dependencies."""
        deps = _same_module_imports(package, self.by_path)
        return _Job(
            files=[(path, _rel(path, self.display_root)) for path in package.files],
            module_values={d: results[d].values for d in deps if d in results},
            module_routers={d: results[d].routers for d in deps if d in results},
            module_packages=deps,
            exported=package.import_path in self.imported,
        )


def _run_sequential(plan: _Plan, results: dict[str, PackageResult]) -> None:
    for package in plan.order:
        if package.import_path not in results:
            results[package.import_path] = plan.run(package, results)


def _run_cached(
    plan: _Plan,
    results: dict[str, PackageResult],
    *,
    workers: int,
    cache: PackageCache,
    stamps: dict[Path, Stamp | None],
    started: int,
) -> None:
    """``_run_sequential`` that reuses unchanged packages. A cold cache runs as without one
    (in a pool when the code is large); a warm one extracts the few changed packages here."""
    cache.start()
    if not cache.entries and workers > 1:
        with contextlib.suppress(BrokenProcessPool, OSError):
            _run_parallel(plan, workers, results)
    keys: dict[str, PackageKey | None] = {}
    for package in plan.order:
        job = plan.job(package, results)
        key = keys[package.import_path] = _key(package, job, stamps)
        if package.import_path not in results:
            hit = cache.get(key, job["module_values"], job["module_routers"])
            if hit is not None:
                results[package.import_path] = hit
                cache.hits += 1
                cache.files_reused += len(package.files)
                continue
            results[package.import_path] = process(package, **job)
        cache.misses += 1
        cache.files_parsed += len(package.files)
    for package in plan.order:
        job = plan.job(package, results)
        result = results[package.import_path]
        cache.put(
            keys[package.import_path], job["module_values"], job["module_routers"], result, started
        )
    cache.keep_only(package.import_path for package in plan.order)


def _key(package: Package, job: _Job, stamps: dict[Path, Stamp | None]) -> PackageKey | None:
    files = []
    for path, rel in job["files"]:
        file_stamp = stamps.get(path)
        if file_stamp is None:
            return None
        files.append((str(path), rel, file_stamp))
    return PackageKey(
        package.import_path,
        package.rel,
        package.name,
        tuple(files),
        job["module_packages"],
        job["exported"],
    )


def _run_parallel(plan: _Plan, workers: int, results: dict[str, PackageResult]) -> None:
    """Packages in worker processes; a package starts when its dependencies are done."""
    order = plan.order
    position = {package.import_path: index for index, package in enumerate(order)}
    waits_for = {
        package.import_path: {
            d
            for d in _same_module_imports(package, plan.by_path)
            if position.get(d, len(order)) < position[package.import_path]
        }
        for package in order
    }
    pending = list(order)
    running: dict[Future[PackageResult], str] = {}
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        while pending or running:
            for package in list(pending):
                if len(running) >= 2 * workers:
                    break
                if waits_for[package.import_path] <= results.keys():
                    running[plan.submit(pool, package, results)] = package.import_path
                    pending.remove(package)
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                results[running.pop(future)] = future.result()


def _workers(total_bytes: int, jobs: int | None) -> int:
    if jobs is None:
        setting = os.environ.get("TRAEFIK_DOCTOR_GO_JOBS", "")
        if setting.isdigit():
            jobs = int(setting)
        elif total_bytes < PARALLEL_MIN_BYTES:
            jobs = 1
        else:
            jobs = min(os.cpu_count() or 1, 4)
    return max(1, jobs)


def _issue_key(issue: GoIssue) -> tuple[str, int, int, str]:
    loc = issue.location
    return (loc.path, loc.line or 0, loc.column or 0, issue.message)


def _rel(path: Path, display_root: Path) -> str:
    try:
        return path.relative_to(display_root).as_posix()
    except ValueError:
        return path.as_posix()
