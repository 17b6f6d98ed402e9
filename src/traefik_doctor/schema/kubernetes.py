"""The fields of Traefik's Kubernetes CRDs (``traefik.io/v1alpha1``), as data.

Kubernetes validates a custom resource against the OpenAPI schema of its
CustomResourceDefinition. A field the schema does not declare is never seen by Traefik:
``kubectl apply`` (``--validate=strict``, its default) refuses the object, and clients that
send no field-validation level (Helm, Argo CD, client-go) get it stored with the field
silently dropped ("pruned"). Field names are case-sensitive (``passhostheader`` is unknown).

The list below holds the field paths of each kind's ``spec``, read from Traefik v3.7.9's
``docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml`` (field names
and nesting only). A path segment ending in ``[]`` is a list, ``{}`` a map with names the user
chooses; a line ``<path> @loadBalancer`` inserts the fields of a service reference
(``LoadBalancerSpec`` in pkg/provider/kubernetes/crd/traefikio/v1alpha1/ingressroute.go).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache

from traefik_doctor.loaders.tree import Mapping, Node, Sequence
from traefik_doctor.source import Origin

GROUP = "traefik.io"
OLD_GROUP = "traefik.containo.us"
"""Traefik v2's API group: removed in v3 (docs/content/migrate/v2-to-v3-details.md)."""

OBJECT_KEYS = frozenset({"apiVersion", "kind", "metadata", "spec", "status"})
METADATA_KEYS = frozenset(
    {
        "name",
        "generateName",
        "namespace",
        "labels",
        "annotations",
        "finalizers",
        "ownerReferences",
        "uid",
        "resourceVersion",
        "generation",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "managedFields",
        "selfLink",
    }
)
"""ObjectMeta's fields (k8s.io/apimachinery/pkg/apis/meta/v1)."""

