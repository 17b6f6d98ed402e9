"""The canary verdict: promote, hold or roll back, from two services' metrics over one window.

Pure functions over ``SeriesStats`` (``probes/metrics.py``); no I/O. The rule, in order:

1. **Series.** Both services must have series in the scrape. A weighted (or mirroring)
   service has none of its own: Traefik counts its children (measured with Traefik 3.7:
   ``weighted: {services: [stable, next]}`` gives ``traefik_service_requests_total``
   series for ``stable@file`` and ``next@file`` only, and ``canary@file`` appears only as
   the ``service`` label of the router's series). A missing series: **hold**.
2. **Traffic.** Each side needs at least ``min_requests`` requests in the window, else
   **hold** ("not enough traffic"): nothing else is judged on a handful of requests.
3. **5xx share.** ``increase = canary share - baseline share``, in percentage points. Within
   ``max_error_increase``: fine. Above it, a one-sided two-proportion z-test (pooled, the
   textbook one) asks whether the canary's share is higher by more than chance:
   ``z = (pc - pb) / sqrt(p (1 - p) (1/nc + 1/nb))`` with ``p`` the pooled share, and
   ``p-value = P(Z >= z)``. Below ``1 - confidence``: **roll back**; otherwise **hold**
   (the increase could be chance with these counts; more traffic will tell). The test is
   against "no increase" rather than against the margin: a bad canary should be rolled back
   as soon as the evidence says it is worse and the observed increase is above the limit.
4. **Latency**, P50 and P99 each. A quantile is only known to lie in its bucket
   ``(lower, upper]``; the value is interpolated inside it (``histogram_quantile``). For an
   estimate ``b`` (baseline) and ``c`` (canary): an increase ``c - b`` of at most
   ``min_latency_increase`` is noise and fine; otherwise the ratio ``c / b`` above
   ``max_latency_ratio`` means **roll back**, above ``promote_latency_ratio`` **hold**, else
   fine. When both quantiles fall in the same bucket, the buckets cannot show a difference:
   fine if the bucket is fine-grained (or narrower than ``min_latency_increase``), **hold**
   ("buckets too coarse", OPS005) if it is coarse. When either bucket is coarse (the ``+Inf``
   bucket always is), the judgement is made at both extremes of the buckets too (best
   case: canary at its lower bound, baseline at its upper; worst case: the reverse): the
   verdict stands only when both extremes agree, else **hold** (buckets too coarse, OPS005).
   A latency **roll back** must also pass the noise test: with a few hundred requests a P99
   is the slowest two or three of them, and one stalled request moves it. So the requests
   slower than the baseline quantile's bucket bound are counted on both sides (from the
   window's histograms), and the same one-sided two-proportion z-test asks whether the
   canary has more of them than chance allows; if not, **hold** ("could be chance").
5. **Together.** Any roll back wins, then any hold; **promote** only when every judgement is
   fine.

"Promote" therefore means: enough traffic on both sides, and no evidence that the canary
fails or slows down beyond the limits; it is not a proof that the canary is as good.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from traefik_doctor.probes.metrics import MetricsWindow, Quantile, SeriesStats

PROMOTE = "promote"
HOLD = "hold"
ROLLBACK = "rollback"
RANK = {PROMOTE: 0, HOLD: 1, ROLLBACK: 2}
EXIT_CODES = {PROMOTE: 0, ROLLBACK: 1, HOLD: 3}
"""Exit codes: 0 promote, 1 roll back, 3 hold (2 stays the usage error)."""
LABELS = {PROMOTE: "promote", HOLD: "hold", ROLLBACK: "roll back"}

Histogram = tuple[tuple[float, float], ...]
"""A latency histogram over the window: cumulative ``(le, count)``, ascending, ``+Inf`` last."""

COARSE_CODE = "OPS005"


@dataclass(frozen=True, slots=True)
class Limits:
    """The thresholds, with the defaults the command states in ``--help`` and its output."""

    min_requests: int = 100
    max_error_increase: float = 1.0  # percentage points of 5xx share above the baseline
    confidence: float = 0.95  # of the one-sided two-proportion test
    max_latency_ratio: float = 1.5  # canary / baseline, P50 and P99: above it, roll back
    promote_latency_ratio: float = 1.2  # at or below it, promote; in between, hold
    min_latency_increase: float = 0.05  # seconds: smaller increases are noise

    def describe(self) -> list[str]:
        return [
            f"at least {self.min_requests} requests per side in the window",
            f"roll back when the canary's 5xx share is more than {self.max_error_increase:g}"
            f" percentage point{'' if self.max_error_increase == 1 else 's'} above the"
            f" baseline's and a one-sided two-proportion z-test gives p below"
            f" {1 - self.confidence:.2g} (hold when p is higher: could be chance)",
            f"P50 and P99: roll back above {self.max_latency_ratio:g}x the baseline (when"
            f" the canary's share of requests slower than the baseline's bucket passes the"
            f" same test), hold above {self.promote_latency_ratio:g}x, promote at or below;"
            f" increases of at most {_seconds(self.min_latency_increase)} are noise",
        ]

    def to_json(self) -> dict[str, float | int]:
        return {
            "min_requests": self.min_requests,
            "max_error_increase_points": self.max_error_increase,
            "confidence": self.confidence,
            "max_latency_ratio": self.max_latency_ratio,
            "promote_latency_ratio": self.promote_latency_ratio,
            "min_latency_increase_seconds": self.min_latency_increase,
        }


@dataclass(frozen=True, slots=True)
class Reason:
    """One judgement: its verdict, what it is about, the sentence, and a rule code when a
    static rule explains it (OPS005 for coarse buckets)."""

    verdict: str
    kind: str  # "series" | "traffic" | "errors" | "p50" | "p99" | "metrics"
    text: str
    code: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"verdict": self.verdict, "kind": self.kind, "text": self.text, "code": self.code}


@dataclass(frozen=True, slots=True)
class ErrorTest:
    """The one-sided two-proportion z-test of the canary's 5xx share against the baseline's."""

    baseline_share: float
    canary_share: float
    increase_points: float
    z: float | None  # None when both shares are 0 or 1 (no variance: nothing to test)
    p_value: float | None

    def to_json(self) -> dict[str, float | None]:
        return {
            "baseline_share": self.baseline_share,
            "canary_share": self.canary_share,
            "increase_points": self.increase_points,
            "z": self.z,
            "p_value": self.p_value,
        }


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: str
    reasons: tuple[Reason, ...]
    error_test: ErrorTest | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.verdict]

    @property
    def label(self) -> str:
        return LABELS[self.verdict]


# --- which series is which service


@dataclass(frozen=True, slots=True)
class Match:
    """What ``--service NAME`` names in the scrape: the series, or why there is none."""

    requested: str
    stats: SeriesStats | None
    candidates: tuple[str, ...] = ()  # several providers match a plain name
    parent_of: tuple[str, ...] = ()  # routers whose ``service`` label is this name


def find_service(window: MetricsWindow, name: str) -> Match:
    """``name@provider`` exactly, or a plain ``name`` under any one provider."""
    services = window.of_kind("service")
    exact = next((s for s in services if s.name == name), None)
    if exact is not None:
        return Match(name, exact)
    if "@" not in name:
        found = [s for s in services if s.name.partition("@")[0] == name]
        if len(found) == 1:
            return Match(name, found[0])
        if found:
            return Match(name, None, candidates=tuple(sorted(s.name for s in found)))
    parents = sorted(
        {
            router.name
            for router in window.of_kind("router")
            if _same(dict(router.labels).get("service", ""), name)
        }
    )
    return Match(name, None, parent_of=tuple(parents))


def _same(label: str, name: str) -> bool:
    return label == name or ("@" not in name and label.partition("@")[0] == name)


def service_names(window: MetricsWindow) -> list[str]:
    return sorted(s.name for s in window.of_kind("service"))


def missing_text(match: Match, window: MetricsWindow, side: str) -> str:
    """Why ``match`` has no series, and which services do."""
    known = service_names(window)
    listed = ", ".join(f"`{n}`" for n in known) if known else "none"
    if match.parent_of:
        routers = ", ".join(f"`{n}`" for n in match.parent_of)
        return (
            f"{side} `{match.requested}` has no traefik_service_* series of its own: it"
            f" appears only as the service of router {routers}, as a weighted or mirroring"
            f" service does (Traefik counts its children); compare the children."
            f" Services with series: {listed}"
        )
    return (
        f"no series for {side} `{match.requested}`: Traefik has counted no request for it"
        f" since it started, or the name is wrong (service labels need"
        f" metrics.prometheus.addServicesLabels, on by default). Services with series: {listed}"
    )


# --- the decision


def decide(
    baseline: SeriesStats,
    canary: SeriesStats,
    limits: Limits,
    *,
    window_coarse: str | None = None,
    histograms: tuple[Histogram, Histogram] | None = None,
) -> Decision:
    """The verdict for ``canary`` against ``baseline`` over the same window (module doc);
    ``histograms`` (baseline's, canary's) for the latency noise test, which is skipped
    without them."""
    short = [
        Reason(
            HOLD,
            "traffic",
            f"not enough traffic: {side} `{stats.name}` had {stats.requests:g} requests"
            f" in the window (at least {limits.min_requests} per side are needed)",
        )
        for side, stats in (("baseline", baseline), ("canary", canary))
        if stats.requests < limits.min_requests
    ]
    if short:
        return Decision(HOLD, tuple(short))
    test = error_test(baseline, canary)
    reasons = [judge_errors(test, baseline, canary, limits)]
    for key, q in (("p50", 0.5), ("p99", 0.99)):
        reasons.append(
            judge_latency(
                key,
                baseline.quantile(q),
                canary.quantile(q),
                limits,
                window_coarse=window_coarse,
                histograms=histograms,
            )
        )
    notes: list[str] = []
    if baseline.error_share is not None and baseline.error_share * 100 > max(
        limits.max_error_increase, 1.0
    ):
        notes.append(
            f"the baseline itself answers {baseline.error_share:.1%} 5xx: the comparison is"
            f" relative, a canary as bad as the baseline is promoted"
        )
    verdict = max((r.verdict for r in reasons), key=RANK.__getitem__)
    return Decision(verdict, tuple(reasons), test, tuple(notes))


def error_test(baseline: SeriesStats, canary: SeriesStats) -> ErrorTest:
    """The one-sided pooled two-proportion z-test (H0: canary share <= baseline share)."""
    nb, nc = baseline.requests, canary.requests
    eb, ec = baseline.errors_5xx, canary.errors_5xx
    pb = eb / nb if nb > 0 else 0.0
    pc = ec / nc if nc > 0 else 0.0
    z, p = two_proportion_z(eb, nb, ec, nc)
    return ErrorTest(pb, pc, (pc - pb) * 100, z, p)


def two_proportion_z(
    errors_a: float, n_a: float, errors_b: float, n_b: float
) -> tuple[float | None, float | None]:
    """``(z, P(Z >= z))`` for "b's share is higher than a's"; ``(None, None)`` without
    variance (no requests, or both shares 0 or both 1)."""
    if n_a <= 0 or n_b <= 0:
        return None, None
    pooled = (errors_a + errors_b) / (n_a + n_b)
    variance = pooled * (1 - pooled) * (1 / n_a + 1 / n_b)
    if variance <= 0:
        return None, None
    z = (errors_b / n_b - errors_a / n_a) / math.sqrt(variance)
    return z, 0.5 * math.erfc(z / math.sqrt(2))


def judge_errors(
    test: ErrorTest, baseline: SeriesStats, canary: SeriesStats, limits: Limits
) -> Reason:
    shares = (
        f"5xx share {test.canary_share:.1%} ({canary.errors_5xx:g} of {canary.requests:g})"
        f" vs {test.baseline_share:.1%} ({baseline.errors_5xx:g} of {baseline.requests:g}):"
        f" {test.increase_points:+.1f} points"
    )
    if test.increase_points <= limits.max_error_increase:
        return Reason(
            PROMOTE, "errors", f"{shares}, within the +{limits.max_error_increase:g}-point limit"
        )
    alpha = 1 - limits.confidence
    z = f"z={test.z:.2f}" if test.z is not None else "z n/a"
    stat = f"one-sided two-proportion z-test {z}, {_p(test.p_value)}"
    if test.p_value is not None and test.p_value < alpha:
        return Reason(
            ROLLBACK,
            "errors",
            f"{shares}, above the +{limits.max_error_increase:g}-point limit; {stat},"
            f" below {alpha:.2g}: not chance",
        )
    return Reason(
        HOLD,
        "errors",
        f"{shares}, above the +{limits.max_error_increase:g}-point limit, but {stat},"
        f" not below {alpha:.2g}: could be chance with these counts; wait for more traffic",
    )


def _p(value: float | None) -> str:
    if value is None:
        return "p n/a"
    return "p<0.001" if value < 0.001 else f"p={value:.3f}"


def level(base: float, canary: float, limits: Limits) -> str:
    """The latency verdict for two point values (seconds)."""
    if canary - base <= limits.min_latency_increase:
        return PROMOTE
    ratio = canary / base if base > 0 else math.inf
    if ratio > limits.max_latency_ratio:
        return ROLLBACK
    if ratio > limits.promote_latency_ratio:
        return HOLD
    return PROMOTE


def judge_latency(
    key: str,
    base: Quantile | None,
    canary: Quantile | None,
    limits: Limits,
    *,
    window_coarse: str | None = None,
    histograms: tuple[Histogram, Histogram] | None = None,
) -> Reason:
    """P50 or P99 of the canary against the baseline (module doc, step 4)."""
    name = key.upper()
    if base is None or canary is None:
        return Reason(HOLD, key, f"{name}: no latency histogram on both sides to compare")
    pair = f"{name} {_value(canary)} vs {_value(base)}"
    coarse_why = (
        f"buckets too coarse to tell ({window_coarse})" if window_coarse else "buckets too coarse"
    )
    hint = "; set finer metrics.prometheus.buckets"
    if (base.lower, base.upper) == (canary.lower, canary.upper):
        width = canary.upper - canary.lower
        if canary.coarse and width > limits.min_latency_increase:
            return Reason(
                HOLD,
                key,
                f"{name} of both in the same bucket {_bucket(canary)}: {coarse_why}{hint}",
                COARSE_CODE,
            )
        return Reason(
            PROMOTE,
            key,
            f"{name} of both in the same bucket {_bucket(canary)}: no difference the buckets"
            f" can show",
        )
    estimate = level(base.value, canary.value, limits)
    change = _change(base.value, canary.value)
    if base.coarse or canary.coarse:
        best = level(base.upper, canary.lower, limits) if not math.isinf(base.upper) else PROMOTE
        worst = level(base.lower, canary.upper, limits)
        if best != worst:
            return Reason(
                HOLD,
                key,
                f"{pair} ({change} by interpolation), but the buckets"
                f" {_bucket(canary)} and {_bucket(base)} allow anything from {LABELS[best]}"
                f" to {LABELS[worst]}: {coarse_why}{hint}",
                COARSE_CODE,
            )
        estimate = best
        change += f"; even at the buckets' bounds ({_bucket(canary)} vs {_bucket(base)})"
    text = f"{pair}: {change}, {_limit_text(estimate, limits)}"
    if estimate == ROLLBACK and histograms is not None and not math.isinf(base.upper):
        tail = tail_test(histograms, base.upper)
        if tail is not None:
            alpha = 1 - limits.confidence
            (slow_b, n_b), (slow_c, n_c), p_value = tail
            counts = (
                f"{slow_c:g} of {n_c:g} canary requests took longer than {base.upper:g}s"
                f" vs {slow_b:g} of {n_b:g} on the baseline, {_p(p_value)}"
            )
            if p_value is None or p_value >= alpha:
                return Reason(
                    HOLD,
                    key,
                    f"{text}, but {counts}, not below {alpha:.2g}: could be chance (a few"
                    f" slow requests); wait for more traffic",
                )
            text += f"; {counts}: not chance"
    return Reason(estimate, key, text)


def tail_test(
    histograms: tuple[Histogram, Histogram], bound: float
) -> tuple[tuple[float, float], tuple[float, float], float | None] | None:
    """``((slow, total) baseline, (slow, total) canary, p)``: requests slower than
    ``bound`` (a bucket bound of both histograms) and the one-sided two-proportion test that
    the canary has more of them; None when a histogram lacks that bound."""
    sides: list[tuple[float, float]] = []
    for histogram in histograms:
        if not histogram or not math.isinf(histogram[-1][0]):
            return None
        total = histogram[-1][1]
        below = next((count for le, count in histogram if math.isclose(le, bound)), None)
        if below is None:
            return None
        sides.append((total - below, total))
    (slow_b, n_b), (slow_c, n_c) = sides
    _, p_value = two_proportion_z(slow_b, n_b, slow_c, n_c)
    return sides[0], sides[1], p_value


def _limit_text(verdict: str, limits: Limits) -> str:
    if verdict == ROLLBACK:
        return f"above the {limits.max_latency_ratio:g}x limit"
    if verdict == HOLD:
        return (
            f"between the {limits.promote_latency_ratio:g}x promote and"
            f" {limits.max_latency_ratio:g}x roll-back limits"
        )
    return f"within {limits.promote_latency_ratio:g}x or +{_seconds(limits.min_latency_increase)}"


def _change(base: float, canary: float) -> str:
    diff = canary - base
    ratio = f"{canary / base:.1f}x" if base > 0 else "from 0"
    return f"{ratio}, {'+' if diff >= 0 else '-'}{_seconds(abs(diff))}"


def _value(q: Quantile) -> str:
    if q.in_inf_bucket:
        return f">{q.lower:g}s"
    return _seconds(q.value)


def _bucket(q: Quantile) -> str:
    upper = "+Inf" if math.isinf(q.upper) else f"{q.upper:g}s"
    return f"({q.lower:g}s, {upper}]"


def _seconds(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.0f}ms" if value >= 0.01 else f"{value * 1000:.1f}ms"
    return f"{value:.2f}s"
