"""Traefik 3.7's dynamic configuration: what a file-provider file may hold (``DYNAMIC``).

Transcribed from traefik v3.7.9 (pkg/config/dynamic, pkg/tls, pkg/types), the newest 3.7 source at
hand, then checked against the field names and tags compiled into the 3.7.15 binary: they add
nothing a file can set.

Keys are spelled as Traefik's json tags. paerser, Traefik's decoder, matches them to the Go field
names without regard to case; both spellings agree everywhere below. Fields tagged ``file:"-"``
(provider-internal: Gateway API and NGINX-only filters, server fencing...) are left out: paerser
accepts such a key and silently drops its value.
"""

from __future__ import annotations

from traefik_doctor.schema.types import (
    ANY,
    BOOL,
    DURATION,
    INT,
    STRING,
    STRINGS,
    ListOf,
    MapOf,
    SchemaType,
    Struct,
)

# ---- Shared ------------------------------------------------------------------------------------

DOMAIN = Struct(
    "Domain",
    {
        "main": STRING,
        "sans": STRINGS,
    },
)

# ---- HTTP routers ------------------------------------------------------------------------------

ROUTER_TLS_CONFIG = Struct(
    "RouterTLSConfig",
    {
        "options": STRING,
        "certResolver": STRING,
        "domains": ListOf(DOMAIN),
    },
)

ROUTER_OBSERVABILITY_CONFIG = Struct(
    "RouterObservabilityConfig",
    {
        "accessLogs": BOOL,
        "metrics": BOOL,
        "tracing": BOOL,
        "traceVerbosity": STRING,
    },
)

ROUTER = Struct(
    "Router",
    {
        "entryPoints": STRINGS,
        "middlewares": STRINGS,
        "service": STRING,
        "rule": STRING,
        # Names of parent routers (multi-layer routing).
        "parentRefs": STRINGS,
        # Deprecated, still honoured: "v2" makes 3.7 parse this rule with the v2 matchers.
        "ruleSyntax": STRING,
        "priority": INT,
        "tls": ROUTER_TLS_CONFIG,
        "observability": ROUTER_OBSERVABILITY_CONFIG,
    },
)

# ---- HTTP services -----------------------------------------------------------------------------

COOKIE = Struct(
    "Cookie",
    {
        "name": STRING,
        "secure": BOOL,
        "httpOnly": BOOL,
        "sameSite": STRING,
        "maxAge": INT,
        "path": STRING,
        "domain": STRING,
    },
)

STICKY = Struct(
    "Sticky",
    {
        "cookie": COOKIE,
    },
)

SERVER = Struct(
    "Server",
    {
        "url": STRING,
        "weight": INT,
        "preservePath": BOOL,
    },
)

SERVER_HEALTH_CHECK = Struct(
    "ServerHealthCheck",
    {
        "scheme": STRING,
        "mode": STRING,
        "path": STRING,
        "method": STRING,
        "status": INT,
        "port": INT,
        "interval": DURATION,
        "unhealthyInterval": DURATION,
        "timeout": DURATION,
        "hostname": STRING,
        "followRedirects": BOOL,
        "headers": MapOf(STRING),
    },
)

PASSIVE_SERVER_HEALTH_CHECK = Struct(
    "PassiveServerHealthCheck",
    {
        "failureWindow": DURATION,
        "maxFailedAttempts": INT,
    },
)

RESPONSE_FORWARDING = Struct(
    "ResponseForwarding",
    {
        "flushInterval": DURATION,
    },
)

SERVERS_LOAD_BALANCER = Struct(
    "ServersLoadBalancer",
    {
        "sticky": STICKY,
        "servers": ListOf(SERVER),
        "strategy": STRING,
        "healthCheck": SERVER_HEALTH_CHECK,
        "passiveHealthCheck": PASSIVE_SERVER_HEALTH_CHECK,
        "passHostHeader": BOOL,
        "responseForwarding": RESPONSE_FORWARDING,
        "serversTransport": STRING,
    },
)

HRW_SERVICE = Struct(
    "HRWService",
    {
        "name": STRING,
        "weight": INT,
    },
)

# Empty on purpose: `healthCheck: {}` on a weighted, mirroring, failover or HRW service turns on
# health-status propagation from its children.
HEALTH_CHECK = Struct("HealthCheck")

