"""Discovery and robustness: skipped directories, symlinks, bad files, limits, programs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from traefik_doctor.goscan.extract import scan
from traefik_doctor.goscan.parse import MAX_FILE_BYTES

SERVER = (
    'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":{port}", nil) }\n'
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def module(root: Path, name: str = "example.com/m", go: str = "1.19") -> Path:
    write(root / "go.mod", f"module {name}\n\ngo {go}\n")
    return root


def test_skips_vendor_testdata_hidden_underscore_and_tests(tmp_path: Path) -> None:
    module(tmp_path)
    write(tmp_path / "main.go", SERVER.replace("{port}", "1"))
    for skipped in ("vendor/x", "testdata", ".git/x", "_old", "sub/vendor"):
        write(tmp_path / skipped / "main.go", SERVER.replace("{port}", "9"))
    write(tmp_path / "cmd" / "tool" / "main_test.go", SERVER.replace("{port}", "8"))
    result = scan([tmp_path], tmp_path)
    assert [s.addr.default for p in result.programs for s in p.servers] == [":1"]
    assert result.files == 1
    assert result.skipped == ("sub/vendor", "testdata", "vendor")


def test_symlink_loop_and_symlink_out_of_root(tmp_path: Path) -> None:
    root = module(tmp_path / "repo")
    write(root / "cmd" / "a" / "main.go", SERVER.replace("{port}", "1"))
    os.symlink(root, root / "cmd" / "a" / "loop")  # a loop back to the root
    os.symlink(root / "cmd", root / "cmd2")  # a second path to the same directory
    outside = write(tmp_path / "outside" / "main.go", SERVER.replace("{port}", "7"))
    os.symlink(outside.parent, root / "ext")  # a directory outside the root
    os.symlink(outside, root / "cmd" / "a" / "ext.go")  # a file outside the root
    result = scan([root], root)
    assert [p.package for p in result.programs] == ["example.com/m/cmd/a"]
    assert [s.addr.default for s in result.programs[0].servers] == [":1"]
    assert "cmd/a/ext.go" in result.skipped


def test_not_utf8_and_too_large_files_are_reported(tmp_path: Path) -> None:
    module(tmp_path)
    write(tmp_path / "main.go", SERVER.replace("{port}", "1"))
    (tmp_path / "latin1.go").write_bytes(b'package main\n\n// caf\xe9\nvar x = "\xff"\n')
    (tmp_path / "big.go").write_bytes(b"package main\n" + b"// x\n" * (MAX_FILE_BYTES // 5 + 1))
    result = scan([tmp_path], tmp_path)
    assert [s.addr.default for s in result.programs[0].servers] == [":1"]
    messages = {str(i.location): i.message for i in result.parse_errors}
    assert messages["latin1.go:3"] == "file not analysed: it is not valid UTF-8"
    assert messages["big.go"].startswith("file not analysed:")
    assert "limit" in messages["big.go"]
    assert result.files == 3


def test_programs_without_module_and_several_roots(tmp_path: Path) -> None:
    write(tmp_path / "a" / "main.go", SERVER.replace("{port}", "1"))
    module(tmp_path / "b", "example.com/b", "1.22")
    write(tmp_path / "b" / "main.go", SERVER.replace("{port}", "2"))
    result = scan([tmp_path / "a", tmp_path / "b"], tmp_path)
    programs = {p.package: p for p in result.programs}
    assert sorted(programs) == ["a", "example.com/b"]
    assert (programs["a"].module, programs["a"].go_version, programs["a"].go_mod) == (
        None,
        None,
        None,
    )
    assert programs["example.com/b"].go_version == "1.22"
    assert str(programs["example.com/b"].go_mod) == "b/go.mod:3"


def test_library_only_package_gives_no_program(tmp_path: Path) -> None:
    module(tmp_path)
    write(tmp_path / "lib.go", 'package lib\n\nimport "net/http"\n\nvar C = http.Client{}\n')
    result = scan([tmp_path], tmp_path)
    assert result.programs == ()
    assert result.files == 1


def test_unlinked_router_parameter_is_reported(tmp_path: Path) -> None:
    module(tmp_path)
    write(
        tmp_path / "routes" / "routes.go",
        'package routes\n\nimport "net/http"\n\n'
        "// Register adds the routes.\n"
        'func Register(mux *http.ServeMux) { mux.HandleFunc("/x", nil) }\n',
    )
    write(
        tmp_path / "main.go",
        'package main\n\nimport (\n\t"net/http"\n\n\t"example.com/m/routes"\n)\n\n'
        "var _ = routes.Register\n\n"
        'func main() { http.ListenAndServe(":1", nil) }\n',
    )
    result = scan([tmp_path], tmp_path)
    (program,) = result.programs
    assert [(r.router, r.path) for r in program.routes] == [
        ("param:example.com/m/routes.Register#0", "/x")
    ]
    assert [i.message for i in result.unresolved] == [
        "router parameter example.com/m/routes.Register#0 is not linked to a router by any "
        "caller in this program"
    ]


@pytest.mark.parametrize("kind", ["server", "client"])
def test_scan_never_keeps_trees(tmp_path: Path, kind: str) -> None:
    """Facts are plain data: nothing in the result refers to a tree-sitter object."""
    import pickle

    module(tmp_path)
    text = SERVER.replace("{port}", "1")
    if kind == "client":
        text += "\nvar c = &http.Client{}\n"
    write(tmp_path / "main.go", text)
    result = scan([tmp_path], tmp_path)
    assert pickle.loads(pickle.dumps(result)) == result
