"""Secrets never reach a report: password hashes, plain-text passwords of auth middlewares,
tokens and private keys are masked in messages, evidence and code frames.

Two views. ``redact_text`` masks what is recognisable on its own (an htpasswd hash, a bearer
token, a ``password=...`` pair, a PEM private key). ``redact_line`` masks a source line shown
in a code frame, using the lines above it for context: an item of a ``users`` list is
``user:secret`` whatever the secret looks like, and so is every line inside a private key.
Both return the masked text and a map from original to masked character positions, so a
caret still points at the same token.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

MASK = "****"

_HASH = re.compile(
    r"(?:\$(?:apr1|2[abxy]|1|5|6)\$|\$\$(?:apr1|2[abxy]|1|5|6)\$\$|\{SHA\})[^\s\"',\]}]+"
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+([A-Za-z0-9._~+/=-]{8,})")
_SECRET_KEY = (
    r"[\w.-]*(?:password|passwd|secret|token|apikey|api_key|api-key|credentials|privatekey"
    r"|private_key|authorization)"
)
_PAIR = re.compile(
    rf"(?i)(?P<key>[\"']?{_SECRET_KEY}[\"']?\s*[:=]\s*)(?P<value>\"[^\"]*\"|'[^']*'|[^\s,}}\]#]+)"
)
_USERS_INLINE = re.compile(r"(?i)(?P<key>[\"']?[\w.-]*users[\"']?\s*[:=]\s*)(?P<rest>.+)$")
_USER_ITEM = re.compile(r"(?P<user>[^\s\"',\[\]:=]+):(?P<secret>[^\s\"',\]]+)")
_PEM_BEGIN = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
_PEM_END = re.compile(r"-----END [A-Z ]*PRIVATE KEY-----")
_USERS_KEY = re.compile(r"(?i)^\s*[\"']?[\w.-]*users[\"']?\s*[:=]\s*\[?\s*(?:#.*)?$")
_LIST_ITEM = re.compile(r"^\s*(?:-\s+)?[\"']?[^\s\"':]+:")

Spans = list[tuple[int, int]]


def redact_text(text: str) -> str:
    """``text`` with every self-evident secret masked."""
    if not _maybe_secret(text):
        return text
    return _apply(text, _spans(text))[0]


def redact_users(text: str) -> str:
    """Every ``user:secret`` (and ``user:realm:hash``) in ``text`` as ``user:****``: for text
    known to hold an auth middleware's ``users``, whatever the secrets look like."""
    return _USER_ITEM.sub(lambda m: f"{m.group('user')}:{MASK}", redact_text(text))


def redact_line(lines: Callable[[int], str], number: int) -> tuple[str, Callable[[int], int]]:
    """Line ``number`` (1-based, read through ``lines``) masked for a code frame, and the
    position map from the original line to the masked one."""
    text = lines(number)
    spans = _spans(text) if _maybe_secret(text) else []
    context = _context(lines, number)
    if context == "pem":
        spans = [(0, len(text))] if text.strip() and not _PEM_END.search(text) else spans
    elif context == "users":
        item = _USER_ITEM.search(text)
        if item is not None and _LIST_ITEM.match(text):
            spans.append(item.span("secret"))
    if not spans:
        return text, lambda index: index
    return _apply(text, spans)


def _maybe_secret(text: str) -> bool:
    lowered = text.lower()
    return any(
        marker in lowered
        for marker in (
            "$",
            "{sha}",
            "bearer",
            "basic ",
            "pass",
            "secret",
            "token",
            "key",
            "credential",
            "authorization",
            "users",
        )
    )


def _spans(text: str) -> Spans:
    spans: Spans = [m.span() for m in _HASH.finditer(text)]
    spans.extend(m.span(2) for m in _BEARER.finditer(text))
    for match in _PAIR.finditer(text):
        value = match.group("value")
        start, end = match.span("value")
        if value[:1] in "\"'":
            start, end = start + 1, end - 1
        scheme = value.lower() in ("bearer", "basic", "digest")  # the token follows it
        if end > start and not scheme and not value.startswith(("/", "./", "$HOME")):
            spans.append((start, end))
    users = _USERS_INLINE.search(text)
    if users is not None:
        offset = users.start("rest")
        for item in _USER_ITEM.finditer(users.group("rest")):
            start, end = item.span("secret")
            spans.append((offset + start, offset + end))
    begin = _PEM_BEGIN.search(text)
    if begin is not None:
        close = _PEM_END.search(text, begin.end())
        spans.append((begin.end(), close.start() if close is not None else len(text)))
    return spans


def _context(lines: Callable[[int], str], number: int) -> str | None:
    """``pem`` inside a private key block, ``users`` inside a block list under a ``users``
    key (YAML ``- item`` lines or a TOML multi-line array), else None."""
    indent = _indent(lines(number))
    for above in range(number - 1, max(number - 200, 0), -1):
        text = lines(above)
        if _PEM_END.search(text):
            return None
        if _PEM_BEGIN.search(text):
            return "pem"
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        if _USERS_KEY.match(text) and _indent(text) <= indent:
            return "users"
        outside = _indent(text) < indent or (_indent(text) == indent and not _LIST_ITEM.match(text))
        if outside and not text.lstrip().startswith("-"):
            return None
    return None


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" \t"))


def _apply(text: str, spans: Sequence[tuple[int, int]]) -> tuple[str, Callable[[int], int]]:
    merged: Spans = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    out: list[str] = []
    cursor = 0
    for start, end in merged:
        out.append(text[cursor:start])
        out.append(MASK)
        cursor = end
    out.append(text[cursor:])

    def position(index: int) -> int:
        shift = 0
        for start, end in merged:
            if index >= end:
                shift += len(MASK) - (end - start)
            elif index > start:
                return start + shift
            else:
                break
        return index + shift

    return "".join(out), position
