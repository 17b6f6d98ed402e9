"""## What it does
Checks for `chain` middlewares that contain themselves, directly or through other chains.

## Why is this bad?
Traefik detects the recursion when it builds a router: every router using any middleware of
the loop is disabled (`could not instantiate middleware c1@file: recursion detected in
middleware:c1@file->middleware:c2@file->middleware:c1@file`) and answers 404.

## Example
```yaml
http:
  middlewares:
    secure:
      chain:
        middlewares: [headers, auth]
    auth:
      chain:
        middlewares: [secure]
```

## Use instead
```yaml
http:
  middlewares:
    secure:
      chain:
        middlewares: [headers, auth]
    auth:
      basicAuth:
        usersFile: /etc/traefik/users
```

## Fix safety
No automatic fix: decide which chain should not include the other.

## References
- Measured with Traefik 3.7.15: `self: {chain: {middlewares: [self]}}` and a two-chain loop
  both disable their routers with `recursion detected in middleware:...`
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.dynamic import Middleware, qualify
from traefik_doctor.model.values import Value, values
from traefik_doctor.rules.base import Context, Rule


def _edges(mw: Middleware) -> list[tuple[str, Value]]:
    if mw.kind is None or mw.kind.lower() != "chain":
        return []
    out = []
    for ref in values(mw.options_map, "middlewares"):
        name = ref.text.strip()
        if name:
            out.append((f"{mw.protocol}:{qualify(name, mw.provider)}", ref))
    return out


def check(context: Context) -> Iterator[Finding]:
    middlewares = context.project.dynamic.middlewares
    graph = {key: _edges(mw) for key, mw in middlewares.items()}
    done: set[str] = set()
    reported: set[frozenset[str]] = set()

    for start, edges in graph.items():
        if start in done:
            continue
        # Iterative DFS keeping the current path, so a back edge names its whole loop.
        path: list[str] = [start]
        on_path = {start}
        iters = [iter(edges)]
        while iters:
            step = next(iters[-1], None)
            if step is None:
                finished = path.pop()
                done.add(finished)
                on_path.discard(finished)
                iters.pop()
                continue
            target, ref = step
            if target in on_path:
                loop = path[path.index(target) :]
                members = frozenset(loop)
                if members not in reported:
                    reported.add(members)
                    names = [middlewares[k].qualified for k in (*loop, target)]
                    owner = middlewares[path[-1]]
                    yield RULE.finding(
                        f"chain `{owner.qualified}` includes `{middlewares[target].qualified}`,"
                        f" which closes a loop ({' -> '.join(names)}); Traefik disables every"
                        " router using it (404)",
                        ref.origin,
                        related=[
                            (middlewares[k].origin, f"`{middlewares[k].qualified}` defined here")
                            for k in loop
                            if k != path[-1]
                        ],
                        fix="Remove one reference of the loop",
                    )
                continue
            if target in done or target not in graph:
                continue
            path.append(target)
            on_path.add(target)
            iters.append(iter(graph[target]))


RULE = Rule("MW007", "middleware-cycle", Severity.ERROR, check, __doc__ or "")
