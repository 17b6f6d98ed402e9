"""``traefik-doctor route`` on the examples and on small projects: which router wins, what
the middlewares do, what the backend receives, which Go handler serves it, and exit codes.

The text and JSON outputs of one request are snapshots (``tests/snapshots/route_*``): run
with ``UPDATE_SNAPSHOTS=1`` after an intended change and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from traefik_doctor.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"
SNAPSHOTS = Path(__file__).parent / "snapshots"
BROKEN = str(EXAMPLES / "broken-app")
CLEAN = str(EXAMPLES / "clean-app")

STATIC = 'entryPoints:\n  web:\n    address: ":8000"\n  websecure:\n    address: ":8443"\n' + (
    "providers:\n  file:\n    directory: dynamic\n"
)


def project(tmp_path: Path, dynamic: str, static: str = STATIC) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "traefik.yml").write_text(static, encoding="utf-8")
    (tmp_path / "dynamic").mkdir()
    (tmp_path / "dynamic" / "app.yml").write_text(dynamic, encoding="utf-8")
    return tmp_path


def route_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["route", *args, "--format", "json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def route_text(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["route", *args, "--color", "never"])
    return code, capsys.readouterr().out


# --- the examples ----------------------------------------------------------------------


def test_backend_404_after_strip_prefix(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = route_json(capsys, BROKEN, "GET", "http://api.example.com/api/v1/users")
    assert code == 1
    assert data["entrypoint"] == "web"
    assert data["router"] == "v1@file"
    assert data["priority"] == len("Host(`api.example.com`) && PathPrefix(`/api`)")
    assert data["ambiguous"] == []
    assert [(m["name"], m["type"]) for m in data["middlewares"]] == [
        ("strip-api@file", "stripPrefix"),
        ("retry-twice@file", "retry"),
    ]
    assert "`/api/v1/users` → `/v1/users`" in data["middlewares"][0]["effect"]
    # passHostHeader: false -> the server URL's host; the URL path /api is dropped
    assert data["upstream"] == {"host": "127.0.0.1:8081", "path": "/v1/users"}
    assert data["service"] == "api@file"
    assert [s["url"] for s in data["servers"]] == ["http://127.0.0.1:8081/api"]
    assert data["servers"][0]["health_check"] == "/healthz"
    assert data["handler"] is None
    assert data["servers"][0]["backend_404"] is True
    assert data["status"] == 404


def test_the_handler_that_serves_the_path(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = route_json(capsys, BROKEN, "GET", "http://api.example.com/api/api/v1/x")
    assert code == 0
    assert data["upstream"]["path"] == "/api/v1/x"
    assert data["handler"]["path"] == "/api/v1/"
    assert data["handler"]["location"] == "cmd/api/main.go:36:2"


def test_traefik_answers_404_itself(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = route_json(capsys, BROKEN, "GET", "http://nothing.example.com/")
    assert code == 1
    assert data["router"] is None
    assert data["status"] == 404
    assert data["upstream"] is None and data["handler"] is None
    code, text = route_text(capsys, BROKEN, "GET", "http://nothing.example.com/")
    assert code == 1
    assert "Traefik itself answers `404 page not found`" in text
    assert "nearest misses" in text


def test_failing_matcher_is_shown_under_the_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = route_text(capsys, BROKEN, "GET", "http://www.example.com/")
    assert code == 1  # routed, but the Go server registers nothing for `/`
    assert "✓ www@file" in text
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if "✗ user-lookup@file" in line)
    assert "Host(`users.example.com`) does not match host `www.example.com`" in lines[index]
    rule_line, carets = lines[index + 1], lines[index + 2]
    start = rule_line.index("Host(`users")
    assert carets.index("^") == start
    assert carets.count("^") == len("Host(`users.example.com`)")
    assert "never runs" in text  # disabled routers are listed, never win


def test_clean_app_reaches_its_handler(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = route_json(capsys, CLEAN, "GET", "http://api.example.com/v1/users")
    assert code == 0
    assert data["router"] == "api@file"
    assert data["upstream"] == {"host": "api.example.com", "path": "/v1/users"}
    assert data["handler"]["path"] == "/v1/"
    assert data["middlewares"][0]["type"] == "headers"


def test_project_option_and_no_go(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = route_json(
        capsys, "--project", BROKEN, "--no-go", "GET", "http://api.example.com/api/v1/users"
    )
    assert code == 0  # without the Go code nothing says the backend 404s
    assert data["handler"] is None and data["router"] == "v1@file"


def test_snapshots(capsys: pytest.CaptureFixture[str]) -> None:
    args = (BROKEN, "GET", "http://api.example.com/api/v1/users")
    _, text = route_text(capsys, *args)
    _, data = route_json(capsys, *args)
    outputs = {"route_v1.txt": text, "route_v1.json": json.dumps(data, indent=2) + "\n"}
    for name, output in outputs.items():
        path = SNAPSHOTS / name
        if os.environ.get("UPDATE_SNAPSHOTS") == "1":
            path.parent.mkdir(exist_ok=True)
            path.write_text(output, encoding="utf-8")
        assert path.exists(), f"no snapshot {name}: run with UPDATE_SNAPSHOTS=1 and review it"
        assert output == path.read_text(encoding="utf-8")


# --- small projects --------------------------------------------------------------------

TIE = """http:
  routers:
    alpha: {entryPoints: [web], rule: "PathPrefix(`/same`)", service: s}
    zeta:  {entryPoints: [web], rule: "PathPrefix(`/same`)", service: s}
    long:  {entryPoints: [web], rule: "PathPrefix(`/longer-path`)", service: s}
  services:
    s: {loadBalancer: {servers: [{url: "http://127.0.0.1:9001"}]}}
