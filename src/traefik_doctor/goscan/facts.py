"""The typed facts the Go extractor produces and the cross-check rules consume.

Every fact carries the ``Location`` (path relative to the checked directory, 1-based line and
column) of the Go code it comes from, so a finding can name both sides of a cross-check:
``dynamic.yml:9 url http://app:8080`` vs ``cmd/api/main.go:41 Addr ":8081"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from traefik_doctor.findings import Location


@dataclass(frozen=True, slots=True)
class GoValue:
    """A Go expression resolved as far as the source allows.

    ``text`` is how a person would read it (``":" + ${PORT:-"8080"}``); ``default`` the value
    when no environment variable or flag is set (``":8080"``), None when unknown; ``env`` and
    ``flags`` name what can change it, so a message can say ``PORT (default 8080)``.
    """

    text: str
    default: str | None
    env: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()

    @property
    def resolved(self) -> bool:
        return self.default is not None


@dataclass(frozen=True, slots=True)
class GoDuration:
    """A ``time.Duration`` setting: ``seconds`` when it could be computed, and where it is set."""

    text: str
    seconds: float | None
    location: Location


@dataclass(frozen=True, slots=True)
class GoServer:
    """Something that accepts connections: ``http.ListenAndServe``, an ``http.Server`` started
    with ``ListenAndServe``/``Serve``, gin ``Run``, echo ``Start``, a gRPC server...

    ``timeouts`` maps the ``http.Server`` field names that are set (``ReadTimeout``,
    ``ReadHeaderTimeout``, ``WriteTimeout``, ``IdleTimeout``), including fields assigned after
    construction; a missing key means the field is never set (Go's zero: no timeout).
    ``timeouts_known`` is False when the server is built in a way the extractor cannot follow
    (then a missing key proves nothing). ``router`` is the id of the handler it serves
    (see ``GoRoute.router``); ``"DefaultServeMux"`` for a nil handler.
    """

    kind: str
    location: Location
    addr: GoValue
    tls: bool = False
    timeouts: dict[str, GoDuration] = field(default_factory=dict)
    timeouts_known: bool = True
    router: str | None = None
    grpc: bool = False
    h2c: bool = False

    @property
    def port(self) -> int | None:
        """The port of the default address (``:8080`` → 8080; ``""`` → 80 for plain HTTP)."""
        address = self.addr.default
        if address is None:
            return None
        if address == "":
            return 443 if self.tls else 80
        tail = address.rsplit(":", 1)[-1] if ":" in address else ""
        return int(tail) if tail.isdigit() else None

    @property
    def host(self) -> str | None:
        """The host part of the default address (``""`` for all interfaces)."""
        address = self.addr.default
        if address is None:
            return None
        return address.rsplit(":", 1)[0].strip("[]") if ":" in address else ""


@dataclass(frozen=True, slots=True)
class GoRoute:
    """A handler registration.

    ``path`` is the full path with group/subrouter/mount prefixes composed, in the router's
    own wildcard syntax (Go 1.22 ``{id}``/``{rest...}``, chi ``{id}``, gin/echo ``:id``/``*``,
    gorilla ``{id}``/``{id:[0-9]+}``). ``prefix`` is True when it also serves everything below
    it (net/http patterns ending in ``/``, chi ``Mount``, gorilla ``PathPrefix``, a trailing
    catch-all). ``method`` is None when any method is accepted. ``go122`` marks net/http
    patterns that use Go 1.22 syntax (a method, a host or ``{wildcards}``).
    """

    router: str
    framework: str
    path: str
    location: Location
    method: str | None = None
    host: str | None = None
    prefix: bool = False
    go122: bool = False


@dataclass(frozen=True, slots=True)
class GoPprof:
    """``net/http/pprof`` reachable through a router: a blank import (registers on
    ``DefaultServeMux``), ``pprof.Index``/``Handler`` registered explicitly, chi's
    ``middleware.Profiler()``..."""

    router: str
    kind: str
    location: Location


@dataclass(frozen=True, slots=True)
class GoClientTimeout:
    """An HTTP client: ``http.Client{...}`` (with or without ``Timeout``), or the default
    client through ``http.Get``/``http.Post``/``http.DefaultClient``."""

    kind: str
    location: Location
    timeout: GoDuration | None


@dataclass(frozen=True, slots=True)
class GoInsecureTLS:
    """``InsecureSkipVerify: true`` (``certain``) or set to something not provably false."""

    location: Location
    certain: bool


@dataclass(frozen=True, slots=True)
class GoHostRead:
    """The request's host read by a handler (``r.Host``, ``r.URL.Host``, gin ``c.Request.Host``)."""

    location: Location
    expression: str


@dataclass(frozen=True, slots=True)
class GoProgram:
    """One ``main`` package (one binary) and everything reachable from it in its module.

    ``package`` is its import path (``example.com/app/cmd/api``); ``location`` the file with
    ``func main``, whose folder is the package's directory."""

    package: str
    location: Location
    module: str | None
    go_version: str | None
    go_mod: Location | None
    servers: tuple[GoServer, ...] = ()
    routes: tuple[GoRoute, ...] = ()
    pprof: tuple[GoPprof, ...] = ()
    clients: tuple[GoClientTimeout, ...] = ()
    insecure_tls: tuple[GoInsecureTLS, ...] = ()
    host_reads: tuple[GoHostRead, ...] = ()

    def routes_of(self, server: GoServer) -> tuple[GoRoute, ...]:
        return tuple(route for route in self.routes if route.router == server.router)

    def pprof_of(self, server: GoServer) -> tuple[GoPprof, ...]:
        return tuple(p for p in self.pprof if p.router == server.router)


@dataclass(frozen=True, slots=True)
class GoIssue:
    """Something the extractor could not do: a file that does not parse, an address it could
    not resolve. Reported, never silently dropped."""

    location: Location
    message: str


@dataclass(frozen=True, slots=True)
class GoScan:
    """The result of reading the Go code under one or more directories."""

    programs: tuple[GoProgram, ...] = ()
    files: int = 0
    bytes: int = 0
    parse_errors: tuple[GoIssue, ...] = ()
    unresolved: tuple[GoIssue, ...] = ()
    skipped: tuple[str, ...] = ()
