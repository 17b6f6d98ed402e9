"""The YAML loader reads rapidyaml's nodes in bulk; it must build exactly the tree the
previous loader (one rapidyaml call per node, kept in ``yaml_reference``) built: same nodes,
texts, quote flags, keys and their order, duplicates, shared aliases, origins and failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import yaml_reference
from traefik_doctor.loaders import yamltree
from traefik_doctor.loaders.tree import Entry, Mapping, Node, Null, Scalar, Sequence
from traefik_doctor.source import Origin, Source

ROOT = Path(__file__).parent.parent


def _where(origin: Origin) -> tuple[int | None, str, tuple[object, ...]]:
    location = origin.location()
    return origin.offset, origin.provider, (location.path, location.line, location.column)


def _check_entry(new: Entry, old: Entry) -> None:
    assert new.key == old.key
    assert _where(new.key_origin) == _where(old.key_origin), new.key


def assert_same(new: Node | yamltree.ParseFailure, old: Node | yaml_reference.ParseFailure) -> None:
    """Node by node; a node shared by aliases must be shared the same way in both trees."""
    if isinstance(old, yaml_reference.ParseFailure):
        assert isinstance(new, yamltree.ParseFailure), new
        assert new.message == old.message
        assert _where(new.origin) == _where(old.origin)
        return
    assert not isinstance(new, yamltree.ParseFailure), new
    pairs: dict[int, int] = {}  # id(old node) -> id(new node)
    entries: dict[int, int] = {}
    stack: list[tuple[Node, Node]] = [(new, old)]
    while stack:
        a, b = stack.pop()
        if id(b) in pairs:
            assert pairs[id(b)] == id(a), "aliases shared differently"
            continue
        pairs[id(b)] = id(a)
        assert type(a) is type(b), (a, b)
        assert _where(a.origin) == _where(b.origin), (a, b)
        if isinstance(b, Scalar):
            assert isinstance(a, Scalar)
            assert (a.text, a.quoted) == (b.text, b.quoted)
        elif isinstance(b, Mapping):
            assert isinstance(a, Mapping)
            assert list(a.entries) == list(b.entries)
            for ea, eb in zip(a, b, strict=True):
                if id(eb) in entries:
                    assert entries[id(eb)] == id(ea)
                else:
                    entries[id(eb)] = id(ea)
                    _check_entry(ea, eb)
                stack.append((ea.value, eb.value))
            assert len(a.duplicates) == len(b.duplicates)
            for (fa, sa), (fb, sb) in zip(a.duplicates, b.duplicates, strict=True):
                _check_entry(fa, fb)
                _check_entry(sa, sb)
                stack.append((sa.value, sb.value))
            assert (a.all_duplicates is None) == (b.all_duplicates is None)
            if b.all_duplicates is not None:
                assert a.all_duplicates is not None
                assert [(f.key, s.key) for f, s in a.all_duplicates] == [
                    (f.key, s.key) for f, s in b.all_duplicates
                ]
                for (fa, sa), (fb, sb) in zip(a.all_duplicates, b.all_duplicates, strict=True):
                    _check_entry(fa, fb)
                    _check_entry(sa, sb)
        elif isinstance(b, Sequence):
            assert isinstance(a, Sequence)
            assert len(a.items) == len(b.items)
            stack.extend(zip(a.items, b.items, strict=True))
        else:
            assert isinstance(b, Null)


def compare(data: bytes, provider: str = "file") -> None:
    # Separate sources: origins compute lines from their own source.
    new = yamltree.load_yaml(Source("doc.yml", "doc.yml", data), provider)
    old = yaml_reference.load_yaml(Source("doc.yml", "doc.yml", data), provider)
    assert_same(new, old)


FILES = sorted(
    path
    for folder in (ROOT / "tests" / "fixtures", ROOT / "examples")
    for pattern in ("*.yml", "*.yaml")
    for path in folder.rglob(pattern)
    if path.is_file()  # not the fixtures' dangling or looping symlinks
)


def test_fixture_files_found() -> None:
    assert len(FILES) > 100


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_files(path: Path) -> None:
    compare(path.read_bytes())


DEEP = "".join("  " * i + f"k{i}:\n" for i in range(yamltree.MAX_DEPTH + 2)) + "  " * 202 + "x"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(7)
)

TRICKY = [
    "",
    "# only a comment\n",
    "---\n",
    "~\n",
    "null\n",
    "plain\n",
    "'quoted'\n",
    '""\n',
    "42\n",
    "- a\n- b\n",
    "[a, b, {c: d}]\n",
    "{}\n",
    "[]\n",
    "a: {}\nb: []\nc: [{}]\nd: [[]]\ne: {f: {}}\n",
    # number-, bool- and null-like plain scalars, and the same quoted
    "a: 1\nb: 0x1F\nc: 1e3\nd: .5\ne: 042\nf: yes\ng: ~\nh: 1.\ni: +12\nj: -.inf\nk: .nan\n"
    "l: 1_000\nm: 0o17\nn: true\no: False\np: NULL\nq: Null\nr: null\ns: ''\nt: \"\"\n"
    "u: '~'\nv: \"null\"\nw: '1'\nx: \"true\"\ny:\nz: -\n",
    "- ~\n- null\n- Null\n- NULL\n- ''\n- \"\"\n-\n- '~'\n- nUll\n",
    # quoted scalars with escapes, unicode, folding
    'a: "tab\\there \\"q\\" back\\\\slash \\u00e9 \\U0001F600 \\x41 \\n"\n'
    "b: 'it''s'\nc: \"multi\n  line\"\nd: 'multi\n\n  para'\ne: \"\\L\\N\\P\\_ \\0\"\n",
    '"k\\"ey": 1\n\'k\'\'ey\': 2\n"tab\\tkey": 3\n"\\u00e9t\\u00e9": 4\n"back\\\\": 5\n',
    "été: ünïcödé\n日本: 語\nemoji: 😀 x\n\"é\": 'ü'\nlist: [é, 'ü', \"ö\"]\n",
    'a: "\\L long line that grows when unescaped \\N\\P\\L"\nb: after\n',
    # block scalars
    "a: |\n  line1\n  line2\nb: >\n  folded\n  text\n\n  para\nc: |-\n  strip\nd: >+\n  keep\n\n"
    "e: |2\n    indented\nf: |\n\ng: end\n",
    "- |\n  in seq\n- >-\n  folded in seq\n",
    "a: plain\n  multi\n  line\nb: x\n",
    # empty keys and values
    ": no key\n'': quoted empty\n\"\": dq empty\n? explicit\n? complex\n: value\n",
    "a:\nb: \nc: # comment\nd: ~\n",
    "- \n-\n- x\n",
    "[a, , b]\n",
    "{a, b: , : c}\n",
    # duplicates
    "a: 1\na: 2\nb: {c: 1, c: 2, c: 3}\na: 3\n",
    "x:\n  y: 1\n  y: 2\nx:\n  z: 1\n",
    "a: 1\n'a': 2\n\"a\": 3\n",
    # anchors, aliases, merges
    "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\nmore:\n  y: 4\n  <<: *b\n",
    "a: &a {p: 1}\nb: &b {q: 2, p: 3}\nc:\n  <<: [*a, *b]\n  r: 4\n",
    "a: &a 1\nb: *a\nc: [*a, *a]\n",
    "a: &a\n  deep: &d [1, 2]\nb: *a\nc: *d\n",
    "a: *nope\n",
    "a: [1, *nope]\n",
    "&r {a: 1}\n",
    "&r top\n",
    "*top\n",
    "&x a: 1\nb: *x\n",
    "'<<': {a: 1}\n",
    "a: &a [1]\nb:\n  <<: *a\n",
    "a: &a x\nb:\n  <<: *a\n",
    "a:\n  <<: {m: 1}\n  <<: {n: 2}\n",
    "a: &a {x: 1}\nb: &a {y: 2}\nc: *a\n",
    "a: &e\nb: *e\n",
    BOMB,
    "a: &a [x, x]\n" + "".join(f"b{i}: &b{i} [*a, *a]\n" for i in range(1)),
    # tags
    "a: !!str 1\nb: !custom x\nc: !!map {d: 1}\nd: !!seq [1]\n",
    # flow style
    "{a: 1, b: [2, 3, {c: d}], 'e': \"f\", g: }\n",
    "a: [\n  1,\n  2\n]\nb: {\n  c: d\n}\n",
    "[{a: 1}, [b, c], 'd', \"e\", ~, null, '', ]\n",
    # multi-document streams: only the first document
    "a: 1\n---\nb: 2\n",
    "---\na: 1\n...\n---\nb: 2\n",
    "--- x\n--- y\n",
    "%YAML 1.2\n---\na: 1\n",
    # comments, CRLF, tabs in values, BOM
    "a: 1 # c\n# c\nb: 2\n",
    "a: 1\r\nb:\r\n  - x\r\n  - 'y'\r\n",
    "\ufeffa: 1\n",
    "a: x\ty\n",
    # syntax errors and refused input
    "a: [1, 2\n",
    "a: {b: 1\n",
    "a: 'unterminated\n",
    'a: "unterminated\n',
    "a:\n\t- tab\n",
    "a: 1\n b: 2\n",
    "- a\nb: c\n",
    "a: b: c\n",
    "]\n",
    "a: @x\n",
    "key: value\n  bad indent: x\n",
    DEEP,
    "[" * 250 + "]" * 250 + "\n",
    "{a: " * 199 + "x" + "}" * 199 + "\n",
    "[" * 199 + "]" * 199 + "\n",
    "[" * 200 + "]" * 200 + "\n",
    "[" * 201 + "]" * 201 + "\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky(text: str) -> None:
    compare(text.encode("utf-8"))
    compare(text.encode("utf-8"), provider="other")


@pytest.mark.parametrize(
    "data",
    [b"a: 1\x00\n", b"a: \xff\n", b"\xc3\x28: x\n", "a: é\n".encode("latin-1"), b"\x00"],
)
def test_refused_bytes(data: bytes) -> None:
    compare(data)


@pytest.mark.parametrize("text", TRICKY)
def test_fallback_without_known_layout(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another rapidyaml layout reads the columns through its accessors: same trees."""
    monkeypatch.setattr(yamltree, "_columns", yamltree._api_columns)
    compare(text.encode("utf-8"))