HIGHEST_RANDOM_WEIGHT = Struct(
    "HighestRandomWeight",
    {
        "services": ListOf(HRW_SERVICE),
        "healthCheck": HEALTH_CHECK,
    },
)

WRR_SERVICE = Struct(
    "WRRService",
    {
        "name": STRING,
        "weight": INT,
    },
)

WEIGHTED_ROUND_ROBIN = Struct(
    "WeightedRoundRobin",
    {
        "services": ListOf(WRR_SERVICE),
        "sticky": STICKY,
        "healthCheck": HEALTH_CHECK,
    },
)

MIRROR_SERVICE = Struct(
    "MirrorService",
    {
        "name": STRING,
        "percent": INT,
    },
)

MIRRORING = Struct(
    "Mirroring",
    {
        "service": STRING,
        "mirrorBody": BOOL,
        "maxBodySize": INT,
        "mirrors": ListOf(MIRROR_SERVICE),
        "healthCheck": HEALTH_CHECK,
    },
)

FAILOVER_ERROR = Struct(
    "FailoverError",
    {
        "maxRequestBodyBytes": INT,
        "status": STRINGS,
    },
)

FAILOVER = Struct(
    "Failover",
    {
        "service": STRING,
        "fallback": STRING,
        "healthCheck": HEALTH_CHECK,
        "errors": FAILOVER_ERROR,
    },
)

# Exactly one type key; `middlewares` is not one (see NOT_TYPE_KEYS): 3.7 counts every other field
# and rejects a service with two types.
SERVICE = Struct(
    "Service",
    {
        # Not a type: wraps whichever type is set. Traefik leaves it out of its one-type count.
        "middlewares": STRINGS,
        "loadBalancer": SERVERS_LOAD_BALANCER,
        "highestRandomWeight": HIGHEST_RANDOM_WEIGHT,
        "weighted": WEIGHTED_ROUND_ROBIN,
        "mirroring": MIRRORING,
        "failover": FAILOVER,
    },
    exclusive=True,
)

# ---- HTTP middlewares --------------------------------------------------------------------------

ADD_PREFIX = Struct(
    "AddPrefix",
    {
        "prefix": STRING,
    },
)

STRIP_PREFIX = Struct(
    "StripPrefix",
    {
        "prefixes": STRINGS,
        # Deprecated: 3.7 warns but still honours it.
        "forceSlash": BOOL,
    },
)

STRIP_PREFIX_REGEX = Struct(
    "StripPrefixRegex",
    {
        "regex": STRINGS,
    },
)

REPLACE_PATH = Struct(
    "ReplacePath",
    {
        "path": STRING,
    },
)

REPLACE_PATH_REGEX = Struct(
    "ReplacePathRegex",
    {
        "regex": STRING,
        "replacement": STRING,
    },
)

CHAIN = Struct(
    "Chain",
    {
        "middlewares": STRINGS,
    },
)

IP_STRATEGY = Struct(
    "IPStrategy",
    {
        "depth": INT,
        "excludedIPs": STRINGS,
        "ipv6Subnet": INT,
    },
)

IP_WHITE_LIST = Struct(
    "IPWhiteList",
    {
        "sourceRange": STRINGS,
        "ipStrategy": IP_STRATEGY,
    },
)

IP_ALLOW_LIST = Struct(
    "IPAllowList",
    {
        "sourceRange": STRINGS,
        "ipStrategy": IP_STRATEGY,
        "rejectStatusCode": INT,
    },
)

