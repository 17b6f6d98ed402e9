"""Edit one file's text: parse it with the round-trip library of its format, apply each
finding's edits (all or nothing per finding), and return the text that keeps every untouched
line as written and is proven to hold exactly the edited data (it is parsed again and
compared; a text that does not compare is never returned)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from traefik_doctor.fix.document import Adapter, EditError, Editor
from traefik_doctor.fix.edits import Edit
from traefik_doctor.fix.splice import candidates


@dataclass(slots=True)
class TextResult:
    """``text`` is None when nothing could be applied (or the file cannot be edited: then
    ``error`` says why)."""

    text: str | None
    applied: list[Hashable] = field(default_factory=list)
    failed: list[tuple[Hashable, str]] = field(default_factory=list)
    error: str | None = None


def is_toml(path: str) -> bool:
    return path.lower().endswith(".toml")


def edit_text(
    path: str, original: str, groups: Sequence[tuple[Hashable, tuple[Edit, ...]]]
) -> TextResult:
    """Apply ``groups`` (a key, such as a finding, and its edits) to ``original``."""
    toml = is_toml(path)
    try:
        adapter = _adapter(original, toml=toml)
        baseline = adapter.render()
    except EditError as exc:
        return TextResult(None, error=str(exc))
    editor = Editor(adapter)
    result = TextResult(None)
    for key, edits in groups:
        try:
            editor.apply(edits)
        except EditError as exc:
            result.failed.append((key, str(exc)))
        else:
            result.applied.append(key)
    if not result.applied:
        return result
    edited = adapter.render()
    expected = adapter.data()
    for text in candidates(original, baseline, edited, toml=toml):
        try:
            if adapter.reparse(text) == expected:
                result.text = text
                return result
        except EditError:
            continue
    # No rendering parses back to the edited data: apply nothing.
    reason = "the edited file did not parse back to the intended data; nothing was written"
    result.failed = [*result.failed, *((key, reason) for key in result.applied)]
    result.applied = []
    return result


def _adapter(text: str, *, toml: bool) -> Adapter:
    if toml:
        from traefik_doctor.fix.toml_edit import TomlAdapter

        return TomlAdapter(text)
    from traefik_doctor.fix.yaml_edit import YamlAdapter

    return YamlAdapter(text)
