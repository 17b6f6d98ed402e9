"""## What it does
Checks for a static `ping.entryPoint` that application routers also use, when their rules
can match a path starting with `/ping` (a router limited to ``PathPrefix(`/api/`)`` cannot).
Traefik installs `ping@internal` there with rule ``PathPrefix(`/ping`)`` at the highest
priority.

## Why is this bad?
Every request on that entry point whose path starts with `/ping` (`/ping`, `/ping/x`, and
also `/pingx` or `/pingback`) is answered by Traefik's `OK` and never reaches the
application, whatever the application router's rule or priority.

## Example
```yaml
entryPoints:
  web: {address: ":80"}
ping:
  entryPoint: web       # the app's routers also use `web`
```

## Use instead
```yaml
entryPoints:
  web: {address: ":80"}
  ping: {address: ":8082"}
ping:
  entryPoint: ping
```

## Fix safety
Moving ping to another entry point changes the URL health checkers (and `traefik
healthcheck`) must use.

## References
- shared/traefik-facts.md §11 (`ping.entryPoint: web`)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.dynamic import Router
from traefik_doctor.model.routing import parsed_rule
from traefik_doctor.model.static import INTERNAL_ENTRYPOINT
from traefik_doctor.model.values import value
from traefik_doctor.rulelang.ast import And, Expr, Matcher, Or
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.rtr._common import quoted_list, router_entry_points

PING = "/ping"


def check(context: Context) -> Iterator[Finding]:
    static = context.project.static
    if not static.present or not static.has("ping"):
        return
    ping = static.section("ping")
    manual = value(ping, "manualRouting")
    if manual is not None and manual.as_bool():
        return
    chosen = value(ping, "entryPoint")
    name = chosen.text.strip() if chosen is not None else ""
    name = name or INTERNAL_ENTRYPOINT
    users = [
        router
        for router in context.project.dynamic.http_routers()
        if name in router_entry_points(context, router) and _may_match_ping(context, router)
    ]
    if not users:
        return
    origin = chosen.origin if chosen is not None else static.key_origin("ping")
    shown = quoted_list(r.qualified for r in users[:3]) + (" …" if len(users) > 3 else "")
    yield RULE.finding(
        f"`ping.entryPoint` is `{name}`, which {len(users)} application router(s) also use"
        f" ({shown}); Traefik's ``PathPrefix(`/ping`)`` route at maximum priority answers"
        " their `/ping…` paths (including `/pingx`) itself",
        origin,
        related=[(users[0].entry_points_origin or users[0].origin, "application router here")],
        fix="Give ping its own entry point",
        unsafe=True,
    )


def _may_match_ping(context: Context, router: Router) -> bool:
    """False only when every way through the rule needs a path that cannot start with
    `/ping`; an unparsed rule or a regexp counts as possible."""
    parsed = parsed_rule(context.project, router)
    if parsed is None or parsed.expr is None:
        return True
    return _possible(parsed.expr)


def _possible(node: Expr) -> bool:
    if isinstance(node, And):
        return _possible(node.left) and _possible(node.right)
    if isinstance(node, Or):
        return _possible(node.left) or _possible(node.right)
    if isinstance(node, Matcher) and node.args:
        name, path = node.name.lower(), node.args[0].value
        if name == "path":
            return path.startswith(PING)
        if name == "pathprefix":
            return path.startswith(PING) or PING.startswith(path)
    return True  # Not, other matchers: no proof that /ping is out of reach


RULE = Rule("RTR019", "ping-shadows-app-route", Severity.WARNING, check, __doc__ or "")
