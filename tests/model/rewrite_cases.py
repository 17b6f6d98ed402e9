"""Middleware path rewrites and what Traefik sends to the backend, shared by the model test
and the real-Traefik test (each case: middlewares as YAML flow text, request, expected path
or ``None`` when Traefik answers itself with ``status``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RewriteCase:
    id: str
    middlewares: dict[str, str]
    request: str
    expected: str | None
    status: int = 200
    order: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return self.order or tuple(self.middlewares)


CASES = [
    RewriteCase("strip", {"m": "{stripPrefix: {prefixes: [/api]}}"}, "/api/users", "/users"),
    RewriteCase("strip-whole-path", {"m": "{stripPrefix: {prefixes: [/api]}}"}, "/api", "/"),
    RewriteCase("strip-trailing", {"m": "{stripPrefix: {prefixes: [/api]}}"}, "/api/", "/"),
    RewriteCase("strip-not-segment", {"m": "{stripPrefix: {prefixes: [/api]}}"}, "/apix/y", "/x/y"),
    RewriteCase("strip-no-match", {"m": "{stripPrefix: {prefixes: [/api]}}"}, "/other", "/other"),
    RewriteCase(
        "strip-slash-prefix", {"m": "{stripPrefix: {prefixes: [/api/]}}"}, "/api/users", "/users"
    ),
    RewriteCase(
        "strip-slash-prefix-short", {"m": "{stripPrefix: {prefixes: [/api/]}}"}, "/api", "/api"
    ),
    RewriteCase(
        "strip-first-wins",
        {"m": "{stripPrefix: {prefixes: [/api, /api/v1]}}"},
        "/api/v1/x",
        "/v1/x",
    ),
    RewriteCase("strip-trimmed", {"m": '{stripPrefix: {prefixes: [" /api "]}}'}, "/api/x", "/x"),
    RewriteCase("strip-regex", {"m": '{stripPrefixRegex: {regex: ["/v[0-9]+"]}}'}, "/v12/x", "/x"),
    RewriteCase(
        "strip-regex-not-at-start",
        {"m": '{stripPrefixRegex: {regex: ["/v[0-9]+"]}}'},
        "/x/v1/y",
        "/x/v1/y",
    ),
    RewriteCase("replace", {"m": "{replacePath: {path: /fixed}}"}, "/any/thing", "/fixed"),
    RewriteCase(
        "replace-regex",
        {"m": '{replacePathRegex: {regex: "^/old/(.*)", replacement: "/new/$1"}}'},
        "/old/a/b",
        "/new/a/b",
    ),
    RewriteCase(
        "replace-regex-braces",
        {"m": '{replacePathRegex: {regex: "^/(v[0-9])/(.*)", replacement: "/${2}/${1}x"}}'},
        "/v1/users",
        "/users/v1x",
    ),
    RewriteCase(
        "replace-regex-all-matches",
        {"m": '{replacePathRegex: {regex: "a", replacement: "b"}}'},
        "/aa/a",
        "/bb/b",
    ),
    RewriteCase(
        "replace-regex-unclean",
        {"m": '{replacePathRegex: {regex: "^/a/(.*)", replacement: "/b//$1"}}'},
        "/a/x",
        None,
        400,
    ),
    RewriteCase("add", {"m": "{addPrefix: {prefix: /v1}}"}, "/users", "/v1/users"),
    RewriteCase("add-root", {"m": "{addPrefix: {prefix: /v1}}"}, "/", "/v1/"),
    RewriteCase("add-no-slash", {"m": "{addPrefix: {prefix: v1}}"}, "/users", "/v1/users"),
    RewriteCase(
        "strip-then-add",
        {"s": "{stripPrefix: {prefixes: [/api]}}", "a": "{addPrefix: {prefix: /v2}}"},
        "/api/users",
        "/v2/users",
    ),
    RewriteCase(
        "strip-all-then-add",
        {"s": "{stripPrefix: {prefixes: [/api]}}", "a": "{addPrefix: {prefix: /v2}}"},
        "/api",
        "/v2",
    ),
    RewriteCase(
        "chain",
        {
            "c": "{chain: {middlewares: [s, h]}}",
            "s": "{stripPrefix: {prefixes: [/api]}}",
            "h": "{headers: {customRequestHeaders: {X-Test: one}}}",
        },
        "/api/users",
        "/users",
        order=("c",),
    ),
    RewriteCase(
        "redirect",
        {"r": "{redirectScheme: {scheme: https}}"},
        "/users",
        None,
        302,
    ),
]
