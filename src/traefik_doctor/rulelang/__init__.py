"""Traefik's router rule language: parse, validate, translate regexps, compute priorities.

A rule is a Go expression (Traefik parses it with ``go/parser`` through
``vulcand/predicate``), so ``parse`` mirrors Go's parser; ``check`` then applies
what Traefik's matcher builders do with each call.

``ast.matchers`` (walk the matcher calls of a tree) is re-exported here as
``iter_matchers``: ``traefik_doctor.rulelang.matchers`` is the matcher registry
module, and one package attribute cannot be both.
"""

from traefik_doctor.rulelang.ast import (
    And,
    Expr,
    Literal,
    Matcher,
    Not,
    Or,
    depth,
    value_offset,
)
from traefik_doctor.rulelang.ast import matchers as iter_matchers
from traefik_doctor.rulelang.matchers import (
    HTTP_V2,
    HTTP_V3,
    TCP_V2,
    TCP_V3,
    Arity,
    Variadic,
    lookup,
    spellings,
    suggest,
)
from traefik_doctor.rulelang.parser import MAX_NESTING, RuleSyntaxError, parse
from traefik_doctor.rulelang.priority import MAX_PRIORITY, default_priority, default_tcp_priority
from traefik_doctor.rulelang.regexp import (
    GoRegexpError,
    go_regexp_check,
    go_regexp_error,
    to_python,
)
from traefik_doctor.rulelang.validate import FATAL_KINDS, RuleIssue, check, effective_syntax

__all__ = [
    "FATAL_KINDS",
    "HTTP_V2",
    "HTTP_V3",
    "MAX_NESTING",
    "MAX_PRIORITY",
    "TCP_V2",
    "TCP_V3",
    "And",
    "Arity",
    "Expr",
    "GoRegexpError",
    "Literal",
    "Matcher",
    "Not",
    "Or",
    "RuleIssue",
    "RuleSyntaxError",
    "Variadic",
    "check",
    "default_priority",
    "default_tcp_priority",
    "depth",
    "effective_syntax",
    "go_regexp_check",
    "go_regexp_error",
    "iter_matchers",
    "lookup",
    "parse",
    "spellings",
    "suggest",
    "to_python",
    "value_offset",
]