_FIELDS = """
@loadBalancer
healthCheck.followRedirects
healthCheck.headers{}
healthCheck.hostname
healthCheck.interval
healthCheck.method
healthCheck.mode
healthCheck.path
healthCheck.port
healthCheck.scheme
healthCheck.status
healthCheck.timeout
healthCheck.unhealthyInterval
kind
middlewares[].name
middlewares[].namespace
name
namespace
nativeLB
nodePortLB
passHostHeader
passiveHealthCheck.failureWindow
passiveHealthCheck.maxFailedAttempts
port
responseForwarding.flushInterval
scheme
serversTransport
sticky.cookie.domain
sticky.cookie.httpOnly
sticky.cookie.maxAge
sticky.cookie.name
sticky.cookie.path
sticky.cookie.sameSite
sticky.cookie.secure
strategy
weight
[IngressRoute]
entryPoints[]
ingressClassName
parentRefs[].name
parentRefs[].namespace
routes[].kind
routes[].match
routes[].middlewares[].name
routes[].middlewares[].namespace
routes[].observability.accessLogs
routes[].observability.metrics
routes[].observability.traceVerbosity
routes[].observability.tracing
routes[].priority
routes[].services[] @loadBalancer
routes[].syntax
tls.certResolver
tls.domains[].main
tls.domains[].sans[]
tls.options.name
tls.options.namespace
tls.secretName
tls.store.name
tls.store.namespace
[IngressRouteTCP]
entryPoints[]
ingressClassName
routes[].match
routes[].middlewares[].name
routes[].middlewares[].namespace
routes[].priority
routes[].services[].name
routes[].services[].namespace
routes[].services[].nativeLB
routes[].services[].nodePortLB
routes[].services[].port
routes[].services[].proxyProtocol.version
routes[].services[].serversTransport
routes[].services[].terminationDelay
routes[].services[].tls
routes[].services[].weight
routes[].syntax
tls.certResolver
tls.domains[].main
tls.domains[].sans[]
tls.options.name
tls.options.namespace
tls.passthrough
tls.secretName
tls.store.name
tls.store.namespace
[IngressRouteUDP]
entryPoints[]
ingressClassName
routes[].services[].name
routes[].services[].namespace
routes[].services[].nativeLB
routes[].services[].nodePortLB
routes[].services[].port
routes[].services[].weight
[Middleware]
addPrefix.prefix
basicAuth.headerField
basicAuth.realm
basicAuth.removeHeader
basicAuth.secret
buffering.maxRequestBodyBytes
buffering.maxResponseBodyBytes
buffering.memRequestBodyBytes
buffering.memResponseBodyBytes
buffering.retryExpression
chain.middlewares[].name
chain.middlewares[].namespace
circuitBreaker.checkPeriod
circuitBreaker.expression
circuitBreaker.fallbackDuration
circuitBreaker.recoveryDuration
circuitBreaker.responseCode
compress.defaultEncoding
compress.encodings[]
compress.excludedContentTypes[]
compress.includedContentTypes[]
compress.minResponseBodyBytes
contentType.autoDetect
digestAuth.headerField
digestAuth.realm
digestAuth.removeHeader
digestAuth.secret
encodedCharacters.allowEncodedBackSlash
encodedCharacters.allowEncodedHash
encodedCharacters.allowEncodedNullCharacter
encodedCharacters.allowEncodedPercent
encodedCharacters.allowEncodedQuestionMark
encodedCharacters.allowEncodedSemicolon
encodedCharacters.allowEncodedSlash
errors.errorRequestHeaders[]
errors.query
errors.service @loadBalancer
errors.status[]
errors.statusRewrites{}
forwardAuth.addAuthCookiesToResponse[]
forwardAuth.address
forwardAuth.authRequestHeaders[]
forwardAuth.authResponseHeaders[]
forwardAuth.authResponseHeadersRegex
forwardAuth.authSigninURL
forwardAuth.forwardBody
forwardAuth.headerField
forwardAuth.maxBodySize
forwardAuth.maxResponseBodySize
forwardAuth.preserveLocationHeader
forwardAuth.preserveRequestMethod
forwardAuth.tls.caOptional
forwardAuth.tls.caSecret
forwardAuth.tls.certSecret
forwardAuth.tls.insecureSkipVerify
forwardAuth.trustForwardHeader
grpcWeb.allowOrigins[]
headers.accessControlAllowCredentials
headers.accessControlAllowHeaders[]
headers.accessControlAllowMethods[]
headers.accessControlAllowOriginList[]
headers.accessControlAllowOriginListRegex[]
headers.accessControlExposeHeaders[]
headers.accessControlMaxAge
headers.addVaryHeader
headers.allowedHosts[]
headers.browserXssFilter
headers.contentSecurityPolicy
headers.contentSecurityPolicyReportOnly
headers.contentTypeNosniff
headers.customBrowserXSSValue
headers.customFrameOptionsValue
headers.customRequestHeaders{}
headers.customResponseHeaders{}
headers.featurePolicy
headers.forceSTSHeader
headers.frameDeny
headers.hostsProxyHeaders[]
headers.isDevelopment
headers.permissionsPolicy
headers.publicKey
headers.referrerPolicy
headers.sslForceHost
headers.sslHost
headers.sslProxyHeaders{}
headers.sslRedirect
headers.sslTemporaryRedirect
headers.stsIncludeSubdomains
headers.stsPreload
headers.stsSeconds
inFlightReq.amount
inFlightReq.sourceCriterion.ipStrategy.depth
inFlightReq.sourceCriterion.ipStrategy.excludedIPs[]
inFlightReq.sourceCriterion.ipStrategy.ipv6Subnet
inFlightReq.sourceCriterion.requestHeaderName
inFlightReq.sourceCriterion.requestHost
ipAllowList.ipStrategy.depth
ipAllowList.ipStrategy.excludedIPs[]
ipAllowList.ipStrategy.ipv6Subnet
ipAllowList.rejectStatusCode
ipAllowList.sourceRange[]
ipWhiteList.ipStrategy.depth
ipWhiteList.ipStrategy.excludedIPs[]
ipWhiteList.ipStrategy.ipv6Subnet
ipWhiteList.sourceRange[]
passTLSClientCert.info.issuer.commonName
passTLSClientCert.info.issuer.country
passTLSClientCert.info.issuer.domainComponent
passTLSClientCert.info.issuer.locality
passTLSClientCert.info.issuer.organization
passTLSClientCert.info.issuer.province
passTLSClientCert.info.issuer.serialNumber
passTLSClientCert.info.notAfter
passTLSClientCert.info.notBefore
passTLSClientCert.info.sans
passTLSClientCert.info.serialNumber
passTLSClientCert.info.subject.commonName
passTLSClientCert.info.subject.country
passTLSClientCert.info.subject.domainComponent
passTLSClientCert.info.subject.locality
passTLSClientCert.info.subject.organization
passTLSClientCert.info.subject.organizationalUnit
passTLSClientCert.info.subject.province
passTLSClientCert.info.subject.serialNumber
passTLSClientCert.pem
plugin{}
rateLimit.average
rateLimit.burst
rateLimit.period
rateLimit.redis.db
rateLimit.redis.dialTimeout
rateLimit.redis.endpoints[]
rateLimit.redis.maxActiveConns
rateLimit.redis.minIdleConns
rateLimit.redis.poolSize
rateLimit.redis.readTimeout
rateLimit.redis.secret
rateLimit.redis.tls.caSecret
rateLimit.redis.tls.certSecret
rateLimit.redis.tls.insecureSkipVerify
rateLimit.redis.writeTimeout
rateLimit.sourceCriterion.ipStrategy.depth
rateLimit.sourceCriterion.ipStrategy.excludedIPs[]
rateLimit.sourceCriterion.ipStrategy.ipv6Subnet
rateLimit.sourceCriterion.requestHeaderName
rateLimit.sourceCriterion.requestHost
redirectRegex.permanent
redirectRegex.regex
redirectRegex.replacement
redirectScheme.permanent
redirectScheme.port
redirectScheme.scheme
replacePath.path
replacePathRegex.regex
replacePathRegex.replacement
retry.attempts
retry.disableRetryOnNetworkError
retry.initialInterval
retry.maxRequestBodyBytes
retry.retryNonIdempotentMethod
retry.status[]
retry.timeout
stripPrefix.forceSlash
stripPrefix.prefixes[]
stripPrefixRegex.regex[]
[MiddlewareTCP]
inFlightConn.amount
ipAllowList.sourceRange[]
ipWhiteList.sourceRange[]
[ServersTransport]
certificatesSecrets[]
cipherSuites[]
disableHTTP2
forwardingTimeouts.dialTimeout
forwardingTimeouts.idleConnTimeout
forwardingTimeouts.pingTimeout
forwardingTimeouts.readIdleTimeout
forwardingTimeouts.responseHeaderTimeout
insecureSkipVerify
maxIdleConnsPerHost
maxVersion
minVersion
peerCertURI
rootCAs[].configMap
rootCAs[].secret
rootCAsSecrets[]
serverName
spiffe.ids[]
spiffe.trustDomain
[ServersTransportTCP]
dialKeepAlive
dialTimeout
proxyProtocol.version
terminationDelay
tls.certificatesSecrets[]
tls.insecureSkipVerify
tls.peerCertURI
tls.rootCAs[].configMap
tls.rootCAs[].secret
tls.rootCAsSecrets[]
tls.serverName
tls.spiffe.ids[]
tls.spiffe.trustDomain
[TLSOption]
alpnProtocols[]
cipherSuites[]
clientAuth.clientAuthType
clientAuth.secretNames[]
curvePreferences[]
disableSessionTickets
maxVersion
minVersion
preferServerCipherSuites
sniStrict
[TLSStore]
certificates[].secretName
defaultCertificate.secretName
defaultGeneratedCert.domain.main
defaultGeneratedCert.domain.sans[]
defaultGeneratedCert.resolver
[TraefikService]
failover.errors.maxRequestBodyBytes
failover.errors.status[]
failover.fallback @loadBalancer
failover.service @loadBalancer
highestRandomWeight.services[] @loadBalancer
mirroring @loadBalancer
mirroring.maxBodySize
mirroring.mirrorBody
mirroring.mirrors[] @loadBalancer
mirroring.mirrors[].percent
weighted.services[] @loadBalancer
weighted.sticky.cookie.domain
weighted.sticky.cookie.httpOnly
weighted.sticky.cookie.maxAge
weighted.sticky.cookie.name
weighted.sticky.cookie.path
weighted.sticky.cookie.sameSite
weighted.sticky.cookie.secure
"""


