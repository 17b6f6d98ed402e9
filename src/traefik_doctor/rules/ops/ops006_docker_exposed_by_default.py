"""## What it does
Checks for a docker provider configured without `exposedByDefault: false`.

## Why is this bad?
With the default (`true`), Traefik creates a router and a service for every container it can
see, including databases and admin tools that carry no `traefik.*` label, each reachable
under the default rule `Host(`<container name>`)`.

## Example
```yaml
providers:
  docker: {}
```

## Use instead
```yaml
providers:
  docker:
    exposedByDefault: false     # and `traefik.enable=true` on routed containers
```

## Fix safety
Safe only after every routed container has `traefik.enable=true`; marked unsafe.
`traefik-doctor fix --unsafe` sets `providers.docker.exposedByDefault: false` in the static
file (not in flags or environment variables; the labels are left to you).

## References
- https://doc.traefik.io/traefik/providers/docker/#exposedbydefault
- traefik/traefik `pkg/provider/docker/shared.go` (`keepContainer`)
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.fix.edits import AddKey, Edit, SetValue
from traefik_doctor.fix.targets import static_file, static_path
from traefik_doctor.rules.base import Context, Rule


def check(context: Context) -> Iterator[Finding]:
    static = context.project.static
    if not static.has("providers", "docker"):
        return
    setting = static.get("providers", "docker", "exposedByDefault")
    if setting is not None and setting.as_bool() is False:
        return
    where = setting.origin if setting is not None else static.key_origin("providers", "docker")
    file = static_file(context.project)
    path = static_path(context.project, "providers", "docker", "exposedByDefault")
    edits: tuple[Edit, ...] = ()
    if file is not None and setting is not None:
        edits = (SetValue(file, path, False),)
    elif file is not None and static.section("providers", "docker") is not None:
        edits = (AddKey(file, path, False),)
    yield RULE.finding(
        "the docker provider exposes every container by default (`exposedByDefault` is"
        " true): containers without labels get a router too",
        where,
        fix="Set `providers.docker.exposedByDefault: false` and label routed containers"
        " `traefik.enable=true`",
        unsafe=True,
        edits=edits,
    )


RULE = Rule(
    "OPS006",
    "docker-exposed-by-default",
    Severity.WARNING,
    check,
    __doc__ or "",
    prod_severity=Severity.ERROR,
    fixable=True,
)
