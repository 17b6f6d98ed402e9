"""The facts extracted from each sample program, asserted exactly."""

from __future__ import annotations

from collections.abc import Callable

from tests_goscan_support import L, route_table, scan_sample

from traefik_doctor.goscan.facts import (
    GoClientTimeout,
    GoDuration,
    GoHostRead,
    GoInsecureTLS,
    GoPprof,
    GoProgram,
    GoServer,
    GoValue,
)

Sample = Callable[[str], GoProgram]


def test_stdlib_server_timeouts_assigned_after_construction_and_env_fallback(
    sample: Sample,
) -> None:
    program = sample("stdlib")
    assert program.package == "example.com/stdlib"
    assert program.module == "example.com/stdlib"
    assert program.go_version == "1.19"
    assert program.go_mod == L("stdlib/go.mod", 3)
    assert program.location == L("stdlib/main.go", 23, 1)
    assert program.servers == (
        GoServer(
            kind="http.Server",
            location=L("stdlib/main.go", 34, 10),
            addr=GoValue('${LISTEN_ADDR:-":8080"}', ":8080", ("LISTEN_ADDR",)),
            timeouts={
                "ReadTimeout": GoDuration("5 * time.Second", 5.0, L("stdlib/main.go", 39, 20)),
                "ReadHeaderTimeout": GoDuration(
                    "2 * time.Second", 2.0, L("stdlib/main.go", 38, 26)
                ),
                "WriteTimeout": GoDuration("10 * time.Second", 10.0, L("stdlib/main.go", 40, 21)),
                "IdleTimeout": GoDuration("time.Minute", 60.0, L("stdlib/main.go", 41, 20)),
            },
            router="servemux@stdlib/main.go:29",
        ),
    )
    assert program.servers[0].port == 8080
    assert program.servers[0].host == ""
    assert route_table(program) == [
        ("servemux@stdlib/main.go:29", None, "/healthz", False, "stdlib/main.go:30:2"),
        ("servemux@stdlib/main.go:29", None, "/whoami", False, "stdlib/main.go:31:2"),
        ("servemux@stdlib/main.go:29", None, "/static/", True, "stdlib/main.go:32:2"),
    ]
    assert program.host_reads == (GoHostRead(L("stdlib/main.go", 20, 30), "r.Host"),)
    assert program.pprof == ()
    assert program.clients == ()
    assert program.insecure_tls == ()


def test_flag_defaults_env_override_and_listener(sample: Sample) -> None:
    program = sample("flags")
    by_kind = {server.kind: server for server in program.servers}
    assert set(by_kind) == {"http.ListenAndServe", "http.ListenAndServeTLS", "http.Server"}

    plain = by_kind["http.ListenAndServe"]
    assert plain.addr == GoValue('":" + (flag(-port, default 8081) + 1)', ":8082", (), ("port",))
    assert plain.location == L("flags/main.go", 27, 13)
    assert plain.router == "DefaultServeMux"
    assert (plain.timeouts, plain.timeouts_known, plain.tls) == ({}, True, False)

    tls = by_kind["http.ListenAndServeTLS"]
    assert tls.tls is True
    assert tls.addr == GoValue(
        'flag(-addr, default ":8443") (overridden by ${TLS_ADDR})',
        ":8443",
        ("TLS_ADDR",),
        ("addr",),
    )
    assert tls.port == 8443

    internal = by_kind["http.Server"]
    assert internal.addr == GoValue(
        'flag(-internal-addr, default "localhost:9000")', "localhost:9000", (), ("internal-addr",)
    )
    assert internal.host == "localhost"
    assert internal.location == L("flags/main.go", 34, 15)
    assert internal.timeouts == {
        "ReadTimeout": GoDuration(
            "flag(-read-timeout, default 7 * time.Second)", 7.0, L("flags/main.go", 34, 76)
        ),
        "ReadHeaderTimeout": GoDuration("3 * time.Second", 3.0, L("flags/main.go", 34, 46)),
    }
    assert internal.router == "DefaultServeMux"


def test_go122_patterns_and_go_mod_version(sample: Sample) -> None:
    for name, version in (("go121", "1.21"), ("go122", "1.22")):
        program = sample(name)
        assert program.go_version == version
        mux = f"servemux@{name}/main.go:12"
        assert [
            (r.router, r.method, r.host, r.path, r.prefix, r.go122, str(r.location))
            for r in program.routes
        ] == [
            (mux, "GET", None, "/api/v1/users/{id}", False, True, f"{name}/main.go:13:2"),
            (
                mux,
                "DELETE",
                "api.example.com",
                "/api/v1/users/{id}",
                False,
                True,
                f"{name}/main.go:14:2",
            ),
            (mux, None, None, "/files/{path...}", True, True, f"{name}/main.go:15:2"),
            (mux, None, None, "/{$}", False, True, f"{name}/main.go:16:2"),
        ]
        assert program.servers[0].router == mux