@dataclass(slots=True)
class FieldSpec:
    """One place in a CRD's spec: an object with ``fields``, a list of ``item``, a map of
    ``item``, a scalar (no fields, no item), or free-form (``free``: anything goes)."""

    fields: dict[str, FieldSpec] = field(default_factory=dict)
    item: FieldSpec | None = None
    is_list: bool = False
    is_map: bool = False
    free: bool = False

    @property
    def is_object(self) -> bool:
        return bool(self.fields)


@dataclass(frozen=True, slots=True)
class FieldIssue:
    """A key the CRD does not declare, where it is, and the nearest declared key."""

    path: str
    key: str
    origin: Origin
    suggestion: str | None


def _child(node: FieldSpec, segment: str) -> FieldSpec:
    name = segment.rstrip("[]{}")
    found = node.fields.get(name)
    if found is None:
        found = node.fields[name] = FieldSpec()
    if segment.endswith(("[]", "{}")):
        found.is_list = segment.endswith("[]")
        found.is_map = segment.endswith("{}")
        if found.item is None:
            found.item = FieldSpec()
        return found.item
    return found


def _add(root: FieldSpec, line: str, blocks: dict[str, list[str]]) -> None:
    path, _, block = line.partition(" @")
    node = root
    for segment in path.split("."):
        node = _child(node, segment)
    for inner in blocks.get(block, []) if block else []:
        _add(node, inner, blocks)


