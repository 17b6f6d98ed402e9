"""``traefik-doctor init``: the files it writes, its overwrite guard and argument checks, and
proof that the result is right: ``check --profile prod`` finds nothing, and the real Traefik
3.7 in front of the built Go service answers through the router and passes ``probe``.

The log-level toggle is measured too: next to ``traefik.yml`` Traefik ignores
``TRAEFIK_LOG_LEVEL`` (so the file says so), and compose.yaml's flags, substituted as compose
would, start the real Traefik and switch it to DEBUG."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from golab import HttpClient, http_get, require_go, run_process, session_build, wait_http
from traefik_doctor.cli import main
from traefik_doctor.engine import run_check
from traefik_doctor.scaffold import command
from traefik_doctor.scaffold.templates import Spec, render
from traefik_doctor.settings import Settings
from traefik_lab import Running, free_port, traefik_binary, wait_for_api

HOST_FILES = {
    "traefik.yml",
    "dynamic/demo.yml",
    "dynamic/traefik-api.yml",
    "main.go",
    "go.mod",
}
COMPOSE_FILES = HOST_FILES | {"compose.yaml", "Dockerfile"}


def init(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["init", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def files_under(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def findings(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]]]:
    code = main([*args, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    return code, list(data["findings"])


def shown(found: list[dict[str, Any]]) -> list[str]:
    return [
        f"{f['location']['path']}:{f['location']['line']} {f['code']} {f['severity']}"
        f" {f['message']}"
        for f in found
    ]


# --- what is written ------------------------------------------------------------------


def test_writes_a_project_into_a_new_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "not" / "there" / "yet"
    code, out, err = init(capsys, str(target), "--name", "demo")
    assert (code, err) == (0, "")
    assert set(files_under(target)) == HOST_FILES  # and no temporary file left behind
    for relative in HOST_FILES:
        assert f"{target}/{relative}" in out
    for step in ("go run .", "traefik --configFile=traefik.yml", "traefik-doctor doctor"):
        assert step in out
    assert "curl -H 'Host: demo.localhost' http://127.0.0.1:8000/" in out

    assert (target / "go.mod").read_text() == "module demo\n\ngo 1.19\n"
    static = yaml.safe_load((target / "traefik.yml").read_text())
    assert static["providers"]["file"] == {"directory": "dynamic", "watch": True}
    assert static["entryPoints"]["web"]["address"] == ":8000"
    assert static["entryPoints"]["traefik"]["address"] == "127.0.0.1:8081"
    assert "insecure" not in static["api"]
    assert static["accessLog"]["format"] == "json"
    prometheus = static["metrics"]["prometheus"]
    assert prometheus["addRoutersLabels"] is True and prometheus["addServicesLabels"] is True
    assert static["log"]["level"] == "INFO"
    dynamic = yaml.safe_load((target / "dynamic" / "demo.yml").read_text())["http"]
    assert dynamic["routers"]["demo"]["rule"] == "Host(`demo.localhost`)"
    balancer = dynamic["services"]["demo"]["loadBalancer"]
    assert balancer["healthCheck"]["path"] == "/healthz"
    assert balancer["servers"] == [{"url": "http://127.0.0.1:8080"}]

    main_go = (target / "main.go").read_text()
    for needle in (
        'getenv("PORT", "8080")',
        "ReadHeaderTimeout: 10 * time.Second",
        "IdleTimeout: 120 * time.Second",
        'getenv("PPROF_ADDR", "127.0.0.1:6060")',
        'mux.HandleFunc("/healthz", healthz)',
    ):
        assert needle in main_go
    assert "DefaultServeMux" not in main_go.replace("http.DefaultServeMux, which", "")


def test_options_reach_every_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = init(
        capsys,
        str(tmp_path),
        "--name=orders",
        "--port=9100",
        "--web-port=9200",
        "--api-port=9300",
        "--host=Orders.Example.COM",
    )
    assert code == 0
    text = "\n".join(data.decode() for data in files_under(tmp_path).values())
    assert "Host(`orders.example.com`)" in text
    assert "http://127.0.0.1:9100" in text and 'getenv("PORT", "9100")' in text
    assert 'address: ":9200"' in text and 'address: "127.0.0.1:9300"' in text
    assert "<<" not in text and ">>" not in text  # every template marker filled
    assert (tmp_path / "dynamic" / "orders.yml").is_file()


def test_default_name_comes_from_the_directory(tmp_path: Path) -> None:
    assert command.default_name(tmp_path / "My_Service.v2") == "my-service-v2"
    assert command.default_name(tmp_path / "2024") == "app"
    assert command.default_name(tmp_path / "traefik") == "app"
    assert command.default_name(tmp_path / "42-shop") == "shop"


def test_compose_variant_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = init(capsys, str(tmp_path), "--name", "demo", "--compose")
    assert code == 0
    assert set(files_under(tmp_path)) == COMPOSE_FILES
    assert "TRAEFIK_LOG_LEVEL=DEBUG docker compose up" in out
    compose = yaml.safe_load((tmp_path / "compose.yaml").read_text())
    traefik, app = compose["services"]["traefik"], compose["services"]["demo"]
    assert "--log.level=${TRAEFIK_LOG_LEVEL:-INFO}" in traefik["command"]
    assert "--providers.docker.exposedByDefault=false" in traefik["command"]
    # traefik.yml is not mounted: a file would make Traefik ignore every flag
    assert traefik["volumes"] == ["/var/run/docker.sock:/var/run/docker.sock:ro"]
    assert traefik["networks"] == app["networks"] == ["web"]
    assert "traefik.http.services.demo.loadBalancer.server.port=8080" in app["labels"]
    assert app["build"] == "."


# --- the result is right: check ---------------------------------------------------------


def test_host_project_passes_prod_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert init(capsys, str(tmp_path), "--name", "demo")[0] == 0
    code, found = findings(capsys, "check", "--profile", "prod", str(tmp_path))
    assert code == 0
    assert not [f for f in found if f["severity"] in ("error", "warning")], shown(found)


def test_the_check_reads_the_generated_go_service(tmp_path: Path) -> None:
    """The clean result is not a blind spot: the Go side is matched and its timeouts read, so
    breaking one number is reported."""
    init_args = ["init", str(tmp_path), "--name", "demo"]
    assert main(init_args) == 0
    main_go = tmp_path / "main.go"
    main_go.write_text(main_go.read_text().replace("120 * time.Second", "30 * time.Second"))
    result = run_check(tmp_path, Settings(select=["TMO001"]))
    assert [f.code for f in result.findings] == ["TMO001"]
    assert "IdleTimeout 30s" in result.findings[0].message


def test_compose_project_passes_prod_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(capsys, str(tmp_path), "--name", "demo", "--compose")[0] == 0
    code, found = findings(capsys, "check", "--profile", "prod", str(tmp_path))
    assert code == 0
    assert not [f for f in found if f["severity"] == "error"], shown(found)
    # The check reads compose.yaml's Traefik (flags) and the app's labels.
    project = run_check(tmp_path, Settings(profile="prod")).project
    assert project.static.kind == "flags"
    routers = {router.qualified for router in project.dynamic.http_routers()}
    assert "demo@docker" in routers
    urls = [
        server.url.text
        for service in project.dynamic.services.values()
        for server in service.servers
        if server.url is not None
    ]
    assert urls == ["http://demo:8080"]
    # The Traefik on this machine (traefik.yml + dynamic/) is checked by naming the file,
    # or with --static: a static file compose does not mount is a Traefik on the host.
    code, found = findings(capsys, "check", "--profile", "prod", str(tmp_path / "traefik.yml"))
    assert code == 0
    assert not [f for f in found if f["severity"] in ("error", "warning")], shown(found)
    static = tmp_path / "traefik.yml"
    on_host = run_check(tmp_path, Settings(profile="prod", static=static)).project
    assert "demo@file" in {router.qualified for router in on_host.dynamic.http_routers()}
    assert not [i for i in on_host.issues if "not mounted" in i.message], on_host.issues


def test_compose_project_has_no_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(capsys, str(tmp_path), "--name", "demo", "--compose")[0] == 0
    _, found = findings(capsys, "check", "--profile", "prod", str(tmp_path))
    assert not [f for f in found if f["severity"] == "warning"], shown(found)


# --- never overwrite without --force -----------------------------------------------------


def test_refuses_to_overwrite_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(capsys, str(tmp_path), "--name", "demo")[0] == 0
    (tmp_path / "main.go").write_text("package main // mine\n")
    (tmp_path / "go.mod").unlink()
    before = files_under(tmp_path)
    code, out, err = init(capsys, str(tmp_path), "--name", "demo")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("traefik-doctor: error: refusing to overwrite")
    assert f"{tmp_path}/main.go" in err and f"{tmp_path}/traefik.yml" in err
    assert "go.mod" not in err
    assert files_under(tmp_path) == before  # go.mod not written either


def test_force_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert init(capsys, str(tmp_path), "--name", "demo")[0] == 0
    fresh = files_under(tmp_path)
    (tmp_path / "main.go").write_text("package main // mine\n")
    (tmp_path / "go.mod").unlink()
    assert init(capsys, str(tmp_path), "--name", "demo", "--force")[0] == 0
    assert files_under(tmp_path) == fresh


def test_idempotent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = (str(tmp_path), "--name", "demo", "--compose", "--force")
    first = init(capsys, *args)
    written = files_under(tmp_path)
    second = init(capsys, *args)
    assert first == second
    assert files_under(tmp_path) == written
    spec = Spec("demo", 8080, 8000, 8081, "demo.localhost", compose=True)
    assert render(spec) == render(spec)


def test_other_files_are_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "README.md").write_text("mine\n")
    (tmp_path / "dynamic").mkdir()
    (tmp_path / "dynamic" / "other.yml").write_text("http: {}\n")
    assert init(capsys, str(tmp_path), "--name", "demo")[0] == 0
    assert (tmp_path / "README.md").read_text() == "mine\n"
    assert (tmp_path / "dynamic" / "other.yml").read_text() == "http: {}\n"


def test_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "traefik.yml"
    target.write_bytes(b"old\n")
    command.write_atomic(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["traefik.yml"]

    def broken(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        command.write_atomic(target, b"half")
    assert target.read_bytes() == b"new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["traefik.yml"]


# --- usage errors: exit 2, one line, nothing written --------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--name", "My App"],
        ["--name", "1app"],
        ["--name", "app-"],
        ["--name", "my_app"],
        ["--name", "traefik"],
        ["--name", "traefik-api"],
        ["--name", "a" * 64],
        ["--name", ""],
        ["--port", "0"],
        ["--port", "65536"],
        ["--port", "http"],
        ["--web-port", "-1"],
        ["--api-port", "8080"],  # the app's default port
        ["--port", "6060"],  # the pprof listener's
        ["--host", "bad host"],
        ["--host", "a..b"],
        ["--host", "x`y"],
    ],
)
def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    target = tmp_path / "project"
    code, out, err = init(capsys, str(target), *args)
    assert code == 2 and out == ""
    assert err.startswith("traefik-doctor: error: ") and err.count("\n") == 1, err
    assert not target.exists()


def test_compose_next_to_another_compose_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docker-compose.yml").write_text("services: {}\n")
    code, _, err = init(capsys, str(tmp_path), "--name", "demo", "--compose", "--force")
    assert code == 2 and "docker-compose.yml exists" in err and err.count("\n") == 1
    assert not (tmp_path / "compose.yaml").exists()


def test_dir_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    code, _, err = init(capsys, str(target))
    assert code == 2 and "not a directory" in err and err.count("\n") == 1


def test_dynamic_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dynamic").write_text("x")
    code, _, err = init(capsys, str(tmp_path), "--name", "demo", "--force")
    assert code == 2 and "dynamic is not a directory" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dynamic"]


def test_target_that_is_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "main.go").mkdir()
    code, _, err = init(capsys, str(tmp_path), "--name", "demo", "--force")
    assert code == 2 and "main.go is a directory" in err
    assert not (tmp_path / "traefik.yml").exists()


# --- the real thing: Traefik 3.7 and the built Go service ---------------------------------


def _traefik(argv: list[str], cwd: Path, output: Path, env: dict[str, str]) -> Any:
    """Traefik as a user starts it (``run_process`` stops it); ``env`` on top of a clean one."""
    return run_process([str(traefik_binary()), *argv], output, env=env, cwd=cwd, stop_grace=0.5)


@pytest.mark.traefik
@pytest.mark.go
def test_real_traefik_and_go_service(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    project, run_dir = tmp_path / "demo", tmp_path / "run"
    run_dir.mkdir()
    port, web, api, pprof = free_port(), free_port(), free_port(), free_port()
    code, _, err = init(
        capsys,
        str(project),
        "--name=demo",
        f"--port={port}",
        f"--web-port={web}",
        f"--api-port={api}",
    )
    assert code == 0, err
    gofmt = Path(require_go()).resolve().with_name("gofmt")
    unformatted = subprocess.run(
        [str(gofmt), "-l", "."], cwd=project, capture_output=True, text=True, check=True
    )
    assert unformatted.stdout == ""
    binary = session_build(project, tmp_path_factory)
    go_env = {"PORT": str(port), "PPROF_ADDR": f"127.0.0.1:{pprof}"}
    # TRAEFIK_LOG_LEVEL=DEBUG is set on purpose: Traefik ignores it next to traefik.yml
    # (one static source), which is what traefik.yml's comment on `log.level` says.
    with (
        run_process([str(binary)], run_dir / "go.out", env=go_env, cwd=project) as go,
        _traefik(
            ["--configFile=traefik.yml"],
            project,
            run_dir / "traefik.out",
            {"TRAEFIK_LOG_LEVEL": "DEBUG"},
        ) as proc,
    ):
        traefik = Running(
            proc.process, f"http://127.0.0.1:{api}", run_dir / "none.log", proc.output_path
        )
        deadline = time.monotonic() + 10
        assert wait_http(f"http://127.0.0.1:{port}/healthz", deadline), go.output()
        assert wait_for_api(traefik), traefik.log()  # /api/version via the traefik-api router
        while time.monotonic() < deadline:
            names = {r.get("name"): r.get("status") for r in traefik.routers()}
            if names.get("demo@file") == names.get("traefik-api@file") == "enabled":
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"routers never enabled: {traefik.routers()}\n{traefik.log()}")

        with HttpClient(web) as client:
            reply = client.get("/", headers={"Host": "demo.localhost"})
            assert (reply.status, reply.text) == (200, "hello from demo\n")
            # pprof is not on the routed listener: Go's own 404 through Traefik...
            assert client.get("/debug/pprof/", headers={"Host": "demo.localhost"}).status == 404
        # ...but on its loopback listener.
        assert http_get(pprof, "/debug/pprof/").status == 200
        assert http_get(api, "/dashboard/").status == 200
        metrics = http_get(api, "/metrics").text
        assert 'router="demo@file"' in metrics and 'service="demo@file"' in metrics

        code, found = findings(capsys, "check", "--profile", "prod", str(project))
        assert code == 0 and not found, shown(found)
        # No --api: probe finds the API behind the router to api@internal.
        code, found = findings(capsys, "probe", str(project))
        live = [
            f
            for f in found
            if f["code"].startswith("LIVE") and (f["severity"] == "error" or f["code"] == "LIVE017")
        ]
        assert code == 0 and not live, shown(found)
        records = [json.loads(line) for line in (project / "access.log").read_text().splitlines()]
        assert any(r.get("RouterName") == "demo@file" for r in records)

        assert " DBG " not in _plain(proc.output()), "TRAEFIK_LOG_LEVEL was honoured after all"
        go.process.terminate()  # graceful shutdown: exits 0 on SIGTERM
        assert go.process.wait(timeout=10) == 0, go.output()


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def _compose_flags(command_list: list[str], env: dict[str, str]) -> list[str]:
    """Compose's substitution of ``${VAR:-default}`` (the only form compose.yaml uses)."""

    def one(match: re.Match[str]) -> str:
        return env.get(match.group(1)) or match.group(2)

    return [re.sub(r"\$\{([A-Z_]+):-([^}]*)\}", one, flag) for flag in command_list]


