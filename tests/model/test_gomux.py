"""model.gomux: does a Go route serve a concrete path, framework by framework."""

from __future__ import annotations

import pytest

from traefik_doctor.findings import Location
from traefik_doctor.goscan.facts import GoRoute
from traefik_doctor.model.gomux import (
    example_path,
    nearby,
    new_mux,
    route_matches,
    serving_route,
    under,
)

HERE = Location("main.go", 1, 1)


def route(
    framework: str,
    path: str,
    method: str | None = None,
    *,
    prefix: bool = False,
    go122: bool = False,
    host: str | None = None,
) -> GoRoute:
    return GoRoute("r", framework, path, HERE, method, host, prefix, go122)


# (route, request path, method, go.mod version, served?)
TABLE = [
    # net/http before Go 1.22: exact or subtree, /x redirected to /x/
    (route("servemux", "/users"), "/users", None, "1.19", True),
    (route("servemux", "/users"), "/users/", None, "1.19", False),
    (route("servemux", "/users"), "/users/1", None, "1.19", False),
    (route("servemux", "/static/", prefix=True), "/static/app.css", None, "1.19", True),
    (route("servemux", "/static/", prefix=True), "/static", None, "1.19", True),
    (route("servemux", "/", prefix=True), "/anything/at/all", None, "1.19", True),
    # a Go 1.22 pattern under go 1.19: literal text, a method makes it a host pattern
    (route("servemux", "/users/{id}", go122=True), "/users/1", None, "1.19", False),
    (route("servemux", "/users/{id}", go122=True), "/users/{id}", None, "1.19", True),
    (route("servemux", "/users", "GET", go122=True), "/users", None, "1.21", False),
    # Go 1.22 patterns
    (route("servemux", "/users/{id}", go122=True), "/users/1", None, "1.22", True),
    (route("servemux", "/users/{id}", go122=True), "/users/", None, "1.22", False),
    (route("servemux", "/users/{id}", go122=True), "/users/1/x", None, "1.22", False),
    (route("servemux", "/files/{p...}", go122=True), "/files/a/b", None, "1.22", True),
    (route("servemux", "/files/{p...}", go122=True), "/files/", None, "1.22", True),
    (route("servemux", "/a/{$}", go122=True), "/a/", None, "1.22", True),
    (route("servemux", "/a/{$}", go122=True), "/a/b", None, "1.22", False),
    (route("servemux", "/x", "GET", go122=True), "/x", "GET", "1.22.3", True),
    (route("servemux", "/x", "GET", go122=True), "/x", "HEAD", "1.22", True),
    (route("servemux", "/x", "GET", go122=True), "/x", "POST", "1.22", False),
    # unknown go version: either semantics
    (route("servemux", "/users/{id}", go122=True), "/users/1", None, None, True),
    # chi
    (route("chi", "/users/{id}"), "/users/42", None, None, True),
    (route("chi", "/users/{id}"), "/users/42/x", None, None, False),
    (route("chi", "/users/{id:[0-9]+}"), "/users/42", None, None, True),
    (route("chi", "/users/{id:[0-9]+}"), "/users/abc", None, None, False),
    (route("chi", "/files/*", prefix=True), "/files/a/b", None, None, True),
    (route("chi", "/api", prefix=True), "/api/users", None, None, True),
    (route("chi", "/api", prefix=True), "/api", None, None, True),
    (route("chi", "/api", prefix=True), "/apix", None, None, False),
    (route("chi", "/users"), "/users/", None, None, False),
    (route("chi", "/users", "POST"), "/users", "GET", None, False),
    # gin / echo
    (route("gin", "/users/:id"), "/users/7", None, None, True),
    (route("gin", "/users/:id"), "/users/7/x", None, None, False),
    (route("gin", "/files/*path"), "/files/a/b", None, None, True),
    (route("gin", "/users"), "/users/", None, None, True),  # RedirectTrailingSlash
    (route("echo", "/users"), "/users/", None, None, False),
    (route("echo", "/users/:id", "GET"), "/users/1", "GET", None, True),
    (route("echo", "/static/*"), "/static/x.css", None, None, True),
    # gorilla
    (route("gorilla", "/users/{id}"), "/users/x", None, None, True),
    (route("gorilla", "/users/{id:[0-9]+}"), "/users/x", None, None, False),
    (route("gorilla", "/api", prefix=True), "/apix", None, None, True),  # a string prefix
]


@pytest.mark.parametrize(
    ("go_route", "path", "method", "version", "served"),
    TABLE,
    ids=[f"{r.framework}:{r.path}->{p}@{v}" for r, p, _m, v, _s in TABLE],
)
def test_route_matches(
    go_route: GoRoute, path: str, method: str | None, version: str | None, served: bool
) -> None:
    assert route_matches(go_route, path, method, version) is served


def test_serving_route_prefers_exact_then_longest() -> None:
    routes = [
        route("servemux", "/", prefix=True),
        route("servemux", "/api/", prefix=True),
        route("servemux", "/api/users"),
    ]
    assert serving_route(routes, "/api/users", None, "1.19") == routes[2]
    assert serving_route(routes, "/api/orders", None, "1.19") == routes[1]
    assert serving_route(routes, "/x", None, "1.19") == routes[0]
    assert serving_route(routes[2:], "/x", None, "1.19") is None


def test_host_patterns_only_serve_their_host() -> None:
    scoped = route("servemux", "/x", host="api.test", go122=True)
    assert route_matches(scoped, "/x", None, "1.22", host="api.test")
    assert not route_matches(scoped, "/x", None, "1.22", host="other.test")


@pytest.mark.parametrize(
    ("go_route", "example"),
    [
        (route("servemux", "/users/{id}", go122=True), "/users/1"),
        (route("chi", "/users/{id:[a-z]+}/posts"), "/users/x/posts"),
        (route("gin", "/users/:id/*rest"), "/users/1/"),
        (route("servemux", "/files/{p...}", go122=True), "/files/"),
        (route("servemux", "/"), "/"),
    ],
)
def test_example_path(go_route: GoRoute, example: str) -> None:
    assert example_path(go_route) == example
    assert route_matches(go_route, example, None, "1.22")


def test_under_and_nearby() -> None:
    users = route("servemux", "/api/v1/users")
    health = route("servemux", "/healthz")
    assert under(users, "/api")
    assert not under(users, "/v1")
    assert under(route("servemux", "/", prefix=True), "/v1")
    assert nearby([health, users], "/users")[0] == users
    assert nearby([users, health], "/health")[0] == health


def test_new_mux_from_go_mod() -> None:
    assert new_mux("1.19") is False
    assert new_mux("1.22") is True
    assert new_mux("1.23.1") is True
    assert new_mux(None) is None