def test_chi_route_group_mount_and_profiler(sample: Sample) -> None:
    program = sample("chi")
    root = "chi@chi/main.go:19"
    admin = "chi@chi/main.go:13"
    assert [(s.kind, s.addr.default, s.router) for s in program.servers] == [
        ("http.ListenAndServe", ":3333", root)
    ]
    assert route_table(program) == [
        (admin, "GET", "/stats", False, "chi/main.go:14:2"),
        (root, "GET", "/admin/stats", False, "chi/main.go:14:2"),
        (root, "GET", "/healthz", False, "chi/main.go:21:2"),
        (root, "GET", "/api/v2/articles/", False, "chi/main.go:24:4"),
        (root, "POST", "/api/v2/articles/", False, "chi/main.go:25:4"),
        (root, "GET", "/api/v2/articles/{articleID}", False, "chi/main.go:26:4"),
        (root, "DELETE", "/api/v2/cache", False, "chi/main.go:29:4"),
        (root, None, "/debug", True, "chi/main.go:33:2"),
        (root, None, "/assets/*", True, "chi/main.go:34:2"),
    ]
    assert program.pprof == (GoPprof(root, "chi-profiler", L("chi/main.go", 33, 2)),)
    assert {r.framework for r in program.routes} == {"chi"}


def test_gin_group_and_default_run_address(sample: Sample) -> None:
    program = sample("gin")
    engine = "gin@gin/main.go:14"
    assert program.servers == (
        GoServer(
            kind="gin.Run",
            location=L("gin/main.go", 24, 2),
            addr=GoValue('":" + ${PORT:-"8080"}', ":8080", ("PORT",)),
            router=engine,
        ),
    )
    assert route_table(program) == [
        (engine, "GET", "/ping", False, "gin/main.go:15:2"),
        (engine, "POST", "/v1/login", False, "gin/main.go:18:3"),
        (engine, "GET", "/v1/users/:id", False, "gin/main.go:20:3"),
        (engine, None, "/v1/users/any", False, "gin/main.go:21:3"),
        (engine, "GET", "/assets", True, "gin/main.go:23:2"),
    ]
    assert program.host_reads == (GoHostRead(L("gin/main.go", 10, 26), "c.Request.Host"),)


def test_echo_start_with_server_timeouts(sample: Sample) -> None:
    program = sample("echo")
    router = "echo@echo/main.go:15"
    assert program.servers == (
        GoServer(
            kind="echo.Start",
            location=L("echo/main.go", 21, 17),
            addr=GoValue('":1323"', ":1323"),
            timeouts={
                "ReadTimeout": GoDuration("30 * time.Second", 30.0, L("echo/main.go", 16, 25)),
                "IdleTimeout": GoDuration("2 * time.Minute", 120.0, L("echo/main.go", 17, 25)),
            },
            router=router,
        ),
    )
    assert route_table(program) == [
        (router, "GET", "/", False, "echo/main.go:18:2"),
        (router, "PUT", "/admin/users/:id", False, "echo/main.go:20:2"),
    ]
    assert program.host_reads == (GoHostRead(L("echo/main.go", 11, 33), "c.Request().Host"),)


def test_gorilla_subrouter_methods_and_path_prefix(sample: Sample) -> None:
    program = sample("gorilla")
    router = "gorilla@gorilla/main.go:14"
    (server,) = program.servers
    assert (server.kind, server.addr.default, server.host, server.port, server.router) == (
        "http.Server",
        "127.0.0.1:8000",
        "127.0.0.1",
        8000,
        router,
    )
    assert sorted(server.timeouts) == ["ReadTimeout", "WriteTimeout"]
    assert route_table(program) == [
        (router, "GET", "/products/{key}", False, "gorilla/main.go:15:2"),
        (router, "HEAD", "/products/{key}", False, "gorilla/main.go:15:2"),
        (router, "PUT", "/api/users/{id:[0-9]+}", False, "gorilla/main.go:17:2"),
        (router, "DELETE", "/cache", False, "gorilla/main.go:18:2"),
        (router, None, "/static/", True, "gorilla/main.go:19:2"),
    ]


def test_pprof_blank_import_in_other_package_reaches_only_its_binary() -> None:

    result = scan_sample("pprofimport")
    programs = {p.package: p for p in result.programs}
    assert sorted(programs) == [
        "example.com/pprofimport/cmd/api",
        "example.com/pprofimport/cmd/worker",
    ]
    api = programs["example.com/pprofimport/cmd/api"]
    assert api.pprof == (
        GoPprof("DefaultServeMux", "blank-import", L("pprofimport/internal/debug/debug.go", 5, 2)),
    )
    assert api.servers[0].router == "DefaultServeMux"
    assert api.pprof_of(api.servers[0]) == api.pprof
    assert [r.path for r in api.routes_of(api.servers[0])] == ["/healthz"]
    worker = programs["example.com/pprofimport/cmd/worker"]
    assert worker.pprof == ()
    assert worker.servers[0].addr.default == ":9090"
    assert result.files == 3


