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
`traefik-doctor fix` sets the header's value to `""`, which makes Traefik drop the header
instead of sending the literal (in YAML or TOML files, not labels). For the request's
`Host` this is safe: Traefik then forwards the request's own host, what `{Host}` meant.
For any other header it is unsafe (`--unsafe`): the backend no longer receives the header
at all; Traefik's own `X-Forwarded-*` headers (or `passHostHeader`) usually carry what the
template meant.

## References
- shared/traefik-facts.md §0 item 8, §7 (`Host: "{Host}"` sends `Host: ` empty, `X-Copied`
  gets `{Host}`), §13 (Go `r.Host == ""`)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.fix.edits import Edit, SetValue
from traefik_doctor.fix.targets import editable_file, middleware_path
from traefik_doctor.loaders.tree import Mapping, Scalar
from traefik_doctor.model.values import Value
from traefik_doctor.rules.base import Context, Rule

TEMPLATE = re.compile(r"\{\{[^{}]*\}\}|\$\{[^{}]*\}|\{[A-Za-z_][A-Za-z0-9_.:-]*\}")
HEADER_MAPS = ("customRequestHeaders", "customResponseHeaders")


def check(context: Context) -> Iterator[Finding]:
    for mw in context.project.dynamic.middlewares.values():
        if mw.kind is None or mw.kind.lower() != "headers":
            continue
        options = mw.options_map
        for key in HEADER_MAPS:
            found_map = options.find(key) if options is not None else None
            if found_map is None or not isinstance(found_map.value, Mapping):
                continue
            for entry in found_map.value:
                if not isinstance(entry.value, Scalar):
                    continue
                text = entry.value.text
                match = TEMPLATE.search(text)
                if match is None:
                    continue
                found = Value(text, entry.value.origin, entry.value.quoted)
                host = entry.key.lower() == "host" and key == "customRequestHeaders"
                if host:
                    effect = "Traefik has no templating and sends an empty Host header"
                    severity = Severity.ERROR
                    fix = 'Set it to "" (Traefik then forwards the request\'s own Host)'
                else:
                    effect = f"Traefik has no templating and sends the literal `{match.group(0)}`"
                    severity = None
                    fix = 'Set it to "" (Traefik then drops the header) or give it a fixed value'
                file = editable_file(context.project, entry.value.origin)
                path = (*middleware_path(mw), mw.kind, found_map.key, entry.key)
                edits: tuple[Edit, ...] = (SetValue(file, path, "", expect=text),) if file else ()
                yield RULE.finding(
                    f"header `{entry.key}` of middleware `{mw.qualified}` is set to"
                    f" `{text}`; {effect}",
                    found.at(match.start()),
                    fix=fix,
                    severity=severity,
                    unsafe=not host,
                    edits=edits,
                )


RULE = Rule(
    "MW001", "header-template-literal", Severity.WARNING, check, __doc__ or "", fixable=True
)
