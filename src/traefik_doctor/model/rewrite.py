"""The path a backend receives: a router's middlewares applied to a request path, as Traefik
applies them, and the request paths a router's rule stands for.

Read from Traefik v3.7.9 (``pkg/middlewares/...``) and checked against the real binary
(``tests/model/test_rewrite_traefik.py``):

* ``stripPrefix``: the prefixes (each ``strings.TrimSpace``-d) are tried in order and the
  FIRST that is a plain string prefix of the path is removed (``/api`` also strips
  ``/apix`` to ``/x``); a result without a leading ``/`` gets one; removing the whole path
  leaves it empty, and the backend then receives ``/`` (``URL.RequestURI()``). The stripped
  path is re-cleaned with ``URL.JoinPath()`` and a path that cleaning would change (``//``,
  ``/./``, ``/../``) is answered ``400 Bad Request`` by Traefik itself.
* ``stripPrefixRegex``: each regexp, in order, is searched (unanchored) in the path; the first
  non-empty match that is also a prefix of the path is removed, then as ``stripPrefix``.
* ``replacePath``: the path becomes ``path`` (percent-decoded), whatever it was.
* ``replacePathRegex``: when the regexp matches the (escaped) path, EVERY match is replaced
  (``ReplaceAllString``, Go ``$1``/``${name}`` templates) and the result is decoded and
  cleaned as for ``stripPrefix`` (``400`` when cleaning changes it).
* ``addPrefix``: ``prefix + path`` with a leading ``/`` ensured.
* ``chain``: its middlewares, in order (names resolved against the chain's provider).
* ``redirectScheme``/``redirectRegex``: the request is answered with a redirect and never
  reaches the backend (``redirectScheme`` to ``https`` on a TLS router is taken as a no-op;
  ``redirectRegex`` is assumed to match, as the full URL it tests is not known here).
* every other middleware leaves the path alone.

Percent-encoding is not modelled (paths are taken as decoded and ASCII).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from traefik_doctor.model.dynamic import Middleware, Router, qualify
from traefik_doctor.model.project import Project
from traefik_doctor.model.routing import ParsedRule
from traefik_doctor.model.values import Value, value, values
from traefik_doctor.rulelang.ast import And, Expr, Matcher, Not, Or
from traefik_doctor.rulelang.regexp import go_regexp_check, to_python
from traefik_doctor.source import Origin

PATH_KINDS = frozenset(
    {"stripprefix", "stripprefixregex", "replacepath", "replacepathregex", "addprefix"}
)
REDIRECT_KINDS = frozenset({"redirectscheme", "redirectregex"})
MAX_CHAIN_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Step:
    """One middleware applied: ``after`` is None when it ended the request (redirect, 400)."""

    middleware: Middleware
    kind: str
    before: str
    after: str | None
    note: str = ""
    origin: Origin | None = None
    """The option that decided the step (the prefix that matched, the regexp...)."""

    @property
    def changed(self) -> bool:
        return self.after != self.before

    def describe(self) -> str:
        shown_before = self.before or "/"
        if self.after is None:
            return f"`{shown_before}` ends at `{self.middleware.qualified}` ({self.note})"
        return f"`{shown_before}` → `{self.after or '/'}` by `{self.middleware.qualified}`"


@dataclass(frozen=True, slots=True)
class Rewrite:
    """The outcome of a router's middlewares for one request path."""

    request: str
    path: str
    """The path the backend receives (``""`` after stripping is sent as ``/``)."""
    steps: tuple[Step, ...] = ()
    ends: Step | None = None
    """The step that answered the request instead of the backend."""
    unknown: str | None = None
    """Why the outcome cannot be computed (an undefined middleware, a regexp not translatable)."""

    @property
    def reaches_backend(self) -> bool:
        return self.ends is None and self.unknown is None

    @property
    def changed_steps(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.changed)

    def describe(self) -> str:
        shown = [step.describe() for step in self.changed_steps]
        return ", then ".join(shown) if shown else f"`{self.request}` unchanged"


@dataclass(frozen=True, slots=True)
class Expanded:
    """A router's middlewares with chains expanded, each with the router's reference that
    brought it in (for pointing a finding at the router's own list)."""

    middlewares: tuple[tuple[Middleware, Value], ...]
    missing: tuple[str, ...] = ()


def kind_of(middleware: Middleware) -> str:
    return (middleware.kind or "").lower()


