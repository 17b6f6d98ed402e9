"""The mermaid and Graphviz dot renderings (stable text, for snapshots and docs)."""

from __future__ import annotations

from traefik_doctor.findings import Severity
from traefik_doctor.graph.model import Graph, GraphNode

_SHAPES = {
    "entrypoint": ('(["', '"])'),
    "router": ('["', '"]'),
    "middleware": ('[/"', '"/]'),
    "service": ('[["', '"]]'),
    "server": ('[("', '")]'),
    "listener": ('{{"', '"}}'),
    "handler": ('>"', '"]'),
}
_CLASS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


def _ids(graph: Graph) -> dict[str, str]:
    return {node_id: f"n{index}" for index, node_id in enumerate(graph.nodes)}


def _badge(node: GraphNode) -> str:
    if not node.marks:
        return ""
    codes = sorted({m.code for m in node.marks})
    return " ⚠ " + ", ".join(codes)


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def render_mermaid(graph: Graph) -> str:
    ids = _ids(graph)
    lines = ["flowchart LR"]
    for column in graph.columns():
        for node in column:
            opening, closing = _SHAPES[node.kind]
            label = _mermaid_text(node.label + _badge(node))
            if node.detail:
                label += "<br/><small>" + _mermaid_text(node.detail) + "</small>"
            lines.append(f"  {ids[node.id]}{opening}{label}{closing}")
    for edge in graph.edges:
        label = f"|{_mermaid_text(edge.label)}|" if edge.label else ""
        lines.append(f"  {ids[edge.source]} -->{label} {ids[edge.target]}")
    lines.append("  classDef error fill:#fde2e2,stroke:#c62828,stroke-width:2px")
    lines.append("  classDef warning fill:#fff1db,stroke:#ef6c00,stroke-width:2px")
    lines.append("  classDef info fill:#e3f0fc,stroke:#1565c0")
    for severity, name in _CLASS.items():
        marked = [ids[n.id] for n in graph.nodes.values() if n.worst is severity]
        if marked:
            lines.append(f"  class {','.join(marked)} {name}")
    for mark in graph.unplaced:
        lines.append(f"  %% not placed: {mark.code} {mark.location}")
    return "\n".join(lines) + "\n"


_DOT_SHAPES = {
    "entrypoint": "cds",
    "router": "box",
    "middleware": "parallelogram",
    "service": "box3d",
    "server": "cylinder",
    "listener": "hexagon",
    "handler": "note",
}
_DOT_COLORS = {Severity.ERROR: "#c62828", Severity.WARNING: "#ef6c00", Severity.INFO: "#1565c0"}


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def render_dot(graph: Graph) -> str:
    ids = _ids(graph)
    lines = [
        "digraph traefik {",
        "  rankdir=LR;",
        '  node [fontname="Helvetica", fontsize=10, style=filled, fillcolor="#ffffff"];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    for number, column in enumerate(graph.columns()):
        lines.append(f"  subgraph column{number} {{")
        lines.append("    rank=same;")
        for node in column:
            label = _dot_text(node.label + _badge(node))
            if node.detail:
                label += "\\n" + _dot_text(node.detail)
            attrs = [f'label="{label}"', f"shape={_DOT_SHAPES[node.kind]}"]
            worst = node.worst
            if worst is not None:
                attrs.append(f'color="{_DOT_COLORS[worst]}"')
                attrs.append("penwidth=2")
                tip = "; ".join(f"{m.code} {m.message}" for m in node.marks)
                attrs.append(f'tooltip="{_dot_text(tip)}"')
            lines.append(f"    {ids[node.id]} [{', '.join(attrs)}];")
        lines.append("  }")
    for edge in graph.edges:
        label = f' [label="{_dot_text(edge.label)}"]' if edge.label else ""
        lines.append(f"  {ids[edge.source]} -> {ids[edge.target]}{label};")
    for mark in graph.unplaced:
        lines.append(f"  // not placed: {mark.code} {mark.location}")
    lines.append("}")
    return "\n".join(lines) + "\n"
