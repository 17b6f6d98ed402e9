"""Generate file-provider configurations of N routers + N services for the benchmark.

``python bench/generate.py OUT N FILES`` writes ``OUT/traefik.yml`` and ``OUT/dynamic/`` with
N routers (``Host(`hN.test`) && PathPrefix(`/pN`)``) and N services split over FILES files,
the same shape as the Traefik measurements in shared/traefik-facts.md §12.
"""

from __future__ import annotations

import sys
from pathlib import Path


def generate(
    out: Path, count: int, files: int, web_port: int = 18080, api_port: int = 18081
) -> None:
    dynamic = out / "dynamic"
    dynamic.mkdir(parents=True, exist_ok=True)
    (out / "traefik.yml").write_text(
        "global: {checkNewVersion: false, sendAnonymousUsage: false}\n"
        "entryPoints:\n"
        f'  web: {{address: "127.0.0.1:{web_port}"}}\n'
        f'  traefik: {{address: "127.0.0.1:{api_port}"}}\n'
        "api: {insecure: true}\n"
        "log: {level: ERROR}\n"
        "providers:\n"
        "  file: {directory: dynamic, watch: false}\n",
        encoding="utf-8",
    )
    per_file = (count + files - 1) // files
    for index in range(files):
        lo, hi = index * per_file, min(count, (index + 1) * per_file)
        routers = "".join(
            f"    r{n:05d}:\n      entryPoints: [web]\n"
            f'      rule: "Host(`h{n:05d}.test`) && PathPrefix(`/p{n}`)"\n      service: s{n:05d}\n'
            for n in range(lo, hi)
        )
        services = "".join(
            f"    s{n:05d}:\n      loadBalancer:\n        servers:\n          - url: http://127.0.0.1:18100\n"
            for n in range(lo, hi)
        )
        (dynamic / f"part{index:03d}.yml").write_text(
            f"http:\n  routers:\n{routers}  services:\n{services}", encoding="utf-8"
        )


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
