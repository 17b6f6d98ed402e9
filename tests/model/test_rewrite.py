"""model.rewrite: the path Traefik sends to the backend, and a rule's sample paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from rewrite_cases import CASES, RewriteCase

from traefik_doctor.loaders.project import load_project
from traefik_doctor.model.project import Project
from traefik_doctor.model.rewrite import (
    go_path_clean,
    join_path_clean,
    path_middlewares,
    rewrite,
    sample_paths,
    samples,
)
from traefik_doctor.model.routing import parsed_rule


def project_for(tmp_path: Path, case: RewriteCase, rule: str = "PathPrefix(`/`)") -> Project:
    lines = ["http:", "  routers:", "    r:", f'      rule: "{rule}"', "      service: s"]
    lines.append(f"      middlewares: [{', '.join(case.names)}]")
    lines.append("  middlewares:")
    lines += [f"    {name}: {body}" for name, body in case.middlewares.items()]
    lines += ["  services:", "    s: {loadBalancer: {servers: [{url: 'http://127.0.0.1:1'}]}}"]
    (tmp_path / "dynamic.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_project(tmp_path / "dynamic.yml", go=False)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rewrite(case: RewriteCase, tmp_path: Path) -> None:
    project = project_for(tmp_path, case)
    router = project.dynamic.routers["http:r@file"]
    result = rewrite(project, router, case.request)
    assert result.unknown is None
    if case.expected is None:
        assert result.ends is not None
        if 300 <= case.status < 400:
            assert result.ends.note == "redirect"
        else:
            assert result.ends.note.startswith(str(case.status))
    else:
        assert result.ends is None
        assert result.path == case.expected


def test_steps_describe_the_rewrite(tmp_path: Path) -> None:
    case = CASES[0]
    project = project_for(tmp_path, case)
    router = project.dynamic.routers["http:r@file"]
    result = rewrite(project, router, "/api/users")
    assert result.describe() == "`/api/users` → `/users` by `m@file`"
    assert [m.qualified for m, _ in path_middlewares(project, router)] == ["m@file"]


def test_undefined_middleware_is_unknown(tmp_path: Path) -> None:
    case = RewriteCase("x", {"m": "{addPrefix: {prefix: /v1}}"}, "/", "/", order=("nope",))
    project = project_for(tmp_path, case)
    result = rewrite(project, project.dynamic.routers["http:r@file"], "/x")
    assert result.unknown is not None
    assert not result.reaches_backend


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("/a//b", "/a/b"),
        ("/a/./b/", "/a/b/"),
        ("/a/../b", "/b"),
        ("/../x", "/x"),
        ("/", "/"),
        ("/users", "/users"),
    ],
)
def test_join_path_clean(text: str, cleaned: str) -> None:
    assert join_path_clean(text) == cleaned


def test_go_path_clean_relative() -> None:
    assert go_path_clean("a/../../b") == "../b"
    assert go_path_clean("") == "."


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("Path(`/a`)", [("/a", False)]),
        ("PathPrefix(`/api`)", [("/api", True)]),
        ("Host(`x.test`)", [("/", True)]),
        ("Host(`x.test`) && (Path(`/a`) || PathPrefix(`/b/`))", [("/a", False), ("/b/", True)]),
        ("Path(`/a`) || Host(`y.test`)", [("/a", False), ("/", True)]),
        ("PathPrefix(`/a`) && !PathPrefix(`/a/admin`)", [("/a", True)]),
        ("PathPrefix(`/a`) && Path(`/a/b`)", [("/a/b", False)]),
        ("PathRegexp(`^/x`)", None),
        ("Host(`a.test`) || PathRegexp(`^/x`)", None),
    ],
)
def test_samples(rule: str, expected: list[tuple[str, bool]] | None, tmp_path: Path) -> None:
    case = RewriteCase("x", {"m": "{addPrefix: {prefix: /v1}}"}, "/", "/")
    project = project_for(tmp_path, case, rule)
    parsed = parsed_rule(project, project.dynamic.routers["http:r@file"])
    assert parsed is not None
    found = samples(parsed)
    if expected is None:
        assert found is None
        return
    assert found is not None
    assert [(s.path, s.prefix) for s in found] == expected


def test_sample_paths_add_a_child_below_a_slash_prefix(tmp_path: Path) -> None:
    case = RewriteCase("x", {"m": "{addPrefix: {prefix: /v1}}"}, "/", "/")
    project = project_for(tmp_path, case, "PathPrefix(`/b/`) || Path(`/a`)")
    parsed = parsed_rule(project, project.dynamic.routers["http:r@file"])
    assert parsed is not None
    paths = [path for path, _ in sample_paths(parsed)]
    assert paths == ["/b/", "/b/doctor-sample", "/a"]
    origin = sample_paths(parsed)[0][1]
    assert origin.location().column is not None


@pytest.mark.parametrize(
    "rule",
    ["Host(`a.test`, `b.test`)", "Path(`/users/{id:[0-9]+}`)", "Path(`/x`) && Nope(`y`)"],
)
def test_no_samples_for_disabled_routers_or_placeholders(rule: str, tmp_path: Path) -> None:
    case = RewriteCase("x", {"m": "{addPrefix: {prefix: /v1}}"}, "/", "/")
    project = project_for(tmp_path, case, rule)
    parsed = parsed_rule(project, project.dynamic.routers["http:r@file"])
    assert parsed is not None
    assert not samples(parsed)
