"""Parse a Traefik router rule exactly as Traefik 3.7 would accept or reject it.

Traefik does not have a grammar of its own: ``vulcand/predicate`` feeds the rule
to Go's ``go/parser.ParseExpr`` and then walks the Go syntax tree, accepting
only calls whose arguments are string literals, joined by ``&&``/``||``, negated
by ``!`` and grouped by parentheses. So this module is a small Go expression
scanner and parser: Go's tokens, Go's automatic semicolons (a newline right
after ``)``, a name or a string ends the expression), Go's comments, Go's string
escapes, Go's operator precedence, and Go's error wording for syntax errors
("expected operand, found 'EOF'", "missing ',' before newline in argument
list"). Go accepts more than predicate does (numbers, other operators,
selectors...); those parse in Go and fail in predicate, and are reported here
as errors too, worded for a person rather than as Go reflection messages.

Offsets are 0-based character offsets into the rule (Go counts bytes and
columns from 1; callers convert).

Where this deliberately differs from Traefik: Go's parser allows 100,000 levels
of nesting; this parser refuses more than ``MAX_NESTING`` (parentheses, calls
and prefix operators together) so that no rule can exhaust Python's stack. Only
the first error is reported (Go reports the first per line).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NoReturn

from traefik_doctor.rulelang.ast import And, Expr, Literal, Matcher, Not, Or, unquote_go
from traefik_doctor.rulelang.fastpath import GO_KEYWORDS, parse_simple

__all__ = ["MAX_NESTING", "RuleSyntaxError", "parse", "parse_full"]

MAX_NESTING = 100
"""Deepest nesting of parentheses, calls and prefix operators this parser accepts."""


@dataclass(frozen=True, slots=True)
class RuleSyntaxError:
    """Why Traefik refuses to parse the rule, and where (0-based offset into the rule)."""

    message: str
    offset: int


# Token kinds.
_IDENT = "IDENT"
_STRING = "STRING"
_NUMBER = "NUMBER"
_KEYWORD = "KEYWORD"
_OP = "OP"
_SEMI = "SEMI"
_EOF = "EOF"


def _words(text: str) -> list[str]:
    return text.split()


_KEYWORDS = GO_KEYWORDS
# Longest first, so that the scanner can take the first match.
_OPERATORS = sorted(
    _words(
        "+ - * / % & | ^ << >> &^ += -= *= /= %= &= |= ^= <<= >>= &^= && || <- ++ -- "
        "== < > = ! ~ != <= >= := ... ( [ { , . ) ] } ; :"
    ),
    key=len,
    reverse=True,
)
# One alternation, longest operators first, so a single match finds the operator at a position.
_OPERATOR_RE = re.compile("|".join(re.escape(op) for op in _OPERATORS))
# ASCII identifiers, the common case; other letters go through unicodedata.
_ASCII_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BINARY_PRECEDENCE = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 3,
    "<=": 3,
    ">": 3,
    ">=": 3,
    "+": 4,
    "-": 4,
    "|": 4,
    "^": 4,
    "*": 5,
    "/": 5,
    "%": 5,
    "<<": 5,
    ">>": 5,
    "&": 5,
    "&^": 5,
}
_UNARY = frozenset(("+", "-", "!", "^", "&", "~", "*", "<-"))
# Tokens after which a newline (or the end) becomes a semicolon.
_SEMI_AFTER_OPS = frozenset((")", "]", "}", "++", "--"))
_SEMI_AFTER_KEYWORDS = frozenset(("break", "continue", "fallthrough", "return"))
_SINGLE_QUOTE_MESSAGE = "single quotes are not string delimiters; use backticks"


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str  # operator/keyword text, literal source, or "\n"/";" for semicolons
    start: int
    end: int
    error: RuleSyntaxError | None = None  # a scanner error Go reports on reaching this token


class _StopParsingError(Exception):
    """Internal: the first error, which ends parsing."""

    def __init__(self, error: RuleSyntaxError) -> None:
        super().__init__(error.message)
        self.error = error


def _is_letter(ch: str) -> bool:
    if ch.isascii():
        return ch.isalpha() or ch == "_"
    return unicodedata.category(ch).startswith("L")


def _is_digit(ch: str) -> bool:
    if ch.isascii():
        return ch.isdigit()
    return unicodedata.category(ch) == "Nd"


def _describe_char(ch: str) -> str:
    """Go's ``%#U``: ``U+0024 '$'`` (the quoted form only for printable characters)."""
    code = f"U+{ord(ch):04X}"
    if ch.isprintable() and not (0xD800 <= ord(ch) < 0xE000):
        return f"{code} '{ch}'"
    return code


