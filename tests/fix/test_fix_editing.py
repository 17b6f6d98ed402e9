"""The editing engine on its own: structural edits on YAML (ruamel.yaml) and TOML (tomlkit),
with every untouched line kept byte for byte and every result parsed back and compared."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from traefik_doctor.fix.edits import (
    AddKey,
    DeleteKey,
    Edit,
    Map,
    RenameKey,
    ReplaceText,
    Seq,
    SetValue,
    describe,
)
from traefik_doctor.fix.splice import candidates
from traefik_doctor.fix.text import TextResult, edit_text

FIXTURES = Path(__file__).parent.parent / "fixtures"


def run(text: str, *edits: Edit, path: str = "app.yml") -> TextResult:
    """Each edit as its own group (one finding each), keyed by its position."""
    return edit_text(path, text, [(index, (edit,)) for index, edit in enumerate(edits)])


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new), f"line count changed:\n{after}"
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


ROUTERS = """\
# routers of the shop
http:
  routers:
    legacy:   # moved from v2
      rule: "Host(`a.test`, `b.test`)"  # two hosts
      service: shop
    users:
      rule: 'Path(`/users/{id}`) && Method(`GET`)'
      service: shop
    plain:
      rule: Host(`plain.test`)
      service: shop
  services:
    shop:
      loadBalancer:
        servers: [{url: "http://127.0.0.1:9000"}]   # flow style kept

  # --- middlewares ---
  middlewares:
    fwd:
      headers:
        customRequestHeaders:
          Host: "{Host}"
