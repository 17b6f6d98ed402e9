"""Benchmark: ``traefik-doctor check`` against the real Traefik loading the same files.

For each size (1,000 and 10,000 routers+services, in 1 file and in 100 files) it measures,
in the same run and on the same files:
- traefik-doctor: wall time of the whole ``check`` process and its peak RSS;
- Traefik 3.7: time from exec until its API lists every router, and its peak RSS (VmHWM);
and prints a Markdown table with the ratios. Also times ``traefik-doctor --version``.

Run: ``.venv/bin/python bench/run.py [--repeat N]`` (the medians are reported).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_doctor(project: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one ``check`` process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [
            str(BIN / "traefik-doctor"),
            "check",
            str(project),
            "--format",
            "json",
            "--output",
            os.devnull,
        ],
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"traefik-doctor failed on {project}")
    return elapsed, usage.ru_maxrss / 1024


def run_traefik(project: Path, count: int) -> tuple[float, float]:
    """Seconds until the API lists all routers (+2 internal), and peak RSS (MiB)."""
    api_port, web_port = free_port(), free_port()
    text = (project / "traefik.yml").read_text()
    text = text.replace("18081", str(api_port)).replace("18080", str(web_port))
    static = project / "lab.yml"
    static.write_text(text)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN / "traefik"), f"--configFile={static}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = start + 60
        while time.perf_counter() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{api_port}/api/overview", timeout=1
                ) as r:
                    total = json.loads(r.read())["http"]["routers"]["total"]
                if total >= count + 2:
                    break
            except OSError:
                pass
            time.sleep(0.01)
        else:
            raise RuntimeError("Traefik did not load the routers in 60 s")
        ready = time.perf_counter() - start
        rss = 0.0
        for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                rss = int(line.split()[1]) / 1024
        return ready, rss
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def version_time(repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [str(BIN / "traefik-doctor"), "--version"], check=True, stdout=subprocess.DEVNULL
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="1000x1,1000x100,10000x1,10000x100")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for spec in args.sizes.split(","):
            count, files = (int(x) for x in spec.split("x"))
            project = Path(tmp) / spec
            generate(project, count, files)
            doc = [run_doctor(project) for _ in range(args.repeat)]
            tra = [run_traefik(project, count) for _ in range(args.repeat)]
            d_t = statistics.median(t for t, _ in doc)
            d_m = statistics.median(m for _, m in doc)
            t_t = statistics.median(t for t, _ in tra)
            t_m = statistics.median(m for _, m in tra)
            rows.append((count, files, d_t, t_t, d_m, t_m))
    print(f"traefik-doctor --version: {version_time(args.repeat * 3) * 1000:.0f} ms (median)\n")
    columns = [
        "routers",
        "files",
        "traefik-doctor check",
        "Traefik 3.7 load",
        "time ratio",
        "doctor peak RSS",
        "Traefik peak RSS",
        "memory ratio",
    ]
    print("| " + " | ".join(columns) + " |")
    print("|---|---|---|---|---|---|---|---|")
    for count, files, d_t, t_t, d_m, t_m in rows:
        print(
            f"| {count:,} | {files} | {d_t:.2f} s | {t_t:.2f} s | {d_t / t_t:.2f}x |"
            f" {d_m:.0f} MiB | {t_m:.0f} MiB | {d_m / t_m:.2f}x |"
        )
    print(
        f"\nmedian of {args.repeat} runs each; ratio < 1 means traefik-doctor is faster/smaller."
        f" Machine: {os.cpu_count()} CPUs."
    )


if __name__ == "__main__":
    main()
