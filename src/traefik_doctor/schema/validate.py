"""Validate a document tree against Traefik's schema, the way Traefik's decoder does.

Measured behaviour this encodes (shared/traefik-facts.md §3, §4):
- keys match fields without regard to case;
- an unknown key at the top level is ignored silently, anywhere deeper it is fatal
  (the dynamic file is rejected, the static file stops Traefik);
- numeric strings decode into numbers (``priority: "42"``), non-numeric ones are fatal;
- a section with no value where Traefik needs one (``routers:`` with nothing under it) is
  rejected.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import Enum

from traefik_doctor.loaders.tree import Mapping, Node, Null, Scalar, Sequence
from traefik_doctor.schema.types import ListOf, MapOf, ScalarKind, SchemaType, Struct
from traefik_doctor.source import Origin


class IssueKind(Enum):
    UNKNOWN_FIELD = "unknown-field"
    UNKNOWN_TOP_LEVEL = "unknown-top-level"
    WRONG_TYPE = "wrong-type"
    EMPTY_SECTION = "empty-section"
    TWO_TYPES = "two-types"
    NULL_ENTRY = "null-entry"  # a named entry with no body: dropped silently, file still loads


@dataclass(frozen=True, slots=True)
class SchemaIssue:
    """One place where the tree does not decode into Traefik's types."""

    kind: IssueKind
    message: str
    origin: Origin
    path: tuple[str, ...]
    suggestion: str | None = None


_GO_DURATION = re.compile(
    r"^[-+]?(\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))*$"
)
_INT = re.compile(r"^[-+]?(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[0-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?((\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|[iI]nf(inity)?|NaN)$")
_BOOLS = frozenset(
    {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}
)
# YAML booleans that Go's yaml decoder still turns into bool for a bool field.
_YAML_BOOLS = frozenset(
    {
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "NO",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "y",
        "Y",
        "n",
        "N",
    }
)


def scalar_error(kind: ScalarKind, text: str) -> str | None:
    """Why ``text`` does not decode into a value of ``kind``, or None if it does."""
    value = text.strip()
    if kind in (ScalarKind.STRING, ScalarKind.ANY):
        return None
    if kind is ScalarKind.BOOL:
        if value in _BOOLS or value in _YAML_BOOLS:
            return None
        return f"{text!r} is not a boolean (use true or false)"
    if kind in (ScalarKind.INT, ScalarKind.UINT):
        if _INT.match(value) and not (kind is ScalarKind.UINT and value.startswith("-")):
            return None
        return f"{text!r} is not an integer"
    if kind is ScalarKind.FLOAT:
        if _FLOAT.match(value) or _INT.match(value):
            return None
        return f"{text!r} is not a number"
    if kind in (ScalarKind.DURATION, ScalarKind.GO_DURATION):
        if _INT.match(value) or _GO_DURATION.match(value) or value in ("0",):
            return None
        return f"{text!r} is not a duration (use a number of seconds or a Go duration like 10s)"
    return None


