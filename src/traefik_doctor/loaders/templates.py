"""Go template actions in file-provider files.

Traefik renders every file of the file provider as a Go template before it parses the YAML
or TOML (measured: shared/traefik-facts.md addendum in the CFG015 docs). So ``{{`` anywhere
in such a file, even in a comment, is executed: an action that does not parse or execute
(``{{b.test``, ``{{ .Foo }}``) makes Traefik reject the file, and with it the whole
provider. Files that do render are checked here as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ACTION = re.compile(rb"\{\{(.*?)\}\}", re.DOTALL)
_FIELD = re.compile(rb"(?:^|[\s(|])\.[A-Za-z_]")
"""``.Name``: Traefik executes file templates with no data, so reading a field fails."""


@dataclass(frozen=True, slots=True)
class TemplateAction:
    """One ``{{ ... }}`` (or an unterminated ``{{``) at ``offset``; ``problem`` says why
    Traefik certainly fails on it, or is None when it may render (Traefik offers the Sprig
    functions, which are not judged here)."""

    offset: int
    text: str
    problem: str | None


def template_actions(data: bytes) -> list[TemplateAction]:
    if b"{{" not in data:
        return []
    actions: list[TemplateAction] = []
    position = 0
    while True:
        start = data.find(b"{{", position)
        if start < 0:
            return actions
        match = _ACTION.match(data, start)
        if match is None:
            snippet = data[start : start + 40].split(b"\n", 1)[0].decode("utf-8", "replace")
            actions.append(TemplateAction(start, snippet, "`{{` is never closed by `}}`"))
            return actions
        body = match.group(1)
        text = match.group(0).decode("utf-8", "replace")
        problem: str | None = None
        if not body.strip(b" \t\r\n-"):
            problem = "the action is empty"
        elif _FIELD.search(body):
            problem = "it reads a field of the template data, which Traefik leaves empty"
        actions.append(TemplateAction(start, text, problem))
        position = match.end()
