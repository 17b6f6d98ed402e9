"""Whatever bytes a .go file holds, ``scan`` returns a result and never raises."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from traefik_doctor.goscan.extract import scan
from traefik_doctor.goscan.package import INTERNAL_ERROR

_TOKENS = [
    "package main\n",
    "import (\n",
    '"net/http"\n',
    '_ "net/http/pprof"\n',
    ")\n",
    "func main() {",
    "}",
    "{",
    "(",
    ")",
    "\n",
    "srv := &http.Server{",
    "Addr: ",
    '":8080"',
    ",",
    "srv.",
    "ReadTimeout = ",
    "5 * time.Second",
    "http.ListenAndServe(",
    "nil",
    "mux",
    ":=",
    "http.NewServeMux()",
    "mux.HandleFunc(",
    '"GET /x/{id}"',
    "r.Get(",
    "r.Route(",
    "func(r chi.Router)",
    "os.Getenv(",
    '"PORT"',
    "flag.String(",
    "new(int32(0))",
    'if x == "" { x = "1" }',
    "x",
    "*",
    "&",
    "+",
    "return r",
    "var s http.Server\n",
    "go ",
    "defer ",
    "`raw`",
    "'c'",
    "0x1F",
    "InsecureSkipVerify: ",
    "true",
    "r.Host",
    ".Methods(",
    "PathPrefix(",
    "Subrouter()",
]


def _scan_text(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "go.mod").write_text("module example.com/f\n\ngo 1.22\n")
        (root / "main.go").write_bytes(data)
        (root / "lib").mkdir()
        (root / "lib" / "lib.go").write_bytes(b"package lib\n" + data)
        result = scan([root], root)
        assert result.files == 2
        assert not [i for i in result.unresolved if INTERNAL_ERROR in i.message]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    _scan_text(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_TOKENS), max_size=80))
def test_random_go_ish_text(tokens: list[str]) -> None:
    _scan_text(("package main\n" + " ".join(tokens)).encode())
