"""A request as Traefik's HTTP muxer sees it, and the path handling before routing.

``Request`` is what a client sends (the raw request-target path, the Host header, the port it
connected to). ``prepare`` turns it into what the matchers read, doing what Traefik 3.7 does
before the muxer runs (``pkg/server/server_entrypoint_tcp.go``, ``pkg/muxer/http/mux.go``):

1. Go's ``net/url`` splits the request-target into ``Path`` (decoded) and ``RawPath`` (as sent,
   kept only when it differs from the canonical encoding); an invalid ``%`` escape is a 400.
2. ``denyFragment``: a ``#`` in the raw path is a 400.
3. ``normalizePath``: in ``RawPath``, escapes of unreserved characters (``%41`` -> ``A``) are
   decoded and the other escapes upper-cased.
4. ``sanitizePath`` (``entryPoints.<ep>.http.sanitizePath``, on by default): ``URL.JoinPath()``,
   i.e. ``path.Clean`` of the escaped path (``/a/../b`` -> ``/b``, ``//`` -> ``/``) keeping a
   trailing slash.
5. ``withRoutingPath``: the routing path is the escaped path with every escape decoded except
   those of reserved characters (``%2F``, ``%3F``, ``%25``...), so ``PathPrefix(`/foo bar`)``
   matches ``/foo%20bar`` but ``PathPrefix(`/a/b`)`` does not match ``/a%2Fb``.

The Host the matchers see is ``Host`` without its port, trimmed and lower-cased
(``requestdecorator``); the query is parsed by ``url.ParseQuery`` after ``;`` became ``&``
(``http.AllowQuerySemicolons``, the default).
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["BadRequestError", "Prepared", "Request", "canonical_header_key", "prepare"]

_HEX = "0123456789abcdefABCDEF"
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_RESERVED_ESCAPES = frozenset(
    {
        *("%3A", "%2F", "%3F", "%23", "%5B", "%5D", "%40", "%21", "%24", "%26"),
        *("%27", "%28", "%29", "%2A", "%2B", "%2C", "%3B", "%3D", "%25"),
    }
)
# Characters url.validEncoded accepts unescaped in a path besides the unescaped ones.
_VALID_ENCODED_EXTRA = frozenset("!$&'()*+,;=:@[]%")
# httpguts.ValidHostHeader: any other byte in Host is a 400 "malformed Host header".
_VALID_HOST = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!$%&'()*+,-.:;=[]_~"
)
# Characters Go's escape(.., encodePath) leaves alone besides the unreserved ones.
_PATH_SAFE = frozenset("$&+,/:;=@")


@dataclass(frozen=True, slots=True)
class Request:
    """An HTTP request as sent by a client."""

    method: str
    scheme: str
    host: str
    port: int
    path: str
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    client_ip: str = "127.0.0.1"
    sni: str | None = None

    @classmethod
    def from_url(
        cls,
        method: str,
        url: str,
        headers: Iterable[tuple[str, str]] = (),
        client_ip: str = "127.0.0.1",
    ) -> Request:
        """A request for ``url``; a ``Host`` header in ``headers`` overrides the URL's host."""
        parts = urlsplit(url)
        scheme = (parts.scheme or "http").lower()
        netloc = parts.netloc.rpartition("@")[2]
        port = parts.port or (443 if scheme == "https" else 80)
        host = netloc
        others: list[tuple[str, str]] = []
        for name, val in headers:
            if name.lower() == "host":
                host = val
            else:
                others.append((name, val))
        sni = (parts.hostname or None) if scheme == "https" else None
        return cls(
            method=method,
            scheme=scheme,
            host=host,
            port=port,
            path=parts.path or "/",
            query=parts.query,
            headers=tuple(others),
            client_ip=client_ip,
            sni=sni,
        )


class BadRequestError(Exception):
    """Traefik (or Go's HTTP server) answers 400 before any router runs."""


@dataclass(slots=True)
class Prepared:
    """The request as the matchers read it."""

    method: str
    host: str
    """Canonical host: no port, trimmed, lower-cased (may be empty)."""
    path: str
    """The routing path (after normalisation, sanitisation and partial decoding)."""
    headers: dict[str, list[str]]
    """Canonical header key -> values (no ``Host``: Go keeps it apart)."""
    raw_query: str
    client_ip: str
    raw_host: str
    _query: dict[str, list[str]] | None = None

    @property
    def query(self) -> dict[str, list[str]]:
        if self._query is None:
            self._query = parse_query(self.raw_query.replace(";", "&"))
        return self._query


def _unhex(pair: str) -> int:
    return int(pair, 16)


def go_unescape(text: str, *, query: bool = False) -> bytes:
    """Go's ``url.unescape`` (path or query-component mode); ValueError on a bad escape."""
    out = bytearray()
    data = text.encode("utf-8", "surrogateescape")
    i = 0
    while i < len(data):
        c = data[i]
        if c == 0x25:  # %
            pair = data[i + 1 : i + 3].decode("latin-1")
            if len(pair) != 2 or pair[0] not in _HEX or pair[1] not in _HEX:
                raise ValueError(f"invalid URL escape {data[i : i + 3]!r}")
            out.append(_unhex(pair))
            i += 3
            continue
        if query and c == 0x2B:  # +
            out.append(0x20)
        else:
            out.append(c)
        i += 1
    return bytes(out)


def _go_escape_path(raw: bytes) -> str:
    out: list[str] = []
    for b in raw:
        ch = chr(b)
        if b < 0x80 and (ch in _UNRESERVED or ch in _PATH_SAFE):
            out.append(ch)
        else:
            out.append(f"%{b:02X}")
    return "".join(out)