"""


def test_equal_priority_is_ambiguous(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(project(tmp_path, TIE))
    code, data = route_json(capsys, root, "GET", "http://x.test:8000/same/1")
    assert code == 0
    assert {data["router"], *data["ambiguous"]} == {"alpha@file", "zeta@file"}
    assert len(data["ambiguous"]) == 1
    code, text = route_text(capsys, root, "GET", "http://x.test:8000/same/1")
    assert "AMBIGUOUS" in text and "at random" in text


MIDDLEWARES = """http:
  routers:
    auth: {entryPoints: [web], rule: "Host(`auth.test`)", service: s, middlewares: [login]}
    redir: {entryPoints: [web], rule: "Host(`redir.test`)", service: s, middlewares: [https]}
    host: {entryPoints: [web], rule: "Host(`host.test`)", service: s, middlewares: [tpl]}
    setter: {entryPoints: [web], rule: "Host(`set.test`)", service: s, middlewares: [set]}
    office: {entryPoints: [web], rule: "Host(`office.test`)", service: s, middlewares: [lan]}
    split: {entryPoints: [web], rule: "Host(`split.test`)", service: both}
    rw: {entryPoints: [web], rule: "Host(`rw.test`)", service: s, middlewares: [chain]}
  middlewares:
    login: {basicAuth: {users: ["admin:$apr1$x$y"]}}
    https: {redirectScheme: {scheme: https, permanent: true}}
    tpl: {headers: {customRequestHeaders: {Host: "{Host}", X-Copied: "{Host}"}}}
    set: {headers: {customRequestHeaders: {Host: "backend.internal"}}}
    lan: {ipAllowList: {sourceRange: ["10.0.0.0/8"]}}
    chain: {chain: {middlewares: [strip, add]}}
    strip: {stripPrefix: {prefixes: ["/old"]}}
    add: {addPrefix: {prefix: "/new"}}
  services:
    s: {loadBalancer: {servers: [{url: "http://127.0.0.1:9001"}]}}
    t: {loadBalancer: {passHostHeader: false, servers: [{url: "http://127.0.0.1:9002"}]}}
    both:
      weighted:
        services: [{name: s, weight: 3}, {name: t, weight: 1}]
