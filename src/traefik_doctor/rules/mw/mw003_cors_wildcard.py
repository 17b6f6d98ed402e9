"""## What it does
Checks for `headers` middlewares whose `accessControlAllowOriginList` contains `*` (or whose
`accessControlAllowOriginListRegex` matches everything, `.*`).

## Why is this bad?
Every web site may then read the responses from a browser. Together with
`accessControlAllowCredentials: true` it is an error: Traefik does not send `*` then, it
echoes the request's `Origin` (`Access-Control-Allow-Origin: https://evil.example` with
`Access-Control-Allow-Credentials: true`), so any site can make requests with the user's
cookies and read the answers.

## Example
```yaml
http:
  middlewares:
    cors:
      headers:
        accessControlAllowOriginList: ["*"]
        accessControlAllowCredentials: true
```

## Use instead
```yaml
http:
  middlewares:
    cors:
      headers:
        accessControlAllowOriginList: ["https://app.example.com"]
        accessControlAllowCredentials: true
```

## Fix safety
No automatic fix: only you know the origins that should be allowed.

## References
- Traefik docs, HTTP middlewares, Headers: `accessControlAllowOriginList`,
  `accessControlAllowCredentials`
- Measured with Traefik 3.7.15: `["*"]` with credentials answers `Origin: https://evil.example`
  (GET and preflight) with `Access-Control-Allow-Origin: https://evil.example` and
  `Access-Control-Allow-Credentials: true`
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.loaders.tree import Mapping
from traefik_doctor.model.values import Value, value, values
from traefik_doctor.rules.base import Context, Rule

MATCH_ALL = frozenset({".*", "^.*$", "^.*", ".*$", ".+", "^.+$"})


def _wildcard(mw_options: Mapping | None) -> Value | None:
    for item in values(mw_options, "accessControlAllowOriginList"):
        if item.text.strip() == "*":
            return item
    for item in values(mw_options, "accessControlAllowOriginListRegex"):
        if item.text.strip() in MATCH_ALL:
            return item
    return None


def check(context: Context) -> Iterator[Finding]:
    for mw in context.project.dynamic.middlewares.values():
        if mw.kind is None or mw.kind.lower() != "headers":
            continue
        wildcard = _wildcard(mw.options_map)
        if wildcard is None:
            continue
        credentials = value(mw.options_map, "accessControlAllowCredentials")
        with_credentials = credentials is not None and credentials.as_bool() is True
        if with_credentials:
            assert credentials is not None
            yield RULE.finding(
                f"middleware `{mw.qualified}` allows any origin (`{wildcard.text.strip()}`)"
                " together with `accessControlAllowCredentials: true`; Traefik echoes any"
                " `Origin`, so every site can read responses with the user's cookies",
                wildcard.origin,
                related=[(credentials.origin, "credentials allowed here")],
                fix="List the allowed origins explicitly",
                severity=Severity.ERROR,
            )
        else:
            yield RULE.finding(
                f"middleware `{mw.qualified}` allows any origin (`{wildcard.text.strip()}`);"
                " every web site can read these responses from a browser",
                wildcard.origin,
                fix="List the allowed origins explicitly",
            )


RULE = Rule(
    "MW003",
    "cors-wildcard",
    Severity.WARNING,
    check,
    __doc__ or "",
    prod_severity=Severity.ERROR,
)