"""


def test_a_replaced_string_keeps_its_quotes_and_comment_and_nothing_else_moves() -> None:
    rule = ("http", "routers", "legacy", "rule")
    done = run(ROUTERS, ReplaceText("f", rule, 0, 24, "Host(`a.test`, `b.test`)", "X"))
    assert done.failed == [] and done.text is not None
    assert changed_lines(ROUTERS, done.text) == [
        ('      rule: "Host(`a.test`, `b.test`)"  # two hosts', '      rule: "X"  # two hosts')
    ]


@pytest.mark.parametrize(
    ("router", "line"),
    [
        ("users", "      rule: 'new'"),
        ("plain", "      rule: new"),
    ],
)
def test_single_quoted_and_plain_strings_stay_so(router: str, line: str) -> None:
    done = run(ROUTERS, SetValue("f", ("http", "routers", router, "rule"), "new"))
    assert done.text is not None
    assert [new for _, new in changed_lines(ROUTERS, done.text)] == [line]


def test_a_value_that_needs_quotes_gets_them() -> None:
    done = run(ROUTERS, SetValue("f", ("http", "routers", "plain", "rule"), "a: #b"))
    assert done.text is not None
    data = YAML(typ="safe").load(done.text)
    assert data["http"]["routers"]["plain"]["rule"] == "a: #b"


def test_a_new_key_goes_above_the_comment_that_introduces_the_next_section() -> None:
    health = Map((("path", "/healthz"),))
    done = run(
        ROUTERS, AddKey("f", ("http", "services", "shop", "loadBalancer", "healthCheck"), health)
    )
    assert done.text is not None
    lines = done.text.splitlines()
    servers = lines.index('        servers: [{url: "http://127.0.0.1:9000"}]   # flow style kept')
    assert lines[servers + 1 : servers + 5] == [
        "        healthCheck:",
        "          path: /healthz",
        "",
        "  # --- middlewares ---",
    ]
    # The flow sequence ruamel would rewrite as `[url: ...]` is kept as written.
    assert len(lines) == len(ROUTERS.splitlines()) + 2


def test_struct_fields_match_without_case_and_names_exactly() -> None:
    text = "HTTP:\n  Routers:\n    App:\n      Rule: Host(`x`)\n"
    done = run(text, SetValue("f", ("http", "routers", "App", "rule"), "Host(`y`)"))
    assert done.text == "HTTP:\n  Routers:\n    App:\n      Rule: Host(`y`)\n"


def test_two_keys_equal_without_case_are_ambiguous() -> None:
    text = "http:\n  routers:\n    a:\n      rule: x\n      Rule: y\n"
    done = run(text, SetValue("f", ("http", "routers", "a", "RULE"), "z"))
    assert done.text is None
    assert "ambiguous" in done.failed[0][1]


def test_several_replacements_in_one_string_compose_and_overlaps_are_refused() -> None:
    text = "r: A(`1`) && B(`2`)\n"
    first = ReplaceText("f", ("r",), 0, 6, "A(`1`)", "AA(`1`)")
    second = ReplaceText("f", ("r",), 10, 16, "B(`2`)", "BB(`2`)")
    overlapping = ReplaceText("f", ("r",), 2, 8, "`1`) &", "x")
    done = run(text, second, first, overlapping)
    assert done.text == "r: AA(`1`) && BB(`2`)\n"
    assert [key for key, _ in done.failed] == [2]


def test_an_expected_value_that_changed_is_not_overwritten() -> None:
    done = run("log:\n  level: WARN\n", SetValue("f", ("log", "level"), "INFO", expect="DEBUG"))
    assert done.text is None
    assert "no longer `DEBUG`" in done.failed[0][1]


def test_delete_removes_sections_it_empties_but_not_the_one_it_must_keep() -> None:
    text = (
        "http:\n  middlewares:\n    auth:\n      forwardAuth:\n        address: http://a\n"
        "        tls:\n          caOptional: true  # gone\n"
    )
    done = run(
        text,
        DeleteKey("f", ("http", "middlewares", "auth", "forwardAuth", "tls", "caOptional"), keep=4),
    )
    assert (
        done.text
        == "http:\n  middlewares:\n    auth:\n      forwardAuth:\n        address: http://a\n"
    )
    alone = "http:\n  middlewares:\n    strip:\n      stripPrefix:\n        forceSlash: true\n"
    refused = run(
        alone, DeleteKey("f", ("http", "middlewares", "strip", "stripPrefix", "forceSlash"), keep=4)
    )
    assert refused.text is None
    assert "empty section" in refused.failed[0][1]


def test_rename_keeps_value_position_and_comment_and_refuses_a_clash() -> None:
    text = "mw:\n  ipWhiteList:  # old\n    sourceRange: [a]\n  other: 1\n"
    done = run(text, RenameKey("f", ("mw", "ipWhiteList"), "ipAllowList"))
    assert done.text == "mw:\n  ipAllowList:  # old\n    sourceRange: [a]\n  other: 1\n"
    clash = run(text, RenameKey("f", ("mw", "ipWhiteList"), "Other"))
    assert clash.text is None and "already exists" in clash.failed[0][1]


def test_add_into_an_empty_flow_mapping_stays_flow() -> None:
    done = run(
        "providers:\n  docker: {}  # note\n", AddKey("f", ("providers", "docker", "x"), False)
    )
    assert done.text == "providers:\n  docker: {x: false}  # note\n"


def test_add_refuses_an_existing_key_and_a_missing_parent() -> None:
    text = "accessLog: {}\n"
    assert run(text, AddKey("f", ("AccessLog",), Map(()))).failed
    assert "not in the file" in run(text, AddKey("f", ("metrics", "x", "y"), 1)).failed[0][1]


def test_a_replaced_list_keeps_block_style() -> None:
    text = "buckets:  # old\n  - 1\n  - 2\n"
    done = run(text, SetValue("f", ("buckets",), Seq((0.5, 1, 2))))
    assert done.text == "buckets:  # old\n  - 0.5\n  - 1\n  - 2\n"


def test_the_same_edit_from_two_findings_is_applied_once() -> None:
    add = AddKey("f", ("accessLog",), Map((("format", "json"),)))
    done = run("log: {}\n", add, add)
    assert done.applied == [0, 1] and done.failed == []
    assert done.text is not None and done.text.count("accessLog") == 1


def test_a_findings_edits_apply_all_or_nothing() -> None:
    text = "a: 1\nb: 2\n"
    done = edit_text(
        "x.yml",
        text,
        [
            ("both", (SetValue("f", ("a",), 10), SetValue("f", ("missing",), 3))),
            ("one", (SetValue("f", ("b",), 20),)),
        ],
    )
    assert done.text == "a: 1\nb: 20\n"
    assert [key for key, _ in done.failed] == ["both"]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("base: &b {rule: x}\nhttp: {routers: {r: *b}}\n", "anchor"),
        ("base: &b {rule: x}\nhttp: {routers: {r: {<<: *b}}}\n", "merge key"),
    ],
)
def test_values_shared_through_anchors_are_left_alone(text: str, why: str) -> None:
    done = run(text, SetValue("f", ("http", "routers", "r", "rule"), "y"))
    assert done.text is None
    assert why in done.failed[0][1]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("a: [\n", "cannot read"),
        ("a: 1\n---\nb: 2\n", "several YAML documents"),
        ("- a\n", "not a mapping"),
    ],
)
def test_files_that_cannot_be_edited_say_why(text: str, why: str) -> None:
    done = run(text, SetValue("f", ("a",), 2))
    assert done.text is None and done.error is not None and why in done.error


# -- TOML ----------------------------------------------------------------------------------

TOML = """\
# dynamic
[http.routers.r]
  rule = 'Host(`a`, `b`)'   # literal string
  service = "app"

[http.middlewares.office.ipWhiteList]  # header comment
  sourceRange = ["10.0.0.0/8"]

  [http.middlewares.office.ipWhiteList.ipStrategy]
    depth = 1

[http.middlewares.other]
  ipWhiteList = { sourceRange = ["1.2.3.4"] }  # inline

[tls.options.legacy]
  minVersion = "VersionTLS12"
  preferServerCipherSuites = true  # ignored in v3
