"""## What it does
Checks for HTTP routers that serve both plain HTTP and TLS: a router without a `tls` section
attached to a plain entry point and to one with entry-point TLS (`http.tls`), or a router
with a `tls` section attached to a plain entry point.

## Why is this bad?
The same routes are reachable over plain HTTP as well as HTTPS, so credentials and cookies
meant for HTTPS can travel in clear text, and redirects or HSTS you set up for one side do not
apply to the other. A `tls` router on a plain entry point makes that port speak TLS for the
router's hosts, which plain-HTTP clients of that port do not expect.

## Example
```yaml
# traefik.yml: web on :80, websecure on :443 with http.tls
http:
  routers:
    app:
      rule: Host(`app.example.com`)
      service: app
      entryPoints: [web, websecure]
```

## Use instead
```yaml
http:
  routers:
    app:
      rule: Host(`app.example.com`)
      service: app
      entryPoints: [websecure]
    app-redirect:
      rule: Host(`app.example.com`)
      service: noop@internal
      entryPoints: [web]
      middlewares: [to-https]
```

## Fix safety
Removing the plain entry point changes who can reach the router; add a redirect router when
plain-HTTP clients must still be served.

## References
- shared/traefik-facts.md §8, §14 (default entry points)
- Traefik docs: routing/routers, "tls" (a router with `tls` only answers TLS requests)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.rtr._common import is_tls_entry_point, quoted_list, router_entry_points


def check(context: Context) -> Iterator[Finding]:
    static = context.project.static
    if not static.present:
        return
    for router in context.project.dynamic.http_routers():
        names = router_entry_points(context, router)
        tls_eps = [n for n in names if is_tls_entry_point(static.entry_points.get(n))]
        plain = [n for n in names if n not in tls_eps]
        if not plain:
            continue
        origin = router.entry_points_origin or router.origin
        how = "by its `entryPoints`" if router.entry_points else "by default (no `entryPoints`)"
        if router.tls is not None:
            yield RULE.finding(
                f"router `{router.qualified}` has a `tls` section but is attached {how} to"
                f" the plain entry point(s) {quoted_list(plain)}: that port answers TLS for its"
                " hosts",
                router.tls.origin,
                related=[(origin, "entry points chosen here")],
                fix="Attach the router only to TLS entry points",
                unsafe=True,
            )
        elif tls_eps:
            yield RULE.finding(
                f"router `{router.qualified}` is attached {how} to the TLS entry point(s)"
                f" {quoted_list(tls_eps)} and to the plain entry point(s) {quoted_list(plain)}:"
                " the same routes are served over HTTPS and plain HTTP",
                origin,
                fix="Attach the router to the TLS entry points only and redirect plain HTTP",
                unsafe=True,
            )


RULE = Rule("RTR013", "mixed-http-https-router", Severity.WARNING, check, __doc__ or "")