@pytest.mark.traefik
@pytest.mark.parametrize("level", ["", "DEBUG"])
def test_compose_flags_start_real_traefik(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], level: str
) -> None:
    """compose.yaml's `command:` is a complete static configuration the real Traefik accepts
    (no docker here: the provider fails and retries, the rest runs), and TRAEFIK_LOG_LEVEL
    in the shell running compose switches Traefik to DEBUG."""
    web, api = free_port(), free_port()
    project = tmp_path / "demo"
    args = ("--name=demo", f"--web-port={web}", f"--api-port={api}", "--compose")
    assert init(capsys, str(project), *args)[0] == 0
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    shell = {"TRAEFIK_LOG_LEVEL": level} if level else {}
    flags = _compose_flags(compose["services"]["traefik"]["command"], shell)
    assert f"--log.level={level or 'INFO'}" in flags
    # Working directory without a traefik.yml: Traefik would load one found there and
    # ignore every flag (in the container, / and /etc/traefik hold none).
    with _traefik(flags, tmp_path, tmp_path / "traefik.out", {}) as proc:
        deadline = time.monotonic() + 10
        assert wait_http(f"http://127.0.0.1:{api}/metrics", deadline), proc.output()
        # The entry point answers 404 until the configuration (prometheus@internal) loads.
        while http_get(api, "/metrics").status != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "traefik_config_reloads_total" in http_get(api, "/metrics").text
        assert http_get(web, "/").status == 404  # the web entry point listens
        assert proc.alive(), proc.output()
    output = _plain(proc.output())
    assert "Command error" not in output and "field not found" not in output, output
    assert (" DBG " in output) == (level == "DEBUG"), output