"""


def test_toml_edits_keep_every_other_line_and_parse_with_tomllib() -> None:
    done = run(
        TOML,
        ReplaceText(
            "f", ("http", "routers", "r", "rule"), 0, 14, "Host(`a`, `b`)", "Host(`a`) || Host(`b`)"
        ),
        RenameKey("f", ("http", "middlewares", "office", "ipWhiteList"), "ipAllowList"),
        RenameKey("f", ("http", "middlewares", "other", "ipWhiteList"), "ipAllowList"),
        DeleteKey("f", ("tls", "options", "legacy", "preferServerCipherSuites"), keep=3),
        AddKey("f", ("http", "routers", "r", "entryPoints"), Seq(("web",))),
        path="app.toml",
    )
    assert done.failed == [] and done.text is not None
    assert done.text == TOML.replace("'Host(`a`, `b`)'", "'Host(`a`) || Host(`b`)'").replace(
        "ipWhiteList", "ipAllowList"
    ).replace('  service = "app"\n', '  service = "app"\n  entryPoints = ["web"]\n').replace(
        "  preferServerCipherSuites = true  # ignored in v3\n", ""
    )
    data = tomllib.loads(done.text)
    assert data["http"]["middlewares"]["office"]["ipAllowList"]["ipStrategy"] == {"depth": 1}


def test_toml_new_tables_and_the_literal_style_that_cannot_hold_a_quote() -> None:
    text = "[log]\n  level = 'DEBUG'\n"
    done = run(
        text,
        SetValue("f", ("log", "level"), "it's"),
        AddKey("f", ("metrics",), Map((("prometheus", Map((("addRoutersLabels", True),))),))),
        path="traefik.toml",
    )
    assert done.text is not None
    assert tomllib.loads(done.text) == {
        "log": {"level": "it's"},
        "metrics": {"prometheus": {"addRoutersLabels": True}},
    }
    assert "[metrics.prometheus]" in done.text


def test_invalid_toml_is_refused() -> None:
    done = run("[a\n", SetValue("f", ("a",), 1), path="x.toml")
    assert done.text is None and done.error is not None


# -- fidelity over the whole fixture corpus ------------------------------------------------


def _first_plain_scalar(node: object, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    if isinstance(node, dict):
        for key, value in node.items():
            found = _first_plain_scalar(value, (*path, str(key)))
            if found is not None:
                return found
    elif isinstance(node, str) and path and node.isidentifier():
        return path
    return None


def _editable(path: Path) -> tuple[str, ...] | None:
    """The key path of the first plain string value of a fixture file both libraries read;
    None for files broken on purpose (CFG001, CFG008...) or without such a value."""
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".toml":
            data: object = tomllib.loads(text)
        else:
            yaml = YAML(typ="safe")
            yaml.allow_duplicate_keys = False
            data = yaml.load(text)
    except Exception:
        return None
    return _first_plain_scalar(data)


CORPUS = [
    (p, target)
    for p in sorted(FIXTURES.rglob("*"))
    if p.suffix in (".yml", ".yaml", ".toml") and p.is_file() and not p.is_symlink()
    for target in [_editable(p)]
    if target is not None
]


def test_the_corpus_is_large() -> None:
    assert len(CORPUS) > 300  # the fixtures grow; this test must not quietly shrink


@pytest.mark.parametrize(
    ("path", "target"), CORPUS, ids=[str(p.relative_to(FIXTURES)) for p, _ in CORPUS]
)
def test_one_edit_changes_one_line_in_every_fixture_file(
    path: Path, target: tuple[str, ...]
) -> None:
    """For every config file of the fixtures that both libraries read: change one simple
    string value; exactly one line of the file may differ afterwards."""
    text = path.read_text(encoding="utf-8")
    done = edit_text(str(path), text, [(0, (SetValue(str(path), target, "changed"),))])
    assert done.error is None, done.error
    assert done.text is not None, done.failed
    assert len(changed_lines(text, done.text)) == 1


def test_splice_falls_back_to_the_full_rendering_when_lines_do_not_line_up() -> None:
    assert candidates("x: 1\n", "a: 1\nb: 2\n", "a: 1\nb: 3\n") == ["a: 1\nb: 3\n"]


def test_describe_says_what_an_edit_does() -> None:
    assert describe(SetValue("f", ("log", "level"), "INFO")) == "set `log.level` to INFO"
    assert describe(AddKey("f", ("a", "b"), Seq(("x",)))) == "add `a.b`: [x]"
    assert describe(DeleteKey("f", ("servers", 0))) == "delete `servers[0]`"


@pytest.mark.parametrize(
    ("text", "edit", "expected"),
    [
        ("log:\n  level: DEBUG", SetValue("f", ("log", "level"), "INFO"), "log:\n  level: INFO"),
        (
            "---\n# top\nlog:\n  level: DEBUG\n...\n",
            AddKey("f", ("accessLog",), Map((("format", "json"),))),
            "---\n# top\nlog:\n  level: DEBUG\naccessLog:\n  format: json\n...\n",
        ),
        (
            "%YAML 1.2\n---\nlog:\n  level: DEBUG  # x\n",
            SetValue("f", ("log", "level"), "INFO"),
            "%YAML 1.2\n---\nlog:\n  level: INFO  # x\n",
        ),
    ],
    ids=["no-final-newline", "document-markers", "directive"],
)
def test_what_ruamel_drops_is_kept(text: str, edit: Edit, expected: str) -> None:
    """A missing final newline, `---` / `...` markers and directives, which ruamel does not
    write back, stay as written."""
    assert run(text, edit).text == expected
