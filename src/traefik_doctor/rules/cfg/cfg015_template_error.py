"""## What it does
Checks for Go template actions (`{{ ... }}`) in files of the file provider. Traefik renders
each such file as a Go template before it reads the YAML or TOML, so `{{` anywhere, a
comment included, is executed. An action that cannot run (a `{{` never closed, an empty
action, a field such as `{{ .Host }}`, which Traefik's empty template data does not have)
is an error; any other action is a warning, because the file Traefik loads is not the file
as written, and traefik-doctor checks it as written.

## Why is this bad?
A template that fails makes Traefik reject the file, and with it every file of the
provider: every route answers `404 page not found`, and the only trace is one ERR line
such as `template: :4: function "b" not defined` or `can't evaluate field Foo in type
bool`. People write `{{ .Host }}` hoping for a placeholder, or put `{{` in a comment.

## Example
```yaml
# Route for {{customer}}.example.com
http:
  routers:
    api:
      rule: Host(`{{ .Host }}`)
      service: api
```

## Use instead
```yaml
# Route for the customer's domain
http:
  routers:
    api:
      rule: Host(`customer.example.com`)
      service: api
```

## Fix safety
No fix is offered: what the template was meant to produce is not known.

## References
- Measured with Traefik 3.7.15: `{{b.test` gives `function "b" not defined`,
  `{{ .Foo }}` gives `can't evaluate field Foo in type bool`, a `{{` in a YAML comment
  rejects the file, `{{ "b" }}` and `{{ env "HOME" }}` render (tests/fixtures/CFG015).
- Traefik docs: file provider, "Go Templating".
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.rules.base import Context, Rule
from traefik_doctor.source import Origin


def check(context: Context) -> Iterator[Finding]:
    for document in context.project.documents:
        for action in document.templates:
            origin = Origin(document.source, action.offset)
            if action.problem is not None:
                yield RULE.finding(
                    f"Traefik renders this file as a Go template and fails on `{action.text}`:"
                    f" {action.problem}; it rejects the file and its whole provider (404)",
                    origin,
                    fix="Remove the `{{` or write the value itself",
                )
            else:
                yield RULE.finding(
                    f"Traefik renders this file as a Go template and executes `{action.text}`;"
                    " what it loads differs from what is written (checked as written)",
                    origin,
                    severity=Severity.WARNING,
                )


RULE = Rule("CFG015", "template-error", Severity.ERROR, check, __doc__ or "")
