"""The names Traefik's Kubernetes providers give what they build.

Rules, the routing table and the API show these names (``shop-api-80@kubernetescrd``), and
references between objects resolve through them, so each is computed the way Traefik's
source does (the function named in each docstring).
"""

from __future__ import annotations

import hashlib

from traefik_doctor.model.kubernetes import CRD_PROVIDER, KubeObject, normalize


def go_quote(text: str) -> str:
    """Go's ``%q`` for plain text (what the Ingress provider writes into rules)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def make_service_key(rule: str, name: str) -> str:
    """``makeServiceKey``: the name and the first 10 bytes of the rule's SHA-256, in hex."""
    return f"{name}-{hashlib.sha256(rule.encode()).hexdigest()[:20]}"


def full_service_name(namespace: str, name: str, port: str) -> str:
    """``fullServiceName``: how a service reference is named in Traefik's configuration."""
    if port and port != "0":
        return normalize(f"{namespace}-{name}-{port}")
    if "@" not in name:
        return normalize(f"{namespace}-{name}")
    bare, _, provider = name.rpartition("@")
    if provider == CRD_PROVIDER:
        return normalize(f"{namespace}-{bare}")
    return f"{normalize(bare)}@{provider}"


def object_name(obj: KubeObject) -> str:
    """``provider.Normalize(makeID(namespace, name))``: the name of a Middleware,
    TraefikService or ServersTransport, which references in its namespace resolve to."""
    return normalize(f"{obj.namespace}-{obj.name}")


def tls_name(obj: KubeObject) -> str:
    """``makeID`` for a TLSOption or TLSStore, except that one named ``default`` keeps that
    name: it replaces Traefik's default option (store) instead of adding one."""
    return obj.name if obj.name == "default" else f"{obj.namespace}-{obj.name}"
