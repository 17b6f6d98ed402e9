"""Where an edit goes: the file that defines a model object, and its key path there.

Rules call these to build their edits. An object can be edited only when it was read from a
Traefik static or file-provider file in YAML or TOML; objects from compose labels, CLI flags
or environment variables get no edits (their fix stays a description: a label string or a
flag is not a document ``fix`` can edit structurally).
"""

from __future__ import annotations

from typing import Literal

from traefik_doctor.fix.edits import Edit, KeyPath, ReplaceText
from traefik_doctor.loaders.tree import Mapping
from traefik_doctor.model.dynamic import Middleware, Router, Service
from traefik_doctor.model.project import Project, Role
from traefik_doctor.model.routing import ParsedRule
from traefik_doctor.rulelang.parser import RuleSyntaxError, parse
from traefik_doctor.rulelang.validate import check
from traefik_doctor.source import Origin

EDITABLE_SUFFIXES = (".yml", ".yaml", ".toml")


def editable_file(project: Project, origin: Origin | None) -> str | None:
    """The path of the static or file-provider file ``origin`` points into, or None when
    the value comes from anywhere else (labels, flags, environment, a compose file)."""
    if origin is None:
        return None
    source = origin.source
    for document in project.documents:
        if document.source is not source:
            continue
        if document.role not in (Role.STATIC, Role.DYNAMIC) or document.tree is None:
            return None
        if not source.path.lower().endswith(EDITABLE_SUFFIXES):
            return None
        return source.path
    return None


def static_file(project: Project) -> str | None:
    """The static configuration file, when the static configuration comes from one."""
    static = project.static
    if static.kind != "file" or static.root is None:
        return None
    return editable_file(project, static.origin)


def router_path(router: Router) -> KeyPath:
    return (router.protocol, "routers", router.name)


def service_path(service: Service) -> KeyPath:
    return (service.protocol, "services", service.name)


def middleware_path(middleware: Middleware) -> KeyPath:
    return (middleware.protocol, "middlewares", middleware.name)


def rule_rewrite(
    project: Project, parsed: ParsedRule, start: int, end: int, new: str
) -> tuple[Edit, ...]:
    """Replace characters ``start:end`` of a router's rule with ``new``, as one edit; none
    when the router is not in an editable file or the rewritten rule would not be clean:
    it must parse, and the new text must raise no issue of its own under the router's
    syntax (a fix must not trade one rule error for another)."""
    file = editable_file(project, parsed.rule.origin)
    if file is None or parsed.kind not in ("http", "tcp"):
        return ()
    text = parsed.rule.text
    rewritten = text[:start] + new + text[end:]
    expr = parse(rewritten)
    if isinstance(expr, RuleSyntaxError):
        return ()
    kind: Literal["http", "tcp"] = "http" if parsed.kind == "http" else "tcp"
    syntax: Literal["v2", "v3"] = "v2" if parsed.syntax == "v2" else "v3"
    for issue in check(expr, syntax, kind):
        if issue.start < start + len(new) and start <= issue.end - 1:
            return ()
    path = (*router_path(parsed.router), key_as_written(parsed.router.body, "rule"))
    return (ReplaceText(file, path, start, end, text[start:end], new),)


def key_as_written(body: Mapping | None, field: str) -> str:
    """A struct field's key as written (``Rule``), so the edit names it exactly."""
    entry = body.find(field) if body is not None else None
    return entry.key if entry is not None else field


def static_path(project: Project, *fields: str) -> KeyPath:
    """A static configuration key path with each existing key as written (``API.Insecure``)."""
    node = project.static.root
    out: list[str] = []
    for name in fields:
        out.append(key_as_written(node, name))
        entry = node.find(name) if node is not None else None
        node = entry.value if entry is not None and isinstance(entry.value, Mapping) else None
    return tuple(out)