HEADERS = Struct(
    "Headers",
    {
        "customRequestHeaders": MapOf(STRING),
        "customResponseHeaders": MapOf(STRING),
        "accessControlAllowCredentials": BOOL,
        "accessControlAllowHeaders": STRINGS,
        "accessControlAllowMethods": STRINGS,
        "accessControlAllowOriginList": STRINGS,
        "accessControlAllowOriginListRegex": STRINGS,
        "accessControlExposeHeaders": STRINGS,
        "accessControlMaxAge": INT,
        "addVaryHeader": BOOL,
        "allowedHosts": STRINGS,
        "hostsProxyHeaders": STRINGS,
        "sslProxyHeaders": MapOf(STRING),
        "stsSeconds": INT,
        "stsIncludeSubdomains": BOOL,
        "stsPreload": BOOL,
        "forceSTSHeader": BOOL,
        "frameDeny": BOOL,
        "customFrameOptionsValue": STRING,
        "contentTypeNosniff": BOOL,
        "browserXssFilter": BOOL,
        "customBrowserXSSValue": STRING,
        "contentSecurityPolicy": STRING,
        "contentSecurityPolicyReportOnly": STRING,
        "publicKey": STRING,
        "referrerPolicy": STRING,
        "permissionsPolicy": STRING,
        "isDevelopment": BOOL,
        # Deprecated: decoded, then ignored by 3.7 (no header is sent); use permissionsPolicy.
        "featurePolicy": STRING,
        # Deprecated ssl* options: decoded, then ignored by 3.7 (nothing redirects). Use
        # redirectScheme, redirectRegex or entry point redirections.
        "sslRedirect": BOOL,
        "sslTemporaryRedirect": BOOL,
        "sslHost": STRING,
        "sslForceHost": BOOL,
    },
)

ENCODED_CHARACTERS = Struct(
    "EncodedCharacters",
    {
        "allowEncodedSlash": BOOL,
        "allowEncodedBackSlash": BOOL,
        "allowEncodedNullCharacter": BOOL,
        "allowEncodedSemicolon": BOOL,
        "allowEncodedPercent": BOOL,
        "allowEncodedQuestionMark": BOOL,
        "allowEncodedHash": BOOL,
    },
)

ERROR_PAGE = Struct(
    "ErrorPage",
    {
        "status": STRINGS,
        "statusRewrites": MapOf(INT),
        "service": STRING,
        "query": STRING,
        "errorRequestHeaders": STRINGS,
    },
)

SOURCE_CRITERION = Struct(
    "SourceCriterion",
    {
        "ipStrategy": IP_STRATEGY,
        "requestHeaderName": STRING,
        "requestHost": BOOL,
    },
)

TYPES_CLIENT_TLS = Struct(
    "types.ClientTLS",
    {
        "ca": STRING,
        "cert": STRING,
        "key": STRING,
        "insecureSkipVerify": BOOL,
    },
)

REDIS = Struct(
    "Redis",
    {
        "endpoints": STRINGS,
        "tls": TYPES_CLIENT_TLS,
        "username": STRING,
        "password": STRING,
        "db": INT,
        "poolSize": INT,
        "minIdleConns": INT,
        "maxActiveConns": INT,
        "readTimeout": DURATION,
        "writeTimeout": DURATION,
        "dialTimeout": DURATION,
    },
)

RATE_LIMIT = Struct(
    "RateLimit",
    {
        "average": INT,
        "period": DURATION,
        "burst": INT,
        "sourceCriterion": SOURCE_CRITERION,
        "redis": REDIS,
    },
)

REDIRECT_REGEX = Struct(
    "RedirectRegex",
    {
        "regex": STRING,
        "replacement": STRING,
        "permanent": BOOL,
    },
)

REDIRECT_SCHEME = Struct(
    "RedirectScheme",
    {
        "scheme": STRING,
        "port": STRING,
        "permanent": BOOL,
    },
)

BASIC_AUTH = Struct(
    "BasicAuth",
    {
        "users": STRINGS,
        "usersFile": STRING,
        "realm": STRING,
        "removeHeader": BOOL,
        "headerField": STRING,
    },
)

DIGEST_AUTH = Struct(
    "DigestAuth",
    {
        "users": STRINGS,
        "usersFile": STRING,
        "removeHeader": BOOL,
        "realm": STRING,
        "headerField": STRING,
    },
)

DYNAMIC_CLIENT_TLS = Struct(
    "dynamic.ClientTLS",
    {
        "ca": STRING,
        "cert": STRING,
        "key": STRING,
        "insecureSkipVerify": BOOL,
        # Deprecated: 3.7 warns and ignores it (client authentication is a server-side setting).
        "caOptional": BOOL,
    },
)

