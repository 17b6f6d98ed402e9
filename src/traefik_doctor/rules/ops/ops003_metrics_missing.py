"""## What it does
Checks for a static configuration without a `metrics` section, or with a metrics backend
(`prometheus`, `datadog`, `statsD`, `influxDB2`, `otlp`) that does not set
`addRoutersLabels: true` (the default is false, `traefik --help`).

## Why is this bad?
Without metrics there is no request rate, error rate or latency to alert on. Without router
labels the metrics are only per entry point and per service, so "which route got slow / starts
failing" cannot be answered. Under `--profile prod` this is an error.

## Example
```yaml
metrics:
  prometheus: {}
```

## Use instead
```yaml
metrics:
  prometheus:
    addRoutersLabels: true
    addServicesLabels: true
```

## Fix safety
Adding router labels is safe; it adds label values (one series set per router).
`traefik-doctor fix` sets `addRoutersLabels: true` on each metrics backend in the static
file (not in flags or environment variables). It adds a missing `metrics` section, with
the buckets OPS005 suggests (a new section has no dashboards to break), only when the static
configuration defines the `traefik` entry point, where Prometheus metrics are served by
default: without it, Traefik creates that entry point itself on `:8080`, on every interface
(measured with 3.7.15), which no fix should open silently.

## References
- shared/fault-catalog.md OPS003
- `traefik --help`: `--metrics.prometheus.addrouterslabels (Default: "false")`
- shared/traefik-facts.md §8
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.fix.edits import AddKey, Edit, Map, SetValue
from traefik_doctor.fix.targets import static_file, static_path
from traefik_doctor.model.static import INTERNAL_ENTRYPOINT
from traefik_doctor.model.values import value
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.ops._static import static_start
from traefik_doctor.rules.ops.ops005_coarse_latency_buckets import SUGGESTED, suggested_buckets

BACKENDS = ("prometheus", "datadog", "statsD", "influxDB2", "otlp")


def check(context: Context) -> Iterator[Finding]:
    static = context.project.static
    start = static_start(static)
    if start is None:
        return
    file = static_file(context.project)
    metrics = static.section("metrics")
    if metrics is None:
        origin = static.key_origin("metrics") or start
        # A new section has no dashboards yet: it can start with buckets fine enough for a
        # P99 (OPS005), which changing later would not be safe.
        buckets = suggested_buckets(file or "")
        labels = Map((("prometheus", Map((("addRoutersLabels", True), ("buckets", buckets)))),))
        has_internal = INTERNAL_ENTRYPOINT in static.entry_points
        add = file is not None and has_internal and not static.has("metrics")
        yield RULE.finding(
            "no `metrics` section: there is no request rate, error rate or latency per router",
            origin,
            fix=f"Add `metrics: {{prometheus: {{addRoutersLabels: true, buckets: {SUGGESTED}}}}}`"
            + ("" if has_internal else " with `entryPoint` set to an internal entry point"),
            edits=(AddKey(file, ("metrics",), labels),) if add and file else (),
        )
        return
    for entry in metrics:
        backend = next((b for b in BACKENDS if b.lower() == entry.key.lower()), None)
        if backend is None:
            continue
        body = static.section("metrics", entry.key)
        flag = value(body, "addRoutersLabels")
        if flag is not None and flag.as_bool():
            continue
        path = (*static_path(context.project, "metrics", entry.key), "addRoutersLabels")
        edits: tuple[Edit, ...] = ()
        if file is not None and flag is not None:
            path = static_path(context.project, "metrics", entry.key, "addRoutersLabels")
            edits = (SetValue(file, path, True),)
        elif file is not None and body is not None:
            edits = (AddKey(file, path, True),)
        yield RULE.finding(
            f"`metrics.{entry.key}` does not set `addRoutersLabels: true` (default false):"
            " metrics cannot tell which router served a request",
            flag.origin if flag is not None else entry.key_origin,
            fix=f"Set `metrics.{entry.key}.addRoutersLabels: true`",
            edits=edits,
        )


RULE = Rule(
    "OPS003",
    "metrics-missing",
    Severity.INFO,
    check,
    __doc__ or "",
    prod_severity=Severity.ERROR,
    fixable=True,
)
