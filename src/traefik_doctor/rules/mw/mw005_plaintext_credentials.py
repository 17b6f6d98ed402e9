"""## What it does
Checks for `basicAuth` and `digestAuth` users whose password part is not a hash Traefik
accepts: htpasswd formats for basic auth (`$apr1$`, `$2y$`/`$2a$`/`$2b$` bcrypt, `{SHA}`,
`$1$`, `$5$`, `$6$`), a 32-digit hex MD5 digest (`user:realm:hash`) for digest auth.

## Why is this bad?
Traefik compares the password a client sends against the hash. A plain-text password is not
a hash, so the right password never authenticates (401 for everyone), and the secret sits in
the file (and in version control) for anyone to read.

## Example
```yaml
http:
  middlewares:
    auth:
      basicAuth:
        users:
          - "alice:s3cret"
```

## Use instead
```yaml
http:
  middlewares:
    auth:
      basicAuth:
        users:
          - "alice:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/"   # htpasswd -nb alice s3cret
```

## Fix safety
No automatic fix: hash the password with `htpasswd -nB user` (or keep users in `usersFile`)
and rotate the secret, since it has been exposed.

## References
- Measured with Traefik 3.7.15: `basicAuth.users: ["alice:secret"]` answers 401 to
  `curl -u alice:secret`
- Traefik docs, HTTP middlewares, BasicAuth and DigestAuth (`users`, `usersFile`)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.values import values
from traefik_doctor.rules.base import Context, Rule

BASIC_PREFIXES = ("$apr1$", "$2y$", "$2a$", "$2b$", "$2x$", "{SHA}", "$1$", "$5$", "$6$")
_DIGEST = re.compile(r"^[0-9a-fA-F]{32}$")


def _hashed(secret: str, kind: str) -> bool:
    if kind == "digestauth":
        return bool(_DIGEST.match(secret))
    # Compose files escape `$` as `$$`.
    return secret.replace("$$", "$").startswith(BASIC_PREFIXES)


def check(context: Context) -> Iterator[Finding]:
    for mw in context.project.dynamic.middlewares.values():
        if mw.kind is None:
            continue
        kind = mw.kind.lower()
        if kind not in ("basicauth", "digestauth"):
            continue
        for entry in values(mw.options_map, "users"):
            text = entry.text.strip()
            parts = text.split(":")
            if kind == "digestauth":
                if len(parts) < 3:
                    continue
                user, secret = parts[0], ":".join(parts[2:])
            else:
                if len(parts) < 2:
                    continue
                user, secret = parts[0], ":".join(parts[1:])
            if not secret or _hashed(secret, kind):
                continue
            yield RULE.finding(
                f"user `{user}` of middleware `{mw.qualified}` has a plain-text password;"
                " Traefik compares against a hash, so it never authenticates (401), and the"
                " secret is readable in the file",
                entry.origin,
                fix="Replace it with an htpasswd hash (`htpasswd -nB user`) or use `usersFile`",
            )


RULE = Rule("MW005", "plaintext-credentials", Severity.ERROR, check, __doc__ or "")
