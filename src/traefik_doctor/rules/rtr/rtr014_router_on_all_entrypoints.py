"""## What it does
Checks for routers without `entryPoints` when the static configuration has several entry
points a router can attach to: such a router attaches to every entry point except the one
named `traefik` (or to the `asDefault: true` ones, when any is marked).

## Why is this bad?
Application routes then also answer on entry points meant for something else: the metrics
port, an internal admin port, or plain HTTP next to HTTPS. Traefik only logs this at DEBUG
(`No entryPoint defined for this router, using the default one(s) instead`).

## Example
```yaml
# traefik.yml: web, websecure and metrics entry points
http:
  routers:
    app:
      rule: Host(`app.example.com`)
      service: app
```

## Use instead
```yaml
http:
  routers:
    app:
      rule: Host(`app.example.com`)
      service: app
      entryPoints: [websecure]
```

## Fix safety
Unsafe: listing entry points explicitly removes the router from the others, and clients that
used them lose the route. `traefik-doctor fix --unsafe` adds `entryPoints` only where the
choice is unambiguous: every default entry point except those dedicated to something else,
namely the one `metrics.prometheus.entryPoint` or `ping.entryPoint` names (without
`manualRouting`, and unless some router lists it) and those whose `http.redirections` send
every request elsewhere (at its default priority the redirection wins over every router).
With no such entry point there is nothing to choose from, and no edit is made; neither for
routers in labels.

## References
- shared/traefik-facts.md §8, §14
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.fix.edits import AddKey, Edit, Seq
from traefik_doctor.fix.targets import editable_file, router_path
from traefik_doctor.model.dynamic import Router
from traefik_doctor.model.project import Project
from traefik_doctor.model.values import section
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.rtr._common import quoted_list


def check(context: Context) -> Iterator[Finding]:
    static = context.project.static
    if not static.present or static.root is None:
        return
    eps = static.entry_points.values()
    if any(ep.as_default is not None and ep.as_default.as_bool() for ep in eps):
        return
    defaults = static.default_entry_points()
    if len(defaults) < 2:
        return
    dedicated = _dedicated(context.project)
    serving = [name for name in defaults if name not in dedicated]
    for router in context.project.dynamic.routers.values():
        if router.protocol == "udp" or router.entry_points:
            continue
        edits = _edits(context.project, router, serving) if serving != defaults else ()
        yield RULE.finding(
            f"router `{router.qualified}` has no `entryPoints`, so Traefik attaches it to every"
            f" entry point except `traefik`: {quoted_list(defaults)}",
            router.origin,
            fix=f"Add `entryPoints: [{', '.join(serving)}]`"
            if edits
            else "List the entry points the router should serve in `entryPoints`",
            unsafe=True,
            edits=edits,
        )


def _edits(project: Project, router: Router, serving: list[str]) -> tuple[Edit, ...]:
    file = editable_file(project, router.origin)
    if file is None or not serving:
        return ()
    return (AddKey(file, (*router_path(router), "entryPoints"), Seq(tuple(serving))),)


def _dedicated(project: Project) -> set[str]:
    """Entry points a router attached by default never serves, or should not: the metrics
    and ping entry points (unless routed manually, or listed by a router, which makes them
    application entry points too), and entry points that redirect every request."""
    static = project.static
    listed = {ep.text for router in project.dynamic.routers.values() for ep in router.entry_points}
    out: set[str] = set()
    for part in (("metrics", "prometheus"), ("ping",)):
        body = static.section(*part)
        if body is None:
            continue
        manual = static.get(*part, "manualRouting")
        if manual is not None and manual.as_bool():
            continue
        named = static.get(*part, "entryPoint")
        name = named.text.strip() if named is not None else "traefik"
        if name not in listed:
            out.add(name)
    for name, entry_point in static.entry_points.items():
        redirections = section(section(entry_point.body, "http"), "redirections")
        target = section(redirections, "entryPoint")
        # At its default priority the redirection beats every router on the entry point.
        if target is not None and target.find("to") is not None and target.find("priority") is None:
            out.add(name)
    return out


RULE = Rule(
    "RTR014", "router-on-all-entrypoints", Severity.WARNING, check, __doc__ or "", fixable=True
)