FORWARD_AUTH = Struct(
    "ForwardAuth",
    {
        "address": STRING,
        "tls": DYNAMIC_CLIENT_TLS,
        # Marked deprecated in the source, yet still read: left unset, 3.7 warns that X-Forwarded-*
        # handling is inconsistent.
        "trustForwardHeader": BOOL,
        "authResponseHeaders": STRINGS,
        "authResponseHeadersRegex": STRING,
        "authRequestHeaders": STRINGS,
        "maxResponseBodySize": INT,
        "addAuthCookiesToResponse": STRINGS,
        "headerField": STRING,
        "forwardBody": BOOL,
        "maxBodySize": INT,
        "preserveLocationHeader": BOOL,
        "preserveRequestMethod": BOOL,
        "authSigninURL": STRING,
    },
)

IN_FLIGHT_REQ = Struct(
    "InFlightReq",
    {
        "amount": INT,
        "sourceCriterion": SOURCE_CRITERION,
    },
)

BUFFERING = Struct(
    "Buffering",
    {
        "maxRequestBodyBytes": INT,
        "memRequestBodyBytes": INT,
        "maxResponseBodyBytes": INT,
        "memResponseBodyBytes": INT,
        "retryExpression": STRING,
    },
)

CIRCUIT_BREAKER = Struct(
    "CircuitBreaker",
    {
        "expression": STRING,
        "checkPeriod": DURATION,
        "fallbackDuration": DURATION,
        "recoveryDuration": DURATION,
        "responseCode": INT,
    },
)

COMPRESS = Struct(
    "Compress",
    {
        "excludedContentTypes": STRINGS,
        "includedContentTypes": STRINGS,
        "minResponseBodyBytes": INT,
        "encodings": STRINGS,
        "defaultEncoding": STRING,
    },
)

TLS_CLIENT_CERTIFICATE_SUBJECT_DN_INFO = Struct(
    "TLSClientCertificateSubjectDNInfo",
    {
        "country": BOOL,
        "province": BOOL,
        "locality": BOOL,
        "organization": BOOL,
        "organizationalUnit": BOOL,
        "commonName": BOOL,
        "serialNumber": BOOL,
        "domainComponent": BOOL,
    },
)

TLS_CLIENT_CERTIFICATE_ISSUER_DN_INFO = Struct(
    "TLSClientCertificateIssuerDNInfo",
    {
        "country": BOOL,
        "province": BOOL,
        "locality": BOOL,
        "organization": BOOL,
        "commonName": BOOL,
        "serialNumber": BOOL,
        "domainComponent": BOOL,
    },
)

TLS_CLIENT_CERTIFICATE_INFO = Struct(
    "TLSClientCertificateInfo",
    {
        "notAfter": BOOL,
        "notBefore": BOOL,
        "sans": BOOL,
        "serialNumber": BOOL,
        "subject": TLS_CLIENT_CERTIFICATE_SUBJECT_DN_INFO,
        "issuer": TLS_CLIENT_CERTIFICATE_ISSUER_DN_INFO,
    },
)

PASS_TLS_CLIENT_CERT = Struct(
    "PassTLSClientCert",
    {
        "pem": BOOL,
        "info": TLS_CLIENT_CERTIFICATE_INFO,
    },
)

RETRY = Struct(
    "Retry",
    {
        "attempts": INT,
        "timeout": DURATION,
        "initialInterval": DURATION,
        "maxRequestBodyBytes": INT,
        "status": STRINGS,
        "disableRetryOnNetworkError": BOOL,
        "retryNonIdempotentMethod": BOOL,
    },
)

CONTENT_TYPE = Struct(
    "ContentType",
    {
        # Deprecated: 3.7 warns; false turns the middleware into a no-op.
        "autoDetect": BOOL,
    },
)

GRPC_WEB = Struct(
    "GrpcWeb",
    {
        "allowOrigins": STRINGS,
    },
)

