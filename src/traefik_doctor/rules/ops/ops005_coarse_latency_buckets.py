"""## What it does
Checks for Prometheus latency histogram buckets (`metrics.prometheus.buckets`) too coarse for
a meaningful P99. Traefik's default, `0.1, 0.3, 1.2, 5` (`traefik --help`), counts as coarse.
The buckets are coarse when either:

- the smallest bucket is above 0.05 s, so every fast request lands in one bucket and a P99
  of 20 ms cannot be told from one of 90 ms; or
- two neighbouring buckets up to 5 s differ by more than a factor of 3, so a quantile
  interpolated inside that bucket can be off by more than that factor.

Only checked when `metrics.prometheus` is configured (OPS003 reports missing metrics).

## Why is this bad?
`histogram_quantile(0.99, ...)` interpolates linearly inside a bucket. With the default
buckets a P99 of 0.35 s and one of 1.1 s look the same, so SLO alerts fire late or never.
Under `--profile prod` this stays a warning.

## Example
```yaml
metrics:
  prometheus:
    addRoutersLabels: true
```

## Use instead
```yaml
metrics:
  prometheus:
    addRoutersLabels: true
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
```

## Fix safety
Changing buckets is unsafe for dashboards: existing series with the old `le` values stop and
queries across the change see two bucket sets. `traefik-doctor fix --unsafe` writes the
suggested buckets to `metrics.prometheus.buckets` in the static file (not in flags or
environment variables).

## References
- shared/fault-catalog.md OPS005
- `traefik --help`: `--metrics.prometheus.buckets`
  (Default: "0.100000, 0.300000, 1.200000, 5.000000")
- shared/traefik-facts.md §8 (buckets `le` 0.1, 0.3, 1.2, 5 and +Inf)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.fix.edits import AddKey, Edit, Seq, SetValue
from traefik_doctor.fix.targets import static_file, static_path
from traefik_doctor.model.project import Project
from traefik_doctor.model.values import key_origin, values
from traefik_doctor.rules.base import Context, Rule

DEFAULT_BUCKETS = (0.1, 0.3, 1.2, 5.0)
SMALLEST = 0.05
MAX_RATIO = 3.0
RATIO_UP_TO = 5.0
SUGGESTED = "[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]"
SUGGESTED_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def coarseness(buckets: list[float]) -> str | None:
    """Why these buckets are too coarse, or None."""
    ordered = sorted(b for b in buckets if b > 0)
    if not ordered:
        return "no positive bucket"
    if ordered[0] > SMALLEST:
        return (
            f"the smallest bucket is {ordered[0]:g}s,"
            " so every request faster than that counts the same"
        )
    for low, high in itertools.pairwise(ordered):
        if low >= RATIO_UP_TO:
            break
        if high / low > MAX_RATIO:
            return f"the step from {low:g}s to {high:g}s is more than {MAX_RATIO:g}x"
    return None


def check(context: Context) -> Iterator[Finding]:
    static = context.project.static
    prometheus = static.section("metrics", "prometheus")
    if prometheus is None:
        return
    given = values(prometheus, "buckets")
    if not given:
        reason = coarseness(list(DEFAULT_BUCKETS))
        origin = static.key_origin("metrics", "prometheus")
        yield RULE.finding(
            f"Prometheus uses Traefik's default buckets 0.1, 0.3, 1.2, 5: {reason}; a P99 read"
            " from them is a guess",
            origin,
            fix=f"Set `metrics.prometheus.buckets: {SUGGESTED}`",
            unsafe=True,
            edits=_edits(context.project, exists=False),
        )
        return
    numbers = []
    for item in given:
        try:
            numbers.append(float(item.text))
        except ValueError:
            return  # CFG003 reports values that are not numbers
    reason = coarseness(numbers)
    if reason is None:
        return
    yield RULE.finding(
        f"Prometheus buckets {', '.join(v.text.strip() for v in given)} are too coarse for a"
        f" P99: {reason}",
        key_origin(prometheus, "buckets") or given[0].origin,
        fix=f"Set `metrics.prometheus.buckets: {SUGGESTED}`",
        unsafe=True,
        edits=_edits(context.project, exists=True),
    )


def suggested_buckets(file: str) -> Seq:
    """The suggested buckets to write into ``file``: TOML keeps them floats (Traefik decodes
    them into ``[]float64``), YAML writes ``1`` and ``5`` as the documentation does."""
    toml = file.lower().endswith(".toml")
    return Seq(tuple(b if toml or not b.is_integer() else int(b) for b in SUGGESTED_BUCKETS))


def _edits(project: Project, *, exists: bool) -> tuple[Edit, ...]:
    file = static_file(project)
    if file is None:
        return ()
    buckets = suggested_buckets(file)
    path = static_path(project, "metrics", "prometheus", "buckets")
    return (SetValue(file, path, buckets),) if exists else (AddKey(file, path, buckets),)


RULE = Rule(
    "OPS005",
    "coarse-latency-buckets",
    Severity.INFO,
    check,
    __doc__ or "",
    prod_severity=Severity.WARNING,
    fixable=True,
)
