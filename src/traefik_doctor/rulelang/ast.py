"""The tree a router rule parses into.

Traefik hands the rule to ``go/parser.ParseExpr`` and walks the result with
``vulcand/predicate``: a rule is therefore a Go expression in which only matcher
calls with string arguments, ``!``, ``&&``, ``||`` and parentheses survive. This
tree keeps exactly that subset, with 0-based character offsets into the rule so
that findings can point at the offending text. Parentheses leave no node, as in
predicate (they only group).

Every walker here is iterative: a hostile rule must not exhaust Python's stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Literal:
    """A string argument: ``value`` after Go unquoting, ``raw`` as written (quotes included).

    ``start``/``end`` delimit ``raw`` in the rule. Bytes that Go escapes such as
    ``"\\xff"`` produce and that are not UTF-8 are kept as lone surrogates
    (``surrogateescape``), so ``value`` round-trips to Go's byte string.
    """

    value: str
    raw: str
    start: int
    end: int

    @property
    def is_raw(self) -> bool:
        """True for a backtick (raw) string, False for an interpreted double-quoted one."""
        return self.raw.startswith("`")


@dataclass(frozen=True, slots=True)
class Matcher:
    """A call such as ``PathPrefix(`/api`)``: ``start`` is the name, ``end`` is past ``)``."""

    name: str
    args: tuple[Literal, ...]
    start: int
    end: int
    name_end: int


@dataclass(frozen=True, slots=True)
class Not:
    """``!operand``; ``start`` is the ``!``."""

    operand: Expr
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class And:
    """``left && right``; spans include the operands' parentheses."""

    left: Expr
    right: Expr
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Or:
    """``left || right``; spans include the operands' parentheses."""

    left: Expr
    right: Expr
    start: int
    end: int


Expr = Matcher | Not | And | Or


def matchers(expr: Expr) -> Iterator[Matcher]:
    """Yield the matcher calls of ``expr`` left to right (Traefik's evaluation order)."""
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Matcher):
            yield node
        elif isinstance(node, Not):
            stack.append(node.operand)
        else:
            stack.append(node.right)
            stack.append(node.left)


def depth(expr: Expr) -> int:
    """Height of the tree (a lone matcher is 1), computed without recursion."""
    best = 0
    stack: list[tuple[Expr, int]] = [(expr, 1)]
    while stack:
        node, level = stack.pop()
        best = max(best, level)
        if isinstance(node, Not):
            stack.append((node.operand, level + 1))
        elif isinstance(node, And | Or):
            stack.append((node.left, level + 1))
            stack.append((node.right, level + 1))
    return best


def value_offset(literal: Literal, index: int) -> int:
    """Map a character index into ``literal.value`` to an offset in the rule.

    Characters an escape produced map to the escape's backslash; an index at or
    past the end maps to the closing quote.
    """
    decoded = unquote_go(literal.raw)
    if decoded is None:
        return literal.start
    _value, sources = decoded
    if 0 <= index < len(sources):
        return literal.start + sources[index]
    return literal.start + max(len(literal.raw) - 1, 0)


_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    '"': '"',
}
_ESCAPE_WIDTH = {"x": 2, "u": 4, "U": 8}


def unquote_go(raw: str) -> tuple[str, list[int]] | None:
    """Unquote a Go string literal the way ``strconv.Unquote`` does.

    Returns the value and, for each of its characters, the index in ``raw`` it
    came from; None if ``raw`` is not a well-formed string literal. Raw strings
    lose their carriage returns (Go spec). Byte escapes (``\\xNN``, octal) are
    assembled into UTF-8 and invalid bytes become lone surrogates.
    """
    if len(raw) < 2 or raw[0] != raw[-1] or raw[0] not in '`"':
        return None
    body_end = len(raw) - 1
    if raw[0] == "`":
        if "`" in raw[1:body_end]:
            return None
        positions = [i for i in range(1, body_end) if raw[i] != "\r"]
        return "".join(raw[i] for i in positions), positions
    out: list[str] = []
    sources: list[int] = []
    pending: list[tuple[int, int]] = []  # (byte, source index) from byte escapes

    def flush() -> None:
        chars, where = _decode_bytes(pending)
        out.extend(chars)
        sources.extend(where)
        pending.clear()

    i = 1
    while i < body_end:
        ch = raw[i]
        if ch in {'"', "\n"}:
            return None
        if ch != "\\":
            flush()
            out.append(ch)
            sources.append(i)
            i += 1
            continue
        if i + 1 >= body_end:
            return None
        kind = raw[i + 1]
        if kind in _SIMPLE_ESCAPES:
            flush()
            out.append(_SIMPLE_ESCAPES[kind])
            sources.append(i)
            i += 2
            continue
        if kind in "01234567":
            digits = raw[i + 1 : i + 4]
            if len(digits) != 3 or any(d not in "01234567" for d in digits):
                return None
            value = int(digits, 8)
            if value > 255:
                return None
            pending.append((value, i))
            i += 4
            continue
        width = _ESCAPE_WIDTH.get(kind)
        if width is None:
            return None
        digits = raw[i + 2 : i + 2 + width]
        if len(digits) != width or any(d not in "0123456789abcdefABCDEF" for d in digits):
            return None
        value = int(digits, 16)
        if kind == "x":
            pending.append((value, i))
        else:
            if value > 0x10FFFF or 0xD800 <= value < 0xE000:
                return None
            flush()
            out.append(chr(value))
            sources.append(i)
        i += 2 + width
    flush()
    return "".join(out), sources


def _decode_bytes(data: list[tuple[int, int]]) -> tuple[list[str], list[int]]:
    """Decode escaped bytes as UTF-8, turning each invalid byte into a lone surrogate."""
    chars: list[str] = []
    where: list[int] = []
    j = 0
    while j < len(data):
        lead = data[j][0]
        size = 1 if lead < 0x80 else 2 if lead >> 5 == 6 else 3 if lead >> 4 == 14 else 4
        if lead >> 3 == 0x1F or 0x80 <= lead < 0xC0:
            size = 1
        chunk = bytes(b for b, _ in data[j : j + size])
        try:
            text = chunk.decode("utf-8") if len(chunk) == size else ""
        except UnicodeDecodeError:
            text = ""
        if len(text) == 1:
            chars.append(text)
            where.append(data[j][1])
            j += size
        else:
            chars.append(chr(0xDC00 + lead) if lead >= 0x80 else chr(lead))
            where.append(data[j][1])
            j += 1
    return chars, where