def _sections() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    blocks: dict[str, list[str]] = {}
    kinds: dict[str, list[str]] = {}
    current: list[str] = []
    for raw in _FIELDS.strip().splitlines():
        line = raw.strip()
        if line.startswith("@"):
            current = blocks.setdefault(line[1:], [])
        elif line.startswith("["):
            current = kinds.setdefault(line[1:-1], [])
        elif line:
            current.append(line)
    return blocks, kinds


@cache
def crd_schema(kind: str) -> FieldSpec | None:
    """The spec of a Traefik CRD kind, or None for a kind Traefik does not define."""
    blocks, kinds = _sections()
    lines = kinds.get(kind)
    if lines is None:
        return None
    root = FieldSpec()
    for line in lines:
        _add(root, line, blocks)
    # A map written `name{}` with nothing below it holds values of any shape.
    stack = [root]
    while stack:
        current = stack.pop()
        if current.is_map and current.item is not None and not current.item.fields:
            current.item.free = True
        if current.item is not None:
            stack.append(current.item)
        stack.extend(current.fields.values())
    return root


@cache
def crd_kinds() -> frozenset[str]:
    """The kinds of the ``traefik.io`` API group."""
    return frozenset(_sections()[1])


def suggest(key: str, names: list[str]) -> str | None:
    """The declared name closest to ``key``: same letters in another case first."""
    for name in names:
        if name.lower() == key.lower():
            return name
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return close[0]
    lowered = {name.lower(): name for name in names}
    close = difflib.get_close_matches(key.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def unknown_fields(spec: Node, schema: FieldSpec, prefix: str = "spec") -> list[FieldIssue]:
    """Every key under ``spec`` the CRD does not declare (what Kubernetes prunes or refuses).
    Values of the wrong shape are skipped, not reported: the API server's own message for
    them is clear, and Traefik never sees such an object anyway."""
    issues: list[FieldIssue] = []
    stack: list[tuple[Node, FieldSpec, str]] = [(spec, schema, prefix)]
    while stack:
        node, expected, path = stack.pop()
        if expected.free:
            continue
        if expected.is_object and isinstance(node, Mapping):
            names = list(expected.fields)
            for entry in node:
                child = expected.fields.get(entry.key)
                where = f"{path}.{entry.key}"
                if child is None:
                    issues.append(
                        FieldIssue(path, entry.key, entry.key_origin, suggest(entry.key, names))
                    )
                    continue
                if child.is_list and child.item is not None:
                    if isinstance(entry.value, Sequence):
                        for index, item in enumerate(entry.value.items):
                            stack.append((item, child.item, f"{where}[{index}]"))
                elif child.is_map and child.item is not None:
                    if isinstance(entry.value, Mapping):
                        for inner in entry.value:
                            stack.append((inner.value, child.item, f"{where}.{inner.key}"))
                else:
                    stack.append((entry.value, child, where))
    issues.sort(key=lambda issue: issue.origin.offset or 0)
    return issues