def test_layout_is_known() -> None:
    """The installed rapidyaml is read in bulk (else the loader is correct but slow)."""
    assert yamltree._layout_known()


def test_origins_stay_lazy_and_valid_after_load() -> None:
    source = Source("doc.yml", "doc.yml", b"a:\n  b: 'x'\n  c: [1, 2]\n")
    tree = yamltree.load_yaml(source)
    assert isinstance(tree, Mapping)
    import gc

    gc.collect()
    b = tree.get("a")
    assert isinstance(b, Mapping)
    entry = b.entries["c"]
    assert entry.key_origin.location().line == 3
    assert entry.value.origin.location().column == 7


# Generated documents ------------------------------------------------------------------------

_PLAIN = st.sampled_from(
    [
        "a", "web", "x y", "1", "0", "-1", "042", "0x1F", "0o17", "1e3", ".5", "1.", "+12",
        "1_000", "-.inf", ".nan", "true", "False", "yes", "No", "on", "~", "null", "Null",
        "NULL", "nUll", "été", "日本", "😀", "a-b_c.d", "http://x:80/y", "Host(`a.test`)",
        "*", "a#b", "a:b", "-", "?x", "=", "0", "1.5e-3", "0b101",
    ]
)  # fmt: skip
_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufeff")
    | st.sampled_from(["\t", "\n", '"', "'", "\\", "#", ":", " ", "&", "*"]),
    max_size=12,
)


