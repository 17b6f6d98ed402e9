"""Table-driven edge cases of each matcher, the muxer's path handling and the route order.

Every expectation here was checked against Traefik 3.7 (the differential test covers the
same ground at random; these pin the cases people ask about).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from traefik_doctor.loaders.project import load_project
from traefik_doctor.routing import Request, RoutingTable
from traefik_doctor.routing.matchers import compile_rule
from traefik_doctor.routing.request import BadRequestError, prepare, routing_path
from traefik_doctor.rulelang.parser import RuleSyntaxError, parse


def _match(rule: str, url: str, *, method: str = "GET", syntax: str = "v3", **kw: object) -> bool:
    expr = parse(rule)
    assert not isinstance(expr, RuleSyntaxError)
    compiled = compile_rule(rule, expr, "v2" if syntax == "v2" else "v3")
    headers = kw.get("headers", ())
    client_ip = str(kw.get("client_ip", "127.0.0.1"))
    request = Request.from_url(method, url, headers=headers, client_ip=client_ip)  # type: ignore[arg-type]
    return compiled.match(prepare(request))


HOST_CASES = [
    ("Host(`a.test`)", "http://a.test/", True),
    ("Host(`a.test`)", "http://A.TEST/", True),  # case-insensitive
    ("Host(`A.test`)", "http://a.test/", True),  # the rule is lower-cased too
    ("Host(`a.test`)", "http://a.test:8080/", True),  # the request's port is stripped
    ("Host(`a.test:8080`)", "http://a.test:8080/", False),  # a port in the rule never matches
    ("Host(`a.test`)", "http://a.test./", True),  # one trailing dot on the request
    ("Host(`a.test.`)", "http://a.test/", True),  # ... or on the rule
    ("Host(`a.test`)", "http://b.a.test/", False),
    ("Host(`*.a.test`)", "http://b.a.test/", True),  # v3.7 wildcard: one level
    ("Host(`*.a.test`)", "http://c.b.a.test/", False),
    ("Host(`*.a.test`)", "http://a.test/", False),
    ("Host(`*.a.test`)", "http://B.A.test:81/", True),
    ("Host(`*`)", "http://anything.test/", True),
    ("HostRegexp(`^[a-z]+\\.a\\.test$`)", "http://web.a.test/", True),
    ("HostRegexp(`^[a-z]+\\.a\\.test$`)", "http://WEB.a.test/", True),  # canonical host
    ("HostRegexp(`a\\.test`)", "http://xa.test.y/", True),  # unanchored, as Go's MatchString
]


@pytest.mark.parametrize(("rule", "url", "expected"), HOST_CASES)
def test_host(rule: str, url: str, expected: bool) -> None:
    assert _match(rule, url) is expected


PATH_CASES = [
    ("Path(`/api`)", "/api", True),
    ("Path(`/api`)", "/api/", False),  # trailing slash matters
    ("Path(`/api`)", "/API", False),  # paths are case-sensitive
    ("PathPrefix(`/api`)", "/apix", True),  # a prefix, not a segment
    ("PathPrefix(`/api/`)", "/api", False),
    ("PathPrefix(`/api`)", "/%61pi/x", True),  # unreserved escapes are decoded
    ("PathPrefix(`/a/b`)", "/a%2Fb", False),  # reserved escapes stay encoded
    ("PathPrefix(`/foo bar`)", "/foo%20bar", True),
    ("Path(`/café`)", "/caf%C3%A9", True),
    ("PathPrefix(`/b`)", "/a/../b", True),  # sanitizePath cleans dot segments
    ("Path(`/b/`)", "/a/../b/", True),  # ... and keeps the trailing slash
    ("Path(`/b`)", "//b", True),  # ... and double slashes
    ("Path(`/users/{id:[0-9]+}`)", "/users/1", False),  # v2 placeholder under v3: literal
    ("PathRegexp(`^/users/[0-9]+$`)", "/users/12", True),
    ("PathRegexp(`users`)", "/x/users/y", True),  # unanchored
    ("PathRegexp(`(?i)^/ADMIN`)", "/admin", True),
]


@pytest.mark.parametrize(("rule", "path", "expected"), PATH_CASES)
def test_path(rule: str, path: str, expected: bool) -> None:
    assert _match(rule, f"http://a.test{path}") is expected


OTHER_CASES: list[tuple[str, str, dict[str, object], bool]] = [
    ("Method(`GET`)", "/", {"method": "GET"}, True),
    ("Method(`get`)", "/", {"method": "GET"}, True),  # the rule is upper-cased
    ("Method(`GET`)", "/", {"method": "get"}, False),  # the request method is not
    ("Header(`X-Env`, `prod`)", "/", {"headers": [("x-env", "prod")]}, True),
    ("Header(`x-env`, `prod`)", "/", {"headers": [("X-Env", "prod")]}, True),
    ("Header(`X-Env`, `prod`)", "/", {"headers": [("X-Env", "Prod")]}, False),
    ("Header(`Host`, `a.test`)", "/", {}, False),  # Go keeps Host out of the header map
    ("HeaderRegexp(`X-Env`, `^pro`)", "/", {"headers": [("X-Env", "production")]}, True),
    ("Query(`debug`)", "/?debug", {}, True),
    ("Query(`debug`)", "/?debug=", {}, True),
    ("Query(`debug`)", "/?debug=1", {}, False),
    ("Query(`v`, `1`)", "/?a=b;v=1", {}, True),  # ';' separates like '&'
    ("Query(`v`, `a b`)", "/?v=a+b", {}, True),
    ("QueryRegexp(`v`, `^[0-9]+$`)", "/?v=12", {}, True),
    ("ClientIP(`10.0.0.0/8`)", "/", {"client_ip": "10.1.2.3"}, True),
    ("ClientIP(`10.0.0.0/8`)", "/", {"client_ip": "127.0.0.1"}, False),
    ("ClientIP(`127.0.0.1`)", "/", {"headers": [("X-Forwarded-For", "10.0.0.1")]}, True),
    ("Host(`a.test`) && !PathPrefix(`/admin`)", "/admin", {}, False),
    ("Host(`p.test`) || Host(`a.test`) && PathPrefix(`/x`)", "/", {}, False),  # && binds tighter
    ("Host(`a.test`) || Host(`q.test`) && PathPrefix(`/x`)", "/", {}, True),
]


@pytest.mark.parametrize(("rule", "path", "kw", "expected"), OTHER_CASES)
def test_other_matchers(rule: str, path: str, kw: dict[str, object], expected: bool) -> None:
    options = dict(kw)  # the table is shared with the Traefik test: do not mutate it
    method = str(options.pop("method", "GET"))
    assert _match(rule, f"http://a.test{path}", method=method, **options) is expected


V2_CASES = [
    ("Host(`a.test`, `b.test`)", "http://b.test/", True),
    ("Path(`/users/{id:[0-9]+}`)", "http://a.test/users/12", True),
    ("Path(`/users/{id:[0-9]+}`)", "http://a.test/users/x", False),
    ("PathPrefix(`/api/{v}`)", "http://a.test/api/v1/x", True),
    ("HostRegexp(`{sub:[a-z]+}.a.test`)", "http://web.a.test/", True),
    ("Query(`v={n:[0-9]+}`)", "http://a.test/?v=12", True),
    ("Query(`v={n:[0-9]+}`)", "http://a.test/?v=x", False),
    ("Method(`GET`, `post`)", "http://a.test/", True),
]


@pytest.mark.parametrize(("rule", "url", "expected"), V2_CASES)
def test_v2(rule: str, url: str, expected: bool) -> None:
    assert _match(rule, url, syntax="v2") is expected


def test_untranslatable_regexp_never_matches() -> None:
    rule = "PathRegexp(`^/\\p{Greek}`)"
    expr = parse(rule)
    assert not isinstance(expr, RuleSyntaxError)
    compiled = compile_rule(rule, expr, "v3")
    assert compiled.unevaluable is not None
    assert "cannot evaluate" in compiled.unevaluable


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("/a/./b/../c", "/a/c"),
        ("/%7Euser", "/~user"),
        ("/a%2fb", "/a%2Fb"),
        ("/a%25b", "/a%25b"),
        ("/x/", "/x/"),
        ("/..", "/"),
    ],
)
def test_routing_path(wire: str, expected: str) -> None:
    assert routing_path(wire) == expected


def test_bad_requests() -> None:
    with pytest.raises(BadRequestError):
        routing_path("/a%zz")


# -- the table: order, entry points, TLS, internal and disabled routers --------------------

STATIC = """\
entryPoints:
  web: {address: ":8000"}
  websecure:
    address: ":8443"
    http: {tls: {}}
  traefik: {address: ":8080"}
