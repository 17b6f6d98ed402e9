"""The vocabulary for describing Traefik's configuration types.

Traefik decodes its file, label and flag configuration into Go structs with its own decoder
(paerser). What matters to a checker is small: which keys exist at a place (matched without
regard to case, as paerser does), which places hold user-chosen names (routers, headers), which
hold lists, and what a scalar must look like to decode. These four shapes say exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class ScalarKind(Enum):
    """How a scalar must look for Traefik to decode it, named after the Go type behind it."""

    STRING = "string"
    INT = "int"  # strconv.ParseInt: "42" works, "high" does not
    UINT = "uint"
    FLOAT = "float"
    BOOL = "bool"  # strconv.ParseBool: 1 t T TRUE true True 0 f F FALSE false False
    DURATION = "duration"  # ptypes.Duration: integer seconds or a Go duration string ("10s")
    GO_DURATION = "go-duration"  # time.Duration: a Go duration string, or integer nanoseconds
    ANY = "any"  # free-form (plugin configuration, raw JSON)


@dataclass(frozen=True, slots=True)
class Scalar:
    """A single value."""

    kind: ScalarKind


@dataclass(frozen=True, slots=True)
class ListOf:
    """A Go slice: a YAML sequence (or, from labels and flags, a comma-separated string)."""

    item: SchemaType


@dataclass(frozen=True, slots=True)
class MapOf:
    """A Go map: the keys are names the user chooses (routers, services, header names)."""

    value: SchemaType


@dataclass(frozen=True, slots=True)
class Struct:
    """A Go struct: only the listed fields exist; keys match them without regard to case.

    ``fields`` uses Traefik's own spelling (the YAML/JSON tag), which is what messages and
    suggestions show. ``exclusive`` marks structs such as a middleware or a service, where
    exactly one of the fields must be set (the type key).
    """

    name: str
    fields: dict[str, SchemaType] = field(default_factory=dict)
    exclusive: bool = False

    def lookup(self, key: str) -> tuple[str, SchemaType] | None:
        """Find a field the way paerser does: case-insensitively."""
        folded = key.lower()
        for name, value in self.fields.items():
            if name.lower() == folded:
                return name, value
        return None


SchemaType = Scalar | ListOf | MapOf | Struct

STRING = Scalar(ScalarKind.STRING)
INT = Scalar(ScalarKind.INT)
UINT = Scalar(ScalarKind.UINT)
FLOAT = Scalar(ScalarKind.FLOAT)
BOOL = Scalar(ScalarKind.BOOL)
DURATION = Scalar(ScalarKind.DURATION)
GO_DURATION = Scalar(ScalarKind.GO_DURATION)
ANY = Scalar(ScalarKind.ANY)
STRINGS = ListOf(STRING)