def _double(text: str) -> str:
    out = []
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) > 127 and ord(ch) % 3 == 0:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _single(text: str) -> str:
    return "'" + text.replace("'", "''").replace("\n", "\n\n") + "'"


@st.composite
def _scalar(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["plain", "plain", "double", "single", "empty"]))
    if kind == "plain":
        return draw(_PLAIN)
    if kind == "empty":
        return draw(st.sampled_from(["''", '""', ""]))
    text = draw(_TEXT)
    return _double(text) if kind == "double" else _single(text.replace("\t", " "))


class _Gen:
    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.anchors: list[str] = []
        self.count = 0

    def rare(self, odds: int) -> bool:
        """True about once in ``odds`` draws (small integers are drawn far more often)."""
        return self.draw(st.integers(0, odds)) == odds // 2

    def prefix(self) -> str:
        if self.rare(9):
            name = f"n{self.count}"
            self.count += 1
            self.anchors.append(name)
            return f"&{name} "
        return ""

    def alias(self) -> str | None:
        if self.anchors and self.rare(7):
            return "*" + self.draw(st.sampled_from(self.anchors))
        if self.rare(200):
            return "*missing"
        return None

    def key(self) -> str:
        if self.rare(40):
            return "<<"
        return self.draw(
            st.sampled_from(["a", "b", "c", "routers", "'a'", '"b"', "é", "''", "1", "~", "y"])
            | _scalar().filter(lambda s: s not in ("", "-", "?x") and "\n" not in s)
        )

    def flow(self, depth: int) -> str:
        alias = self.alias()
        if alias is not None:
            return alias
        choice = self.draw(st.integers(0, 4 if depth < 4 else 1))
        if choice <= 1:
            text = self.draw(_scalar())
            if text.startswith(("*", "-", "?")) or "\n" in text or text == "":
                text = "x" if text == "" else _double(text)
            return self.prefix() + text
        size = self.draw(st.integers(0, 3))
        if choice == 2:
            items = ", ".join(self.flow(depth + 1) for _ in range(size))
            return self.prefix() + f"[{items}]"
        pairs = ", ".join(f"{self.key()}: {self.flow(depth + 1)}" for _ in range(size))
        return self.prefix() + "{" + pairs + "}"

    def block(self, indent: int, depth: int) -> str:
        """A value after ``key:`` or ``-``: inline text, or a newline and an indented block."""
        alias = self.alias()
        if alias is not None:
            return " " + alias + "\n"
        pad = " " * (indent + 2)
        choice = self.draw(st.integers(0, 6 if depth < 5 else 2))
        if choice == 0:
            return " " + self.flow(depth) + "\n"
        if choice == 1:
            text = self.draw(_scalar())
            return (" " + self.prefix() + text).rstrip() + "\n"
        if choice == 2:
            style = self.draw(st.sampled_from(["|", ">", "|-", ">+", "|+", ">-"]))
            lines = self.draw(st.lists(st.sampled_from(["x", "y z", "", "é"]), max_size=3))
            body = "".join(pad + line + "\n" if line else "\n" for line in lines)
            return f" {self.prefix()}{style}\n" + body
        anchor = self.prefix().rstrip()
        head = (" " + anchor if anchor else "") + "\n"
        count = self.draw(st.integers(1, 3))
        if choice == 3 and self.anchors:  # a merge, then explicit keys
            merged = self.draw(st.sampled_from([*self.anchors, "{a: 1, b: 2}", "[{c: 3}]"]))
            merged = merged if merged.startswith(("{", "[")) else "*" + merged
            return (
                head
                + f"{pad}<<: {merged}\n"
                + "".join(
                    f"{pad}{self.key()}:{self.block(indent + 2, depth + 1)}" for _ in range(count)
                )
            )
        if choice in (3, 4):
            return head + "".join(
                f"{pad}{self.key()}:{self.block(indent + 2, depth + 1)}" for _ in range(count)
            )
        if choice == 5:
            return head + "".join(
                f"{pad}-{self.block(indent + 2, depth + 1)}" for _ in range(count)
            )
        return " " + self.flow(depth) + "\n"


@st.composite
def documents(draw: st.DrawFn) -> str:
    gen = _Gen(draw)
    count = draw(st.integers(1, 5))
    if draw(st.booleans()):
        body = "".join(f"{gen.key()}:{gen.block(-2, 0)}" for _ in range(count))
    elif draw(st.booleans()):
        body = "".join(f"-{gen.block(-2, 0)}" for _ in range(count))
    else:
        body = gen.flow(0) + "\n"
    if draw(st.integers(0, 9)) == 0:
        body += "---\n" + draw(st.sampled_from(["a: 1\n", "- x\n", "*n0\n"]))
    if draw(st.integers(0, 9)) == 0:  # break it somewhere
        at = draw(st.integers(0, len(body)))
        body = (
            body[:at] + draw(st.sampled_from(["[", "}", "\t", ": ", "\n  x", "'", "&"])) + body[at:]
        )
    return body


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents(text: str) -> None:
    compare(text.encode("utf-8"))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=40) | st.text(max_size=30).map(lambda s: s.encode("utf-8")))
def test_arbitrary_input(data: bytes) -> None:
    compare(data)
