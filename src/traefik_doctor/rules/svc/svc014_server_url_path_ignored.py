"""## What it does
Checks for server URLs with a path (`http://app:8080/api`) on servers without
`preservePath: true`.

## Why is this bad?
Traefik uses only the scheme, host and port of a server URL: a request for `/x` reaches the
backend as `/x`, not `/api/x`. The backend then answers 404 for routes the URL seemed to map.

## Example
```yaml
http:
  services:
    app:
      loadBalancer:
        servers:
          - url: http://app:8080/api
```

## Use instead
```yaml
http:
  services:
    app:
      loadBalancer:
        servers:
          - url: http://app:8080/api
            preservePath: true
```

## Fix safety
Adding `preservePath: true` changes every path the backend receives; it is unsafe if the
backend already serves the unprefixed paths.

## References
- shared/traefik-facts.md §0 item 9, §5 (server URL path: `/np/x` reaches the backend as
  `/np/x`; with `preservePath: true`, `/pp/x` reaches it as `/prefix/pp/x`)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule

_PATH = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*(/[^?#]*)")


def check(context: Context) -> Iterator[Finding]:
    for service in context.project.dynamic.services.values():
        if service.protocol != "http":
            continue
        for server in service.servers:
            if server.url is None:
                continue
            match = _PATH.match(server.url.text)
            if match is None or match.group(1) in ("", "/"):
                continue
            if server.preserve_path is not None and server.preserve_path.as_bool():
                continue
            path = match.group(1)
            yield RULE.finding(
                f"server URL `{server.url.text.strip()}` of service `{service.qualified}` has"
                f" path `{path}`, which Traefik drops without `preservePath: true`; the backend"
                f" gets `/x`, not `{path.rstrip('/')}/x`",
                server.url.at(server.url.text.find(path, server.url.text.find("//") + 2)),
                fix="Add `preservePath: true` to this server, or remove the path",
                unsafe=True,
            )


RULE = Rule(
    "SVC014", "server-url-path-ignored", Severity.WARNING, check, __doc__ or "", fixable=True
)