class _Scanner:
    """Go's scanner, reduced to what a rule can contain; stops at its first error."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.pos = 1 if src.startswith("\ufeff") else 0
        self.insert_semi = False
        self.pending_newline: int | None = None  # a /*...*/ comment that held a newline

    def tokens(self) -> list[_Token]:
        out: list[_Token] = []
        while True:
            tok = self._next()
            out.append(tok)
            if tok.kind == _EOF or tok.error is not None:
                return out

    def _error_token(self, start: int, message: str, at: int | None = None) -> _Token:
        offset = start if at is None else at
        return _Token(_OP, "", start, start, RuleSyntaxError(message, offset))

    def _next(self) -> _Token:
        src = self.src
        n = len(src)
        while True:
            if self.pending_newline is not None:
                where = self.pending_newline
                self.pending_newline = None
                return _Token(_SEMI, "\n", where, where)
            # Skip white space; a newline ends the expression after some tokens.
            while self.pos < n:
                ch = src[self.pos]
                if ch in " \t\r" or (ch == "\n" and not self.insert_semi):
                    self.pos += 1
                else:
                    break
            start = self.pos
            if start >= n:
                if self.insert_semi:
                    self.insert_semi = False
                    return _Token(_SEMI, "\n", n, n)
                return _Token(_EOF, "", n, n)
            ch = src[start]
            if ch == "\n":
                self.insert_semi = False
                self.pos += 1
                return _Token(_SEMI, "\n", start, start + 1)
            if ch == "/" and src.startswith(("//", "/*"), start):
                err = self._comment(start)
                if err is not None:
                    return err
                continue
            return self._token(start, ch)

    def _bad_char(self, start: int, end: int) -> _Token | None:
        """Go's scanner refuses NUL, a byte order mark and invalid UTF-8 everywhere."""
        for i in range(start, end):
            ch = self.src[i]
            if ch == "\x00":
                return self._error_token(start, "illegal character NUL", i)
            if ch == "\ufeff" and i > 0:
                return self._error_token(start, "illegal byte order mark", i)
            if 0xD800 <= ord(ch) < 0xE000:
                return self._error_token(start, "illegal UTF-8 encoding", i)
        return None

    def _comment(self, start: int) -> _Token | None:
        src = self.src
        if src.startswith("//", start):
            end = src.find("\n", start)
            self.pos = len(src) if end < 0 else end
            return self._bad_char(start, self.pos)  # insert_semi is kept for the newline
        close = src.find("*/", start + 2)
        if close < 0:
            return self._bad_char(start, len(src)) or self._error_token(
                start, "comment not terminated"
            )
        bad = self._bad_char(start, close)
        if bad is not None:
            return bad
        self.pos = close + 2
        newline = src.find("\n", start, close)
        if self.insert_semi and newline >= 0:
            self.pending_newline = newline
            self.insert_semi = False
        return None

    def _token(self, start: int, ch: str) -> _Token:
        src = self.src
        self.insert_semi = False
        if _is_letter(ch):
            ascii_word = _ASCII_WORD.match(src, start)
            end = ascii_word.end() if ascii_word else start + 1
            while end < len(src) and (_is_letter(src[end]) or _is_digit(src[end])):
                end += 1
            self.pos = end
            word = src[start:end]
            if word in _KEYWORDS:
                self.insert_semi = word in _SEMI_AFTER_KEYWORDS
                return _Token(_KEYWORD, word, start, end)
            self.insert_semi = True
            return _Token(_IDENT, word, start, end)
        if (ch.isascii() and ch.isdigit()) or (ch == "." and src[start + 1 : start + 2].isdigit()):
            return self._number(start)
        if ch == '"':
            return self._string(start)
        if ch == "`":
            end = src.find("`", start + 1)
            bad = self._bad_char(start + 1, len(src) if end < 0 else end)
            if bad is not None:
                return bad
            if end < 0:
                return self._error_token(start, "raw string literal not terminated")
            self.pos = end + 1
            self.insert_semi = True
            return _Token(_STRING, src[start : end + 1], start, end + 1)
        if ch == "'":
            return self._error_token(start, _SINGLE_QUOTE_MESSAGE)
        operator = _OPERATOR_RE.match(src, start)
        if operator is not None:
            op = operator.group()
            self.pos = operator.end()
            self.insert_semi = op in _SEMI_AFTER_OPS
            kind = _SEMI if op == ";" else _OP
            return _Token(kind, op, start, self.pos)
        if ch == "\x00":
            return self._error_token(start, "illegal character NUL")
        if ch == "\ufeff":
            return self._error_token(start, "illegal byte order mark")
        if 0xD800 <= ord(ch) < 0xE000:
            return self._error_token(start, "illegal UTF-8 encoding")
        return self._error_token(start, f"illegal character {_describe_char(ch)}")

    def _number(self, start: int) -> _Token:
        # Any number is an error in a rule, so the exact Go literal syntax does not
        # matter: take a plausible extent and let the parser complain.
        src = self.src
        end = start
        while end < len(src):
            ch = src[end]
            exponent_sign = ch in "+-" and src[end - 1] in "eEpP"
            if not (ch.isascii() and (ch.isalnum() or ch in "_.")) and not exponent_sign:
                break
            end += 1
        self.pos = end
        self.insert_semi = True
        return _Token(_NUMBER, src[start:end], start, end)

    def _string(self, start: int) -> _Token:
        src = self.src
        i = start + 1
        while True:
            if i >= len(src) or src[i] == "\n":
                return self._error_token(start, "string literal not terminated")
            ch = src[i]
            if ch == '"':
                break
            if ch == "\\":
                err = self._escape(i + 1)
                if err is not None:
                    return self._error_token(start, err[0], err[1])
                i = self._escape_end(i + 1)
                continue
            bad = self._bad_char(i, i + 1)
            if bad is not None:
                return bad
            i += 1
        self.pos = i + 1
        self.insert_semi = True
        return _Token(_STRING, src[start : i + 1], start, i + 1)

    def _escape_end(self, at: int) -> int:
        kind = self.src[at]
        if kind in "01234567":
            return at + 3
        return at + 1 + {"x": 2, "u": 4, "U": 8}.get(kind, 0)

    def _escape(self, at: int) -> tuple[str, int] | None:
        """Validate the escape whose letter is at ``at``; Go's message and offset if bad."""
        src = self.src
        if at >= len(src):
            return ("escape sequence not terminated", at)
        kind = src[at]
        if kind in 'abfnrtv\\"':
            return None
        if kind in "01234567":
            count, base, limit = 3, 8, 255
            first = at
        elif kind in "xuU":
            count, base, limit = {
                "x": (2, 16, 255),
                "u": (4, 16, 0x10FFFF),
                "U": (8, 16, 0x10FFFF),
            }[kind]
            first = at + 1
        else:
            return ("unknown escape sequence", at)
        value = 0
        for j in range(first, first + count):
            if j >= len(src):
                return ("escape sequence not terminated", j)
            digit = src[j]
            try:
                d = int(digit, 16) if digit.isascii() else base
            except ValueError:
                d = base
            if d >= base:
                return (f"illegal character {_describe_char(digit)} in escape sequence", j)
            value = value * base + d
        if value > limit or 0xD800 <= value < 0xE000:
            return ("escape sequence is invalid Unicode code point", at)
        return None