def expand(project: Project, router: Router) -> Expanded:
    """The router's middlewares in the order Traefik runs them, chains flattened."""
    out: list[tuple[Middleware, Value]] = []
    missing: list[str] = []
    # An explicit stack, not a nested function that calls itself: such a closure is a
    # reference cycle per call, which only the cycle collector (off during `check`) frees.
    stack: list[tuple[list[Value], str, Value | None, int]] = [
        (list(router.middlewares), router.provider, None, 0)
    ]
    while stack:
        names, provider, reference, depth = stack.pop()
        for index, name in enumerate(names):
            found = project.dynamic.find_middleware(router.protocol, name.text.strip(), provider)
            ref = reference or name
            if found is None:
                missing.append(qualify(name.text.strip(), provider))
                continue
            if kind_of(found) == "chain":
                if depth >= MAX_CHAIN_DEPTH:
                    missing.append(found.qualified)
                    continue
                # The rest of this list after the chain's members: push it first.
                stack.append((names[index + 1 :], provider, reference, depth))
                inner = values(found.options_map, "middlewares")
                stack.append((list(inner), found.provider, ref, depth + 1))
                break
            out.append((found, ref))
    return Expanded(tuple(out), tuple(missing))


def path_middlewares(project: Project, router: Router) -> list[tuple[Middleware, Value]]:
    """The path-rewriting middlewares of a router (chains expanded)."""
    return [(m, ref) for m, ref in expand(project, router).middlewares if kind_of(m) in PATH_KINDS]


def rewrite(project: Project, router: Router, path: str) -> Rewrite:
    """Apply the router's middlewares to a request ``path`` the way Traefik does."""
    return rewriter(project, router)(path)


def rewriter(project: Project, router: Router) -> Callable[[str], Rewrite]:
    """``rewrite`` for many paths of one router (the middlewares are resolved once)."""
    expanded = expand(project, router)
    middlewares = [m for m, _ in expanded.middlewares]
    tls = router.tls is not None

    def run(path: str) -> Rewrite:
        if expanded.missing:
            missing = expanded.missing[0]
            return Rewrite(path, path, unknown=f"middleware `{missing}` is not defined")
        return apply(middlewares, path, tls=tls, request=path)

    return run


def apply(
    middlewares: list[Middleware], path: str, *, tls: bool = False, request: str | None = None
) -> Rewrite:
    """Apply already-resolved middlewares (no chains) to ``path``."""
    current = path
    steps: list[Step] = []
    for middleware in middlewares:
        kind = kind_of(middleware)
        options = middleware.options_map
        try:
            step = _apply_one(middleware, kind, options, current, tls)
        except _UnknownError as exc:
            return Rewrite(request or path, current, tuple(steps), unknown=str(exc))
        if step is None:
            continue
        steps.append(step)
        if step.after is None:
            return Rewrite(request or path, current, tuple(steps), ends=step)
        current = step.after
    return Rewrite(request or path, current or "/", tuple(steps))


class _UnknownError(Exception):
    pass


def _apply_one(
    middleware: Middleware, kind: str, options: object, path: str, tls: bool
) -> Step | None:
    from traefik_doctor.loaders.tree import Mapping

    opts = options if isinstance(options, Mapping) else None
    if kind == "stripprefix":
        for prefix_value in values(opts, "prefixes"):
            prefix = prefix_value.text.strip()
            if path.startswith(prefix):
                return _stripped(middleware, kind, path, path[len(prefix) :], prefix_value)
        return Step(middleware, kind, path, path, "no prefix matches")
    if kind == "stripprefixregex":
        for regex_value in values(opts, "regex"):
            compiled = _compile(regex_value.text.strip(), middleware)
            found = compiled.search(path)
            if found is None or not found.group(0) or not path.startswith(found.group(0)):
                continue
            return _stripped(
                middleware, kind, path, path.replace(found.group(0), "", 1), regex_value
            )
        return Step(middleware, kind, path, path, "no regexp matches")
    if kind == "replacepath":
        target = value(opts, "path")
        if target is None:
            raise _UnknownError(f"`{middleware.qualified}` has no path")
        decoded = _path_unescape(target.text)
        if decoded is None:
            return Step(middleware, kind, path, None, "500: invalid escape", target.origin)
        return Step(middleware, kind, path, decoded, origin=target.origin)
    if kind == "replacepathregex":
        regex_one = value(opts, "regex")
        replacement = value(opts, "replacement")
        if regex_one is None:
            raise _UnknownError(f"`{middleware.qualified}` has no regex")
        compiled = _compile(regex_one.text.strip(), middleware)
        if compiled.search(path) is None:
            return Step(middleware, kind, path, path, "regexp does not match")
        template = replacement.text.strip() if replacement is not None else ""
        replaced = compiled.sub(lambda m: go_expand(m, template), path)
        decoded = _path_unescape(replaced)
        if decoded is None:
            return Step(middleware, kind, path, None, "500: invalid escape", regex_one.origin)
        if decoded and join_path_clean(decoded) != decoded:
            return Step(middleware, kind, path, None, "400: path not clean", regex_one.origin)
        return Step(middleware, kind, path, decoded, origin=regex_one.origin)
    if kind == "addprefix":
        prefix_one = value(opts, "prefix")
        if prefix_one is None or not prefix_one.text:
            raise _UnknownError(f"`{middleware.qualified}` has no prefix")
        return Step(
            middleware,
            kind,
            path,
            ensure_leading_slash(prefix_one.text + path),
            origin=prefix_one.origin,
        )
    if kind == "redirectscheme":
        scheme = value(opts, "scheme")
        if tls and scheme is not None and scheme.text.strip().lower() == "https":
            return None
        return Step(middleware, kind, path, None, "redirect", middleware.kind_origin)
    if kind == "redirectregex":
        return Step(middleware, kind, path, None, "redirect", middleware.kind_origin)
    return None