# Exactly one type key: 3.7 rejects a middleware with two ("multi-types middleware not supported").
MIDDLEWARE = Struct(
    "Middleware",
    {
        "addPrefix": ADD_PREFIX,
        "stripPrefix": STRIP_PREFIX,
        "stripPrefixRegex": STRIP_PREFIX_REGEX,
        "replacePath": REPLACE_PATH,
        "replacePathRegex": REPLACE_PATH_REGEX,
        "chain": CHAIN,
        # Deprecated: still built by 3.7, with a warning; use ipAllowList.
        "ipWhiteList": IP_WHITE_LIST,
        "ipAllowList": IP_ALLOW_LIST,
        "headers": HEADERS,
        "encodedCharacters": ENCODED_CHARACTERS,
        "errors": ERROR_PAGE,
        "rateLimit": RATE_LIMIT,
        "redirectRegex": REDIRECT_REGEX,
        "redirectScheme": REDIRECT_SCHEME,
        "basicAuth": BASIC_AUTH,
        "digestAuth": DIGEST_AUTH,
        "forwardAuth": FORWARD_AUTH,
        "inFlightReq": IN_FLIGHT_REQ,
        "buffering": BUFFERING,
        "circuitBreaker": CIRCUIT_BREAKER,
        "compress": COMPRESS,
        "passTLSClientCert": PASS_TLS_CLIENT_CERT,
        "retry": RETRY,
        "contentType": CONTENT_TYPE,
        "grpcWeb": GRPC_WEB,
        # Plugin name -> its configuration, which only the plugin understands.
        "plugin": MapOf(ANY),
    },
    exclusive=True,
)

# ---- HTTP models and servers transports --------------------------------------------------------

# http.models: router defaults that Traefik derives from entry points (http.middlewares, http.tls,
# observability). The file decoder accepts them too.
MODEL = Struct(
    "Model",
    {
        "middlewares": STRINGS,
        "tls": ROUTER_TLS_CONFIG,
        "observability": ROUTER_OBSERVABILITY_CONFIG,
    },
)

_CERTIFICATE_FIELDS: dict[str, SchemaType] = {
    "certFile": STRING,
    "keyFile": STRING,
}
CERTIFICATE = Struct("Certificate", dict(_CERTIFICATE_FIELDS))

FORWARDING_TIMEOUTS = Struct(
    "ForwardingTimeouts",
    {
        "dialTimeout": DURATION,
        "responseHeaderTimeout": DURATION,
        "idleConnTimeout": DURATION,
        "readIdleTimeout": DURATION,
        "pingTimeout": DURATION,
        # readTimeout and writeTimeout are tagged json:"-" (meant for the NGINX provider, so
        # undocumented) but not file:"-": the file decoder accepts them and 3.7's transport applies
        # them.
        "readTimeout": DURATION,
        "writeTimeout": DURATION,
    },
)

SPIFFE = Struct(
    "Spiffe",
    {
        "ids": STRINGS,
        "trustDomain": STRING,
    },
)

SERVERS_TRANSPORT = Struct(
    "ServersTransport",
    {
        "serverName": STRING,
        "insecureSkipVerify": BOOL,
        "rootCAs": STRINGS,
        "certificates": ListOf(CERTIFICATE),
        "cipherSuites": STRINGS,
        "minVersion": STRING,
        "maxVersion": STRING,
        "maxIdleConnsPerHost": INT,
        "forwardingTimeouts": FORWARDING_TIMEOUTS,
        "disableHTTP2": BOOL,
        "peerCertURI": STRING,
        "spiffe": SPIFFE,
    },
)

HTTP_CONFIGURATION = Struct(
    "HTTPConfiguration",
    {
        "routers": MapOf(ROUTER),
        "services": MapOf(SERVICE),
        "middlewares": MapOf(MIDDLEWARE),
        "models": MapOf(MODEL),
        "serversTransports": MapOf(SERVERS_TRANSPORT),
    },
)

# ---- TCP ---------------------------------------------------------------------------------------

ROUTER_TCP_TLS_CONFIG = Struct(
    "RouterTCPTLSConfig",
    {
        "passthrough": BOOL,
        "options": STRING,
        "certResolver": STRING,
        "domains": ListOf(DOMAIN),
    },
)

TCP_ROUTER = Struct(
    "TCPRouter",
    {
        "entryPoints": STRINGS,
        "middlewares": STRINGS,
        "service": STRING,
        "rule": STRING,
        # Deprecated, still honoured: "v2" makes 3.7 parse this rule with the v2 matchers.
        "ruleSyntax": STRING,
        "priority": INT,
        "tls": ROUTER_TCP_TLS_CONFIG,
    },
)

TCP_SERVER = Struct(
    "TCPServer",
    {
        "address": STRING,
        # Tagged json:"-" (the port of label-based providers) but not file:"-": a file may set it,
        # and the file provider ignores it.
        "port": STRING,
        "tls": BOOL,
    },
)

