"""The comparison as text (a table, the verdict, its reasons, the thresholds) and as JSON.

JSON shape (stable; keys in this order)::

    {"tool": {"name", "version"}, "command": "compare",
     "verdict": "promote" | "hold" | "rollback", "exit_code": 0 | 3 | 1,
     "window": {"url", "seconds" (null when the metrics could not be read)},
     "baseline": SIDE, "canary": SIDE,
     "reasons": [{"verdict", "kind", "text", "code"}],
     "error_test": {"baseline_share", "canary_share", "increase_points", "z", "p_value"} | null,
     "notes": [str], "thresholds": {...}}

    SIDE = {"requested", "service" (null without a series), "requests", "rate",
            "errors_5xx", "error_share", "quantiles": {"p50"|"p95"|"p99":
            {"value", "lower", "upper" (null for +Inf), "in_inf_bucket", "coarse"}}}
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from traefik_doctor.canary.verdict import HOLD, PROMOTE, ROLLBACK, Decision, Limits, Match
from traefik_doctor.probes.metrics import MetricsWindow, Quantile, SeriesStats

_QUANTILES = (("P50", 0.5), ("P95", 0.95), ("P99", 0.99))
_COLORS = {PROMOTE: "\033[32m", HOLD: "\033[33m", ROLLBACK: "\033[31m"}


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything one ``compare`` run found."""

    url: str
    window: MetricsWindow | None  # None: the metrics could not be read
    baseline: Match
    canary: Match
    decision: Decision
    limits: Limits


def render_text(comparison: Comparison, *, color: bool = False) -> str:
    c = comparison
    lines = [
        f"compare: baseline `{_name(c.baseline)}` vs canary `{_name(c.canary)}`",
    ]
    if c.window is not None:
        lines.append(
            f"window: two scrapes of {c.url} {c.window.window:.1f}s apart"
            " (counter differences, not totals)"
        )
        lines.append("")
        lines.extend(_table(c.baseline.stats, c.canary.stats))
    else:
        lines.append(f"metrics: {c.url}")
    lines.append("")
    verdict = c.decision.label
    if color:
        verdict = f"\033[1m{_COLORS[c.decision.verdict]}{verdict}\033[0m"
    lines.append(f"verdict: {verdict}")
    for reason in c.decision.reasons:
        code = f" [{reason.code}]" if reason.code else ""
        lines.append(f"  {_mark(reason.verdict, c.decision.verdict)} {reason.text}{code}")
    for note in c.decision.notes:
        lines.append(f"  note: {note}")
    lines.append("thresholds:")
    lines.extend(f"  {text}" for text in c.limits.describe())
    return "\n".join(lines) + "\n"


def _mark(verdict: str, overall: str) -> str:
    if verdict == PROMOTE:
        return "ok"
    return "->" if verdict == overall else "  "


def _name(match: Match) -> str:
    return match.stats.name if match.stats is not None else match.requested


def _table(baseline: SeriesStats | None, canary: SeriesStats | None) -> list[str]:
    rows: list[tuple[str, str, str]] = [
        ("", "baseline", "canary"),
        ("service", _name_cell(baseline), _name_cell(canary)),
        ("requests", _cell(baseline, _requests), _cell(canary, _requests)),
        ("5xx", _cell(baseline, _errors), _cell(canary, _errors)),
    ]
    for label, q in _QUANTILES:
        rows.append(
            (
                label,
                _cell(baseline, lambda s, q=q: _quantile(s.quantile(q))),
                _cell(canary, lambda s, q=q: _quantile(s.quantile(q))),
            )
        )
    first = max(len(r[0]) for r in rows)
    second = max(len(r[1]) for r in rows)
    return [f"  {a:<{first}}  {b:<{second}}  {c}".rstrip() for a, b, c in rows]


def _name_cell(stats: SeriesStats | None) -> str:
    return "(no series)" if stats is None else stats.name


def _cell(stats: SeriesStats | None, show: Any) -> str:
    return "-" if stats is None else str(show(stats))


def _requests(stats: SeriesStats) -> str:
    return f"{stats.requests:g} ({stats.rate:.1f}/s)"


def _errors(stats: SeriesStats) -> str:
    share = f"{stats.error_share:.1%}" if stats.error_share is not None else "-"
    return f"{stats.errors_5xx:g} ({share})"


def _quantile(q: Quantile | None) -> str:
    if q is None:
        return "-"
    if q.in_inf_bucket:
        return f">{q.lower:g}s (+Inf bucket)"
    text = f"{q.value * 1000:.1f}ms" if q.value < 1 else f"{q.value:.2f}s"
    mark = ", coarse" if q.coarse else ""
    return f"{text} (bucket {q.lower:g}-{q.upper:g}s{mark})"


# --- JSON


def to_json(comparison: Comparison, version: str) -> str:
    c = comparison
    data: dict[str, Any] = {
        "tool": {"name": "traefik-doctor", "version": version},
        "command": "compare",
        "verdict": c.decision.verdict,
        "exit_code": c.decision.exit_code,
        "window": {
            "url": c.url,
            "seconds": round(c.window.window, 3) if c.window is not None else None,
        },
        "baseline": _side(c.baseline),
        "canary": _side(c.canary),
        "reasons": [r.to_json() for r in c.decision.reasons],
        "error_test": c.decision.error_test.to_json() if c.decision.error_test else None,
        "notes": list(c.decision.notes),
        "thresholds": c.limits.to_json(),
    }
    return json.dumps(data, indent=2) + "\n"


def _side(match: Match) -> dict[str, Any]:
    stats = match.stats
    if stats is None:
        return {
            "requested": match.requested,
            "service": None,
            "requests": None,
            "rate": None,
            "errors_5xx": None,
            "error_share": None,
            "quantiles": {},
        }
    return {
        "requested": match.requested,
        "service": stats.name,
        "requests": stats.requests,
        "rate": round(stats.rate, 3),
        "errors_5xx": stats.errors_5xx,
        "error_share": stats.error_share,
        "quantiles": {
            label.lower(): _q_json(stats.quantile(q))
            for label, q in _QUANTILES
            if stats.quantile(q) is not None
        },
    }


def _q_json(q: Quantile | None) -> dict[str, Any]:
    assert q is not None
    return {
        "value": q.value,
        "lower": q.lower,
        "upper": None if math.isinf(q.upper) else q.upper,
        "in_inf_bucket": q.in_inf_bucket,
        "coarse": q.coarse,
    }
