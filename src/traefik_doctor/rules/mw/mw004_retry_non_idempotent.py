"""## What it does
Checks for a `retry` middleware (directly or in a chain) on a router that carries POST or
PATCH requests: its rule has ``Method(`POST`)``/``Method(`PATCH`)``, or a Go route the
router reaches accepts POST or PATCH (a route registered without a method, such as a plain
`http.HandleFunc`, accepts every method and counts).

## Why is this bad?
Traefik's `retry` reissues a request when the attempt fails at the network level, which
includes a backend connection that dies after the request was sent (a Go server restarting,
a keep-alive connection closed under Traefik). A POST or PATCH may then run twice: two
orders, two payments, a counter incremented twice.

## Example
```yaml
http:
  routers:
    orders:
      rule: PathPrefix(`/orders`)
      middlewares: [retry]       # Go: mux.HandleFunc("/orders", createOrder)
      service: orders
  middlewares:
    retry:
      retry: {attempts: 3}
```

## Use instead
```yaml
http:
  routers:
    orders-read:
      rule: PathPrefix(`/orders`) && Method(`GET`)
      middlewares: [retry]
      service: orders
    orders-write:
      rule: PathPrefix(`/orders`)
      service: orders
```
or make the Go handlers idempotent (idempotency keys).

## Fix safety
Splitting routers changes routing; no fix is offered.

## References
- https://doc.traefik.io/traefik/middlewares/http/retry/
- RFC 9110 §9.2.2 (idempotent methods)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Location, Severity
from traefik_doctor.model.gomux import describe, router_backends
from traefik_doctor.model.rewrite import expand, kind_of, samples
from traefik_doctor.model.routing import parsed_rule
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.rules.go.served import reached_routes
from traefik_doctor.source import Origin

UNSAFE = ("POST", "PATCH")


def check(context: Context) -> Iterator[Finding]:
    project = context.project
    for router in project.dynamic.http_routers():
        retry = next(
            ((m, ref) for m, ref in expand(project, router).middlewares if kind_of(m) == "retry"),
            None,
        )
        if retry is None:
            continue
        middleware, reference = retry
        parsed = parsed_rule(project, router)
        if parsed is None or parsed.error is not None:
            continue
        methods = [
            (m, literal)
            for m in parsed.matchers()
            if m.name.lower() == "method"
            for literal in m.args
        ]
        unsafe = [(m, lit) for m, lit in methods if lit.value.strip().upper() in UNSAFE]
        if unsafe:
            _matcher, literal = unsafe[0]
            yield RULE.finding(
                f"router `{router.qualified}` retries requests through `{middleware.qualified}` "
                f"and its rule accepts {literal.value.strip().upper()}: a request that fails "
                "after reaching the backend is sent again and may run twice",
                reference.origin,
                related=[(parsed.at(literal.start + 1), "the rule's Method matcher")],
                fix="apply retry only to a router for idempotent methods",
            )
            continue
        if methods or project.go is None:
            continue  # the rule limits methods to safe ones
        found = samples(parsed)
        if not found:
            continue
        for backend in router_backends(project, router):
            reached = []
            for sample in found:
                for route in reached_routes(project, router, backend, sample):
                    if route not in reached:
                        reached.append(route)
            risky = [
                r for r in reached if r.method is None or any(m in r.method.upper() for m in UNSAFE)
            ]
            if not risky:
                continue
            risky.sort(key=lambda r: r.method is None)  # an explicit POST/PATCH route first
            first = risky[0]
            accepts = "every method" if first.method is None else first.method.upper()
            related: list[tuple[Origin | Location, str]] = [
                (r.location, f"Go route {describe(r)}") for r in risky[:3]
            ]
            yield RULE.finding(
                f"router `{router.qualified}` retries requests through `{middleware.qualified}` "
                f"and reaches the Go route {describe(first)}, which accepts {accepts}: a POST "
                "or PATCH that fails after reaching the backend is sent again and may run twice",
                reference.origin,
                related=related,
                fix="apply retry only to a router for idempotent methods "
                "(&& Method(`GET`)), or make the handlers idempotent",
            )
            break


RULE = Rule(
    "MW004",
    "retry-non-idempotent",
    Severity.WARNING,
    check,
    __doc__ or "",
)
