"""The value resolver, through small programs written into a temporary module."""

from __future__ import annotations

from pathlib import Path

import pytest

from traefik_doctor.goscan.extract import scan
from traefik_doctor.goscan.facts import GoProgram, GoValue
from traefik_doctor.goscan.values import parse_go_duration

HEADER = """package main

import (
	"cmp"
	"crypto/tls"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/spf13/pflag"
)

var _ = []any{cmp.Or[string], tls.Listen, flag.Parse, fmt.Sprint, net.Dial, os.Exit, strconv.Itoa,
	time.Now, pflag.Parse}

"""


def program(tmp_path: Path, body: str, extra: dict[str, str] | None = None) -> GoProgram:
    (tmp_path / "go.mod").write_text("module example.com/v\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text(HEADER + body)
    for name, text in (extra or {}).items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    result = scan([tmp_path], tmp_path)
    assert len(result.programs) == 1
    return result.programs[0]


def addr_of(tmp_path: Path, body: str, extra: dict[str, str] | None = None) -> GoValue:
    servers = program(tmp_path, body, extra).servers
    assert len(servers) == 1, servers
    return servers[0].addr


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            'func main() { http.ListenAndServe(":"+os.Getenv("PORT"), nil) }',
            GoValue('":" + ${PORT}', ":", ("PORT",)),
        ),
        (
            'func main() { http.ListenAndServe(cmp.Or(os.Getenv("ADDR"), ":9000"), nil) }',
            GoValue('${ADDR:-":9000"}', ":9000", ("ADDR",)),
        ),
        (
            "func main() {\n"
            '\tport := 8080\n\tif p := os.Getenv("PORT"); p != "" {\n'
            "\t\tport, _ = strconv.Atoi(p)\n\t}\n"
            '\thttp.ListenAndServe(":"+strconv.Itoa(port), nil)\n}',
            GoValue('":" + 8080 (overridden by strconv.Atoi(p))', ":8080"),
        ),
        (
            'func main() { http.ListenAndServe(net.JoinHostPort("0.0.0.0", "80"+"81"), nil) }',
            GoValue('"0.0.0.0" + ":" + "80" + "81"', "0.0.0.0:8081"),
        ),
        (
            'var port = pflag.IntP("port", "p", 7000, "port")\n'
            'func main() { http.ListenAndServe(fmt.Sprintf("%s:%d", "localhost", *port), nil) }',
            GoValue(
                '"localhost" + ":" + flag(-port, default 7000)', "localhost:7000", (), ("port",)
            ),
        ),
        (
            'var addr string\nfunc init() { flag.StringVar(&addr, "listen", ":6000", "") }\n'
            "func main() { http.ListenAndServe(addr, nil) }",
            GoValue('flag(-listen, default ":6000")', ":6000", (), ("listen",)),
        ),
        (
            "func main() {\n"
            '\tfs := flag.NewFlagSet("srv", flag.ExitOnError)\n'
            '\taddr := fs.String("addr", "127.0.0.1:5000", "")\n'
            "\thttp.ListenAndServe(*addr, nil)\n}",
            GoValue('flag(-addr, default "127.0.0.1:5000")', "127.0.0.1:5000", (), ("addr",)),
        ),
        (
            "func env(key, def string) string {\n"
            '\tif v := os.Getenv(key); v != "" {\n\t\treturn v\n\t}\n\treturn def\n}\n'
            'func main() { http.ListenAndServe(env("LISTEN", ":4000"), nil) }',
            GoValue('${LISTEN:-":4000"}', ":4000", ("LISTEN",)),
        ),
        (
            'const (\n\thost = ""\n\tport = 3000\n)\n'
            'func main() { http.ListenAndServe(fmt.Sprintf("%s:%d", host, port), nil) }',
            GoValue('":" + 3000', ":3000"),
        ),
        (
            "func main() { http.ListenAndServe(listenAddr(), nil) }\n"
            'func listenAddr() string { return ":" + "2000" }',
            GoValue('":" + "2000"', ":2000"),
        ),
        (
            "func main() { http.ListenAndServe(someConfig.Addr, nil) }",
            GoValue("someConfig.Addr", None),
        ),
    ],
    ids=[
        "getenv-no-fallback",
        "cmp-or",
        "conditional-override",
        "join-host-port",
        "pflag-sprintf",
        "stringvar-in-init",
        "flagset",
        "getenv-helper",
        "const-sprintf",
        "local-func-return",
        "unknown",
    ],
)
def test_address_values(tmp_path: Path, body: str, expected: GoValue) -> None:
    assert addr_of(tmp_path, body) == expected


