"""The compose loader: flags, variables, precedence, volume mapping, labels, suppression."""

from __future__ import annotations

from pathlib import Path

from traefik_doctor.engine import run_check
from traefik_doctor.loaders.project import load_project
from traefik_doctor.model.project import IssueKind, Role
from traefik_doctor.settings import Settings


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def where(origin: object) -> tuple[int | None, int | None]:
    location = origin.location()  # type: ignore[attr-defined]
    return location.line, location.column


def test_flags_list_form_become_static(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n"
                "  traefik:\n"
                "    image: traefik:v3.7\n"
                "    command:\n"
                "      - --entrypoints.web.address=:8000\n"
                "      - --api.insecure\n"
                "      - --log.level\n"
                "      - DEBUG\n"
            )
        },
    )
    project = load_project(tmp_path)
    assert project.static.kind == "flags"
    assert project.in_container
    address = project.static.entry_points["web"].address
    assert address is not None and address.text == ":8000"
    assert where(address.origin) == (5, 35)
    insecure = project.static.get("api", "insecure")
    assert insecure is not None and insecure.text == "true"
    level = project.static.get("log", "level")
    assert level is not None and level.text == "DEBUG"
    assert where(level.origin) == (8, 9)


def test_flags_string_form_shifted_columns(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n"
                "  proxy:\n"
                "    image: traefik:v3.7\n"
                "    command: --entrypoints.web.address=:8000 --log.level=INFO\n"
            )
        },
    )
    project = load_project(tmp_path)
    level = project.static.get("log", "level")
    assert level is not None and level.text == "INFO"
    assert where(level.origin) == (4, 58)


def test_env_is_used_without_flags_and_validated(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n"
                "  traefik:\n"
                "    image: traefik:v3.7\n"
                "    environment:\n"
                "      TRAEFIK_ENTRYPOINTS_WEB_ADDRESS: ':8000'\n"
                "      TRAEFIK_ENTRYPOINTS_WEB_ADRESS: ':8001'\n"
            )
        },
    )
    project = load_project(tmp_path)
    assert project.static.kind == "env"
    assert project.static.entry_points["web"].address is not None
    static_docs = [d for d in project.documents if d.role is Role.STATIC]
    assert [i.path[-1] for d in static_docs for i in d.schema_issues] == ["adress"]


def test_precedence_file_then_flags_then_env(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n"
                "  traefik:\n"
                "    image: traefik:v3.7\n"
                "    command: [--log.level=DEBUG]\n"
                "    environment: [TRAEFIK_LOG_LEVEL=INFO]\n"
                "    volumes: [./conf/traefik.yml:/etc/traefik/traefik.yml:ro]\n"
            ),
            "conf/traefik.yml": "log: {level: ERROR}\n",
        },
    )
    project = load_project(tmp_path)
    assert project.static.kind == "file"
    level = project.static.get("log", "level")
    assert level is not None and level.text == "ERROR"
    ignored = [i for i in project.issues if i.kind is IssueKind.IGNORED_STATIC_SOURCE]
    assert len(ignored) == 2


def test_missing_config_file_is_silently_ignored(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n"
                "  traefik:\n"
                "    image: traefik:v3.7\n"
                "    command: [--configFile=/conf/traefik.yml, --log.level=DEBUG]\n"
                "    volumes: [./conf:/conf]\n"
            ),
        },
    )
    project = load_project(tmp_path)
    assert project.static.kind == "flags"
    assert [i.kind for i in project.issues] == [IssueKind.MISSING_PATH]


def test_volume_mapping_and_unmappable_directory(tmp_path: Path) -> None:
    compose = (
        "services:\n"
        "  traefik:\n"
        "    image: traefik:v3.7\n"
        "    volumes:\n"
        "      - ./traefik.yml:/etc/traefik/traefik.yml:ro\n"
        "      - {type: bind, source: ./dyn, target: /etc/traefik/dynamic}\n"
        "      - certs:/certs\n"
    )
    write(
        tmp_path,
        {
            "compose.yaml": compose,
            "traefik.yml": "providers:\n  file: {directory: /etc/traefik/dynamic}\n",
            "dyn/app.yml": "http:\n  routers:\n    app: {rule: 'Host(`a`)', service: x}\n",
        },
    )
    project = load_project(tmp_path)
    assert project.file_provider is not None
    assert project.file_provider.path == (tmp_path / "dyn").resolve()
    assert "app@file" in {r.qualified for r in project.dynamic.routers.values()}
    traefik = project.traefik_container
    assert traefik is not None and traefik.host_path("/certs/a.pem") is None
    write(tmp_path, {"traefik.yml": "providers:\n  file: {directory: /data/dynamic}\n"})
    project = load_project(tmp_path)
    unmapped = [i for i in project.issues if i.kind is IssueKind.UNMAPPED_PATH]
    assert len(unmapped) == 1 and where(unmapped[0].origin) == (2, 21)


def test_labels_become_docker_routers(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "compose.yaml": (
                "name: demo\n"
                "services:\n"
                "  traefik:\n"
                "    image: traefik:v3.7\n"
                "    command: --providers.docker --entrypoints.web.address=:80\n"
                "  api:\n"
                "    image: example/api\n"
                "    expose: ['8080']\n"
                "    labels:\n"
                '      - "traefik.http.routers.api.rule=Host(`api.test`)"\n'
                "      - traefik.http.routers.api.entrypoints=web\n"
                "  web:\n"
                "    image: example/web\n"
                "    labels:\n"
                "      traefik.http.services.site.loadbalancer.server.port: '3000'\n"
                "      traefik.http.routers.site.rulee: Host(`x`)\n"
            )
        },
    )
    project = load_project(tmp_path)
    router = project.dynamic.routers["http:api@docker"]
    assert router.rule is not None and router.rule.text == "Host(`api.test`)"
    assert where(router.rule.origin) == (10, 40)
    assert router.service is not None and router.service.text == "api-demo"
    service = project.dynamic.services["http:api-demo@docker"]
    assert service.servers[0].url is not None
    assert service.servers[0].url.text == "http://api:8080"
    site = project.dynamic.services["http:site@docker"]
    assert site.servers[0].url is not None and site.servers[0].url.text == "http://web:3000"
    label_issues = [i for d in project.documents if d.provider == "docker" for i in d.schema_issues]
    assert [i.path[-1] for i in label_issues] == ["rulee"]
    assert where(label_issues[0].origin) == (16, 7)  # the label key


def test_broken_compose_is_a_syntax_error(tmp_path: Path) -> None:
    write(tmp_path, {"docker-compose.yml": "services:\n  a: [\n"})
    result = run_check(tmp_path, Settings(select=["CFG001"]))
    assert [f.location.path for f in result.findings] == ["docker-compose.yml"]


def test_ignore_label_suppresses_findings_in_its_service(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n"
                "  traefik:\n"
                "    image: traefik:v3.7\n"
                "    command: --providers.docker --entrypoints.web.address=:80\n"
                "  a:\n"
                "    image: x\n"
                "    expose: ['1', '2']\n"
                "    labels: [traefik-doctor.ignore=SVC008]\n"
                "  b:\n"
                "    image: x\n"
                "    expose: ['1', '2']\n"
            )
        },
    )
    result = run_check(tmp_path, Settings(select=["SVC008"]))
    assert [f.location.line for f in result.findings] == [11]
    assert result.suppressed == 1
