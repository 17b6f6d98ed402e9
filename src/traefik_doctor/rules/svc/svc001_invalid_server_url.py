"""## What it does
Checks for load-balancer server URLs that have no scheme, no host, a scheme Traefik cannot
proxy to, or a port that is not a number between 1 and 65535.

## Why is this bad?
Traefik parses each server URL when it builds the service. A URL that does not parse
(`127.0.0.1:8080` without a scheme, `http://app:abc`) disables the service and every router
that uses it (`error parsing server URL ...`, the client gets 404). A URL that parses but
cannot be dialled (`backend` without a scheme, `app:8080`, `http://` without a host,
`ftp://...`, port 99999) keeps the router enabled, and every request fails with 500 or 502.

## Example
```yaml
http:
  services:
    app:
      loadBalancer:
        servers:
          - url: 127.0.0.1:8080
```

## Use instead
```yaml
http:
  services:
    app:
      loadBalancer:
        servers:
          - url: http://127.0.0.1:8080
```

## Fix safety
Adding `http://` is safe when the backend speaks plain HTTP; use `https://` for a TLS backend.

## References
- shared/traefik-facts.md §2 (API shapes: `error parsing server URL`), §3 (URL without scheme)
- Measured with Traefik 3.7.15: `backend` → 500 `unsupported protocol scheme ""`, `http://` → 500
  `no Host in request URL`, `ftp://` → 500, port 99999 → 502 `invalid port`, `http://h:abc` and
  `http://my host:80` → router disabled
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule

SCHEMES = ("http", "https", "h2c")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$", re.DOTALL)
_HOST_CHARS = re.compile(r"^[A-Za-z0-9._~%!$&'()*+,;=-]+$")


def problem(url: str) -> tuple[str, bool] | None:
    """What is wrong with a server URL, and whether Traefik disables the router for it
    (``True``) or keeps it and fails each request (``False``)."""
    text = url.strip()
    if "$" in text or "{{" in text:
        return None  # an unexpanded template or variable: another tool fills it in
    match = _SCHEME.match(text)
    if match is None:
        first = text.split("/", 1)[0]
        if ":" in first and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", first):
            # Go's url.Parse fails: "first path segment in URL cannot contain colon".
            return "has no scheme (`http://` or `https://`)", True
        return "has no scheme (`http://` or `https://`)", False
    scheme, rest = match.group(1), match.group(2)
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    hostport = authority.rsplit("@", 1)[-1]
    if hostport.startswith("["):
        host, _, tail = hostport[1:].partition("]")
        port = tail[1:] if tail.startswith(":") else None
        if tail and not tail.startswith(":"):
            return "has an invalid host", True
    elif ":" in hostport:
        host, _, port = hostport.rpartition(":")
    else:
        host, port = hostport, None
    if host and not hostport.startswith("[") and not _HOST_CHARS.match(host):
        return f"has an invalid host `{host}`", True
    if port is not None and port and not port.isdigit():
        return f"has an invalid port `{port}`", True
    if not host:
        return "has no host", False
    if scheme.lower() not in SCHEMES:
        return f"uses scheme `{scheme}`, which Traefik cannot proxy to (use http or https)", False
    if port == "":
        return "has an empty port (Traefik dials the scheme's default port)", False
    if port is not None and not 1 <= int(port) <= 65535:
        return f"has port {port}, outside 1-65535", False
    return None


def check(context: Context) -> Iterator[Finding]:
    for service in context.project.dynamic.services.values():
        if service.protocol != "http":
            continue
        for server in service.servers:
            if server.url is None:
                continue
            found = problem(server.url.text)
            if found is None:
                continue
            what, disables = found
            effect = (
                "Traefik disables the service and its routers (404)"
                if disables
                else "every request to it fails with 500 or 502"
            )
            fix = (
                f"Write `http://{server.url.text.strip()}`"
                if what.startswith("has no scheme")
                else "Write the URL as scheme://host:port"
            )
            yield RULE.finding(
                f"server URL `{server.url.text}` of service `{service.qualified}` {what}; {effect}",
                server.url.origin,
                fix=fix,
                unsafe=True,
            )


RULE = Rule("SVC001", "invalid-server-url", Severity.ERROR, check, __doc__ or "", fixable=True)