def test_unresolved_address_is_reported(tmp_path: Path) -> None:
    program(tmp_path, "func main() { http.ListenAndServe(someConfig.Addr, nil) }")
    result = scan([tmp_path], tmp_path)
    assert [(str(i.location), i.message) for i in result.unresolved] == [
        (
            "main.go:20:15",
            "listen address of http.ListenAndServe could not be resolved: someConfig.Addr",
        )
    ]


def test_durations_and_methods(tmp_path: Path) -> None:
    body = (
        "const base = 3 * time.Second\n"
        "func main() {\n"
        '\twt := flag.Duration("write-timeout", 90*time.Second, "")\n'
        '\td, _ := time.ParseDuration("1m30s")\n'
        "\tsrv := &http.Server{\n"
        '\t\tAddr: ":80",\n'
        "\t\tReadHeaderTimeout: base / 2,\n"
        "\t\tReadTimeout: time.Duration(5) * time.Minute,\n"
        "\t\tWriteTimeout: *wt,\n"
        "\t\tIdleTimeout: d,\n"
        "\t}\n"
        "\tmux := http.NewServeMux()\n"
        '\tmux.HandleFunc(http.MethodPost+" /items", nil)\n'
        "\tsrv.Handler = mux\n"
        "\tsrv.ListenAndServe()\n"
        "}\n"
    )
    prog = program(tmp_path, body)
    (server,) = prog.servers
    assert {k: (v.text, v.seconds) for k, v in server.timeouts.items()} == {
        "ReadHeaderTimeout": ("3 * time.Second / 2", 1.5),
        "ReadTimeout": ("5 * time.Minute", 300.0),
        "WriteTimeout": ("flag(-write-timeout, default 90 * time.Second)", 90.0),
        "IdleTimeout": ('"1m30s"', 90.0),
    }
    assert server.addr.default == ":80"
    assert [(r.method, r.path, r.go122) for r in prog.routes_of(server)] == [
        ("POST", "/items", True)
    ]


def test_server_passed_elsewhere_has_unknown_timeouts(tmp_path: Path) -> None:
    body = (
        "func configure(s *http.Server) { s.ReadHeaderTimeout = time.Second }\n"
        "func main() {\n"
        '\tsrv := &http.Server{Addr: ":80"}\n'
        "\tconfigure(srv)\n"
        "\tsrv.ListenAndServe()\n"
        "}\n"
    )
    (server,) = program(tmp_path, body).servers
    assert (server.timeouts, server.timeouts_known) == ({}, False)


def test_server_built_by_a_constructor_and_started_elsewhere(tmp_path: Path) -> None:
    body = (
        "type app struct{ srv *http.Server }\n"
        "func newServer(addr string) *http.Server {\n"
        "\treturn &http.Server{Addr: addr, ReadHeaderTimeout: 2 * time.Second}\n"
        "}\n"
        "func main() {\n"
        '\ta := &app{srv: &http.Server{Addr: ":9443"}}\n'
        '\ta.srv.ListenAndServeTLS("c", "k")\n'
        "}\n"
    )
    prog = program(tmp_path, body)
    assert [(s.addr.default, s.tls, sorted(s.timeouts)) for s in prog.servers] == [
        (None, False, ["ReadHeaderTimeout"]),
        (":9443", True, []),
    ]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1m30s", 90.0), ("250ms", 0.25), ("1h", 3600.0), ("0", 0.0), ("1.5s", 1.5), ("x", None)],
)
def test_parse_go_duration(text: str, seconds: float | None) -> None:
    assert parse_go_duration(text) == seconds