def _valid_encoded(text: str) -> bool:
    for ch in text:
        if ch in _UNRESERVED or ch in _VALID_ENCODED_EXTRA or ch == "/":
            continue
        return False
    return True


def _escaped_path(path: bytes, raw_path: str) -> str:
    """Go's ``URL.EscapedPath``."""
    if raw_path and _valid_encoded(raw_path):
        try:
            if go_unescape(raw_path) == path:
                return raw_path
        except ValueError:
            pass
    return _go_escape_path(path)


def _set_path(escaped: str) -> tuple[bytes, str]:
    """Go's ``URL.setPath``: (Path, RawPath)."""
    path = go_unescape(escaped)
    return path, "" if _go_escape_path(path) == escaped else escaped


def _normalize(raw_path: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(raw_path):
        ch = raw_path[i]
        if ch != "%":
            out.append(ch)
            i += 1
            continue
        if i + 2 >= len(raw_path):
            raise BadRequestError("invalid percent-encoding at the end of the path")
        code = raw_path[i : i + 3].upper()
        decoded = chr(int(code[1:], 16)) if all(c in _HEX for c in code[1:]) else ""
        out.append(decoded if decoded in _UNRESERVED and decoded else code)
        i += 3
    return "".join(out)


def _clean(path: str) -> str:
    """Go's ``path.Clean`` for a rooted path."""
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/" + "/".join(parts)


def _join_path(escaped: str) -> str:
    """Go's ``URL.JoinPath()`` (no elements) on the escaped path."""
    joined = _clean(escaped) if escaped.startswith("/") else _clean("/" + escaped)[1:]
    if escaped.endswith("/") and not joined.endswith("/"):
        joined += "/"
    return joined


def routing_path(wire_path: str, *, sanitize: bool = True) -> str:
    """The path Traefik's matchers compare against, from the path as sent on the wire."""
    try:
        path = go_unescape(wire_path)
    except ValueError as err:
        raise BadRequestError(str(err)) from None
    raw_path = "" if _go_escape_path(path) == wire_path else wire_path
    if "#" in raw_path:
        raise BadRequestError("fragment in the path")
    if raw_path:
        raw_path = _normalize(raw_path)
    escaped = _escaped_path(path, raw_path)
    if sanitize:
        path, raw_path = _set_path(_join_path(escaped))
        escaped = _escaped_path(path, raw_path)
    out = bytearray()
    i = 0
    data = escaped.encode("utf-8", "surrogateescape")
    while i < len(data):
        if data[i] != 0x25:
            out.append(data[i])
            i += 1
            continue
        if i + 2 >= len(data):
            raise BadRequestError("invalid percent-encoding at the end of the path")
        code = data[i : i + 3].decode("latin-1")
        if code in _RESERVED_ESCAPES:
            out.extend(data[i : i + 3])
        else:
            try:
                out.extend(go_unescape(code))
            except ValueError:
                raise BadRequestError("invalid percent-encoding in the path") from None
        i += 3
    return out.decode("utf-8", "surrogateescape")


def parse_query(raw: str) -> dict[str, list[str]]:
    """Go's ``url.ParseQuery`` (pairs that fail to unescape are skipped)."""
    result: dict[str, list[str]] = {}
    for part in raw.split("&"):
        if not part:
            continue
        key, _, val = part.partition("=")
        try:
            k = go_unescape(key, query=True).decode("utf-8", "surrogateescape")
            v = go_unescape(val, query=True).decode("utf-8", "surrogateescape")
        except ValueError:
            continue
        result.setdefault(k, []).append(v)
    return result


def _token_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "!#$%&'*+-.^_`|~")


def canonical_header_key(key: str) -> str:
    """Go's ``http.CanonicalHeaderKey`` (unchanged if the key has a non-token character)."""
    if not key or not all(_token_char(ch) for ch in key):
        return key
    out: list[str] = []
    upper = True
    for ch in key:
        out.append(ch.upper() if upper else ch.lower())
        upper = ch == "-"
    return "".join(out)


def canonical_host(host: str) -> str:
    """``requestdecorator``: strip the port (``net.SplitHostPort``), trim, lower-case."""
    if ":" in host:
        split = _split_host_port(host)
        if split is not None:
            host = split
        elif host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
    return host.strip().lower()


def _split_host_port(addr: str) -> str | None:
    if addr.startswith("["):
        end = addr.find("]")
        if end < 0 or addr[end + 1 : end + 2] != ":" or ":" in addr[end + 2 :]:
            return None
        return addr[1:end]
    head, _, _port = addr.rpartition(":")
    if ":" in head:
        return None
    return head


def prepare(request: Request, *, sanitize: bool = True) -> Prepared:
    """What the matchers read; BadRequestError when Traefik answers 400 before routing.

    A Host header with a byte outside ``httpguts.ValidHostHeader`` (non-ASCII, ``{``,
    space...) is refused by Go's server (verified: ``Host: café.test`` gets 400), so there is
    no IDNA/punycode step anywhere: ``Host`` rules must be ASCII (else the router is
    disabled) and a request must send the punycode form."""
    if any(ch not in _VALID_HOST for ch in request.host):
        raise BadRequestError(f"malformed Host header {request.host!r}")
    headers: dict[str, list[str]] = {}
    for name, val in request.headers:
        key = canonical_header_key(name)
        if key == "Host":
            continue
        headers.setdefault(key, []).append(val)
    ip = request.client_ip
    with contextlib.suppress(ValueError):
        ip = str(ipaddress.ip_address(ip))
    return Prepared(
        method=request.method,
        host=canonical_host(request.host),
        path=routing_path(request.path, sanitize=sanitize),
        headers=headers,
        raw_query=request.query,
        client_ip=ip,
        raw_host=request.host,
    )