PROXY_PROTOCOL = Struct(
    "ProxyProtocol",
    {
        "version": INT,
    },
)

TCP_SERVER_HEALTH_CHECK = Struct(
    "TCPServerHealthCheck",
    {
        "port": INT,
        "send": STRING,
        "expect": STRING,
        "interval": DURATION,
        "unhealthyInterval": DURATION,
        "timeout": DURATION,
    },
)

TCP_SERVERS_LOAD_BALANCER = Struct(
    "TCPServersLoadBalancer",
    {
        "servers": ListOf(TCP_SERVER),
        "serversTransport": STRING,
        # Deprecated: still applied by 3.7, with a warning; set it on a serversTransport.
        "proxyProtocol": PROXY_PROTOCOL,
        # Deprecated: still applied by 3.7, with a warning. Plain milliseconds (Go *int), unlike the
        # DURATION of TCPServersTransport.terminationDelay.
        "terminationDelay": INT,
        "healthCheck": TCP_SERVER_HEALTH_CHECK,
    },
)

TCP_WRR_SERVICE = Struct(
    "TCPWRRService",
    {
        "name": STRING,
        "weight": INT,
    },
)

TCP_WEIGHTED_ROUND_ROBIN = Struct(
    "TCPWeightedRoundRobin",
    {
        "services": ListOf(TCP_WRR_SERVICE),
        "healthCheck": HEALTH_CHECK,
    },
)

# Exactly one type key: 3.7 rejects a service with two.
TCP_SERVICE = Struct(
    "TCPService",
    {
        "loadBalancer": TCP_SERVERS_LOAD_BALANCER,
        "weighted": TCP_WEIGHTED_ROUND_ROBIN,
    },
    exclusive=True,
)

TCP_IN_FLIGHT_CONN = Struct(
    "TCPInFlightConn",
    {
        "amount": INT,
    },
)

TCP_IP_WHITE_LIST = Struct(
    "TCPIPWhiteList",
    {
        "sourceRange": STRINGS,
    },
)

TCP_IP_ALLOW_LIST = Struct(
    "TCPIPAllowList",
    {
        "sourceRange": STRINGS,
    },
)

# Exactly one type key. 3.7 does not reject several here: the last one of inFlightConn, ipWhiteList,
# ipAllowList silently wins.
TCP_MIDDLEWARE = Struct(
    "TCPMiddleware",
    {
        "inFlightConn": TCP_IN_FLIGHT_CONN,
        # Deprecated: still built by 3.7, with a warning; use ipAllowList.
        "ipWhiteList": TCP_IP_WHITE_LIST,
        "ipAllowList": TCP_IP_ALLOW_LIST,
    },
    exclusive=True,
)

TLS_CLIENT_CONFIG = Struct(
    "TLSClientConfig",
    {
        "serverName": STRING,
        "insecureSkipVerify": BOOL,
        "rootCAs": STRINGS,
        "certificates": ListOf(CERTIFICATE),
        "peerCertURI": STRING,
        "spiffe": SPIFFE,
    },
)

TCP_SERVERS_TRANSPORT = Struct(
    "TCPServersTransport",
    {
        "dialKeepAlive": DURATION,
        "dialTimeout": DURATION,
        "proxyProtocol": PROXY_PROTOCOL,
        "terminationDelay": DURATION,
        "tls": TLS_CLIENT_CONFIG,
    },
)

TCP_CONFIGURATION = Struct(
    "TCPConfiguration",
    {
        "routers": MapOf(TCP_ROUTER),
        "services": MapOf(TCP_SERVICE),
        "middlewares": MapOf(TCP_MIDDLEWARE),
        "serversTransports": MapOf(TCP_SERVERS_TRANSPORT),
    },
)

# ---- UDP ---------------------------------------------------------------------------------------

UDP_ROUTER = Struct(
    "UDPRouter",
    {
        "entryPoints": STRINGS,
        "service": STRING,
    },
)

UDP_SERVER = Struct(
    "UDPServer",
    {
        "address": STRING,
    },
)

UDP_SERVERS_LOAD_BALANCER = Struct(
    "UDPServersLoadBalancer",
    {
        "servers": ListOf(UDP_SERVER),
    },
)