@dataclass(frozen=True, slots=True)
class _Node:
    """A parsed operand: a rule expression, or a Go value predicate would reject."""

    kind: str  # "expr", "ident", "selector", "string", "number", "other"
    start: int
    end: int
    expr: Expr | None = None
    literal: Literal | None = None
    name: str = ""


class _Parser:
    """Go's expression parser (``parseBinaryExpr``, ``parseUnaryExpr``, ...) for one rule."""

    def __init__(self, rule: str, tokens: list[_Token]) -> None:
        self.rule = rule
        self.tokens = tokens
        self.index = 0
        self.tok = tokens[0]
        self.nesting = 0
        self.semantic: RuleSyntaxError | None = None  # first error predicate would raise
        self._check_scanner_error()

    # -- token handling -------------------------------------------------------------

    def _check_scanner_error(self) -> None:
        if self.tok.error is not None:
            raise _StopParsingError(self.tok.error)

    def _next(self) -> None:
        if self.index + 1 < len(self.tokens):
            self.index += 1
            self.tok = self.tokens[self.index]
        self._check_scanner_error()

    def _is(self, text: str) -> bool:
        return self.tok.kind in (_OP, _SEMI) and self.tok.text == text

    def _found(self) -> str:
        tok = self.tok
        if tok.kind == _SEMI and tok.text == "\n":
            return "newline"
        if tok.kind in (_IDENT, _STRING, _NUMBER):
            return tok.text
        if tok.kind == _EOF:
            return "'EOF'"
        return f"'{tok.text}'"

    def _fail(self, message: str, offset: int | None = None) -> NoReturn:
        raise _StopParsingError(
            RuleSyntaxError(message, self.tok.start if offset is None else offset)
        )

    def _expected(self, what: str) -> NoReturn:
        self._fail(f"expected {what}, found {self._found()}")

    def _expect(self, text: str) -> int:
        pos = self.tok.start
        if not self._is(text):
            self._expected(f"'{text}'")
        self._next()
        return pos

    def _reject(self, message: str, offset: int) -> None:
        """Note an error predicate raises after Go parsed fine; syntax errors still win."""
        if self.semantic is None:
            self.semantic = RuleSyntaxError(message, offset)

    def _enter(self, offset: int) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            self._fail(
                f"expression nests too deeply (more than {MAX_NESTING} levels of parentheses, "
                "calls and operators)",
                offset,
            )

    # -- grammar ----------------------------------------------------------------------

    def parse_rule(self) -> Expr:
        node = self.parse_expr()
        if self.tok.kind == _SEMI and self.tok.text == "\n":
            self._next()
        if self.tok.kind != _EOF:
            if self._is(")"):
                self._fail("unexpected ')'")
            self._expected("'EOF'")
        return self._as_rule(node)

    def parse_expr(self) -> _Node:
        """``parseBinaryExpr`` with precedence climbing made iterative (left associative)."""
        operands: list[_Node] = [self.parse_unary()]
        operators: list[tuple[str, int, int]] = []  # (op, precedence, offset)
        while True:
            op = self.tok.text if self.tok.kind == _OP else ""
            if op == "=":
                # Go reads '=' as '==' inside an expression, then insists on '=='.
                self._expected("'=='")
            prec = _BINARY_PRECEDENCE.get(op, 0)
            if prec == 0:
                break
            while operators and operators[-1][1] >= prec:
                self._reduce(operands, operators)
            operators.append((op, prec, self.tok.start))
            self._next()
            operands.append(self.parse_unary())
        while operators:
            self._reduce(operands, operators)
        return operands[0]

    def _reduce(self, operands: list[_Node], operators: list[tuple[str, int, int]]) -> None:
        op, _prec, offset = operators.pop()
        right = operands.pop()
        left = operands.pop()
        if op not in ("&&", "||"):
            self._reject(
                f"operator '{op}' is not supported; combine matchers with && and ||", offset
            )
        lexpr = self._as_operand(left)
        rexpr = self._as_operand(right)
        if lexpr is None or rexpr is None:
            operands.append(_Node("other", left.start, right.end))
            return
        node_type = Or if op == "||" else And
        operands.append(
            _Node(
                "expr", left.start, right.end, expr=node_type(lexpr, rexpr, left.start, right.end)
            )
        )

    def parse_unary(self) -> _Node:
        prefixes: list[_Token] = []
        while self.tok.kind == _OP and self.tok.text in _UNARY:
            self._enter(self.tok.start)
            if self.tok.text != "!":
                self._reject(
                    f"operator '{self.tok.text}' is not supported; negate a matcher with !",
                    self.tok.start,
                )
            prefixes.append(self.tok)
            self._next()
        node = self.parse_primary()
        for prefix in reversed(prefixes):
            self.nesting -= 1
            operand = self._as_operand(node)
            if prefix.text == "!" and operand is not None:
                node = _Node(
                    "expr", prefix.start, node.end, expr=Not(operand, prefix.start, node.end)
                )
            else:
                node = _Node("other", prefix.start, node.end)
        return node

    def parse_primary(self) -> _Node:
        node = self.parse_operand()
        while True:
            if self._is("."):
                dot = self.tok.start
                self._next()
                if self.tok.kind != _IDENT:
                    if self._is("("):
                        self._fail("type assertions are not supported in a rule")
                    self._expected("selector or type assertion")
                name = self.tok.text
                end = self.tok.end
                self._next()
                if node.kind == "ident":
                    node = _Node("selector", node.start, end, name=f"{node.name}.{name}")
                else:
                    self._reject("a field selector is not supported in a rule", dot)
                    node = _Node("other", node.start, end)
            elif self._is("["):
                self._fail("indexing is not supported in a rule")
            elif self._is("("):
                node = self.parse_call(node)
            elif self._is("{") and node.kind in ("ident", "selector"):
                self._fail("composite literals are not supported in a rule")
            else:
                return node

    def parse_operand(self) -> _Node:
        tok = self.tok
        if tok.kind == _IDENT:
            self._next()
            return _Node("ident", tok.start, tok.end, name=tok.text)
        if tok.kind == _STRING:
            self._next()
            decoded = unquote_go(tok.text)
            value = decoded[0] if decoded is not None else ""
            literal = Literal(value, tok.text, tok.start, tok.end)
            return _Node("string", tok.start, tok.end, literal=literal)
        if tok.kind == _NUMBER:
            self._next()
            return _Node("number", tok.start, tok.end, name=tok.text)
        if self._is("("):
            self._enter(tok.start)
            self._next()
            inner = self.parse_expr()
            end = self.tok.end
            self._expect(")")
            self.nesting -= 1
            if inner.kind == "expr":
                return _Node("expr", tok.start, end, expr=inner.expr)
            # predicate walks through parentheses only around matcher trees
            return _Node("paren", tok.start, end, name=inner.name)
        if tok.kind == _KEYWORD and tok.text in ("func", "map", "chan", "struct", "interface"):
            self._fail(f"'{tok.text}' is not allowed in a rule")
        if self._is("["):
            self._fail("array and slice types are not allowed in a rule")
        self._expected("operand")

    def parse_call(self, fun: _Node) -> _Node:
        self._enter(self.tok.start)
        self._next()  # (
        args: list[_Node] = []
        ellipsis = False
        while not self._is(")") and self.tok.kind != _EOF and not ellipsis:
            args.append(self.parse_expr())
            if self._is("..."):
                ellipsis = True  # Go records it; predicate ignores it
                self._next()
            if not self._at_comma():
                break
            self._next()
        if not self._is(")") and self.tok.kind == _SEMI and self.tok.text == "\n":
            self._fail("missing ',' before newline in argument list")
        end = self.tok.end
        self._expect(")")
        self.nesting -= 1
        return self._make_call(fun, args, end)

    def _at_comma(self) -> bool:
        if self._is(","):
            return True
        if not self._is(")"):
            newline = self.tok.kind == _SEMI and self.tok.text == "\n"
            self._fail("missing ','" + (" before newline" if newline else "") + " in argument list")
        return False

    # -- what predicate does with the Go tree ------------------------------------------

    def _make_call(self, fun: _Node, args: list[_Node], end: int) -> _Node:
        if fun.kind not in ("ident", "selector"):
            self._reject("only a matcher name can be called", fun.start)
            return _Node("other", fun.start, end)
        literals: list[Literal] = []
        for arg in args:
            if arg.kind == "string" and arg.literal is not None:
                literals.append(arg.literal)
                continue
            self._reject(self._bad_argument(arg), arg.start)
        if len(literals) != len(args):
            return _Node("other", fun.start, end)
        matcher = Matcher(fun.name, tuple(literals), fun.start, end, fun.end)
        return _Node("expr", fun.start, end, expr=matcher)

    def _bad_argument(self, arg: _Node) -> str:
        if arg.kind == "number":
            return f"matcher arguments are strings: write `{arg.name}` instead of {arg.name}"
        if arg.kind == "ident":
            return f"{arg.name} is not defined; matcher arguments are strings: write `{arg.name}`"
        if arg.kind == "selector":
            return f"{arg.name} is not defined; matcher arguments are strings: write `{arg.name}`"
        if arg.kind == "expr" and isinstance(arg.expr, Matcher):
            return "a matcher cannot be the argument of another matcher"
        return "matcher arguments must be plain string literals (no operators or parentheses)"

    def _as_operand(self, node: _Node) -> Expr | None:
        """What ``&&``, ``||`` and ``!`` accept: a matcher tree, or predicate fails."""
        if node.kind == "expr" and node.expr is not None:
            return node.expr
        if node.kind == "ident":
            self._reject(
                f"{node.name} is not defined; a matcher needs arguments: {node.name}(`...`)",
                node.start,
            )
        elif node.kind == "selector":
            self._reject(f"{node.name} is not defined", node.start)
        elif node.kind == "string":
            self._reject(
                "a string on its own is not a matcher; put it inside a matcher call", node.start
            )
        elif node.kind == "number":
            self._reject("a number is not a matcher", node.start)
        else:
            self._reject("not a matcher expression", node.start)
        return None

    def _as_rule(self, node: _Node) -> Expr:
        expr = self._as_operand(node)
        if self.semantic is not None:
            raise _StopParsingError(self.semantic)
        if expr is None:  # pragma: no cover - _as_operand always notes why
            self._fail("not a matcher expression", node.start)
        return expr


def parse_full(rule: str) -> Expr | RuleSyntaxError:
    """The Go expression parser alone, without the fast path (for tests and comparison)."""
    try:
        tokens = _Scanner(rule).tokens()
        return _Parser(rule, tokens).parse_rule()
    except _StopParsingError as stop:
        return stop.error
    except RecursionError:
        return RuleSyntaxError("expression nests too deeply", 0)


def parse(rule: str) -> Expr | RuleSyntaxError:
    """Parse ``rule``; return its tree, or the error that makes Traefik disable the router.

    Never raises. Matcher names are not checked here (see ``validate.check``):
    which names exist depends on the rule syntax and on HTTP versus TCP.
    """
    simple = parse_simple(rule)
    return simple if simple is not None else parse_full(rule)
