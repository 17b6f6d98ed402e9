"""## What it does
Checks for options and middlewares that Traefik v3 removed, renamed or deprecated, and says
what Traefik 3.7 does with each: `ipWhiteList` (still works, with a deprecation warning),
the `headers` options `sslRedirect`, `sslTemporaryRedirect`, `sslHost`, `sslForceHost` and
`featurePolicy` (accepted and ignored, silently; `sslProxyHeaders` is still a v3 option),
`stripPrefix.forceSlash` and the TLS option `preferServerCipherSuites` (ignored, with a
warning), `caOptional` (ignored), and a router's `ruleSyntax` or the static
`core.defaultRuleSyntax` (deprecated, still applied).

## Why is this bad?
Most of these are accepted without an error, which is the danger: a `headers` middleware with
`sslRedirect: true` redirects nothing under v3, so plain HTTP is served while the configuration
promises HTTPS; `preferServerCipherSuites` no longer sets a TLS policy. The deprecated ones that
still work will stop working in the next major version.

## Example
```yaml
http:
  middlewares:
    https-only:
      headers:
        sslRedirect: true
    office:
      ipWhiteList:
        sourceRange: ["10.0.0.0/8"]
```

## Use instead
```yaml
http:
  middlewares:
    https-only:
      redirectScheme:
        scheme: https
        permanent: true
    office:
      ipAllowList:
        sourceRange: ["10.0.0.0/8"]
```

## Fix safety
`traefik-doctor fix` applies the fixes that keep the behaviour (safe; in YAML or TOML files,
not labels or flags): it renames `ipWhiteList` to `ipAllowList`, deletes the ignored
`caOptional`, `forceSlash` and `preferServerCipherSuites` (not when that would leave an
empty section, which Traefik rejects), and deletes a router's `ruleSyntax` or the static
`core.defaultRuleSyntax` when the syntax without it is the same. Replacing `sslRedirect`
with a `redirectScheme` middleware changes the behaviour (that is the point) and needs the
routers that use it checked; `sslHost`, `sslForceHost` and `featurePolicy` need a
replacement chosen by hand (`featurePolicy` values do not carry over to `permissionsPolicy`
as they are): no edit for these. `sslRedirect` and `sslTemporaryRedirect` are reported as
errors, the rest as warnings.

## References
- shared/traefik-facts.md §2 (`ruleSyntax` logs `Router's ruleSyntax option is deprecated`)
- Measured with 3.7.15: `ipWhiteList` logs `Middleware "wl@file" of type IPWhiteList is
  deprecated, please use IPAllowList instead` and works; `headers.sslRedirect: true` loads with
  no log line and a request is proxied, not redirected; `forceSlash` logs `ForceSlash option is
  deprecated`; `preferServerCipherSuites` logs `deprecated and ineffective`;
  `core.defaultRuleSyntax` logs `has been deprecated in v3.4`
- https://doc.traefik.io/traefik/migrate/v2-to-v3-details/
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.fix.edits import DeleteKey, Edit, KeyPath, RenameKey
from traefik_doctor.fix.targets import (
    editable_file,
    key_as_written,
    middleware_path,
    router_path,
    static_file,
)
from traefik_doctor.model.project import Project, Role
from traefik_doctor.model.values import section
from traefik_doctor.rulelang.validate import effective_syntax
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.source import Origin

# headers option (lower case) -> (spelling, what 3.7 does, fix, severity)
_HEADERS: dict[str, tuple[str, str, str, Severity | None]] = {
    "sslredirect": (
        "sslRedirect",
        "Traefik 3.7 accepts it and does nothing, without a log line: no request is redirected"
        " to HTTPS",
        "Use a `redirectScheme` middleware with `scheme: https`",
        Severity.ERROR,
    ),
    "ssltemporaryredirect": (
        "sslTemporaryRedirect",
        "Traefik 3.7 accepts it and does nothing, without a log line: no request is redirected"
        " to HTTPS",
        "Use a `redirectScheme` middleware with `scheme: https`",
        Severity.ERROR,
    ),
    "sslhost": (
        "sslHost",
        "Traefik 3.7 accepts it and ignores it silently",
        "Use a `redirectRegex` middleware",
        None,
    ),
    "sslforcehost": (
        "sslForceHost",
        "Traefik 3.7 accepts it and ignores it silently",
        "Use a `redirectRegex` middleware",
        None,
    ),
    "featurepolicy": (
        "featurePolicy",
        "Traefik 3.7 accepts it and sends no such header",
        "Use `permissionsPolicy`",
        None,
    ),
}


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    syntax = project.static.get("core", "defaultRuleSyntax")
    default = effective_syntax(syntax.text if syntax is not None else None)
    if syntax is not None:
        core = project.static.section("core")
        file = static_file(project) if default == "v3" else None
        path: KeyPath = (
            key_as_written(project.static.root, "core"),
            key_as_written(core, "defaultRuleSyntax"),
        )
        yield RULE.finding(
            f"`core.defaultRuleSyntax: {syntax.text}` is deprecated since v3.4: Traefik 3.7 still"
            " applies it and logs a deprecation error; the next major version removes it",
            syntax.origin,
            fix="Remove `core.defaultRuleSyntax` (v3 is the default)"
            if file
            else "Migrate the rules to v3 syntax and remove `core.defaultRuleSyntax`",
            edits=(DeleteKey(file, path, keep=0),) if file else (),
        )
    for document in project.documents:
        if document.role is not Role.DYNAMIC or document.fragment is None:
            continue
        fragment = document.fragment
        for middleware in fragment.middlewares:
            kind = (middleware.kind or "").lower()
            options = middleware.options_map
            base: KeyPath = (*middleware_path(middleware), middleware.kind or "")
            if kind == "ipwhitelist":
                yield RULE.finding(
                    f"middleware `{middleware.name}` uses `{middleware.kind}`, deprecated in v3:"
                    " Traefik 3.7 still applies it and logs a deprecation warning",
                    middleware.kind_origin or middleware.origin,
                    fix="Rename `ipWhiteList` to `ipAllowList`",
                    edits=_rename(project, middleware.kind_origin, base, "ipAllowList"),
                )
            elif kind == "headers" and options is not None:
                for entry in options:
                    known = _HEADERS.get(entry.key.lower())
                    if known is None:
                        continue
                    spelling, effect, fix, severity = known
                    yield RULE.finding(
                        f"middleware `{middleware.name}`: `headers.{spelling}` was removed in v3;"
                        f" {effect}",
                        entry.key_origin,
                        fix=fix,
                        unsafe=severity is not None,
                        severity=severity,
                    )
            elif kind == "forwardauth" and options is not None:
                # The only place v3 still decodes `caOptional` (ignored); elsewhere it is an
                # unknown field (CFG002).
                tls = section(options, "tls")
                ca_optional = tls.find("caOptional") if tls is not None else None
                if ca_optional is not None:
                    path = (*base, key_as_written(options, "tls"), ca_optional.key)
                    yield RULE.finding(
                        "`caOptional` was removed in v3; Traefik 3.7 accepts it and ignores it",
                        ca_optional.key_origin,
                        fix="Remove `caOptional`",
                        edits=_delete(project, ca_optional.key_origin, path, 4),
                    )
            elif kind == "stripprefix" and options is not None:
                force = options.find("forceSlash")
                if force is not None:
                    yield RULE.finding(
                        f"middleware `{middleware.name}`: `stripPrefix.forceSlash` is deprecated;"
                        " Traefik 3.7 ignores it and logs a warning",
                        force.key_origin,
                        fix="Remove `forceSlash`",
                        edits=_delete(project, force.key_origin, (*base, force.key), 4),
                    )
        for tls_options in fragment.tls_options:
            body = tls_options.body
            prefer = body.find("preferServerCipherSuites") if body is not None else None
            if prefer is not None:
                path = ("tls", "options", tls_options.name, prefer.key)
                yield RULE.finding(
                    f"TLS options `{tls_options.name}`: `preferServerCipherSuites` is deprecated"
                    " and ineffective in v3; Traefik 3.7 ignores it and logs a warning",
                    prefer.key_origin,
                    fix="Remove `preferServerCipherSuites`",
                    edits=_delete(project, prefer.key_origin, path, 3),
                )
        for router in fragment.routers:
            if router.rule_syntax is not None:
                same = effective_syntax(router.rule_syntax.text) == default
                path = (*router_path(router), key_as_written(router.body, "ruleSyntax"))
                yield RULE.finding(
                    f"router `{router.name}` sets `ruleSyntax: {router.rule_syntax.text}`,"
                    " deprecated since v3.4: Traefik 3.7 still applies it and logs a warning",
                    router.rule_syntax.origin,
                    fix=f"Remove `ruleSyntax` (the rule is read as {default} without it)"
                    if same
                    else "Migrate the rule to v3 syntax and remove `ruleSyntax`",
                    edits=_delete(project, router.rule_syntax.origin, path, 3) if same else (),
                )


def _rename(project: Project, origin: Origin | None, path: KeyPath, new: str) -> tuple[Edit, ...]:
    file = editable_file(project, origin)
    return (RenameKey(file, path, new),) if file else ()


def _delete(project: Project, origin: Origin | None, path: KeyPath, keep: int) -> tuple[Edit, ...]:
    """Delete ``path``; a section left empty is deleted too, down to depth ``keep``."""
    file = editable_file(project, origin)
    return (DeleteKey(file, path, keep=keep),) if file else ()


RULE = Rule("CFG011", "removed-in-v3", Severity.WARNING, check, __doc__ or "", fixable=True)