"""


@pytest.fixture
def mw_project(tmp_path: Path) -> str:
    return str(project(tmp_path, MIDDLEWARES))


def test_basic_auth_challenge(mw_project: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = route_json(capsys, mw_project, "GET", "http://auth.test:8000/")
    assert code == 0
    assert data["status"] == 401
    assert data["middlewares"][0]["stops"] == 401
    assert "WWW-Authenticate: Basic" in data["middlewares"][0]["effect"]
    code, data = route_json(
        capsys,
        mw_project,
        "-H",
        "Authorization: Basic YWRtaW46eA==",
        "GET",
        "http://auth.test:8000/",
    )
    assert data["middlewares"][0]["stops"] is None
    assert data["upstream"] == {"host": "auth.test:8000", "path": "/"}


def test_redirect_scheme(mw_project: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = route_json(capsys, mw_project, "GET", "http://redir.test:8000/a?b=1")
    assert code == 0
    assert data["status"] == 301
    assert "https://redir.test/a?b=1" in data["middlewares"][0]["effect"]
    assert data["upstream"] is None


def test_host_template_is_sent_empty(mw_project: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, data = route_json(capsys, mw_project, "GET", "http://host.test:8000/")
    assert data["upstream"]["host"] == ""
    effect = data["middlewares"][0]["effect"]
    assert "empty `Host:`" in effect and "X-Copied: `{Host}` literally" in effect
    _, data = route_json(capsys, mw_project, "GET", "http://set.test:8000/")
    assert data["upstream"]["host"] == "backend.internal"


def test_ip_allow_list(mw_project: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, data = route_json(capsys, mw_project, "GET", "http://office.test:8000/")
    assert data["status"] == 403
    _, data = route_json(
        capsys, mw_project, "--client-ip", "10.1.2.3", "GET", "http://office.test:8000/"
    )
    assert data["status"] is None and data["upstream"]["path"] == "/"


def test_weighted_service(mw_project: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, data = route_json(capsys, mw_project, "GET", "http://split.test:8000/x")
    servers = [(s["url"], s["weight"], s["upstream_host"]) for s in data["servers"]]
    assert servers == [
        ("http://127.0.0.1:9001", 3, "split.test:8000"),
        ("http://127.0.0.1:9002", 1, "127.0.0.1:9002"),
    ]
    assert data["upstream_notes"]  # the two servers receive different Hosts


def test_chain_rewrites_in_order(mw_project: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, data = route_json(capsys, mw_project, "GET", "http://rw.test:8000/old/x")
    assert [m["name"] for m in data["middlewares"]] == ["strip@file", "add@file"]
    assert data["upstream"]["path"] == "/new/x"


def test_no_entry_point_on_that_port(mw_project: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = route_json(capsys, mw_project, "GET", "http://auth.test:9999/")
    assert code == 1
    assert data["entrypoint"] is None


def test_explicit_entry_point(mw_project: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = route_json(
        capsys, mw_project, "--entrypoint", "websecure", "GET", "http://auth.test:8000/"
    )
    assert code == 1 and data["entrypoint"] == "websecure" and data["router"] is None


@pytest.mark.parametrize(
    "args",
    [
        ["GET"],
        ["a", "b", "c", "d"],
        ["/no/such/dir", "GET", "http://x/"],
        ["GE T", "http://x/"],
        ["GET", "api.example.com/x"],
        ["GET", "http://x:99999/"],
        ["-H", "no colon", "GET", "http://x/"],
        ["--client-ip", "nope", "GET", "http://x/"],
    ],
)
def test_usage_errors(mw_project: str, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("traefik-doctor: error:") and err.count("\n") == 1


def test_unknown_entry_point_is_a_usage_error(
    mw_project: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["route", mw_project, "--entrypoint", "nope", "GET", "http://x/"]) == 2
    assert "no entry point `nope`" in capsys.readouterr().err


# --- proven against the real Traefik ---------------------------------------------------

LAB_DYNAMIC = """http:
  routers:
    strip: {{entryPoints: [web], rule: "Host(`a.test`) && PathPrefix(`/api`)", service: echo,
             middlewares: [strip-api]}}
    catch: {{entryPoints: [web], rule: "Host(`a.test`)", service: nohost}}
    prio: {{entryPoints: [web], rule: "PathPrefix(`/p`)", priority: 100, service: echo,
            middlewares: [add-x]}}
    sethost: {{entryPoints: [web], rule: "Host(`b.test`)", service: echo, middlewares: [set]}}
    tpl: {{entryPoints: [web], rule: "Host(`c.test`)", service: echo, middlewares: [tpl]}}
    secure: {{entryPoints: [websecure], rule: "Host(`d.test`)", service: echo}}
  middlewares:
    strip-api: {{stripPrefix: {{prefixes: ["/api"]}}}}
    add-x: {{addPrefix: {{prefix: "/x"}}}}
    set: {{headers: {{customRequestHeaders: {{Host: "backend.internal"}}}}}}
    tpl: {{headers: {{customRequestHeaders: {{Host: "{{Host}}"}}}}}}
  services:
    echo: {{loadBalancer: {{servers: [{{url: "http://127.0.0.1:{port}/dropped"}}]}}}}
    nohost: {{loadBalancer: {{passHostHeader: false, servers: [{{url: "http://127.0.0.1:{port}"}}]}}}}
