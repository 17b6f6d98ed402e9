"""The rule fixture corpus: ``tests/fixtures/<CODE>/<fail_|pass_><case>/``.

Each case is a small project directory. Offending lines carry ``# expect: CODE`` (or
``# expect: CODE:COL`` to pin the column); several codes are comma-separated. A ``fail_``
case must produce exactly the expected findings of its rule, a ``pass_`` case none.
An optional ``case.toml`` holds settings (``profile = "prod"``) and the claim about real
Traefik used by the conformance test (``[traefik]``, see tests/conformance).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
_CODE = r"[A-Z][A-Z0-9]{1,3}\d{3}"  # RTR007, GO001, K8S001
_EXPECT = re.compile(rf"(?:#|//)\s*expect:\s*({_CODE}(?::\d+)?(?:\s*,\s*{_CODE}(?::\d+)?)*)")


@dataclass(frozen=True, slots=True)
class Case:
    code: str
    path: Path
    expected: frozenset[tuple[str, int, str, int | None]]
    settings: dict[str, object] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.code}/{self.path.name}"

    @property
    def failing(self) -> bool:
        return self.path.name.startswith("fail_")


def expectations(case_dir: Path) -> frozenset[tuple[str, int, str, int | None]]:
    found = set()
    for file in sorted(case_dir.rglob("*")):
        if not file.is_file() or file.name == "case.toml":
            continue
        try:
            text = file.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            match = _EXPECT.search(line)
            if not match:
                continue
            for item in match.group(1).split(","):
                code, _, column = item.strip().partition(":")
                found.add(
                    (
                        file.relative_to(case_dir).as_posix(),
                        number,
                        code,
                        int(column) if column else None,
                    )
                )
    return frozenset(found)


def _listed_expectations(
    settings: dict[str, object],
) -> frozenset[tuple[str, int, str, int | None]]:
    """``expect = ["dynamic/a.yml:1:CFG014"]`` in case.toml, for files that cannot carry a
    comment (a symbolic link loop, a binary file)."""
    listed = settings.get("expect", [])
    found = set()
    for item in listed if isinstance(listed, list) else []:
        path, line, code, *column = str(item).split(":")
        found.add((path, int(line), code, int(column[0]) if column else None))
    return frozenset(found)


def cases() -> list[Case]:
    out = []
    for code_dir in sorted(FIXTURES.iterdir()):
        if not code_dir.is_dir():
            continue
        for case_dir in sorted(code_dir.iterdir()):
            if not case_dir.is_dir() or not case_dir.name.startswith(("fail_", "pass_")):
                continue
            settings: dict[str, object] = {}
            config = case_dir / "case.toml"
            if config.is_file():
                settings = tomllib.loads(config.read_text(encoding="utf-8"))
            expected = expectations(case_dir) | _listed_expectations(settings)
            out.append(Case(code_dir.name, case_dir, expected, settings))
    return out
