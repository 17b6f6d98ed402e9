"""## What it does
Checks for TLS options (`tls.options.<name>`) with `minVersion` below `VersionTLS12`, or with
`cipherSuites` known to be weak: RC4, 3DES, CBC mode (`*_CBC_SHA`, `*_CBC_SHA256`) and RSA key
exchange (`TLS_RSA_*`, no forward secrecy). That is Go's `tls.InsecureCipherSuites()` plus
the `TLS_RSA_*` and CBC suites Go still lists as secure.

## Why is this bad?
TLS 1.0 and 1.1 are deprecated (RFC 8996) and fail compliance scans; the listed cipher suites
are broken (RC4, 3DES/Sweet32), prone to padding-oracle attacks (CBC) or lose all past
traffic when the key leaks (RSA key exchange).

## Example
```yaml
tls:
  options:
    default:
      minVersion: VersionTLS10
      cipherSuites:
        - TLS_RSA_WITH_AES_128_CBC_SHA
```

## Use instead
```yaml
tls:
  options:
    default:
      minVersion: VersionTLS12
      cipherSuites:
        - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
        - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
```

## Fix safety
Raising `minVersion` or dropping suites is unsafe: very old clients can no longer connect.

## References
- shared/fault-catalog.md TLS008
- Go `crypto/tls` (`InsecureCipherSuites`), RFC 8996
"""

from __future__ import annotations

from collections.abc import Iterator

from traefik_doctor.findings import Finding, Severity
from traefik_doctor.model.values import value, values
from traefik_doctor.rules.base import Context, Rule

OLD_VERSIONS = frozenset({"versiontls10", "versiontls11", "versionssl30"})


def weakness(suite: str) -> str | None:
    upper = suite.strip().upper()
    if "RC4" in upper:
        return "RC4 is broken"
    if "3DES" in upper or "DES_CBC" in upper:
        return "3DES is vulnerable to Sweet32"
    if upper.startswith("TLS_RSA_"):
        return "RSA key exchange has no forward secrecy"
    if "_CBC_SHA" in upper:
        return "CBC mode is prone to padding-oracle attacks"
    return None


def check(context: Context) -> Iterator[Finding]:
    for options in context.project.dynamic.tls_options.values():
        name = options.qualified
        version = value(options.body, "minVersion")
        if version is not None and version.text.strip().lower() in OLD_VERSIONS:
            yield RULE.finding(
                f"TLS options `{name}` allow `{version.text.strip()}`, below TLS 1.2",
                version.origin,
                fix="Set `minVersion: VersionTLS12`",
                unsafe=True,
            )
        for suite in values(options.body, "cipherSuites"):
            reason = weakness(suite.text)
            if reason is None:
                continue
            yield RULE.finding(
                f"TLS options `{name}` allow cipher suite `{suite.text.strip()}`: {reason}",
                suite.origin,
                fix=f"Remove `{suite.text.strip()}`; prefer ECDHE with AES-GCM or ChaCha20",
                unsafe=True,
            )


RULE = Rule("TLS008", "weak-tls-options", Severity.WARNING, check, __doc__ or "", fixable=True)