UDP_WRR_SERVICE = Struct(
    "UDPWRRService",
    {
        "name": STRING,
        "weight": INT,
    },
)

UDP_WEIGHTED_ROUND_ROBIN = Struct(
    "UDPWeightedRoundRobin",
    {
        "services": ListOf(UDP_WRR_SERVICE),
    },
)

# Exactly one type key: 3.7 rejects a service with two.
UDP_SERVICE = Struct(
    "UDPService",
    {
        "loadBalancer": UDP_SERVERS_LOAD_BALANCER,
        "weighted": UDP_WEIGHTED_ROUND_ROBIN,
    },
    exclusive=True,
)

UDP_CONFIGURATION = Struct(
    "UDPConfiguration",
    {
        "routers": MapOf(UDP_ROUTER),
        "services": MapOf(UDP_SERVICE),
    },
)

# ---- TLS ---------------------------------------------------------------------------------------

# A tls.Certificate (embedded, so its keys sit at this level) plus the stores it goes into.
CERT_AND_STORES = Struct(
    "CertAndStores",
    {
        **_CERTIFICATE_FIELDS,
        "stores": STRINGS,
    },
)

CLIENT_AUTH = Struct(
    "ClientAuth",
    {
        "caFiles": STRINGS,
        "clientAuthType": STRING,
    },
)

TLS_OPTIONS = Struct(
    "Options",
    {
        "minVersion": STRING,
        "maxVersion": STRING,
        "cipherSuites": STRINGS,
        "curvePreferences": STRINGS,
        "clientAuth": CLIENT_AUTH,
        "sniStrict": BOOL,
        "alpnProtocols": STRINGS,
        "disableSessionTickets": BOOL,
        # Deprecated: 3.7 warns that it has no effect.
        "preferServerCipherSuites": BOOL,
    },
)

GENERATED_CERT = Struct(
    "GeneratedCert",
    {
        "resolver": STRING,
        "domain": DOMAIN,
    },
)

TLS_STORE = Struct(
    "Store",
    {
        "defaultCertificate": CERTIFICATE,
        "defaultGeneratedCert": GENERATED_CERT,
    },
)

TLS_CONFIGURATION = Struct(
    "TLSConfiguration",
    {
        "certificates": ListOf(CERT_AND_STORES),
        "options": MapOf(TLS_OPTIONS),
        "stores": MapOf(TLS_STORE),
    },
)

# ---- Root --------------------------------------------------------------------------------------

DYNAMIC = Struct(
    "Configuration",
    {
        "http": HTTP_CONFIGURATION,
        "tcp": TCP_CONFIGURATION,
        "udp": UDP_CONFIGURATION,
        "tls": TLS_CONFIGURATION,
    },
)


# Fields of an exclusive Struct that are not type keys: Traefik leaves them out when it counts the
# types set (keyed by Struct name).
NOT_TYPE_KEYS: dict[str, frozenset[str]] = {"Service": frozenset({"middlewares"})}

# (Struct name, field) pairs whose value may be an empty mapping, as in `healthCheck: {}` (Go tag
# file:"allowEmpty"). Any other struct- or map-typed field written as `{}` makes the decoder fail
# with "<key> cannot be a standalone element". Entries of a map or a list are not concerned.
ALLOW_EMPTY: frozenset[tuple[str, str]] = frozenset(
    {
        ("Router", "tls"),
        ("Sticky", "cookie"),
        ("ServersLoadBalancer", "sticky"),
        ("HighestRandomWeight", "healthCheck"),
        ("WeightedRoundRobin", "healthCheck"),
        ("Mirroring", "healthCheck"),
        ("Failover", "healthCheck"),
        ("IPWhiteList", "ipStrategy"),
        ("IPAllowList", "ipStrategy"),
        ("Middleware", "compress"),
        ("Middleware", "contentType"),
        ("Model", "tls"),
        ("ServersTransport", "spiffe"),
        ("TCPRouter", "tls"),
        ("TCPServersLoadBalancer", "proxyProtocol"),
        ("TCPServersLoadBalancer", "healthCheck"),
        ("TCPWeightedRoundRobin", "healthCheck"),
        ("TLSClientConfig", "spiffe"),
        ("TCPServersTransport", "proxyProtocol"),
        ("TCPServersTransport", "tls"),
    }
)
