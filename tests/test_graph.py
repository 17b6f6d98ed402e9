"""``traefik-doctor graph``: mermaid and dot snapshots of broken-app (``tests/snapshots/``,
``UPDATE_SNAPSHOTS=1`` rewrites them), the HTML's self-containment, and the HTML rendered by
a headless Chromium (Debian's ``chromium``): a screenshot that is not blank and a DOM that
holds the routers and services."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from traefik_doctor.cli import main
from traefik_doctor.engine import run_check
from traefik_doctor.graph.html import render_html
from traefik_doctor.graph.model import build_graph
from traefik_doctor.settings import Settings

EXAMPLES = Path(__file__).parent.parent / "examples"
BROKEN = EXAMPLES / "broken-app"
SNAPSHOTS = Path(__file__).parent / "snapshots"


def _graph(fmt: str, capsys: pytest.CaptureFixture[str], path: Path = BROKEN) -> str:
    assert main(["graph", str(path), "--format", fmt]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("fmt", "name"), [("mermaid", "graph_broken.mmd"), ("dot", "graph_broken.dot")]
)
def test_snapshot(fmt: str, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    output = _graph(fmt, capsys)
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(output, encoding="utf-8")
    assert path.exists(), f"no snapshot {name}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert output == path.read_text(encoding="utf-8")


def test_findings_land_on_their_nodes() -> None:
    result = run_check(BROKEN, Settings())
    graph = build_graph(result.project, result.findings)
    codes = {node_id: {m.code for m in node.marks} for node_id, node in graph.nodes.items()}
    assert "MW002" in codes["mw:strip-api@file"]  # by location: inside its definition
    assert "RTR004" in codes["rt:users@file"]
    assert "GO006" in codes["h:cmd/api/main.go:39:2:/users/{id}"]  # a Go handler's line
    assert "GO002" in codes["rt:v1@file"]  # by name in the message
    assert "SVC012" in codes["go:cmd/api/main.go:49:26"]
    assert ("ep:web", "rt:v1@file") in {(e.source, e.target) for e in graph.edges}
    assert ("rt:v1@file", "mw:strip-api@file", "1") in {
        (e.source, e.target, e.label) for e in graph.edges
    }
    placed = sum(len(node.marks) for node in graph.nodes.values())
    assert placed + len(graph.unplaced) >= len(result.findings)


def test_output_file_and_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "graph.html"
    assert main(["graph", str(BROKEN), "--format", "html", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["graph", str(tmp_path / "missing")]) == 2
    assert main(["graph", str(BROKEN), "--format", "png"]) == 2
    assert "error" in capsys.readouterr().err


def test_html_is_self_contained() -> None:
    result = run_check(BROKEN, Settings())
    page = render_html(build_graph(result.project, result.findings))
    # Nothing is fetched: no external script, style, image or font.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert page.count("<svg") == 1 and "<script>" in page and "<style>" in page
    assert "<title>MW002 [warning]" in page or "MW002 [" in page
    # Names from the configuration are escaped.
    assert "Host(`api.example.com`) &amp;&amp; PathPrefix" in page


# --- in a real browser -----------------------------------------------------------------


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _chromium_args(profile: Path) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1400,900",
    ]


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """A tiny PNG decoder (8-bit RGB/RGBA, no interlace): width, height and the rows."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = 0
    channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and color in (2, 6), (depth, color, interlace)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    offset = 0
    for _ in range(height):
        kind, line = raw[offset], bytearray(raw[offset + 1 : offset + 1 + stride])
        offset += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line if channels == 3 else _rgb(line)))
        previous = line
    return width, height, rows


def _rgb(rgba: bytearray) -> bytearray:
    out = bytearray()
    for i in range(0, len(rgba), 4):
        out += rgba[i : i + 3]
    return out


def non_white(rows: list[bytes], threshold: int = 235) -> int:
    count = 0
    for row in rows:
        for i in range(0, len(row), 3):
            if min(row[i], row[i + 1], row[i + 2]) < threshold:
                count += 1
    return count


@pytest.mark.browser
def test_html_renders_in_headless_chromium(tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.fail("chromium is missing: apt-get install -y chromium")
    page = tmp_path / "graph.html"
    assert main(["graph", str(BROKEN), "--format", "html", "--output", str(page)]) == 0
    shot = tmp_path / "shot.png"
    run = subprocess.run(
        [browser, *_chromium_args(tmp_path / "p1"), f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert shot.is_file(), run.stderr.decode(errors="replace")[-2000:]
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1400, 900)
    # A blank page is all white; the graph's boxes, edges and header cover far more.
    assert non_white(rows) > width * height // 20
    dom = subprocess.run(
        [browser, *_chromium_args(tmp_path / "p2"), "--dump-dom", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=False,
    ).stdout.decode("utf-8", errors="replace")
    for name in (
        "v1@file",
        "users@file",
        "admin@file",
        "api@file",
        "shop-v2@file",
        "strip-api@file",
    ):
        assert f'data-name="{name}"' in dom, name
    assert "<svg" in dom and 'class="badge error"' in dom
