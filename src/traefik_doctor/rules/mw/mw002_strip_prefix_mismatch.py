"""## What it does
Checks for routers whose path-rewriting middlewares (`stripPrefix`, `stripPrefixRegex`,
`replacePath`, `replacePathRegex`, `addPrefix`, also inside chains) turn the rule's paths
into paths no route of the Go server behind the router serves, and for `stripPrefix`
prefixes that never apply: no path the routers using the middleware accept starts with the
prefix, or an earlier prefix of the same middleware always matches first.

## Why is this bad?
Traefik rewrites the path before it proxies: with `PathPrefix(`/api`)` and
`stripPrefix: {prefixes: ["/api"]}`, a request for `/api/users` reaches the Go server as
`/users`. When the Go handler is registered as `/api/users`, every request ends in the Go
server's `404 page not found`, which looks exactly like Traefik's own "no router matched"
404. A prefix that never matches leaves the path unchanged, usually the opposite of what was
meant. `stripPrefix` tries its prefixes in order and removes only the first that matches (a
plain string prefix: `/api` also turns `/apix` into `/x`).

## Example
```yaml
http:
  routers:
    api:
      rule: PathPrefix(`/api`)
      middlewares: [strip-api]
      service: api
  middlewares:
    strip-api:
      stripPrefix:
        prefixes: ["/api"]     # Go: mux.HandleFunc("/api/users", ...)
```

## Use instead
```yaml
http:
  routers:
    api:
      rule: PathPrefix(`/api`)   # no stripPrefix: the Go routes already start with /api
      service: api
```
or register the Go handlers without the prefix (`mux.HandleFunc("/users", ...)`).

## Fix safety
Whether the proxy or the Go code should change depends on the other clients of the Go
server; no fix is offered.

## References
- Traefik source v3.7.9 `pkg/middlewares/stripprefix/strip_prefix.go` (first matching
  prefix, `ensureLeadingSlash`, `URL.JoinPath()` re-check answered 400),
  `stripprefixregex`, `replacepath`, `replacepathregex`, `addprefix`
- shared/traefik-facts.md §1 (a backend 404 is passed through unchanged)
- https://doc.traefik.io/traefik/middlewares/http/stripprefix/
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Location, Severity
from traefik_doctor.model.dynamic import Middleware, Router
from traefik_doctor.model.gomux import describe, nearby
from traefik_doctor.model.project import Project
from traefik_doctor.model.rewrite import (
    Sample,
    apply,
    expand,
    kind_of,
    path_middlewares,
    samples,
)
from traefik_doctor.model.routing import parsed_rule
from traefik_doctor.model.values import Value, values
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.go.common import listener_note
from traefik_doctor.rules.go.served import unserved
from traefik_doctor.source import Origin


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    yield from _unused_prefixes(project)
    for router, backend, missed in unserved(project, rewriting=True):
        sample = missed.sample
        rewriting = path_middlewares(project, router)
        attempt = missed.attempt
        changed = attempt.changed_steps
        origin = next((s.origin for s in changed if s.origin is not None), rewriting[0][1].origin)
        what = f"`{attempt.request}`"
        if missed.meant_for is not None:
            lead = (
                f"the Go route {describe(missed.meant_for)} is under the rule's "
                f"`{sample.matcher}(`{sample.path}`)` of router `{router.qualified}`, "
                f"but {attempt.describe()}"
            )
        elif sample.prefix:
            lead = (
                f"no request under `{sample.matcher or 'PathPrefix'}(`{sample.path}`)` "
                f"of router `{router.qualified}` reaches a Go route: {attempt.describe()}"
            )
        else:
            lead = f"router `{router.qualified}` forwards {what} as: {attempt.describe()}"
        near = nearby(backend.routes, attempt.path)
        near_text = ", ".join(describe(r) for r in near)
        message = (
            f"{lead}, and no route of the Go server {listener_note(backend.server)} "
            f"serves `{attempt.path}`: the Go server answers 404"
            + (f"; its routes nearby: {near_text}" if near_text else "")
        )
        related: list[tuple[Origin | Location, str]] = []
        related.append((sample.origin, f"router `{router.qualified}` rule"))
        extra = [missed.meant_for] if missed.meant_for is not None else []
        for route in [*extra, *[r for r in near if r not in extra]]:
            related.append((route.location, f"Go route {describe(route)}"))
        related.append(
            (
                backend.server.location,
                f"Go server ({backend.backend.how})",
            )
        )
        yield RULE.finding(
            message,
            origin,
            related=related,
            fix="make the middleware produce the paths the Go routes are registered "
            "under, or register the Go handlers under the rewritten paths",
        )


def _users(project: Project) -> dict[str, list[tuple[Router, list[Middleware], int]]]:
    """stripPrefix middleware key -> (router, its expanded middlewares, index in them)."""
    out: dict[str, list[tuple[Router, list[Middleware], int]]] = {}
    for router in project.dynamic.http_routers():
        chain = [m for m, _ in expand(project, router).middlewares]
        for index, middleware in enumerate(chain):
            if kind_of(middleware) == "stripprefix":
                key = f"{middleware.protocol}:{middleware.qualified}"
                out.setdefault(key, []).append((router, chain, index))
    return out


def _can_match(prefix: str, sample: Sample, before: str) -> bool:
    if before.startswith(prefix):
        return True
    return sample.prefix and prefix.startswith(before)


def _unused_prefixes(project: Project) -> Iterator[Finding]:
    users = _users(project)
    for key, middleware in project.dynamic.middlewares.items():
        if kind_of(middleware) != "stripprefix":
            continue
        prefixes: list[Value] = values(middleware.options_map, "prefixes")
        shadowed: set[int] = set()
        for later, candidate in enumerate(prefixes):
            for earlier in range(later):
                first = prefixes[earlier].text.strip()
                if candidate.text.strip().startswith(first):
                    shadowed.add(later)
                    yield RULE.finding(
                        f"prefix `{candidate.text.strip()}` of `{middleware.qualified}` never "
                        f"applies: the earlier prefix `{first}` matches every path it matches, "
                        "and stripPrefix removes only the first prefix that matches",
                        candidate.origin,
                        related=[(prefixes[earlier].origin, f"prefix `{first}`")],
                        fix="list the longer prefix first",
                    )
                    break
        routers = users.get(key, [])
        if not routers:
            continue
        for index, prefix_value in enumerate(prefixes):
            if index in shadowed:
                continue
            prefix = prefix_value.text.strip()
            matched = False
            judged: list[tuple[Router, Sample]] = []
            for router, chain, position in routers:
                parsed = parsed_rule(project, router)
                found = samples(parsed) if parsed is not None else None
                if not found:
                    matched = True
                    break
                for sample in found:
                    before = apply(chain[:position], sample.path, tls=router.tls is not None)
                    if not before.reaches_backend and before.ends is None:
                        matched = True
                        break
                    if before.ends is not None:
                        continue
                    if _can_match(prefix, sample, before.path if before.path else "/"):
                        matched = True
                        break
                    judged.append((router, sample))
                if matched:
                    break
            if matched or not judged:
                continue
            shown = ", ".join(
                f"`{r.qualified}` ({s.matcher or 'rule'}(`{s.path}`))" for r, s in judged[:3]
            )
            yield RULE.finding(
                f"stripPrefix prefix `{prefix}` of `{middleware.qualified}` never matches: "
                f"no path accepted by the routers using it starts with it ({shown}); "
                "the path reaches the backend unchanged",
                prefix_value.origin,
                related=[(s.origin, f"router `{r.qualified}` rule") for r, s in judged[:3]],
                fix="use the prefix the router's rule matches",
            )


RULE = Rule(
    "MW002",
    "strip-prefix-mismatch",
    Severity.ERROR,
    check,
    __doc__ or "",
)
