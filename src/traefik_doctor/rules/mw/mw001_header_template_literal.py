"""## What it does
Checks for `customRequestHeaders` and `customResponseHeaders` values of a `headers` middleware
that look like a template or variable: `{Host}`, `{{.Host}}`, `${HOST}`.

## Why is this bad?
Traefik has no templating in these headers: the value is sent as written. Other headers get
the literal text `{Host}`; `Host: "{Host}"` makes Traefik send an empty `Host:` header, and a
Go backend sees `r.Host == ""`.

## Example
```yaml
http:
  middlewares:
    fwd:
      headers:
        customRequestHeaders:
          X-Original-Host: "{Host}"
```

## Use instead
```yaml
http:
  middlewares:
    fwd:
      headers:
        customRequestHeaders:
          X-Original-Host: ""   # Traefik already sends X-Forwarded-Host
```

## Fix safety
No automatic fix: Traefik's own `X-Forwarded-*` headers (or `passHostHeader`) usually carry
what the template meant.

## References
- shared/traefik-facts.md §0 item 8, §7 (`Host: "{Host}"` sends `Host: ` empty, `X-Copied`
  gets `{Host}`), §13 (Go `r.Host == ""`)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.loaders.tree import Scalar
from traefik_doctor.model.values import Value, section
from traefik_doctor.rules.base import Context, Rule

TEMPLATE = re.compile(r"\{\{[^{}]*\}\}|\$\{[^{}]*\}|\{[A-Za-z_][A-Za-z0-9_.:-]*\}")
HEADER_MAPS = ("customRequestHeaders", "customResponseHeaders")


def check(context: Context) -> Iterator[Finding]:
    for mw in context.project.dynamic.middlewares.values():
        if mw.kind is None or mw.kind.lower() != "headers":
            continue
        for key in HEADER_MAPS:
            headers = section(mw.options_map, key)
            if headers is None:
                continue
            for entry in headers:
                if not isinstance(entry.value, Scalar):
                    continue
                text = entry.value.text
                match = TEMPLATE.search(text)
                if match is None:
                    continue
                found = Value(text, entry.value.origin, entry.value.quoted)
                if entry.key.lower() == "host" and key == "customRequestHeaders":
                    effect = "Traefik has no templating and sends an empty Host header"
                    severity = Severity.ERROR
                else:
                    effect = f"Traefik has no templating and sends the literal `{match.group(0)}`"
                    severity = None
                yield RULE.finding(
                    f"header `{entry.key}` of middleware `{mw.qualified}` is set to"
                    f" `{text}`; {effect}",
                    found.at(match.start()),
                    fix="Remove the header or give it a fixed value",
                    severity=severity,
                )


RULE = Rule("MW001", "header-template-literal", Severity.WARNING, check, __doc__ or "")
