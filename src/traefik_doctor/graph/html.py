"""One self-contained HTML page: inline CSS, a little inline JS, and an SVG laid out here in
layered columns (no external library, nothing fetched from the network).

Layout: one column per layer, left to right; the first column keeps the configuration's
order, every later column is ordered by the mean position of each node's predecessors (one
barycentre pass, which removes most crossings of a layered graph), nodes without a
predecessor last. Edges are cubic curves from a box's right side to the next box's left side.
"""

from __future__ import annotations

from html import escape

from traefik_doctor.findings import Severity
from traefik_doctor.graph.model import Graph, GraphNode

NODE_W = 220
NODE_H = 48
COL_GAP = 80
ROW_GAP = 16
MARGIN = 24
HEADER = 34

_FILL = {
    "entrypoint": "#e8eaf6",
    "router": "#e3f2fd",
    "middleware": "#f3e5f5",
    "service": "#e8f5e9",
    "server": "#fffde7",
    "listener": "#e0f7fa",
    "handler": "#f1f8e9",
}
_TITLES = {
    "entrypoint": "Entry points",
    "router": "Routers",
    "middleware": "Middlewares",
    "service": "Services",
    "server": "Servers",
    "listener": "Go listeners",
    "handler": "Go handlers",
}
_BADGE = {Severity.ERROR: "#d32f2f", Severity.WARNING: "#f57c00", Severity.INFO: "#1976d2"}

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;
background:#fafafa;color:#212121}
header{padding:12px 24px;background:#263238;color:#fff}
header h1{font-size:18px;margin:0}
header p{margin:4px 0 0;font-size:13px;color:#cfd8dc}
.legend{display:flex;flex-wrap:wrap;gap:14px;padding:10px 24px;font-size:12px;
border-bottom:1px solid #ddd;background:#fff}
.legend span{display:inline-flex;align-items:center;gap:6px}
.sw{width:14px;height:14px;border:1px solid #78909c;border-radius:3px;display:inline-block}
.dot{width:12px;height:12px;border-radius:50%;display:inline-block}
main{padding:12px 24px}
svg text{font-size:12px;pointer-events:none}
svg .detail{font-size:10px;fill:#546e7a}
svg .col{font-size:13px;font-weight:600;fill:#37474f}
.node rect{stroke:#78909c;stroke-width:1}
.node.error rect{stroke:#d32f2f;stroke-width:2.5}
.node.warning rect{stroke:#f57c00;stroke-width:2.5}
.node:hover rect{stroke:#000;stroke-width:2}
.edge{fill:none;stroke:#90a4ae;stroke-width:1.4}
.edge.skip{stroke-dasharray:5 4;stroke:#b0bec5}
.edge.hot{stroke:#263238;stroke-width:2.4}
.elabel{font-size:9px;fill:#607d8b}
.badge text{fill:#fff;font-size:10px;font-weight:700}
.unplaced{font-size:12px;margin-top:12px}
"""

_JS = """
document.querySelectorAll('.node').forEach(function(n){
  n.addEventListener('mouseenter',function(){
    document.querySelectorAll('.edge[data-s="'+n.id+'"],.edge[data-t="'+n.id+'"]')
      .forEach(function(e){e.classList.add('hot');});});
  n.addEventListener('mouseleave',function(){
    document.querySelectorAll('.edge.hot').forEach(function(e){e.classList.remove('hot');});});
});
"""


def layout(graph: Graph) -> dict[str, tuple[float, float]]:
    """Top-left corner of every node's box."""
    positions: dict[str, tuple[float, float]] = {}
    rank: dict[str, float] = {}
    predecessors: dict[str, list[str]] = {}
    for edge in graph.edges:
        predecessors.setdefault(edge.target, []).append(edge.source)
    for number, column in enumerate(graph.columns()):
        if number == 0:
            ordered = list(column)
        else:

            def key(node: GraphNode) -> tuple[int, float, str]:
                known = [rank[p] for p in predecessors.get(node.id, []) if p in rank]
                if not known:
                    return (1, 0.0, node.label)
                return (0, sum(known) / len(known), node.label)

            ordered = sorted(column, key=key)
        for index, node in enumerate(ordered):
            rank[node.id] = float(index)
            x = MARGIN + number * (NODE_W + COL_GAP)
            y = MARGIN + HEADER + index * (NODE_H + ROW_GAP)
            positions[node.id] = (x, y)
    return positions


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_svg(graph: Graph) -> str:
    positions = layout(graph)
    columns = graph.columns()
    rows = max((len(c) for c in columns), default=0)
    width = MARGIN * 2 + len(columns) * NODE_W + max(len(columns) - 1, 0) * COL_GAP
    height = MARGIN * 2 + HEADER + rows * (NODE_H + ROW_GAP)
    ids = {node_id: f"n{index}" for index, node_id in enumerate(graph.nodes)}
    column_of = {node.id: number for number, col in enumerate(columns) for node in col}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" style="max-width:100%;height:auto"'
        ' role="img" aria-label="Traefik topology">'
    ]
    for number, column in enumerate(columns):
        kinds = sorted({node.kind for node in column})
        title = " / ".join(_TITLES[k] for k in kinds)
        left = MARGIN + number * (NODE_W + COL_GAP)
        out.append(f'<text class="col" x="{left}" y="{MARGIN + 14}">{escape(title)}</text>')
    for edge in graph.edges:
        if edge.source not in positions or edge.target not in positions:
            continue
        sx, sy = positions[edge.source]
        tx, ty = positions[edge.target]
        x1, y1 = sx + NODE_W, sy + NODE_H / 2
        x2, y2 = tx, ty + NODE_H / 2
        if x2 <= x1:  # same or earlier column: loop round the right side
            x2, y2 = tx + NODE_W, ty + NODE_H / 2
            bend = max(x1, x2) + 40
            d = f"M{x1:.0f},{y1:.0f} C{bend:.0f},{y1:.0f} {bend:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
        else:
            mid = (x1 + x2) / 2
            d = f"M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
        skip = " skip" if column_of[edge.target] - column_of[edge.source] > 1 else ""
        out.append(
            f'<path class="edge{skip}" data-s="{ids[edge.source]}" data-t="{ids[edge.target]}"'
            f' d="{d}"><title>{escape(edge.label)}</title></path>'
        )
        if edge.label:
            lx, ly = x1 + 8, y1 - 4
            label = escape(_short(edge.label, 24))
            out.append(f'<text class="elabel" x="{lx:.0f}" y="{ly:.0f}">{label}</text>')
    for node_id, node in graph.nodes.items():
        x, y = positions[node_id]
        worst = node.worst
        css = f"node kind-{node.kind}" + (f" {worst.value}" if worst is not None else "")
        tip = node.label + (f"\n{node.detail}" if node.detail else "")
        out.append(f'<g class="{css}" id="{ids[node_id]}" data-name="{escape(node.label)}">')
        out.append(f"<title>{escape(tip)}</title>")
        out.append(
            f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="6"'
            f' fill="{_FILL[node.kind]}"/>'
        )
        out.append(f'<text x="{x + 10}" y="{y + 19}">{escape(_short(node.label, 32))}</text>')
        if node.detail:
            out.append(
                f'<text class="detail" x="{x + 10}" y="{y + 36}">'
                f"{escape(_short(node.detail, 38))}</text>"
            )
        out.append("</g>")
        if node.marks and worst is not None:
            bx, by = x + NODE_W - 4, y + 4
            lines = "\n".join(f"{m.code} [{m.severity.value}] {m.message}" for m in node.marks)
            out.append(f'<g class="badge {worst.value}">')
            out.append(f"<title>{escape(lines)}</title>")
            out.append(
                f'<circle cx="{bx}" cy="{by}" r="11" fill="{_BADGE[worst]}"'
                ' stroke="#fff" stroke-width="2"/>'
            )
            out.append(f'<text x="{bx}" y="{by + 4}" text-anchor="middle">{len(node.marks)}</text>')
            out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def render_html(graph: Graph, title: str = "Traefik topology") -> str:
    counts = {s: 0 for s in Severity}
    for node in graph.nodes.values():
        for mark in node.marks:
            counts[mark.severity] += 1
    legend = [
        f'<span><i class="sw" style="background:{_FILL[k]}"></i>{escape(_TITLES[k])}</span>'
        for k in _FILL
        if any(n.kind == k for n in graph.nodes.values())
    ]
    legend += [
        f'<span><i class="dot" style="background:{_BADGE[s]}"></i>'
        f"{s.value} finding (hover the badge)</span>"
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    ]
    summary = (
        f"{len(graph.nodes)} nodes, {len(graph.edges)} edges; findings on nodes:"
        f" {counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s),"
        f" {counts[Severity.INFO]} info"
    )
    unplaced = ""
    if graph.unplaced:
        items = "".join(
            f"<li><b>{escape(m.code)}</b> [{m.severity.value}] {escape(m.location)}:"
            f" {escape(m.message)}</li>"
            for m in graph.unplaced
        )
        unplaced = (
            f'<div class="unplaced"><b>Findings not on a node</b> ({len(graph.unplaced)})'
            f"<ul>{items}</ul></div>"
        )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        f"<style>{_CSS}</style></head><body>\n"
        f"<header><h1>{escape(title)}</h1><p>{escape(summary)}."
        " Dashed edges skip a column (router to service)."
        " Hover a node or a badge for details.</p></header>\n"
        f'<div class="legend">{"".join(legend)}</div>\n'
        f"<main>\n{render_svg(graph)}\n{unplaced}</main>\n"
        f"<script>{_JS}</script>\n"
        "</body></html>\n"
    )