api: {insecure: true}
ping: {entryPoint: web}
providers:
  file: {directory: dynamic}
"""

DYNAMIC = """\
http:
  routers:
    short-prefix:
      rule: PathPrefix(`/api`)
      service: svc
    long-prefix:
      rule: PathPrefix(`/api/v1`)
      service: svc
    host-catchall:
      rule: Host(`x.test`) && PathPrefix(`/`)
      service: svc
    explicit:
      rule: PathPrefix(`/api/v1/explicit`)
      priority: 1
      service: svc
    tied-a:
      rule: PathPrefix(`/same`)
      service: svc
    tied-b:
      rule: PathPrefix(`/samx`) || PathPrefix(`/same`)
      priority: 19
      service: svc
    secure-only:
      entryPoints: [web]
      rule: Host(`s.test`)
      tls: {}
      service: svc
    broken:
      rule: Host(`b.test`)
      service: nosuch
  services:
    svc:
      loadBalancer:
        servers: [{url: "http://127.0.0.1:9000"}]
"""


@pytest.fixture
def table(tmp_path: Path) -> RoutingTable:
    (tmp_path / "dynamic").mkdir()
    (tmp_path / "traefik.yml").write_text(STATIC, "utf-8")
    (tmp_path / "dynamic" / "app.yml").write_text(DYNAMIC, "utf-8")
    return RoutingTable(load_project(tmp_path, go=False))


def _winner(table: RoutingTable, method: str, url: str) -> str | None:
    result = table.route(Request.from_url(method, url))
    return result.winner.qualified if result.winner else None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://y.test:8000/api/x", "short-prefix@file"),
        ("http://y.test:8000/api/v1/x", "long-prefix@file"),
        ("http://x.test:8000/api/v1/x", "host-catchall@file"),  # 33 > 21
        ("http://y.test:8000/api/v1/explicit", "long-prefix@file"),  # priority 1 loses
        ("http://x.test:8000/pingx", "ping@internal"),  # max priority prefix
        ("http://y.test:8080/api/rawdata", "api@internal"),
        ("http://y.test:8080/dashboard/", "dashboard@internal"),
        ("http://s.test:8000/", None),  # a tls router does not answer plain HTTP
        ("https://s.test:8000/", "secure-only@file"),
        ("http://b.test:8000/", None),  # disabled: unknown service
        ("https://y.test:8443/api", "short-prefix@file"),  # every router on a TLS entry point
        ("http://y.test:8443/api", None),
    ],
)
def test_table_order(table: RoutingTable, url: str, expected: str | None) -> None:
    assert _winner(table, "GET", url) == expected


def test_ties_are_ambiguous(table: RoutingTable) -> None:
    result = table.route(Request.from_url("GET", "http://a.test:8000/same"))
    names = {result.winner.qualified if result.winner else ""}
    names |= {r.qualified for r in result.ambiguous}
    assert names == {"tied-a@file", "tied-b@file"}


def test_verdicts_explain(table: RoutingTable) -> None:
    result = table.route(Request.from_url("GET", "http://b.test:8000/api/v2"))
    by_name = {v.router.qualified: v for v in result.verdicts}
    assert result.entry_point == "web"
    assert by_name["broken@file"].skipped is not None
    assert "does not match host `b.test`" in by_name["host-catchall@file"].reason
    assert by_name["host-catchall@file"].offset == 0
    assert "does not match path `/api/v2`" in by_name["long-prefix@file"].reason
    assert by_name["secure-only@file"].reason.startswith("TLS router")
    order = [v.priority for v in result.verdicts]
    assert order == sorted(order, reverse=True)


def test_near_misses(table: RoutingTable) -> None:
    result = table.route(Request.from_url("GET", "http://s.test:8000/"))
    assert result.winner is None
    assert any("secure-only@file" in n and "HTTPS" in n for n in result.near_misses)


def test_entry_point_for(table: RoutingTable) -> None:
    assert table.entry_point_for("http", 8000) == "web"
    assert table.entry_point_for("https", 8443) == "websecure"
    assert table.entry_point_for("http", 9999) is None


# -- the same tables through the real Traefik ------------------------------------------------


def _traefik_cases() -> list[tuple[str, str, str, str, tuple[tuple[str, str], ...], bool]]:
    """(rule, syntax, method, url, headers, expected) for every case a loopback client can
    send (ClientIP cases need another source address and are left out)."""
    out: list[tuple[str, str, str, str, tuple[tuple[str, str], ...], bool]] = []
    for rule, url, expected in HOST_CASES:
        out.append((rule, "v3", "GET", url, (), expected))
    for rule, path, expected in PATH_CASES:
        out.append((rule, "v3", "GET", f"http://a.test{path}", (), expected))
    for rule, path, kw, expected in OTHER_CASES:
        if "client_ip" in kw:
            continue
        headers = tuple(kw.get("headers", ()))  # type: ignore[arg-type]
        method = str(kw.get("method", "GET"))
        out.append((rule, "v3", method, f"http://a.test{path}", headers, expected))
    for rule, url, expected in V2_CASES:
        out.append((rule, "v2", "GET", url, (), expected))
    return out


@pytest.mark.traefik
def test_tables_agree_with_traefik(tmp_path: Path) -> None:
    import http.client
    import json
    import time
    from urllib.parse import urlsplit

    import yaml

    from traefik_lab import free_port, run_traefik, wait_for_api

    cases = _traefik_cases()
    ports = {f"ep{i}": free_port() for i in range(len(cases))}
    api = free_port()
    entry_points = {name: {"address": f"127.0.0.1:{port}"} for name, port in ports.items()}
    entry_points["traefik"] = {"address": f"127.0.0.1:{api}"}
    static = {
        "global": {"checkNewVersion": False, "sendAnonymousUsage": False},
        "entryPoints": entry_points,
        "api": {"insecure": True},
        "log": {"level": "ERROR", "filePath": str(tmp_path / "traefik.log")},
        "accessLog": {
            "filePath": str(tmp_path / "access.json"),
            "format": "json",
            "fields": {"headers": {"defaultMode": "drop", "names": {"X-Diag-Id": "keep"}}},
        },
        "providers": {"file": {"filename": str(tmp_path / "dynamic.yml"), "watch": False}},
    }
    routers: dict[str, dict[str, object]] = {}
    for i, (rule, syntax, *_rest) in enumerate(cases):
        body: dict[str, object] = {"entryPoints": [f"ep{i}"], "rule": rule, "service": "svc"}
        if syntax == "v2":
            body["ruleSyntax"] = "v2"
        routers[f"r{i}"] = body
    dynamic = {
        "http": {
            "routers": routers,
            "services": {"svc": {"loadBalancer": {"servers": [{"url": "http://127.0.0.1:9"}]}}},
        }
    }
    (tmp_path / "static.yml").write_text(yaml.safe_dump(static), "utf-8")
    (tmp_path / "dynamic.yml").write_text(yaml.safe_dump(dynamic), "utf-8")
    with run_traefik(tmp_path / "static.yml", tmp_path, api) as running:
        assert wait_for_api(running), running.log()[-2000:]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if sum(1 for r in running.routers() if r.get("provider") == "file") >= len(cases):
                break
            time.sleep(0.05)
        time.sleep(0.2)
        for i, (_rule, _syntax, method, url, headers, _expected) in enumerate(cases):
            parts = urlsplit(url)
            conn = http.client.HTTPConnection("127.0.0.1", ports[f"ep{i}"], timeout=5)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", parts.netloc)
            conn.putheader("X-Diag-Id", f"c{i}")
            for name, val in headers:
                conn.putheader(name, val)
            conn.endheaders()
            conn.getresponse().read()
            conn.close()
        time.sleep(0.3)
        records = {}
        for line in (tmp_path / "access.json").read_text("utf-8").splitlines():
            record = json.loads(line)
            records[record.get("request_X-Diag-Id")] = record
    wrong = []
    for i, (rule, syntax, method, url, headers, expected) in enumerate(cases):
        got = records.get(f"c{i}", {}).get("RouterName") == f"r{i}@file"
        if got is not expected:
            wrong.append(
                f"{syntax} {rule} {method} {url} {headers}: Traefik {got}, table {expected}"
            )
    assert not wrong, "\n".join(wrong)


def test_index_keeps_exact_and_wildcard_conjunctions(tmp_path: Path) -> None:
    """Found by the differential run: ``Host(a) && Host(*.x)`` must stay reachable."""
    (tmp_path / "dynamic").mkdir()
    (tmp_path / "traefik.yml").write_text(STATIC, "utf-8")
    (tmp_path / "dynamic" / "app.yml").write_text(
        "http:\n  routers:\n    both:\n"
        "      rule: Host(`api.a.test`) && Host(`*.a.test`)\n      service: svc\n"
        "  services:\n    svc:\n      loadBalancer:\n"
        '        servers: [{url: "http://127.0.0.1:9000"}]\n',
        "utf-8",
    )
    table = RoutingTable(load_project(tmp_path, go=False))
    assert _winner(table, "GET", "http://API.a.test:8000/x") == "both@file"


@pytest.mark.parametrize("host", ["café.test", "a{b}.test", "a b.test"])
def test_malformed_host_is_a_400(host: str) -> None:
    """Go's server refuses these Host headers before Traefik routes (verified on 3.7.15)."""
    with pytest.raises(BadRequestError):
        prepare(Request("GET", "http", host, 80, "/"))


@pytest.mark.parametrize("host", ["xn--caf-dma.test", "a_b.test", "[::1]", "a.test:abc", ""])
def test_unusual_but_valid_hosts(host: str) -> None:
    prepare(Request("GET", "http", host, 80, "/"))
