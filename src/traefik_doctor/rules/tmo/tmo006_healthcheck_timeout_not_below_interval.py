"""## What it does
Checks for a service health check whose `timeout` (5s by default) is not shorter than its
`interval` (30s by default).

## Why is this bad?
Traefik runs a server's checks one after the other: a check that hangs until its timeout
delays the next one, so the configured interval is not kept. Measured with Traefik 3.7.15,
`interval: 2s` and `timeout: 5s` against a server that accepts and never answers: the checks
ran every 5-6 seconds, not every 2. A dead-but-listening server then stays in rotation
longer than the interval promises, and the settings do not say what they seem to say.

## Example
```yaml
http:
  services:
    app:
      loadBalancer:
        healthCheck:
          path: /healthz
          interval: 5s
          timeout: 10s
```

## Use instead
```yaml
http:
  services:
    app:
      loadBalancer:
        healthCheck:
          path: /healthz
          interval: 10s
          timeout: 3s
```

## Fix safety
No automatic fix: choose which of the two to change.

## References
- shared/traefik-facts.md §5-§6 (health check defaults: interval 30s, timeout 5s; the first
  check runs after one interval)
- Measured with Traefik 3.7.15 (interval 2s, timeout 5s, a hanging server): the config loads
  without a warning, checks fail every 5-6s
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.timeouts import format_seconds
from traefik_doctor.model.values import Value
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.schema.defaults import default_seconds, parse_duration_seconds


def _seconds(written: Value | None, path: str) -> float | None:
    if written is not None:
        return parse_duration_seconds(written.text)
    return default_seconds(path)


def _shown(written: Value | None, seconds: float) -> str:
    text = format_seconds(seconds)
    return text if written is not None else f"{text} (Traefik's default)"


def check(context: Context) -> Iterator[Finding]:
    for service in context.project.dynamic.services.values():
        health = service.health_check
        if health is None or service.protocol not in ("http", "tcp"):
            continue
        prefix = f"{service.protocol}.services.<name>.loadBalancer.healthCheck"
        interval = _seconds(health.interval, f"{prefix}.interval")
        timeout = _seconds(health.timeout, f"{prefix}.timeout")
        if interval is None or timeout is None or interval <= 0 or timeout < interval:
            continue
        target = health.timeout or health.interval
        related = []
        if health.timeout is not None and health.interval is not None:
            related.append((health.interval.origin, f"interval {format_seconds(interval)}"))
        yield RULE.finding(
            f"health check of service `{service.qualified}` has timeout"
            f" {_shown(health.timeout, timeout)}, not shorter than its interval"
            f" {_shown(health.interval, interval)}: a hanging check delays the next one, so"
            " the interval is not kept",
            target.origin if target is not None else health.origin,
            related=related,
            fix=(
                f"Make `timeout` shorter than `interval` (e.g. timeout"
                f" {format_seconds(max(round(interval / 3), 1))} for interval"
                f" {format_seconds(interval)})"
            ),
        )


RULE = Rule(
    "TMO006", "healthcheck-timeout-not-below-interval", Severity.WARNING, check, __doc__ or ""
)