def _stripped(middleware: Middleware, kind: str, before: str, rest: str, option: Value) -> Step:
    after = ensure_leading_slash(rest)
    if after and join_path_clean(after) != after:
        return Step(middleware, kind, before, None, "400: stripped path not clean", option.origin)
    return Step(middleware, kind, before, after, origin=option.origin)


def _compile(pattern: str, middleware: Middleware) -> re.Pattern[str]:
    if go_regexp_check(pattern) is not None:
        raise _UnknownError(f"`{middleware.qualified}` has an invalid regexp")
    try:
        return re.compile(to_python(pattern))
    except (ValueError, re.error) as exc:
        raise _UnknownError(f"`{middleware.qualified}`: regexp not translatable ({exc})") from None


def ensure_leading_slash(text: str) -> str:
    if text == "" or text.startswith("/"):
        return text
    return "/" + text


def go_path_clean(text: str) -> str:
    """Go's ``path.Clean``."""
    if text == "":
        return "."
    rooted = text.startswith("/")
    parts: list[str] = []
    for part in text.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    joined = "/".join(parts)
    if rooted:
        return "/" + joined
    return joined or "."


def join_path_clean(text: str) -> str:
    """What ``URL.JoinPath()`` (no elements) makes of a path: cleaned, one trailing ``/`` kept."""
    cleaned = go_path_clean(text) if text.startswith("/") else go_path_clean("/" + text)[1:]
    if text.endswith("/") and not cleaned.endswith("/"):
        cleaned += "/"
    return cleaned


_HEX = "0123456789abcdefABCDEF"


def _path_unescape(text: str) -> str | None:
    """Go's ``url.PathUnescape``: None where Go returns an error."""
    out = bytearray()
    i = 0
    raw = text.encode("utf-8", "surrogateescape")
    while i < len(raw):
        byte = raw[i]
        if byte == 0x25:  # %
            pair = raw[i + 1 : i + 3].decode("ascii", "replace")
            if len(pair) != 2 or any(ch not in _HEX for ch in pair):
                return None
            out.append(int(pair, 16))
            i += 3
            continue
        out.append(byte)
        i += 1
    return out.decode("utf-8", "surrogateescape")


_NAME = re.compile(r"[A-Za-z0-9_]+")


def go_expand(match: re.Match[str], template: str) -> str:
    """Go's ``Regexp.Expand`` (``$1``, ``${1}``, ``$name``, ``${name}``, ``$$``)."""
    out: list[str] = []
    rest = template
    while rest:
        before, dollar, after = rest.partition("$")
        out.append(before)
        if not dollar:
            break
        rest = after
        if rest.startswith("$"):
            out.append("$")
            rest = rest[1:]
            continue
        name = ""
        if rest.startswith("{"):
            close = rest.find("}")
            inner = rest[1:close] if close > 0 else ""
            if close > 0 and inner and _NAME.fullmatch(inner):
                name, rest = inner, rest[close + 1 :]
        else:
            found = _NAME.match(rest)
            if found:
                name, rest = found.group(0), rest[found.end() :]
        if not name:
            out.append("$")
            continue
        out.append(_group(match, name))
    return "".join(out)


