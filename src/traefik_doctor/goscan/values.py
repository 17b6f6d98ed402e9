"""The value resolver: a Go expression → a ``Val`` (text, default, env vars, flags).

The algebra is small on purpose. A ``Val`` is what a person reads (``":" + ${PORT:-"8080"}``),
the value with no environment variable or flag set (``":8080"``; None when unknown), the
environment variables and flags that can change it, and for numbers and durations the numeric
default (durations in nanoseconds). It understands literals, ``+``, duration arithmetic,
constants of the package and of other packages in the module, ``os.Getenv``/``LookupEnv`` with
the usual fallbacks, ``getenv(key, def)`` helpers, ``cmp.Or``, flags (``flag``, pflag, flag
sets, ``flag.StringVar(&v, ...)``), ``fmt.Sprintf``, ``strconv.Itoa``, ``net.JoinHostPort`` and
``http.MethodGet``. Anything else becomes an unknown value carrying its source text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter as ts

from traefik_doctor.goscan.facts import GoValue
from traefik_doctor.goscan.scope import (
    Binding,
    FileCtx,
    PackageCtx,
    is_flag_call,
    lookup,
)
from traefik_doctor.goscan.syntax import call_parts, int_value, operator, short, string_value, text

NANOS = {
    "Nanosecond": 1.0,
    "Microsecond": 1e3,
    "Millisecond": 1e6,
    "Second": 1e9,
    "Minute": 60e9,
    "Hour": 3600e9,
}
HTTP_METHODS = {
    "MethodGet": "GET",
    "MethodHead": "HEAD",
    "MethodPost": "POST",
    "MethodPut": "PUT",
    "MethodPatch": "PATCH",
    "MethodDelete": "DELETE",
    "MethodConnect": "CONNECT",
    "MethodOptions": "OPTIONS",
    "MethodTrace": "TRACE",
}
_CONVERSIONS = frozenset(
    {"string", "int", "int64", "int32", "uint", "uint16", "uint32", "uint64", "float64", "byte"}
)
_VERB = re.compile(r"%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]")
MAX_DEPTH = 16


@dataclass(frozen=True, slots=True)
class Val:
    """A resolved value; see the module docstring."""

    text: str
    default: str | None
    env: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    kind: str = "str"  # str | int | dur | bool | unknown
    number: float | None = None
    bare_env: str | None = None  # os.Getenv("X") with no fallback yet

    def go_value(self) -> GoValue:
        return GoValue(self.text, self.default, _uniq(self.env), _uniq(self.flags))

    @property
    def seconds(self) -> float | None:
        if self.number is None or self.kind not in ("dur", "int"):
            return None
        return self.number / 1e9


def _uniq(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def unknown(node: ts.Node) -> Val:
    return Val(short(node), None, kind="unknown")


def lit(value: str) -> Val:
    return Val(_quote(value), value)


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def number(value: float, kind: str = "int", shown: str | None = None) -> Val:
    return Val(shown or _fmt_number(value), _fmt_number(value), kind=kind, number=value)


def _fmt_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def env(name: str, fallback: Val | None = None) -> Val:
    if fallback is None:
        return Val(f"${{{name}}}", "", (name,), bare_env=name)
    return Val(
        f"${{{name}:-{fallback.text}}}",
        fallback.default,
        (name, *fallback.env),
        fallback.flags,
        fallback.kind if fallback.kind != "unknown" else "str",
        fallback.number,
    )


def flag(name: str, default: Val) -> Val:
    return Val(
        f"flag(-{name}, default {default.text})",
        default.default,
        default.env,
        (name, *default.flags),
        default.kind,
        default.number,
    )


def concat(parts: list[Val]) -> Val:
    merged: list[Val] = []
    for part in parts:
        if part.kind == "str" and part.text == '""':
            continue
        merged.append(part)
    if not merged:
        return lit("")
    defaults = [p.default for p in merged]
    default = "".join(d for d in defaults if d is not None) if None not in defaults else None
    return Val(
        " + ".join(p.text for p in merged),
        default,
        tuple(e for p in merged for e in p.env),
        tuple(f for p in merged for f in p.flags),
    )


def overridden(base: Val, alt: Val) -> Val:
    if base.bare_env is not None and base.default == "":
        # if v := os.Getenv("X"); ... else-like overrides of an empty env: keep the alternative
        return env(base.bare_env, alt)
    return Val(
        f"{base.text} (overridden by {alt.text})",
        base.default,
        base.env + alt.env,
        base.flags + alt.flags,
        base.kind,
        base.number,
    )


def _has_top_level_operator(shown: str) -> bool:
    """``a + 1`` yes, ``flag(-p, default 1)`` no: whether the text needs parentheses."""
    depth = 0
    quoted = False
    for index, char in enumerate(shown):
        if char == '"' and (index == 0 or shown[index - 1] != "\\"):
            quoted = not quoted
        elif quoted:
            continue
        elif char in "({[":
            depth += 1
        elif char in ")}]":
            depth -= 1
        elif depth == 0 and char in "+-*/" and shown[index - 1 : index] == " ":
            return True
    return False


def _as_string(value: Val) -> Val:
    """``strconv.Itoa(n)``, ``%d``: the same value, read as a string."""
    if value.kind in ("int", "dur") and value.number is not None:
        shown = f"({value.text})" if _has_top_level_operator(value.text) else value.text
        return Val(shown, _fmt_number(value.number), value.env, value.flags)
    return Val(value.text, value.default, value.env, value.flags)


class Resolver:
    """Resolves expressions of one package (its trees are alive while it exists)."""

    def __init__(self, pkg: PackageCtx) -> None:
        self.pkg = pkg
        self._busy: set[int] = set()
        self._helpers: dict[str, bool] = {}
        self._package_values: dict[int, Val] = {}

    def value(self, fc: FileCtx, node: ts.Node | None, depth: int = 0) -> Val:
        if node is None:
            return Val("?", None, kind="unknown")
        if depth > MAX_DEPTH or node.id in self._busy:
            return unknown(node)
        self._busy.add(node.id)
        try:
            return self._value(fc, node, depth + 1)
        finally:
            self._busy.discard(node.id)

    def _value(self, fc: FileCtx, node: ts.Node, depth: int) -> Val:
        kind = node.type
        if kind in ("interpreted_string_literal", "raw_string_literal"):
            value = string_value(node)
            return lit(value) if value is not None else unknown(node)
        if kind in ("int_literal", "float_literal", "rune_literal"):
            num = int_value(node)
            return number(num, shown=text(node)) if num is not None else unknown(node)
        if kind in ("true", "false"):
            return Val(kind, kind, kind="bool")
        if kind == "parenthesized_expression" and node.named_child_count == 1:
            return self.value(fc, node.named_children[0], depth)
        if kind == "unary_expression":
            operand = node.child_by_field_name("operand")
            op = operator(node)
            inner = self.value(fc, operand, depth)
            if op == "-" and inner.number is not None:
                return Val(
                    "-" + inner.text,
                    _fmt_number(-inner.number),
                    inner.env,
                    inner.flags,
                    inner.kind,
                    -inner.number,
                )
            if op in ("&", "*", "+"):
                return inner
            return unknown(node)
        if kind == "binary_expression":
            return self._binary(fc, node, depth)
        if kind == "identifier":
            return self._identifier(fc, node, depth)
        if kind == "selector_expression":
            return self._selector(fc, node, depth)
        if kind == "call_expression":
            return self._call(fc, node, depth)
        return unknown(node)

    # -- pieces ---------------------------------------------------------------------------

    def _binary(self, fc: FileCtx, node: ts.Node, depth: int) -> Val:
        left = self.value(fc, node.child_by_field_name("left"), depth)
        right = self.value(fc, node.child_by_field_name("right"), depth)
        op = operator(node)
        if (
            op == "+"
            and (left.kind == "str" or right.kind == "str")
            and "unknown"
            not in (
                left.kind,
                right.kind,
            )
        ):
            return concat([left, right])
        if op == "+" and left.kind == "unknown" and right.kind == "str":
            return concat([left, right])
        if op == "+" and right.kind == "unknown" and left.kind == "str":
            return concat([left, right])
        shown = f"{left.text} {op} {right.text}"
        env_names, flag_names = left.env + right.env, left.flags + right.flags
        result_kind = "dur" if "dur" in (left.kind, right.kind) else "int"
        if left.number is None or right.number is None or op not in "+-*/":
            return Val(
                shown,
                None,
                env_names,
                flag_names,
                result_kind if "unknown" not in (left.kind, right.kind) else "unknown",
            )
        a, b = left.number, right.number
        if op == "+":
            value = a + b
        elif op == "-":
            value = a - b
        elif op == "*":
            value = a * b
        else:
            if b == 0:
                return Val(shown, None, env_names, flag_names, "unknown")
            value = a / b
            if result_kind == "int" and left.kind == right.kind == "int":
                value = float(int(value))
        if left.kind == right.kind == "dur" and op in "*/":
            result_kind = "int" if op == "/" else "dur"
        return Val(shown, _fmt_number(value), env_names, flag_names, result_kind, value)

    def _identifier(self, fc: FileCtx, node: ts.Node, depth: int) -> Val:
        name = text(node)
        if name == "nil":
            return Val("nil", None, kind="unknown")
        if name in ("true", "false"):
            return Val(name, name, kind="bool")
        binding = lookup(fc, self.pkg, name, node)
        if binding is None:
            return unknown(node)
        return self.binding_value(binding, depth)

    def binding_value(self, binding: Binding, depth: int) -> Val:
        if binding.function is None and binding.kind != "param":
            # package level: the same Binding object every time, so its value is cached
            key = id(binding)
            cached = self._package_values.get(key)
            if cached is None:
                cached = self._binding_value(binding, depth)
                self._package_values[key] = cached
            return cached
        return self._binding_value(binding, depth)

    def _binding_value(self, binding: Binding, depth: int) -> Val:
        fc = binding.file
        if binding.kind == "param":
            return Val(binding.name, None, kind="unknown")
        if binding.kind == "type":
            base = Val(binding.name, None, kind="unknown")
        else:
            base = self.value(fc, binding.node, depth)
            if binding.multi:
                base = self._multi(fc, binding, base)
        for value_node, condition in binding.assigns:
            value = self._assignment(fc, value_node, depth)
            if condition is None:
                base = value
            elif base.bare_env is not None and _tests_empty(condition, binding.name):
                base = env(base.bare_env, value)
            else:
                base = overridden(base, value)
        return base

    def _assignment(self, fc: FileCtx, node: ts.Node, depth: int) -> Val:
        if node.type == "call_expression" and is_flag_call(fc, node):
            return self._flag(fc, node, depth)
        return self.value(fc, node, depth)

    def _multi(self, fc: FileCtx, binding: Binding, base: Val) -> Val:
        """``v, ok := os.LookupEnv(...)``: index 0 is the value, the rest is not followed."""
        node = binding.node
        if binding.index == 0 and node is not None and node.type == "call_expression":
            return base
        return Val(binding.name, None, kind="unknown")

    def _selector(self, fc: FileCtx, node: ts.Node, depth: int) -> Val:
        operand = node.child_by_field_name("operand")
        field_node = node.child_by_field_name("field")
        field = text(field_node) if field_node is not None else ""
        package = fc.package_of(operand)
        if package == "time" and field in NANOS:
            return number(NANOS[field], "dur", f"time.{field}")
        if package == "net/http" and field in HTTP_METHODS:
            return lit(HTTP_METHODS[field])
        if package is not None:
            table = self.pkg.module_values.get(package)
            if table is not None and field in table:
                return table[field]
        return unknown(node)

    def _call(self, fc: FileCtx, node: ts.Node, depth: int) -> Val:
        receiver, name, args = call_parts(node)
        package = fc.package_of(receiver)
        if package == "os" and name in ("Getenv", "LookupEnv") and args:
            key = self.value(fc, args[0], depth)
            return env(key.default) if key.default else unknown(node)
        if package == "time" and name == "Duration" and args:
            inner = self.value(fc, args[0], depth)
            return Val(inner.text, inner.default, inner.env, inner.flags, "dur", inner.number)
        if package == "time" and name == "ParseDuration" and args:
            inner = self.value(fc, args[0], depth)
            seconds = parse_go_duration(inner.default) if inner.default else None
            if seconds is None:
                return Val(short(node), None, inner.env, inner.flags, "unknown")
            return Val(inner.text, inner.default, inner.env, inner.flags, "dur", seconds * 1e9)
        if package == "strconv" and name in ("Itoa", "FormatInt", "FormatUint") and args:
            return _as_string(self.value(fc, args[0], depth))
        if package == "fmt" and name == "Sprintf" and args:
            return self._sprintf(fc, node, args, depth)
        if package == "net" and name == "JoinHostPort" and len(args) == 2:
            host = _as_string(self.value(fc, args[0], depth))
            port = _as_string(self.value(fc, args[1], depth))
            return concat([host, lit(":"), port])
        if package == "cmp" and name == "Or" and args:
            values = [self.value(fc, a, depth) for a in args]
            result = values[-1]
            for value in reversed(values[:-1]):
                result = (
                    env(value.bare_env, result) if value.bare_env else overridden(value, result)
                )
            return result
        if receiver is None and name in _CONVERSIONS and len(args) == 1:
            inner = self.value(fc, args[0], depth)
            return _as_string(inner) if name == "string" and inner.kind == "str" else inner
        if is_flag_call(fc, node):
            return self._flag(fc, node, depth)
        if receiver is None and name is not None and self._is_env_helper(name) and args:
            key = self.value(fc, args[0], depth)
            if key.default:
                fallback = self.value(fc, args[1], depth) if len(args) > 1 else None
                return env(key.default, fallback)
        if package is not None and name is not None:
            table = self.pkg.module_values.get(package)
            if table is not None and f"{name}()" in table:
                return table[f"{name}()"]
        if receiver is None and name is not None and not args:
            returned = self.returned_value(name, depth)
            if returned is not None:
                return returned
        return unknown(node)

    def returned_value(self, name: str, depth: int) -> Val | None:
        """The value of ``name()`` when the function has one ``return X`` and no parameters."""
        found = self.pkg.funcs.get(name)
        if found is None:
            return None
        fc, function = found
        params = function.child_by_field_name("parameters")
        if params is not None and params.named_child_count:
            return None
        returns = returns_of(function)
        if len(returns) != 1 or returns[0].named_child_count != 1:
            return None
        return self.value(fc, returns[0].named_children[0], depth)

    def _flag(self, fc: FileCtx, node: ts.Node, depth: int) -> Val:
        _, name, args = call_parts(node)
        assert name is not None
        is_var = name.removesuffix("P").endswith("Var")
        short_form = name.endswith("P")
        first = 1 if is_var else 0
        default_at = first + (2 if short_form else 1)
        if len(args) <= default_at:
            return unknown(node)
        flag_name = self.value(fc, args[first], depth)
        default = self.value(fc, args[default_at], depth)
        base = name.removesuffix("P").removesuffix("Var")
        if base == "Duration" and default.number is not None:
            default = Val(
                default.text, default.default, default.env, default.flags, "dur", default.number
            )
        if not flag_name.default:
            return Val(
                short(node),
                default.default,
                default.env,
                default.flags,
                default.kind,
                default.number,
            )
        return flag(flag_name.default, default)

    def _sprintf(self, fc: FileCtx, node: ts.Node, args: list[ts.Node], depth: int) -> Val:
        fmt_value = self.value(fc, args[0], depth)
        if fmt_value.default is None or fmt_value.kind != "str":
            return unknown(node)
        pieces: list[Val] = []
        rest = args[1:]
        position = 0
        fmt_text = fmt_value.default
        for match in _VERB.finditer(fmt_text):
            if match.start() > position:
                pieces.append(lit(fmt_text[position : match.start()]))
            position = match.end()
            if match.group() == "%%":
                pieces.append(lit("%"))
                continue
            if not rest:
                return unknown(node)
            pieces.append(_as_string(self.value(fc, rest.pop(0), depth)))
        if position < len(fmt_text):
            pieces.append(lit(fmt_text[position:]))
        return concat(pieces)

    def _is_env_helper(self, name: str) -> bool:
        """A package function with parameters whose body reads the environment."""
        cached = self._helpers.get(name)
        if cached is not None:
            return cached
        result = False
        found = self.pkg.funcs.get(name)
        if found is not None:
            fc, function = found
            body = function.child_by_field_name("body")
            params = function.child_by_field_name("parameters")
            if body is not None and params is not None and params.named_child_count:
                source = fc.parsed.source[body.start_byte : body.end_byte]
                result = b"Getenv(" in source or b"LookupEnv(" in source
        self._helpers[name] = result
        return result

    def duration_seconds(self, value: Val) -> float | None:
        if value.number is None or value.kind not in ("dur", "int"):
            return None
        return value.number / 1e9


def returns_of(function: ts.Node) -> list[ts.Node]:
    """The expression lists of ``function``'s own return statements (not nested closures)."""
    body = function.child_by_field_name("body")
    found: list[ts.Node] = []
    if body is None:
        return found
    stack = [body]
    while stack:
        node = stack.pop()
        for child in node.named_children:
            if child.type == "return_statement":
                found.extend(c for c in child.named_children if c.type == "expression_list")
            elif child.type != "func_literal":
                stack.append(child)
    return found


def _tests_empty(condition: ts.Node, name: str) -> bool:
    """``x == ""`` or ``len(x) == 0`` (or ``!ok``) guarding a fallback assignment."""
    source = " ".join(text(condition).split())
    return source in (
        f'{name} == ""',
        f'"" == {name}',
        f"len({name}) == 0",
        "!ok",
        "!found",
        "!exists",
    )


_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION_PART = re.compile(r"([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)")


def parse_go_duration(value: str) -> float | None:
    """Seconds of a ``time.ParseDuration`` string (``1m30s``), None when it does not parse."""
    if value in ("0", ""):
        return 0.0 if value == "0" else None
    total = 0.0
    pos = 0
    for match in _DURATION_PART.finditer(value):
        if match.start() != pos:
            return None
        total += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        pos = match.end()
    return total if pos == len(value) else None
