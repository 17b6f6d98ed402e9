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

## References
- shared/fault-catalog.md OPS003
- `traefik --help`: `--metrics.prometheus.addrouterslabels (Default: "false")`
- shared/traefik-facts.md §8
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.values import value
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.ops._static import static_start

BACKENDS = ("prometheus", "datadog", "statsD", "influxDB2", "otlp")


def check(context: Context) -> Iterator[Finding]:
    static = context.project.static
    start = static_start(static)
    if start is None:
        return
    metrics = static.section("metrics")
    if metrics is None:
        origin = static.key_origin("metrics") or start
        yield RULE.finding(
            "no `metrics` section: there is no request rate, error rate or latency per router",
            origin,
            fix="Add `metrics: {prometheus: {addRoutersLabels: true}}`",
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
        yield RULE.finding(
            f"`metrics.{entry.key}` does not set `addRoutersLabels: true` (default false):"
            " metrics cannot tell which router served a request",
            flag.origin if flag is not None else entry.key_origin,
            fix=f"Set `metrics.{entry.key}.addRoutersLabels: true`",
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