def test_explicit_pprof_on_loopback_admin_mux_and_cross_package_facts(sample: Sample) -> None:
    program = sample("admin")
    admin_mux = "servemux@admin/main.go:15"
    public_mux = "servemux@admin/main.go:31"
    admin, public = program.servers
    assert admin.addr == GoValue('"127.0.0.1" + ":" + "6060"', "127.0.0.1:6060")
    assert (admin.host, admin.port, admin.router) == ("127.0.0.1", 6060, admin_mux)
    assert admin.timeouts == {
        "ReadHeaderTimeout": GoDuration("time.Second", 1.0, L("admin/main.go", 26, 22)),
        "IdleTimeout": GoDuration("2 * time.Minute", 120.0, L("admin/main.go", 27, 22)),
    }
    # var srv http.Server with every field assigned afterwards; the address comes from a
    # package-level var of another package, built with a getenv(key, fallback) helper
    assert public.location == L("admin/main.go", 33, 6)
    assert public.addr == GoValue('":" + ${PORT:-"8080"}', ":8080", ("PORT",))
    assert public.router == public_mux
    assert public.timeouts == {
        "ReadHeaderTimeout": GoDuration("5 * time.Second", 5.0, L("admin/main.go", 36, 26))
    }
    assert program.pprof_of(admin) == (
        GoPprof(admin_mux, "explicit", L("admin/main.go", 16, 2)),
        GoPprof(admin_mux, "explicit", L("admin/main.go", 17, 2)),
        GoPprof(admin_mux, "explicit", L("admin/main.go", 18, 2)),
    )
    assert program.pprof_of(public) == ()
    # importing net/http/pprof by name also registers on DefaultServeMux (its init runs)
    assert GoPprof("DefaultServeMux", "import", L("admin/main.go", 7, 2)) in program.pprof
    # routes registered in another package on the mux passed to api.Register(public)
    assert route_table(program) == [
        (public_mux, None, "/api/orders", False, "admin/internal/api/api.go:8:2"),
        (public_mux, None, "/api/orders/", True, "admin/internal/api/api.go:9:2"),
        (admin_mux, None, "/debug/pprof/", True, "admin/main.go:16:2"),
        (admin_mux, None, "/debug/pprof/profile", False, "admin/main.go:17:2"),
        (admin_mux, None, "/debug/pprof/heap", False, "admin/main.go:18:2"),
    ]


def test_grpc_server(sample: Sample) -> None:
    program = sample("grpc")
    assert program.servers == (
        GoServer(
            kind="grpc.Serve",
            location=L("grpc/main.go", 21, 12),
            addr=GoValue('":" + ${GRPC_PORT:-"50051"}', ":50051", ("GRPC_PORT",)),
            timeouts_known=False,
            grpc=True,
        ),
    )


def test_h2c_handler(sample: Sample) -> None:
    program = sample("h2c")
    (server,) = program.servers
    assert (server.kind, server.addr.default, server.h2c, server.grpc) == (
        "http.Server",
        ":8082",
        True,
        False,
    )
    assert server.router == "servemux@h2c/main.go:13"
    assert [r.path for r in program.routes_of(server)] == ["/"]


def test_clients_and_insecure_skip_verify() -> None:

    result = scan_sample("client")
    program = result.programs[0]
    assert program.servers == ()  # the vendored ListenAndServe is not ours
    assert result.skipped == ("client/vendor",)
    assert program.clients == (
        GoClientTimeout("http.Client", L("client/main.go", 17, 11), None),
        GoClientTimeout(
            "http.Client",
            L("client/main.go", 18, 12),
            GoDuration("30 * time.Second", 30.0, L("client/main.go", 18, 33)),
        ),
        GoClientTimeout("default-client", L("client/main.go", 24, 15), None),
        GoClientTimeout("default-client", L("client/main.go", 29, 18), None),
    )
    assert program.insecure_tls == (
        GoInsecureTLS(L("client/main.go", 15, 32), certain=True),
        GoInsecureTLS(L("client/main.go", 21, 2), certain=False),
    )


def test_parse_error_is_reported_and_the_rest_still_extracted() -> None:

    result = scan_sample("parseerror")
    assert [(str(i.location), i.message.split(";")[0]) for i in result.parse_errors] == [
        (
            "parseerror/main.go:11:36",
            "tree-sitter could not parse part of this file (Go syntax newer than the grammar?)",
        )
    ]
    assert [s.addr.default for s in result.programs[0].servers] == [":7070"]
    assert result.programs[0].go_version == "1.26"