"""

LAB_REQUESTS = [
    ("a.test", "/api/users"),
    ("a.test", "/apix"),
    ("a.test", "/other"),
    ("a.test", "/p/q"),
    ("b.test", "/x"),
    ("c.test", "/y"),
    ("d.test", "/"),
    ("nothing.test", "/api/users"),
]


@pytest.mark.traefik
def test_route_agrees_with_real_traefik(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import http.client
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import yaml

    from traefik_lab import free_port, run_traefik, wait_for_api

    seen: dict[str, tuple[str, str | None]] = {}

    class Echo(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen[self.headers.get("X-Case", "?")] = (self.path, self.headers.get("Host"))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        echo = int(server.server_address[1])
        # The project as a user writes it: entry points on :80 and :443.
        root = project(
            tmp_path / "project",
            LAB_DYNAMIC.format(port=echo),
            'entryPoints:\n  web: {address: ":80"}\n  websecure: {address: ":443"}\n'
            "providers:\n  file:\n    directory: dynamic\n",
        )
        # The lab copy: the same files, entry points moved to free loopback ports.
        web, websecure, api = free_port(), free_port(), free_port()
        access = tmp_path / "access.json"
        static = {
            "global": {"checkNewVersion": False, "sendAnonymousUsage": False},
            "entryPoints": {
                "web": {"address": f"127.0.0.1:{web}"},
                "websecure": {"address": f"127.0.0.1:{websecure}"},
                "traefik": {"address": f"127.0.0.1:{api}"},
            },
            "api": {"insecure": True},
            "log": {"level": "DEBUG", "filePath": str(tmp_path / "traefik.log")},
            "accessLog": {
                "filePath": str(access),
                "format": "json",
                "fields": {"headers": {"names": {"X-Case": "keep"}}},
            },
            "providers": {"file": {"directory": str(root / "dynamic"), "watch": False}},
        }
        lab = tmp_path / "lab-traefik.yml"
        lab.write_text(yaml.safe_dump(static), encoding="utf-8")
        with run_traefik(lab, tmp_path, api) as running:
            assert wait_for_api(running), running.log()
            for _ in range(200):
                if len([r for r in running.routers() if r.get("provider") == "file"]) == 6:
                    break
                time.sleep(0.05)
            for index, (host, path) in enumerate(LAB_REQUESTS):
                connection = http.client.HTTPConnection("127.0.0.1", web, timeout=5)
                try:
                    connection.request("GET", path, headers={"Host": host, "X-Case": str(index)})
                    connection.getresponse().read()
                finally:
                    connection.close()
            records: dict[str, dict[str, Any]] = {}
            for _ in range(100):
                if access.exists():
                    for raw in access.read_text(encoding="utf-8").splitlines():
                        record = json.loads(raw)
                        records[record.get("request_X-Case", "?")] = record
                if len(records) >= len(LAB_REQUESTS):
                    break
                time.sleep(0.05)
        assert len(records) == len(LAB_REQUESTS), running.log()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    winners = 0
    for index, (host, path) in enumerate(LAB_REQUESTS):
        case = str(index)
        _, data = route_json(capsys, str(root), "GET", f"http://{host}{path}")
        traefik_router = records[case].get("RouterName") or None
        assert data["router"] == traefik_router, (host, path, data["router"], records[case])
        if traefik_router is None:
            assert case not in seen and data["status"] == 404
            continue
        winners += 1
        received_path, received_host = seen[case]
        assert data["upstream"]["path"] == received_path, (host, path)
        assert data["upstream"]["host"] == (received_host or ""), (host, path)
    assert winners == 6


def test_bad_escape_is_traefiks_400(mw_project: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = route_json(capsys, mw_project, "GET", "http://auth.test:8000/a%zz")
    assert code == 1
    assert data["router"] is None and data["status"] == 400
