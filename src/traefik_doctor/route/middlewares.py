"""What each middleware does to a request, as ``route`` tells it."""

from __future__ import annotations

import base64
import ipaddress
import re
from typing import TYPE_CHECKING

from traefik_doctor.loaders.tree import Mapping, Scalar
from traefik_doctor.model.dynamic import Middleware, Router
from traefik_doctor.model.values import section, value, values

if TYPE_CHECKING:
    from traefik_doctor.routing.request import Request

from traefik_doctor.route.lines import MiddlewareLine


def describe_middleware(
    middleware: Middleware,
    router: Router,
    request: Request,
    *,
    headers: dict[str, str],
    path: str,
    host: str,
) -> tuple[MiddlewareLine, str, tuple[str, str | None] | None]:
    """Describe one middleware; returns its line, the path after it and, when it changes the
    Host, the new Host with a note."""
    from traefik_doctor.model.rewrite import PATH_KINDS, apply, kind_of

    kind = kind_of(middleware)
    shown_kind = middleware.kind or "?"
    options = middleware.options_map
    line = MiddlewareLine(middleware.qualified, shown_kind, "")
    new_host: tuple[str, str | None] | None = None
    if kind in PATH_KINDS:
        result = apply([middleware], path, tls=router.tls is not None)
        if result.unknown is not None:
            line.effect = f"path effect unknown: {result.unknown}"
            return line, path, None
        if result.ends is not None:
            line.effect = result.ends.describe()
            line.stops = int(result.ends.note[:3]) if result.ends.note[:3].isdigit() else 400
            return line, path, None
        step = result.steps[0] if result.steps else None
        if step is None or not step.changed:
            note = f" ({step.note})" if step is not None and step.note else ""
            line.effect = f"path `{path}` unchanged{note}"
            return line, path, None
        line.effect = f"path `{step.before or '/'}` → `{step.after or '/'}`"
        if kind in ("stripprefix", "stripprefixregex"):
            stripped = step.before[: len(step.before) - len((step.after or "").lstrip("/"))]
            line.effect += f" (adds X-Forwarded-Prefix: {stripped.rstrip('/') or '/'})"
        return line, result.path, None
    if kind == "redirectscheme":
        scheme = (_text(options, "scheme") or "https").lower()
        port = _text(options, "port")
        permanent = _bool(options, "permanent")
        if request.scheme == scheme and (port is None or int(port or 0) == request.port):
            line.effect = f"no redirect: the request is already {scheme}"
            return line, path, None
        bare = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
        default_port = {"http": "80", "https": "443"}.get(scheme)
        netloc = bare if port in (None, "", default_port) else f"{bare}:{port}"
        query = f"?{request.query}" if request.query else ""
        status = _redirect_status(request.method, permanent)
        line.effect = f"redirects ({status}) to {scheme}://{netloc}{request.path}{query}"
        line.stops = status
        return line, path, None
    if kind == "redirectregex":
        regex = _text(options, "regex") or ""
        replacement = _text(options, "replacement") or ""
        full = f"{request.scheme}://{request.host}{request.path}"
        if request.query:
            full += f"?{request.query}"
        target = _regex_replace(regex, replacement, full)
        if target is None:
            line.effect = f"regex `{regex}` does not match `{full}`: no redirect"
            return line, path, None
        status = _redirect_status(request.method, _bool(options, "permanent"))
        line.effect = f"redirects ({status}) to {target}"
        line.stops = status
        return line, path, None
    if kind in ("basicauth", "digestauth"):
        scheme_name = "Basic" if kind == "basicauth" else "Digest"
        realm = _text(options, "realm") or "traefik"
        users = [v.text.split(":", 1)[0] for v in values(options, "users")]
        auth = headers.get("authorization")
        if auth is None:
            line.effect = (
                f"no Authorization header: answers 401 with"
                f' `WWW-Authenticate: {scheme_name} realm="{realm}"` (the browser prompts)'
            )
            line.stops = 401
            return line, path, None
        user = _basic_user(auth) if kind == "basicauth" else None
        if user is not None and users and user not in users:
            line.effect = f"user `{user}` is not in its users list: answers 401"
            line.stops = 401
            return line, path, None
        line.effect = "checks the credentials (a wrong password gets 401)"
        if _bool(options, "removeHeader"):
            line.effect += "; removes the Authorization header"
        return line, path, None
    if kind in ("ipallowlist", "ipwhitelist"):
        ranges = [v.text.strip() for v in values(options, "sourceRange")]
        strategy = section(options, "ipStrategy")
        ip = request.client_ip
        how = "client IP"
        if strategy is not None:
            depth = value(strategy, "depth")
            forwarded = [
                p.strip() for p in headers.get("x-forwarded-for", "").split(",") if p.strip()
            ]
            number = depth.as_int() if depth is not None else None
            if number and 0 < number <= len(forwarded):
                ip, how = forwarded[-number], f"X-Forwarded-For (depth {number})"
            elif number:
                line.effect = f"ipStrategy depth {number}: X-Forwarded-For too short: answers 403"
                line.stops = 403
                return line, path, None
        if _ip_in(ip, ranges):
            line.effect = f"{how} {ip} is in {', '.join(ranges)}: passes"
            return line, path, None
        line.effect = (
            f"{how} {ip} is not in {', '.join(ranges) or 'an empty list'}: answers 403 Forbidden"
        )
        line.stops = 403
        return line, path, None
    if kind == "headers":
        line.effect, new_host = _headers_effect(options)
        return line, path, new_host
    if kind == "forwardauth":
        address = _text(options, "address") or "?"
        line.effect = f"asks {address} first; a non-2xx answer from it goes to the client instead"
        return line, path, None
    line.effect = _GENERIC.get(kind, "does not change the path or the Host")
    if kind == "retry":
        attempts = _text(options, "attempts")
        line.effect = f"retries up to {attempts or '?'} attempts on network errors"
    elif kind == "errors":
        codes = ", ".join(v.text for v in values(options, "status"))
        page = _text(options, "service") or "?"
        line.effect = f"replaces answers with status {codes} by a page of service `{page}`"
    return line, path, None


