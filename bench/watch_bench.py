"""What ``watch``'s load cache saves on a re-check after one save.

    .venv/bin/python bench/watch_bench.py [--routers 200] [--files 4] [--go-files 50] [--rounds 15]

Generates a project (``bench/generate.py``: N routers + N services over FILES provider files;
``bench/go_extract.py``: a Go module of GO-FILES files, half of them HTTP code, over 40
packages), then, per round, saves one file (a Go file, or a provider file) with a new line
and times a full check of the project:

- ``run_check``: what ``check`` does, reading and parsing everything (the baseline);
- ``watch``: ``WatchSession.check`` with its warm cache, reusing every other file.

The saved file is then aged (its mtime moved 60 s back), as if the next save came a while
later; files saved within ``RACY_SECONDS`` are always read again. Both run in this process,
alternately, after one warm-up each; the table gives medians and the ratio watch/run_check.
Both run without the cycle collector, as ``check`` does; the watch loop collects once the
output is written (timed apart: it delays the next check, not this one's output).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import generate as generate_config
from go_extract import generate as generate_go

from traefik_doctor.engine import run_check
from traefik_doctor.settings import Settings
from traefik_doctor.watch.session import Overrides, WatchSession


def _age(path: Path, seconds: float = 60.0) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def _save(path: Path, line: str) -> None:
    """An editor's save: a new file renamed over the old one, with one more line."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(path.read_bytes() + line.encode())
    os.replace(tmp, path)


@dataclass
class Timings:
    baseline: list[float] = field(default_factory=list)
    cached: list[float] = field(default_factory=list)
    collect: list[float] = field(default_factory=list)
    reread: str = ""


def _measure(root: Path, targets: list[Path], comment: str, rounds: int) -> Timings:
    session = WatchSession(root, Overrides())
    session.check()
    timings = Timings()
    for index in range(rounds + 1):  # round 0 warms both up
        target = targets[index % len(targets)]
        _save(target, f"\n{comment} round {index}\n")
        gc.disable()  # as `traefik-doctor check` runs
        started = time.perf_counter()
        run_check(root, Settings())
        baseline = time.perf_counter() - started
        gc.enable()
        gc.collect()
        started = time.perf_counter()
        outcome = session.check(("saved",))  # disables the collector itself
        cached = time.perf_counter() - started
        started = time.perf_counter()
        gc.collect()  # as the watch loop does, once the output is written
        collect = time.perf_counter() - started
        assert outcome.error is None, outcome.error
        if index:
            timings.baseline.append(baseline)
            timings.cached.append(cached)
            timings.collect.append(collect)
        timings.reread = (
            f"provider files {outcome.reread.provider_parsed}/{outcome.reread.provider_total},"
            f" Go files {outcome.reread.go_parsed}/{outcome.reread.go_total}"
        )
        _age(target)
        session.check()  # the aged file is kept again: the next round starts as a user would
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routers", type=int, default=200)
    parser.add_argument("--files", type=int, default=4, help="provider files")
    parser.add_argument("--go-files", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate_config(root, args.routers, args.files)
        size = generate_go(root, args.go_files, http_share=0.5)
        for path in root.rglob("*"):
            if path.is_file():
                _age(path)
        go_files = sorted(root.rglob("*.go"))
        yaml_files = sorted((root / "dynamic").glob("*.yml"))
        print(
            f"project: {args.routers} routers in {args.files} provider files,"
            f" {len(go_files)} Go files ({size / 1024:.0f} KiB); {args.rounds} rounds"
        )
        print()
        print(
            "| saved | run_check (median) | watch re-check (median) | ratio"
            " | then gc.collect, after the output | re-read by watch |"
        )
        print("|---|---|---|---|---|---|")
        for label, targets, comment in (
            ("one Go file", go_files[:-1], "//"),  # not main.go: a package of HTTP code
            ("one provider file", yaml_files, "#"),
        ):
            t = _measure(root, targets, comment, args.rounds)
            base, mine = statistics.median(t.baseline), statistics.median(t.cached)
            collect = statistics.median(t.collect)
            print(
                f"| {label} | {base * 1000:.1f} ms | {mine * 1000:.1f} ms | {mine / base:.2f}x"
                f" | {collect * 1000:.1f} ms | {t.reread} |"
            )


if __name__ == "__main__":
    main()