def _group(match: re.Match[str], name: str) -> str:
    number = -1
    if name.isdigit() and not (name.startswith("0") and len(name) > 1) and len(name) < 9:
        number = int(name)
    if number >= 0:
        return (match.group(number) or "") if number <= match.re.groups else ""
    if name in match.re.groupindex:
        return match.group(name) or ""
    return ""


# --- request paths a rule stands for ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    """A request path a router's rule accepts: ``prefix`` when it stands for everything
    below it (``PathPrefix``), ``origin`` the matcher argument it comes from."""

    path: str
    origin: Origin
    prefix: bool
    matcher: str = ""
    methods: tuple[str, ...] = ()


@dataclass(slots=True)
class _Branch:
    paths: list[tuple[Matcher, str]] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    opaque: bool = False  # a PathRegexp: paths cannot be listed


def _branches(expr: Expr) -> list[_Branch] | None:
    """The rule as a disjunction of conjunctions of positive matchers (negations ignored);
    None when it would grow past a few dozen branches."""
    if isinstance(expr, Matcher):
        branch = _Branch()
        name = expr.name.lower()
        arg = expr.args[0].value if expr.args else ""
        if name in ("path", "pathprefix"):
            branch.paths.append((expr, arg))
        elif name == "pathregexp":
            branch.opaque = True
        elif name == "method":
            branch.methods.append(arg.upper())
        return [branch]
    if isinstance(expr, Not):
        return [_Branch()]
    if isinstance(expr, Or):
        left, right = _branches(expr.left), _branches(expr.right)
        if left is None or right is None or len(left) + len(right) > 64:
            return None
        return left + right
    assert isinstance(expr, And)
    left, right = _branches(expr.left), _branches(expr.right)
    if left is None or right is None or len(left) * len(right) > 64:
        return None
    out = []
    for a in left:
        for b in right:
            out.append(_Branch(a.paths + b.paths, a.methods + b.methods, a.opaque or b.opaque))
    return out


CHILD_SEGMENT = "doctor-sample"


def samples(parsed: ParsedRule) -> list[Sample] | None:
    """Representative request paths of a router, one or two per ``||`` branch:

    * ``Path(p)`` → ``p`` (exact);
    * ``PathPrefix(p)`` → ``p`` (a prefix sample);
    * a branch without a path matcher → ``/`` (a prefix sample: everything);
    * several path matchers in one branch (``&&``): the longest one;
    * negated matchers are ignored; a branch with ``PathRegexp`` makes the whole answer
      None (the paths cannot be listed), as does a rule that does not parse or that Traefik
      refuses (the router is disabled: RTR rules report it);
    * a path with ``{`` is left out: a v2 placeholder (``{id:[0-9]+}``) is literal text
      under v3 (RTR004) and a pattern under v2, neither a path a client sends.
    """
    if parsed.expr is None or parsed.kind != "http":
        return None
    if any(issue.fatal for issue in parsed.issues):
        return None
    branches = _branches(parsed.expr)
    if branches is None:
        return None
    out: list[Sample] = []
    seen: set[tuple[str, bool]] = set()
    for branch in branches:
        if branch.opaque:
            return None
        methods = tuple(branch.methods)
        if not branch.paths:
            sample = Sample("/", parsed.rule.origin, True, "", methods)
        else:
            matcher, arg = max(branch.paths, key=lambda item: len(item[1]))
            if not arg.startswith("/") or "{" in arg:
                continue
            origin = parsed.at(matcher.args[0].start + 1)
            prefix = matcher.name.lower() == "pathprefix"
            sample = Sample(arg, origin, prefix, matcher.name, methods)
        if (sample.path, sample.prefix) in seen:
            continue
        seen.add((sample.path, sample.prefix))
        out.append(sample)
    return out


def sample_paths(parsed: ParsedRule) -> list[tuple[str, Origin]]:
    """Request paths for a router: ``Path`` literals, ``PathPrefix(p)`` as ``p`` and, when
    ``p`` ends with ``/``, ``p`` + a child segment; ``/`` for a branch without path
    matchers; nothing for rules with ``PathRegexp``."""
    out: list[tuple[str, Origin]] = []
    for sample in samples(parsed) or []:
        out.append((sample.path, sample.origin))
        if sample.prefix and sample.path.endswith("/"):
            out.append((sample.path + CHILD_SEGMENT, sample.origin))
    return out