_GENERIC = {
    "ratelimit": "limits the request rate (over the limit: 429 Too Many Requests)",
    "inflightreq": "limits simultaneous requests (over the limit: 429)",
    "compress": "compresses the response",
    "buffering": "buffers the request/response bodies (too large: 413)",
    "circuitbreaker": "opens the circuit on its expression (then 503)",
    "contenttype": "sets Content-Type from the body when missing",
    "passtlsclientcert": "passes the TLS client certificate in a header",
    "grpcweb": "translates gRPC-Web to gRPC",
    "plugin": "a plugin: its effect is not known here",
}


def _headers_effect(options: Mapping | None) -> tuple[str, tuple[str, str | None] | None]:
    parts: list[str] = []
    new_host: tuple[str, str | None] | None = None
    custom = section(options, "customRequestHeaders")
    for entry in custom or []:
        content = entry.value.text if isinstance(entry.value, Scalar) else ""
        if content == "":
            parts.append(f"removes request header {entry.key}")
        elif entry.key.lower() == "host":
            if _valid_host(content):
                parts.append(f"sets Host to `{content}`")
                new_host = (content, f"Host `{content}` set by a headers middleware")
            else:
                parts.append(
                    f"sets Host to `{content}`, not a valid Host: Go's client sends"
                    ' an empty `Host:` (no placeholder expansion; a Go backend sees r.Host == "")'
                )
                new_host = ("", f"Host `{content}` is invalid: sent empty")
        elif "{" in content:
            parts.append(f"sets {entry.key}: `{content}` literally (no placeholder expansion)")
        else:
            parts.append(f"sets request header {entry.key}: {content}")
    response = section(options, "customResponseHeaders")
    if response is not None and len(response):
        parts.append(f"sets {len(response)} response header(s)")
    if options is not None:
        cors = [e.key for e in options if e.key.lower().startswith("accesscontrol")]
        if cors:
            parts.append("CORS: answers preflight OPTIONS requests itself")
        security = [
            e.key
            for e in options
            if e.key.lower()
            in ("framedeny", "contenttypenosniff", "browserxssfilter", "stsseconds")
        ]
        if security:
            parts.append(f"adds security response headers ({', '.join(security)})")
    return "; ".join(parts) or "no header changes", new_host


_HOST_BYTES = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!$%&'()*+,-.:;=[]_~"
)


def _valid_host(text: str) -> bool:
    """Go's ``httpguts.ValidHostHeader``: anything else is sent as an empty Host."""
    return all(char in _HOST_BYTES or ord(char) >= 0x80 for char in text)


def _text(options: Mapping | None, key: str) -> str | None:
    found = value(options, key)
    return found.text.strip() if found is not None else None


def _bool(options: Mapping | None, key: str) -> bool:
    found = value(options, key)
    return found is not None and found.as_bool() is True


def _redirect_status(method: str, permanent: bool) -> int:
    if permanent:
        return 301 if method == "GET" else 308
    return 302 if method == "GET" else 307


def _regex_replace(regex: str, replacement: str, full: str) -> str | None:
    from traefik_doctor.model.rewrite import go_expand
    from traefik_doctor.rulelang.regexp import go_regexp_check, to_python

    if go_regexp_check(regex) is not None:
        return None
    try:
        compiled = re.compile(to_python(regex))
    except (ValueError, re.error):
        return None
    found = compiled.search(full)
    if found is None:
        return None
    return compiled.sub(lambda m: go_expand(m, replacement), full)


def _basic_user(header: str) -> str | None:
    kind, _, encoded = header.partition(" ")
    if kind.lower() != "basic":
        return None
    try:
        return base64.b64decode(encoded.strip(), validate=True).decode().split(":", 1)[0]
    except (ValueError, UnicodeDecodeError):
        return None


def _ip_in(ip: str, ranges: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for text in ranges:
        try:
            if address in ipaddress.ip_network(text, strict=False):
                return True
        except ValueError:
            try:
                if address == ipaddress.ip_address(text):
                    return True
            except ValueError:
                continue
    return False


# --- text ------------------------------------------------------------------------------
