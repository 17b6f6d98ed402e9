"""## What it does
Checks for routers whose `tls.options` names TLS options that no provider defines, and
whose `tls.certResolver` names a certificate resolver missing from the static
`certificatesResolvers`, and for certificates put in a TLS store other than `default`. The
options named `default` always exist.

## Why is this bad?
Unknown TLS options disable the router (error `unknown TLS options: x@file`), so its
requests get a 404. An unknown certificate resolver leaves the router enabled, but no
certificate is ever obtained: Traefik logs `Router uses a nonexistent certificate resolver`
and serves its self-signed default certificate, which clients reject. Traefik v3 has one
TLS store, `default`: a certificate listed with `stores: [other]` goes into a store no
router uses and is never served, again without a log line above DEBUG.

## Example
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`)
      service: api
      tls:
        options: modern        # only `intermediate` is defined
        certResolver: letsencrypt   # the static config names it `le`
```

## Use instead
```yaml
http:
  routers:
    api:
      rule: Host(`api.example.com`)
      service: api
      tls:
        options: intermediate
        certResolver: le
```

## Fix safety
The suggested name is a guess by spelling.

## References
- shared/traefik-facts.md §2; measured with Traefik 3.7.15: `building router handler:
  unknown TLS options: nosuch@file` (router disabled) and `Router uses a nonexistent
  certificate resolver certificateResolver=nosuch` (router enabled); a certificate with
  `stores: [custom]` is not served (`TRAEFIK DEFAULT CERT` instead)
- Traefik docs: https/tls ("Any store definition other than the default one ... will be
  ignored")
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.references import missing, suggest
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    yield from _router_references(context)
    yield from _certificate_stores(context)


def _certificate_stores(context: Context) -> Iterator[Finding]:
    for cert in context.project.dynamic.certificates:
        shown = cert.cert_file.text if cert.cert_file is not None else "certificate"
        if shown.lstrip().startswith("-----BEGIN"):
            shown = "inline certificate"
        for store in cert.stores:
            name = store.text.strip()
            if not name or name == "default":
                continue
            yield RULE.finding(
                f"certificate `{shown}` is put in TLS store `{name}`, but Traefik only serves"
                " certificates of the store `default`; this certificate is never served",
                store.origin,
                fix="Use `stores: [default]` or remove `stores`",
            )


def _router_references(context: Context) -> Iterator[Finding]:
    project = context.project
    dynamic = project.dynamic
    resolvers = project.static.section("certificatesResolvers")
    resolver_names = [entry.key for entry in resolvers] if resolvers is not None else []
    for router in dynamic.routers.values():
        tls = router.tls
        if tls is None:
            continue
        options = tls.options
        found = (
            missing(project, dynamic.tls_options, "tls", options.text, router.provider)
            if options is not None and options.text.strip() != "default"
            else None
        )
        if options is not None and found is not None:
            yield RULE.finding(
                f"router `{router.qualified}` uses TLS options `{found.target}`, {found.reason};"
                f" Traefik disables the router (404){found.hint}",
                options.origin,
                fix=f"Use TLS options `{found.suggestion}`"
                if found.suggestion
                else "Define the TLS options or remove the reference",
                unsafe=True,
            )
        resolver = tls.cert_resolver
        if resolver is not None and resolver.text.strip() and project.static.present:
            name = resolver.text.strip()
            if name not in resolver_names:
                hint = suggest(name, resolver_names)
                extra = f"; did you mean `{hint}`?" if hint else ""
                defined = ", ".join(f"`{n}`" for n in resolver_names) or "none"
                yield RULE.finding(
                    f"router `{router.qualified}` uses certificate resolver `{name}`, which the"
                    f" static `certificatesResolvers` does not define (defined: {defined});"
                    f" the router stays enabled but Traefik serves its default certificate{extra}",
                    resolver.origin,
                    fix=f"Use certificate resolver `{hint}`"
                    if hint
                    else "Define the resolver in the static configuration",
                    unsafe=True,
                )


RULE = Rule("RTR010", "undefined-tls-reference", Severity.ERROR, check, __doc__ or "", fixable=True)