def test_router_through_struct_field_wrapper_and_constructor(tmp_path: Path) -> None:
    body = (
        "type app struct{ mux *http.ServeMux }\n"
        "func logged(next http.Handler) http.Handler { return next }\n"
        "func routes() http.Handler {\n"
        "\tr := http.NewServeMux()\n"
        '\tr.HandleFunc("/a", nil)\n'
        "\treturn logged(r)\n"
        "}\n"
        "func main() {\n"
        "\ta := &app{mux: http.NewServeMux()}\n"
        '\ta.mux.HandleFunc("/b/", nil)\n'
        '\tgo http.ListenAndServe(":1", logged(a.mux))\n'
        '\tsrv := &http.Server{Addr: ":2", Handler: routes()}\n'
        "\tsrv.ListenAndServe()\n"
        "}\n"
    )
    prog = program(tmp_path, body)
    by_addr = {s.addr.default: s for s in prog.servers}
    assert [(r.path, r.prefix) for r in prog.routes_of(by_addr[":1"])] == [("/b/", True)]
    assert [(r.path, r.prefix) for r in prog.routes_of(by_addr[":2"])] == [("/a", False)]
    assert by_addr[":1"].router == "servemux@main.go:28"
    assert by_addr[":2"].router == "servemux@main.go:23"


def test_parallel_and_sequential_scans_agree() -> None:
    samples = Path(__file__).parent / "samples"
    roots = sorted(p for p in samples.iterdir() if p.is_dir())
    assert scan(roots, samples, jobs=2) == scan(roots, samples, jobs=1)


def test_http_serve_through_tls_listener_and_unlinked_handler(tmp_path: Path) -> None:
    body = (
        "func main() {\n"
        '\tln, _ := tls.Listen("tcp", ":8443", nil)\n'
        "\thttp.Serve(ln, nil)\n"
        '\tplain, _ := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(9000))\n'
        "\thttp.Serve(plain, makeHandler())\n"
        "}\n"
    )
    prog = program(tmp_path, body)
    assert [(s.kind, s.addr.default, s.tls, s.router) for s in prog.servers] == [
        ("http.Serve", ":8443", True, "DefaultServeMux"),
        ("http.Serve", "127.0.0.1:9000", False, None),
    ]
    result = scan([tmp_path], tmp_path)
    assert [i.message for i in result.unresolved] == [
        "handler `makeHandler()` could not be linked to a router"
    ]


def test_more_route_forms_and_host_reads(tmp_path: Path) -> None:
    extra = {
        "routes.go": (
            "package main\n\n"
            'import (\n\t"net/http"\n\n\t"github.com/gin-gonic/gin"\n'
            '\t"github.com/go-chi/chi/v5"\n)\n\n'
            "func chiRoutes() http.Handler {\n"
            "\tr := chi.NewRouter()\n"
            '\tr.Method(http.MethodPatch, "/items/{id}", nil)\n'
            '\tr.MethodFunc("get", "/items", nil)\n'
            '\tr.HandleFunc("/any", func(w http.ResponseWriter, req *http.Request) {\n'
            "\t\t_ = req.URL.Host\n"
            "\t})\n"
            "\treturn r\n"
            "}\n\n"
            "func ginRoutes() *gin.Engine {\n"
            "\te := gin.New()\n"
            '\te.Handle("DELETE", "/things/:id", nil)\n'
            '\te.Match([]string{"PUT", http.MethodPost}, "/m", nil)\n'
            "\treturn e\n"
            "}\n"
        )
    }
    body = (
        'func main() {\n\tgo http.ListenAndServe(":1", chiRoutes())\n\tginRoutes().Run(":2")\n}\n'
    )
    prog = program(tmp_path, body, extra)
    by_addr = {s.addr.default: s for s in prog.servers}
    assert [(s.kind, s.router) for s in prog.servers] == [
        ("http.ListenAndServe", "chi@routes.go:11"),
        ("gin.Run", "gin@routes.go:21"),
    ]
    assert [(r.method, r.path) for r in prog.routes_of(by_addr[":1"])] == [
        ("PATCH", "/items/{id}"),
        ("GET", "/items"),
        (None, "/any"),
    ]
    assert [(r.method, r.path) for r in prog.routes_of(by_addr[":2"])] == [
        ("DELETE", "/things/:id"),
        ("POST", "/m"),
        ("PUT", "/m"),
    ]
    assert [(str(h.location), h.expression) for h in prog.host_reads] == [
        ("routes.go:15:7", "req.URL.Host")
    ]
