"""Which matchers Traefik 3.7 knows, under which names, with how many arguments.

Traefik keeps four matcher tables (``pkg/muxer/http/matcher.go``,
``matcher_v2.go``, ``pkg/muxer/tcp/matcher.go``, ``matcher_v2.go``) and
registers every name with predicate four times: as written, lower-case,
upper-case and "Title" case (``cases.Title`` of the lower-case name, so
``Pathprefix``). Predicate's function lookup is an exact map lookup, so those
four spellings are the only ones accepted: ``pathprefix``, ``PATHPREFIX`` and
``Pathprefix`` work, ``pathPrefix`` and ``PathPREFIX`` do not (verified against
the Traefik 3.7.15 binary).

Argument counts: v3 matchers check them (``expectNParameters``); v2 matchers
take any number, but Traefik rejects a call without arguments ("no args for
matcher") for every syntax, and gorilla/mux wants ``Headers``/``HeadersRegexp``
in key/value pairs.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "HTTP_V2",
    "HTTP_V3",
    "TCP_V2",
    "TCP_V3",
    "Arity",
    "Kind",
    "Syntax",
    "Variadic",
    "allows",
    "lookup",
    "spellings",
    "suggest",
    "table",
]

Syntax = Literal["v3", "v2"]
Kind = Literal["http", "tcp"]


@dataclass(frozen=True, slots=True)
class Variadic:
    """Any number of arguments from ``minimum`` on, in steps of ``step`` (v2 matchers)."""

    minimum: int = 1
    step: int = 1

    def __contains__(self, count: object) -> bool:
        return (
            isinstance(count, int)
            and count >= self.minimum
            and (count - self.minimum) % self.step == 0
        )

    def __str__(self) -> str:
        if self.step == 2:
            return f"an even number, at least {self.minimum}"
        return f"any number, at least {self.minimum}"


Arity = frozenset[int] | Variadic

_ONE: Arity = frozenset({1})
_TWO: Arity = frozenset({2})
_ONE_OR_TWO: Arity = frozenset({1, 2})
_ANY = Variadic()
_PAIRS = Variadic(minimum=2, step=2)

HTTP_V3: Mapping[str, Arity] = {
    "ClientIP": _ONE,
    "Method": _ONE,
    "Host": _ONE,
    "HostRegexp": _ONE,
    "Path": _ONE,
    "PathRegexp": _ONE,
    "PathPrefix": _ONE,
    "Header": _TWO,
    "HeaderRegexp": _TWO,
    "Query": _ONE_OR_TWO,
    "QueryRegexp": _ONE_OR_TWO,
}
HTTP_V2: Mapping[str, Arity] = {
    "Host": _ANY,
    "HostHeader": _ANY,
    "HostRegexp": _ANY,
    "ClientIP": _ANY,
    "Path": _ANY,
    "PathPrefix": _ANY,
    "Method": _ANY,
    "Headers": _PAIRS,
    "HeadersRegexp": _PAIRS,
    "Query": _ANY,
}
TCP_V3: Mapping[str, Arity] = {
    "ALPN": _ONE,
    "ClientIP": _ONE,
    "HostSNI": _ONE,
    "HostSNIRegexp": _ONE,
}
TCP_V2: Mapping[str, Arity] = {
    "ALPN": _ANY,
    "ClientIP": _ANY,
    "HostSNI": _ANY,
    "HostSNIRegexp": _ANY,
}

_TABLES: dict[tuple[str, str], Mapping[str, Arity]] = {
    ("v3", "http"): HTTP_V3,
    ("v2", "http"): HTTP_V2,
    ("v3", "tcp"): TCP_V3,
    ("v2", "tcp"): TCP_V2,
}

# Renames between the syntaxes and between HTTP and TCP that difflib would not find.
_RENAMES: dict[tuple[str, str], dict[str, str]] = {
    ("v3", "http"): {
        "headers": "Header",
        "headersregexp": "HeaderRegexp",
        "hostheader": "Host",
        "hostname": "Host",
        "hostsni": "Host",
        "hostsniregexp": "HostRegexp",
        "prefix": "PathPrefix",
        "pathprefixstrip": "PathPrefix",
        "methods": "Method",
        "clientips": "ClientIP",
        "sourceip": "ClientIP",
        "remoteip": "ClientIP",
    },
    ("v2", "http"): {
        "header": "Headers",
        "headerregexp": "HeadersRegexp",
        "hostname": "Host",
        "hostsni": "Host",
        "hostsniregexp": "HostRegexp",
        "prefix": "PathPrefix",
        "methods": "Method",
        "queryregexp": "Query",
        "pathregexp": "Path",
        "sourceip": "ClientIP",
        "remoteip": "ClientIP",
    },
    ("v3", "tcp"): {
        "host": "HostSNI",
        "hostregexp": "HostSNIRegexp",
        "sni": "HostSNI",
        "servername": "HostSNI",
        "sourceip": "ClientIP",
        "remoteip": "ClientIP",
    },
    ("v2", "tcp"): {
        "host": "HostSNI",
        "hostregexp": "HostSNIRegexp",
        "sni": "HostSNI",
        "servername": "HostSNI",
        "sourceip": "ClientIP",
        "remoteip": "ClientIP",
    },
}


def table(syntax: Syntax, kind: Kind) -> Mapping[str, Arity]:
    """The canonical matcher names and argument counts for ``syntax`` and ``kind``."""
    return _TABLES[(syntax, kind)]


def spellings(canonical: str) -> frozenset[str]:
    """The four spellings Traefik registers for a matcher name."""
    lower = canonical.lower()
    return frozenset((canonical, lower, canonical.upper(), lower[:1].upper() + lower[1:]))


def _index(syntax: Syntax, kind: Kind) -> dict[str, str]:
    return _SPELLING_INDEX[(syntax, kind)]


_SPELLING_INDEX: dict[tuple[str, str], dict[str, str]] = {
    key: {spelling: name for name in names for spelling in spellings(name)}
    for key, names in _TABLES.items()
}


def lookup(name: str, syntax: Syntax, kind: Kind) -> str | None:
    """The canonical matcher ``name`` resolves to, or None if Traefik rejects it.

    ``syntax`` is the effective rule syntax: Traefik reads any value other than
    exactly ``v2`` (``V2``, ``v1``, empty) as v3.
    """
    return _index(syntax, kind).get(name)


def allows(arity: Arity, count: int) -> bool:
    """Whether a matcher with ``arity`` accepts ``count`` arguments."""
    return count in arity


def suggest(name: str, syntax: Syntax, kind: Kind) -> str | None:
    """The matcher the author probably meant by an unknown ``name``, or None.

    Tries, in order: the same name in another case (``pathPrefix`` ->
    ``PathPrefix``), known renames between syntaxes and protocols (``Headers``
    -> ``Header`` under v3, ``HostHeader`` -> ``Host``, ``Host`` -> ``HostSNI``
    for TCP), then the closest name by ``difflib`` (``Hostname`` -> ``Host``).
    """
    names = table(syntax, kind)
    lowered = {canonical.lower(): canonical for canonical in names}
    key = name.rsplit(".", maxsplit=1)[-1].lower()
    if key in lowered:
        return lowered[key]
    renamed = _RENAMES[(syntax, kind)].get(key)
    if renamed is not None:
        return renamed
    close = difflib.get_close_matches(key, list(lowered), n=1, cutoff=0.6)
    if close:
        return lowered[close[0]]
    return None