def suggest(key: str, struct: Struct) -> str | None:
    names = list(struct.fields)
    lowered = {name.lower(): name for name in names}
    close = difflib.get_close_matches(key.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def validate(
    root: Node,
    schema: Struct,
    *,
    flat: bool = False,
    allow_empty: frozenset[tuple[str, str]] | None = None,
    not_type_keys: dict[str, frozenset[str]] | None = None,
) -> list[SchemaIssue]:
    """All schema issues of a document. ``flat`` is for labels and flags, where a list may be
    given as one comma-separated value. ``allow_empty`` lists the (struct, field) pairs that
    may be written as ``{}``; ``not_type_keys`` the fields of exclusive structs that are not
    type keys (a service's ``middlewares``). Both default to the schema module's own."""
    if allow_empty is None or not_type_keys is None:
        default_empty, default_not_types = _schema_defaults(schema)
        allow_empty = default_empty if allow_empty is None else allow_empty
        not_type_keys = default_not_types if not_type_keys is None else not_type_keys
    issues: list[SchemaIssue] = []
    if isinstance(root, Null):
        return issues
    if not isinstance(root, Mapping):
        issues.append(
            SchemaIssue(IssueKind.WRONG_TYPE, "the document is not a mapping", root.origin, ())
        )
        return issues
    # (node, its schema type, its path, the name of the struct that holds it as a field)
    stack: list[tuple[Node, SchemaType, tuple[str, ...], str | None]] = []
    for entry in root:
        found = schema.lookup(entry.key)
        if found is None:
            issues.append(
                SchemaIssue(
                    IssueKind.UNKNOWN_TOP_LEVEL,
                    f"unknown top-level key `{entry.key}` is ignored by Traefik,"
                    " with everything under it",
                    entry.key_origin,
                    (entry.key,),
                    suggest(entry.key, schema),
                )
            )
            continue
        stack.append((entry.value, found[1], (found[0],), schema.name))
    while stack:
        node, expected, path, parent = stack.pop()
        if isinstance(expected, Struct):
            if isinstance(node, Null):
                continue  # Traefik's decoder drops a key with no value
            if not isinstance(node, Mapping):
                issues.append(
                    _wrong(node, path, f"`{_dotted(path)}` must be a section, not a value")
                )
                continue
            if _all_null(node):
                # Keys with no value are dropped, so `http: {routers: }` is an empty `http`.
                if (parent, path[-1] if path else "") not in allow_empty and parent is not None:
                    issues.append(_standalone(node, path))
                if len(node) == 0:
                    continue  # an empty map entry's body is a rule-level concern (MW006)
            types_set = 0
            not_types = not_type_keys.get(expected.name, frozenset())
            for entry in node:
                found = expected.lookup(entry.key)
                if found is None:
                    issues.append(
                        SchemaIssue(
                            IssueKind.UNKNOWN_FIELD,
                            f"unknown field `{entry.key}` in `{_dotted(path)}`",
                            entry.key_origin,
                            (*path, entry.key),
                            suggest(entry.key, expected),
                        )
                    )
                    continue
                if found[0] not in not_types:
                    types_set += 1
                stack.append((entry.value, found[1], (*path, found[0]), expected.name))
            if expected.exclusive and types_set > 1:
                issues.append(
                    SchemaIssue(
                        IssueKind.TWO_TYPES,
                        f"`{_dotted(path)}` sets {types_set} types; Traefik needs exactly one",
                        node.origin,
                        path,
                    )
                )
        elif isinstance(expected, MapOf):
            if isinstance(node, Null):
                continue  # dropped; only a problem when it leaves its parent empty (above)
            if not isinstance(node, Mapping):
                if expected.value is not None and _is_any(expected.value):
                    continue
                issues.append(_wrong(node, path, f"`{_dotted(path)}` must be a mapping of names"))
                continue
            if _all_null(node) and parent is not None:
                issues.append(_standalone(node, path))
                continue
            for entry in node:
                value = entry.value
                if isinstance(value, Null) and isinstance(expected.value, Struct):
                    # Measured (3.7): the entry is dropped silently; the file still loads.
                    issues.append(
                        SchemaIssue(
                            IssueKind.NULL_ENTRY,
                            f"`{_dotted((*path, entry.key))}` has no body; Traefik drops it"
                            " silently",
                            entry.key_origin,
                            (*path, entry.key),
                        )
                    )
                    continue
                stack.append((value, expected.value, (*path, entry.key), None))
        elif isinstance(expected, ListOf):
            if isinstance(node, Sequence):
                for index, item in enumerate(node.items):
                    stack.append((item, expected.item, (*path, str(index)), None))
            elif isinstance(node, Scalar) and (flat or not isinstance(expected.item, Struct)):
                # Traefik also takes "a,b" for a list of strings.
                if isinstance(expected.item, Struct):
                    issues.append(_wrong(node, path, f"`{_dotted(path)}` must be a list"))
            elif isinstance(node, Null):
                continue
            else:
                issues.append(_wrong(node, path, f"`{_dotted(path)}` must be a list"))
        else:  # Scalar schema
            if expected.kind is ScalarKind.ANY:
                continue
            if isinstance(node, Null):
                continue
            if not isinstance(node, Scalar):
                issues.append(_wrong(node, path, f"`{_dotted(path)}` must be a single value"))
                continue
            error = scalar_error(expected.kind, node.text)
            if error is not None:
                issues.append(_wrong(node, path, f"`{_dotted(path)}`: {error}"))
    issues.sort(key=lambda issue: issue.origin.offset or 0)
    return issues


def _is_any(schema: SchemaType) -> bool:
    from traefik_doctor.schema.types import Scalar as ScalarSchema

    return isinstance(schema, ScalarSchema) and schema.kind is ScalarKind.ANY


def _schema_defaults(
    schema: Struct,
) -> tuple[frozenset[tuple[str, str]], dict[str, frozenset[str]]]:
    from traefik_doctor.schema import dynamic, static

    if schema is static.STATIC:
        return static.ALLOW_EMPTY, {}
    return dynamic.ALLOW_EMPTY, dynamic.NOT_TYPE_KEYS


def _all_null(node: Mapping) -> bool:
    return all(isinstance(entry.value, Null) for entry in node)


def _standalone(node: Mapping, path: tuple[str, ...]) -> SchemaIssue:
    # Traefik's decoder refuses `{}` except where a field is tagged allowEmpty:
    # "<key> cannot be a standalone element". Keys with no value are dropped first, so a
    # section holding only such keys is empty too (measured: `http: {routers: }`).
    if len(node) == 0:
        message = f"`{_dotted(path)}` is empty (`{{}}`); Traefik refuses it as a standalone element"
    else:
        keys = ", ".join(f"`{entry.key}`" for entry in node)
        message = (
            f"`{_dotted(path)}` holds only keys with no value ({keys}), so it is empty;"
            " Traefik refuses it as a standalone element"
        )
    return SchemaIssue(IssueKind.EMPTY_SECTION, message, node.origin, path)


def _wrong(node: Node, path: tuple[str, ...], message: str) -> SchemaIssue:
    return SchemaIssue(IssueKind.WRONG_TYPE, message, node.origin, path)


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(path)
