"""Per-file and per-package context, and the lookup of a name at a point in the code.

Lookup is lazy and block-accurate: from the use, it walks outwards through the enclosing
statement lists, scanning earlier statements for the declaration (``:=``, ``var``, ``const``,
an ``if``/``switch`` initializer, a parameter) and collecting the assignments made between the
declaration and the use. Assignments nested in ``if``/``for``/``switch`` are *conditional*; the
value resolver turns ``if port == "" { port = "8080" }`` into an environment fallback and other
conditional assignments into an "overridden by" note. Package-level names come from the package
index, including variables bound by ``flag.StringVar(&v, ...)`` anywhere in the package.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import tree_sitter as ts

from traefik_doctor.findings import Location
from traefik_doctor.goscan.parse import ParsedFile, matches, query
from traefik_doctor.goscan.syntax import call_parts, location, text, unwrap

if TYPE_CHECKING:
    from traefik_doctor.goscan.values import Val

FLAG_PACKAGES = frozenset({"flag", "github.com/spf13/pflag"})

_ASSIGNMENTS = query("(assignment_statement) @a")
_FLAG_VAR_CALLS = query(
    """(call_expression
         function: (selector_expression field: (field_identifier) @m)
         arguments: (argument_list . (unary_expression operand: (identifier) @v))
         (#match? @m "Var(P)?$")) @call"""
)


def default_alias(path: str) -> str:
    """The name a package is used under when imported without alias."""
    parts = path.rstrip("/").split("/")
    last = parts[-1]
    if len(parts) > 1 and len(last) > 1 and last[0] == "v" and last[1:].isdigit():
        last = parts[-2]
    if last.startswith("go-"):
        last = last[3:]
    for cut in (".v", "-go"):
        if cut in last:
            last = last.split(cut)[0]
    return last.replace("-", "_").replace(".", "_")


class FileCtx:
    """One parsed file with its import table."""

    __slots__ = (
        "_functions",
        "_locals",
        "_simple",
        "blank_imports",
        "import_specs",
        "imports",
        "parsed",
        "rel",
    )

    def __init__(self, parsed: ParsedFile) -> None:
        self.parsed = parsed
        self.rel = parsed.rel
        self.imports: dict[str, str] = {}
        self.blank_imports: list[tuple[str, ts.Node]] = []
        self.import_specs: dict[str, ts.Node] = {}
        self._functions: tuple[list[int], list[ts.Node]] | None = None
        self._simple: dict[tuple[int, str], Binding | None] = {}
        self._locals: dict[int, frozenset[bytes] | None] = {}
        for decl in parsed.root.children:
            if decl.type != "import_declaration":
                continue
            specs = [n for n in decl.named_children if n.type == "import_spec"]
            for spec_list in decl.named_children:
                if spec_list.type == "import_spec_list":
                    specs.extend(n for n in spec_list.named_children if n.type == "import_spec")
            for spec in specs:
                path_node = spec.child_by_field_name("path")
                if path_node is None:
                    continue
                path = text(path_node).strip('"`')
                name = spec.child_by_field_name("name")
                alias = text(name) if name is not None else default_alias(path)
                self.import_specs.setdefault(path, spec)
                if alias in ("_", "."):
                    self.blank_imports.append((path, spec))
                    if alias == "_":
                        continue
                self.imports[alias] = path

    def release(self) -> None:
        """Drop caches that point back at this file, so the tree is freed without the GC."""
        self._simple.clear()
        self._locals.clear()
        self._functions = None

    def declares(self, function: ts.Node, needle: bytes) -> bool:
        """Whether ``function``'s body may declare or assign the name ``needle``."""
        if function.id not in self._locals:
            body = function.child_by_field_name("body")
            self._locals[function.id] = (
                local_names(self.parsed.source, body.start_byte, body.end_byte)
                if body is not None
                else frozenset()
            )
        names = self._locals[function.id]
        return names is None or needle in names

    def outer_function(self, node: ts.Node) -> ts.Node | None:
        """The top-level function or method declaration containing ``node``."""
        if self._functions is None:
            decls = [
                d
                for d in self.parsed.root.children
                if d.type in ("function_declaration", "method_declaration")
            ]
            self._functions = ([d.start_byte for d in decls], decls)
        starts, decls = self._functions
        index = bisect.bisect_right(starts, node.start_byte) - 1
        if index < 0:
            return None
        decl = decls[index]
        return decl if node.end_byte <= decl.end_byte else None

    def package_of(self, node: ts.Node | None) -> str | None:
        """The import path when ``node`` is an identifier naming an imported package."""
        if node is None or node.type not in ("identifier", "package_identifier"):
            return None
        return self.imports.get(text(node))

    def loc(self, node: ts.Node) -> Location:
        return location(self.rel, node)


@dataclass(slots=True)
class Binding:
    """Where a name gets its value: a declaration plus the assignments before the use."""

    file: FileCtx
    name: str
    kind: str  # "value", "param", "type" (var x T with no value)
    node: ts.Node | None  # the value expression, the parameter declaration or the type
    index: int = 0  # position in a multi-value right-hand side (v, ok := ...)
    multi: bool = False
    assigns: list[tuple[ts.Node, ts.Node | None]] = field(default_factory=list)
    function: ts.Node | None = None  # for parameters: the function; else the declaring scope
    param_index: int = 0
    decl: ts.Node | None = None


@dataclass(slots=True)
class PackageCtx:
    """The package being processed: its files and package-level index."""

    import_path: str
    rel: str
    files: list[FileCtx]
    toplevel: dict[str, Binding] = field(default_factory=dict)
    funcs: dict[str, tuple[FileCtx, ts.Node]] = field(default_factory=dict)
    callers: dict[str, list[tuple[FileCtx, ts.Node]]] = field(default_factory=dict)
    # Tables of the module's other packages (filled dependencies-first): exported values,
    # routers returned by exported functions.
    module_values: dict[str, dict[str, Val]] = field(default_factory=dict)
    module_routers: dict[str, dict[str, tuple[str, str, str]]] = field(default_factory=dict)
    module_packages: frozenset[str] = frozenset()

    def index(self) -> None:
        for fc in self.files:
            for decl in fc.parsed.root.children:
                if decl.type in ("var_declaration", "const_declaration"):
                    for spec in _specs(decl):
                        for name, binding in _spec_bindings(fc, spec):
                            self.toplevel.setdefault(name, binding)
                elif decl.type == "function_declaration":
                    name_node = decl.child_by_field_name("name")
                    if name_node is not None:
                        self.funcs.setdefault(text(name_node), (fc, decl))
        for fc in self.files:
            if not _might_bind_flags(fc.parsed.source):
                continue
            for _, caps in matches(_FLAG_VAR_CALLS, fc.parsed.root):
                call, var = caps["call"][0], caps["v"][0]
                if not is_flag_call(fc, call):
                    continue
                name = text(var)
                top = self.toplevel.get(name)
                if top is not None and lookup_local(fc, name, call) is None:
                    top.assigns.append((call, None))


def _might_bind_flags(source: bytes) -> bool:
    return b"Var(" in source or b"VarP(" in source


def is_flag_call(fc: FileCtx, call: ts.Node) -> bool:
    """A ``flag``/``pflag`` definer: ``flag.String``, ``fs.IntVar``, ``cmd.Flags().Bool``."""
    receiver, name, _ = call_parts(call)
    if receiver is None or name is None or not name[:1].isupper():
        return False
    base = name.removesuffix("P").removesuffix("Var")
    if base not in FLAG_KINDS:
        return False
    if fc.package_of(receiver) in FLAG_PACKAGES:
        return True
    receiver_text = text(receiver)
    if receiver_text.endswith(("Flags()", "PersistentFlags()", "flags", "Flags", "fs", "flagSet")):
        return True
    if receiver.type == "identifier":
        binding = lookup(fc, None, text(receiver), receiver)
        if binding is not None and binding.node is not None and binding.kind == "value":
            value = unwrap(binding.node)
            if value.type == "call_expression":
                _, callee, _ = call_parts(value)
                return callee == "NewFlagSet"
    return False


FLAG_KINDS = frozenset(
    {
        "String",
        "Int",
        "Int64",
        "Int32",
        "Uint",
        "Uint64",
        "Uint32",
        "Bool",
        "Duration",
        "Float64",
        "StringSlice",
        "Float32",
        "Uint16",
        "IP",
    }
)


def _specs(decl: ts.Node) -> list[ts.Node]:
    specs: list[ts.Node] = []
    for child in decl.named_children:
        if child.type in ("var_spec", "const_spec"):
            specs.append(child)
        elif child.type == "var_spec_list":
            specs.extend(c for c in child.named_children if c.type == "var_spec")
    return specs


def _spec_bindings(fc: FileCtx, spec: ts.Node) -> list[tuple[str, Binding]]:
    names = [c for c in spec.children_by_field_name("name") if c.type == "identifier"]
    value = spec.child_by_field_name("value")
    values = value.named_children if value is not None else []
    type_node = spec.child_by_field_name("type")
    out: list[tuple[str, Binding]] = []
    for i, name_node in enumerate(names):
        name = text(name_node)
        if values and len(values) == len(names):
            out.append((name, Binding(fc, name, "value", values[i], decl=spec)))
        elif values:
            out.append((name, Binding(fc, name, "value", values[0], i, True, decl=spec)))
        else:
            out.append((name, Binding(fc, name, "type", type_node, decl=spec)))
    return out


def _declared(fc: FileCtx, stmt: ts.Node, name: str) -> Binding | None:
    """The binding when ``stmt`` declares ``name``."""
    kind = stmt.type
    if kind == "short_var_declaration":
        left = stmt.child_by_field_name("left")
        right = stmt.child_by_field_name("right")
        if left is None or right is None:
            return None
        names = left.named_children
        for i, node in enumerate(names):
            if node.type == "identifier" and text(node) == name:
                values = right.named_children
                if len(values) == len(names):
                    return Binding(fc, name, "value", values[i], decl=stmt)
                if values:
                    return Binding(fc, name, "value", values[0], i, True, decl=stmt)
        return None
    if kind in ("var_declaration", "const_declaration"):
        for spec in _specs(stmt):
            for spec_name, binding in _spec_bindings(fc, spec):
                if spec_name == name:
                    return binding
    return None


def _assigned_value(stmt: ts.Node, name: str) -> ts.Node | None:
    """What ``stmt`` assigns to ``name``: ``name = v``, ``*name = v``, ``flag.XVar(&name)``."""
    if stmt.type == "assignment_statement":
        left = stmt.child_by_field_name("left")
        right = stmt.child_by_field_name("right")
        if left is None or right is None:
            return None
        op = stmt.child_by_field_name("operator")
        if op is not None and text(op) != "=":
            return None
        names = left.named_children
        for i, node in enumerate(names):
            target = node
            if target.type == "unary_expression":
                target = unwrap(target)
            if target.type == "identifier" and text(target) == name:
                values = right.named_children
                if len(values) == len(names):
                    return values[i]
                return values[0] if values and i == 0 else stmt
        return None
    if stmt.type == "expression_statement" and stmt.named_child_count and _mentions_var(stmt):
        call = stmt.named_children[0]
        if call.type == "call_expression":
            _, callee, args = call_parts(call)
            if (
                callee is not None
                and callee.endswith(("Var", "VarP"))
                and args
                and args[0].type == "unary_expression"
                and text(unwrap(args[0])) == name
            ):
                return call
    return None


def _mentions_var(stmt: ts.Node) -> bool:
    raw = stmt.text
    return raw is not None and b"Var" in raw


def _nested_assignments(
    stmt: ts.Node, name: str, source: bytes
) -> list[tuple[ts.Node, ts.Node | None]]:
    """Assignments to ``name`` inside ``stmt``'s nested blocks, with their ``if`` condition."""
    if source.find(name.encode(), stmt.start_byte, stmt.end_byte) < 0:
        return []
    found: list[tuple[ts.Node, ts.Node | None]] = []
    for _, caps in matches(_ASSIGNMENTS, stmt):
        assignment = caps["a"][0]
        value = _assigned_value(assignment, name)
        if value is None:
            continue
        condition: ts.Node | None = None
        parent = assignment.parent
        while parent is not None and parent.id != stmt.id:
            if parent.type in ("if_statement", "expression_case", "for_statement"):
                break
            parent = parent.parent
        if parent is not None and parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
        found.append((value, condition if condition is not None else stmt))
    found.sort(key=lambda pair: pair[0].start_byte)
    return found


def lookup_local(fc: FileCtx, name: str, at: ts.Node) -> Binding | None:
    """The function-level binding of ``name`` visible at ``at`` (None: package level or unknown)."""
    source = fc.parsed.source
    needle = name.encode()
    outer = fc.outer_function(at)
    if outer is not None:
        if source.count(needle, outer.start_byte, outer.end_byte) <= 1:
            return None  # the use is the only mention in its function
        # Fast path: nothing in the body declares or assigns the name, so the binding is the
        # same everywhere in the function (a parameter, or package level).
        key = (outer.id, name)
        if key in fc._simple:
            return fc._simple[key]
        if not fc.declares(outer, needle):
            found = _parameter(fc, outer, name)
            fc._simple[key] = found
            return found
    return _walk(fc, name, at, source, needle)


_ASSIGN_OPS = re.compile(rb"(?<![=!<>:])(?::=|[-+*/|&^%]?=)(?!=)")
_NAME = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_FUNC_PARAMS = re.compile(rb"\bfunc\s*\(([^)]*)\)")
_ADDRESS_OF = re.compile(rb"&[ \t]*([A-Za-z_][A-Za-z0-9_]*)")
_VAR = re.compile(rb"\b(?:var|const)[ \t]+([A-Za-z_][A-Za-z0-9_]*)")
_GROUPED = re.compile(rb"\b(?:var|const)\s*\(")


def local_names(source: bytes, start: int, end: int) -> frozenset[bytes] | None:
    """Names a function body may declare or assign, over-approximated from its text.

    None stands for "any name" (a grouped ``var (``/``const (`` block).
    """
    if _GROUPED.search(source, start, end):
        return None
    names: set[bytes] = set()
    for match in _ASSIGN_OPS.finditer(source, start, end):
        op = match.start()
        line = max(source.rfind(b"\n", start, op), source.rfind(b";", start, op), start)
        names.update(_NAME.findall(source, line, op))
    for match in _FUNC_PARAMS.finditer(source, start, end):
        names.update(_NAME.findall(match.group(1)))
    names.update(m.group(1) for m in _ADDRESS_OF.finditer(source, start, end))
    names.update(m.group(1) for m in _VAR.finditer(source, start, end))
    return frozenset(names)


def _walk(fc: FileCtx, name: str, at: ts.Node, source: bytes, needle: bytes) -> Binding | None:
    cur = at
    later: list[tuple[ts.Node, ts.Node | None]] = []
    ancestors: list[ts.Node] = []
    node = at.parent
    while node is not None:
        ancestors.append(node)
        node = node.parent
    for parent in ancestors:
        kind = parent.type
        if kind == "statement_list" and source.find(needle, parent.start_byte, cur.start_byte) >= 0:
            siblings = parent.named_children
            for sib in reversed(siblings):
                if sib.start_byte >= cur.start_byte:
                    continue
                if source.find(needle, sib.start_byte, sib.end_byte) < 0:
                    continue
                found = _declared(fc, sib, name)
                if found is not None:
                    later.reverse()
                    found.assigns = later
                    found.function = parent
                    return found
                direct = _assigned_value(sib, name)
                if direct is not None:
                    later.append((direct, None))
                elif sib.type not in ("expression_statement", "return_statement"):
                    later.extend(reversed(_nested_assignments(sib, name, source)))
        elif kind in (
            "if_statement",
            "for_statement",
            "expression_switch_statement",
            "type_switch_statement",
        ):
            init = parent.child_by_field_name("initializer")
            if init is not None and init.id != cur.id:
                found = _declared(fc, init, name)
                if found is not None:
                    later.reverse()
                    found.assigns = later
                    found.function = parent
                    return found
        elif kind in ("function_declaration", "method_declaration", "func_literal"):
            param = _parameter(fc, parent, name)
            if param is not None:
                return param
            if kind != "func_literal":
                return None
        elif kind == "source_file":
            return None
        cur = parent
    return None


def _parameter(fc: FileCtx, function: ts.Node, name: str) -> Binding | None:
    index = 0
    for field_name in ("receiver", "parameters"):
        params = function.child_by_field_name(field_name)
        if params is None:
            continue
        for decl in params.named_children:
            if decl.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                continue
            names = [n for n in decl.children_by_field_name("name") if n.type == "identifier"]
            for name_node in names or [decl]:
                if names and text(name_node) == name:
                    return Binding(
                        fc,
                        name,
                        "param",
                        decl.child_by_field_name("type"),
                        function=function,
                        param_index=index if field_name == "parameters" else -1,
                    )
                if field_name == "parameters":
                    index += 1
    return None


def lookup(fc: FileCtx, pkg: PackageCtx | None, name: str, at: ts.Node) -> Binding | None:
    """The binding of ``name`` at ``at``: local first, then package level."""
    local = lookup_local(fc, name, at)
    if local is not None:
        return local
    if pkg is not None:
        return pkg.toplevel.get(name)
    return None
