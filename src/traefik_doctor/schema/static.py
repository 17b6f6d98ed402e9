"""Traefik 3.7's static configuration, traefik.yml (``STATIC``).

Transcribed from traefik v3.7.9 (cmd, pkg/config/static, pkg/provider/*, pkg/observability/types,
pkg/ping, pkg/tls, pkg/types), the newest 3.7 source at hand. The 3.7.15 binary has five options
more, taken from its ``--help`` and the struct tags compiled into it; each is marked below.
tests/test_schema_static_help.py checks that every ``--help`` flag resolves here.

Keys are spelled as Traefik's json tags; paerser matches them to the Go field names without regard
to case (one place where the two differ is noted). Fields tagged ``file:"-"`` are left out.
"""

from __future__ import annotations

from traefik_doctor.schema.dynamic import DOMAIN, IP_STRATEGY, TYPES_CLIENT_TLS
from traefik_doctor.schema.types import (
    ANY,
    BOOL,
    DURATION,
    FLOAT,
    INT,
    STRING,
    STRINGS,
    ListOf,
    MapOf,
    SchemaType,
    Struct,
)

# ---- Global and servers transports -------------------------------------------------------------

GLOBAL = Struct(
    "Global",
    {
        "checkNewVersion": BOOL,
        "sendAnonymousUsage": BOOL,
        "notAppendXForwardedFor": BOOL,
    },
)

FORWARDING_TIMEOUTS = Struct(
    "ForwardingTimeouts",
    {
        "dialTimeout": DURATION,
        "responseHeaderTimeout": DURATION,
        "idleConnTimeout": DURATION,
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
        "insecureSkipVerify": BOOL,
        "rootCAs": STRINGS,
        "maxIdleConnsPerHost": INT,
        "forwardingTimeouts": FORWARDING_TIMEOUTS,
        "spiffe": SPIFFE,
    },
)

TLS_CLIENT_CONFIG = Struct(
    "TLSClientConfig",
    {
        "insecureSkipVerify": BOOL,
        "rootCAs": STRINGS,
        "spiffe": SPIFFE,
    },
)

TCP_SERVERS_TRANSPORT = Struct(
    "TCPServersTransport",
    {
        "dialKeepAlive": DURATION,
        "dialTimeout": DURATION,
        "terminationDelay": DURATION,
        "tls": TLS_CLIENT_CONFIG,
    },
)

# ---- Entry points ------------------------------------------------------------------------------

LIFE_CYCLE = Struct(
    "LifeCycle",
    {
        "requestAcceptGraceTimeout": DURATION,
        "graceTimeOut": DURATION,
    },
)

RESPONDING_TIMEOUTS = Struct(
    "RespondingTimeouts",
    {
        "readTimeout": DURATION,
        "writeTimeout": DURATION,
        "idleTimeout": DURATION,
    },
)

ENTRY_POINTS_TRANSPORT = Struct(
    "EntryPointsTransport",
    {
        "lifeCycle": LIFE_CYCLE,
        "respondingTimeouts": RESPONDING_TIMEOUTS,
        "keepAliveMaxTime": DURATION,
        "keepAliveMaxRequests": INT,
    },
)

PROXY_PROTOCOL = Struct(
    "ProxyProtocol",
    {
        "insecure": BOOL,
        "trustedIPs": STRINGS,
    },
)

FORWARDED_HEADERS = Struct(
    "ForwardedHeaders",
    {
        "insecure": BOOL,
        "trustedIPs": STRINGS,
        "connection": STRINGS,
        "notAppendXForwardedFor": BOOL,
    },
)

REDIRECT_ENTRY_POINT = Struct(
    "RedirectEntryPoint",
    {
        "to": STRING,
        "scheme": STRING,
        "permanent": BOOL,
        "priority": INT,
    },
)

REDIRECTIONS = Struct(
    "Redirections",
    {
        "entryPoint": REDIRECT_ENTRY_POINT,
    },
)

TLS_CONFIG = Struct(
    "TLSConfig",
    {
        "options": STRING,
        "certResolver": STRING,
        "domains": ListOf(DOMAIN),
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

HTTP_CONFIG = Struct(
    "HTTPConfig",
    {
        "redirections": REDIRECTIONS,
        "middlewares": STRINGS,
        "tls": TLS_CONFIG,
        "encodedCharacters": ENCODED_CHARACTERS,
        "encodeQuerySemicolons": BOOL,
        "sanitizePath": BOOL,
        "maxHeaderBytes": INT,
        # Deprecated in the 3.7.15 binary's --help: use aliasHeadersStrategy.
        "underscoreHeadersStrategy": STRING,
        # Added after v3.7.9; present in the 3.7.15 binary (its --help and struct tags).
        "aliasHeadersStrategy": STRING,
    },
)

HTTP2_CONFIG = Struct(
    "HTTP2Config",
    {
        "maxConcurrentStreams": INT,
        "maxDecoderHeaderTableSize": INT,
        "maxEncoderHeaderTableSize": INT,
    },
)

HTTP3_CONFIG = Struct(
    "HTTP3Config",
    {
        "advertisedPort": INT,
    },
)

UDP_CONFIG = Struct(
    "UDPConfig",
    {
        "timeout": DURATION,
    },
)

OBSERVABILITY_CONFIG = Struct(
    "ObservabilityConfig",
    {
        "accessLogs": BOOL,
        "metrics": BOOL,
        "tracing": BOOL,
        "traceVerbosity": STRING,
    },
)

ENTRY_POINT = Struct(
    "EntryPoint",
    {
        "address": STRING,
        "allowACMEByPass": BOOL,
        "reusePort": BOOL,
        "asDefault": BOOL,
        "transport": ENTRY_POINTS_TRANSPORT,
        "proxyProtocol": PROXY_PROTOCOL,
        "forwardedHeaders": FORWARDED_HEADERS,
        "http": HTTP_CONFIG,
        "http2": HTTP2_CONFIG,
        "http3": HTTP3_CONFIG,
        "udp": UDP_CONFIG,
        "observability": OBSERVABILITY_CONFIG,
    },
)

# ---- Providers ---------------------------------------------------------------------------------

# docker.Shared and docker.ClientConfig are embedded in both docker.Provider and
# docker.SwarmProvider.
_DOCKER_SHARED_FIELDS: dict[str, SchemaType] = {
    "exposedByDefault": BOOL,
    "constraints": STRING,
    "allowEmptyServices": BOOL,
    "network": STRING,
    "useBindPortIP": BOOL,
    "watch": BOOL,
    "defaultRule": STRING,
}

_DOCKER_CLIENT_CONFIG_FIELDS: dict[str, SchemaType] = {
    "username": STRING,
    "password": STRING,
    "endpoint": STRING,
    "tls": TYPES_CLIENT_TLS,
    "httpClientTimeout": DURATION,
}

DOCKER_PROVIDER = Struct(
    "docker.Provider",
    {
        **_DOCKER_SHARED_FIELDS,
        **_DOCKER_CLIENT_CONFIG_FIELDS,
    },
)

DOCKER_SWARM_PROVIDER = Struct(
    "docker.SwarmProvider",
    {
        **_DOCKER_SHARED_FIELDS,
        **_DOCKER_CLIENT_CONFIG_FIELDS,
        "refreshSeconds": DURATION,
    },
)

FILE_PROVIDER = Struct(
    "file.Provider",
    {
        "directory": STRING,
        "watch": BOOL,
        "filename": STRING,
        "debugLogGeneratedTemplate": BOOL,
    },
)

ENDPOINT_INGRESS = Struct(
    "EndpointIngress",
    {
        "ip": STRING,
        "hostname": STRING,
        "publishedService": STRING,
    },
)

INGRESS_PROVIDER = Struct(
    "ingress.Provider",
    {
        "endpoint": STRING,
        "token": STRING,
        "certAuthFilePath": STRING,
        "namespaces": STRINGS,
        "labelSelector": STRING,
        "ingressClass": STRING,
        "ingressEndpoint": ENDPOINT_INGRESS,
        "throttleDuration": DURATION,
        "allowEmptyServices": BOOL,
        "allowExternalNameServices": BOOL,
        "crossProviderNamespaces": STRINGS,
        # Deprecated, still honoured: use disableClusterScopeResources.
        "disableIngressClassLookup": BOOL,
        "disableClusterScopeResources": BOOL,
        "nativeLBByDefault": BOOL,
        "strictPrefixMatching": BOOL,
    },
)

INGRESS_NGINX_PROVIDER = Struct(
    "ingress-nginx.Provider",
    {
        "endpoint": STRING,
        "token": STRING,
        "certAuthFilePath": STRING,
        "throttleDuration": DURATION,
        "globalAuthURL": STRING,
        "watchNamespace": STRING,
        "watchNamespaceSelector": STRING,
        "ingressClass": STRING,
        "controllerClass": STRING,
        "watchIngressWithoutClass": BOOL,
        "ingressClassByName": BOOL,
        "publishService": STRING,
        "publishStatusAddress": STRINGS,
        "defaultBackendService": STRING,
        "disableSvcExternalName": BOOL,
        "ipAllowListStrategy": IP_STRATEGY,
        "httpEntryPoint": STRING,
        "httpsEntryPoint": STRING,
        "proxyRequestBuffering": BOOL,
        "clientBodyBufferSize": INT,
        "proxyBodySize": INT,
        "proxyBuffering": BOOL,
        "proxyBufferSize": INT,
        "proxyBuffersNumber": INT,
        "proxyConnectTimeout": INT,
        "proxyReadTimeout": INT,
        "proxySendTimeout": INT,
        "proxyNextUpstream": STRING,
        "proxyNextUpstreamTries": INT,
        "proxyNextUpstreamTimeout": INT,
        "customHTTPErrors": STRINGS,
        "upstreamKeepaliveTimeout": INT,
        "allowCrossNamespaceResources": BOOL,
        "globalAllowedResponseHeaders": STRINGS,
        "allowSnippetAnnotations": BOOL,
        "strictValidatePathType": BOOL,
    },
)

CRD_PROVIDER = Struct(
    "crd.Provider",
    {
        "endpoint": STRING,
        "token": STRING,
        "certAuthFilePath": STRING,
        "namespaces": STRINGS,
        "allowCrossNamespace": BOOL,
        "allowExternalNameServices": BOOL,
        "crossProviderNamespaces": STRINGS,
        "labelSelector": STRING,
        "ingressClass": STRING,
        "throttleDuration": DURATION,
        "allowEmptyServices": BOOL,
        "nativeLBByDefault": BOOL,
        "disableClusterScopeResources": BOOL,
        # Added after v3.7.9; present in the 3.7.15 binary (its --help and struct tags).
        "defaultTLSResourcesNamespace": STRING,
        # Added after v3.7.9; present in the 3.7.15 binary (its --help and struct tags).
        "safeNaming": BOOL,
    },
)

GATEWAY_SERVICE_REF = Struct(
    "gateway.ServiceRef",
    {
        "name": STRING,
        "namespace": STRING,
    },
)

STATUS_ADDRESS = Struct(
    "StatusAddress",
    {
        "ip": STRING,
        "hostname": STRING,
        "service": GATEWAY_SERVICE_REF,
    },
)

NAMESPACED_NAME = Struct(
    "NamespacedName",
    {
        "name": STRING,
        "namespace": STRING,
    },
)

GATEWAY_PROVIDER = Struct(
    "gateway.Provider",
    {
        "endpoint": STRING,
        "token": STRING,
        "qps": INT,
        "burst": INT,
        "certAuthFilePath": STRING,
        "namespaces": STRINGS,
        "labelSelector": STRING,
        "throttleDuration": DURATION,
        "experimentalChannel": BOOL,
        "statusAddress": STATUS_ADDRESS,
        "nativeLBByDefault": BOOL,
        "crossProviderNamespaces": STRINGS,
        # Added after v3.7.9; present in the 3.7.15 binary (its --help and struct tags). The item
        # type's name comes from the binary's type names.
        "gateways": ListOf(NAMESPACED_NAME),
    },
)

KNATIVE_SERVICE_REF = Struct(
    "knative.ServiceRef",
    {
        # Traefik's tags spell this "desc", but paerser matches the Go field name, Name; --help
        # shows "name".
        "name": STRING,
        "namespace": STRING,
    },
)

KNATIVE_PROVIDER = Struct(
    "knative.Provider",
    {
        "endpoint": STRING,
        "token": STRING,
        "certAuthFilePath": STRING,
        "namespaces": STRINGS,
        "labelSelector": STRING,
        "publicEntrypoints": STRINGS,
        "publicService": KNATIVE_SERVICE_REF,
        "privateEntrypoints": STRINGS,
        "privateService": KNATIVE_SERVICE_REF,
        "throttleDuration": DURATION,
    },
)

REST_PROVIDER = Struct(
    "rest.Provider",
    {
        "insecure": BOOL,
    },
)

ENDPOINT_HTTP_AUTH_CONFIG = Struct(
    "EndpointHTTPAuthConfig",
    {
        "username": STRING,
        "password": STRING,
    },
)

CONSULCATALOG_ENDPOINT_CONFIG = Struct(
    "consulcatalog.EndpointConfig",
    {
        "address": STRING,
        "scheme": STRING,
        "datacenter": STRING,
        "token": STRING,
        "tls": TYPES_CLIENT_TLS,
        "httpAuth": ENDPOINT_HTTP_AUTH_CONFIG,
        "endpointWaitTime": DURATION,
    },
)

# consulcatalog.Configuration is embedded in consulcatalog.ProviderBuilder.
_CONSULCATALOG_CONFIGURATION_FIELDS: dict[str, SchemaType] = {
    "constraints": STRING,
    "endpoint": CONSULCATALOG_ENDPOINT_CONFIG,
    "prefix": STRING,
    "refreshInterval": DURATION,
    "requireConsistent": BOOL,
    "stale": BOOL,
    "cache": BOOL,
    "exposedByDefault": BOOL,
    "defaultRule": STRING,
    "connectAware": BOOL,
    "connectByDefault": BOOL,
    "serviceName": STRING,
    "watch": BOOL,
    "strictChecks": STRINGS,
}

CONSULCATALOG_PROVIDER_BUILDER = Struct(
    "consulcatalog.ProviderBuilder",
    {
        **_CONSULCATALOG_CONFIGURATION_FIELDS,
        "namespaces": STRINGS,
    },
)

NOMAD_ENDPOINT_CONFIG = Struct(
    "nomad.EndpointConfig",
    {
        "address": STRING,
        "region": STRING,
        "token": STRING,
        "tls": TYPES_CLIENT_TLS,
        "endpointWaitTime": DURATION,
    },
)

# nomad.Configuration is embedded in nomad.ProviderBuilder.
_NOMAD_CONFIGURATION_FIELDS: dict[str, SchemaType] = {
    "defaultRule": STRING,
    "constraints": STRING,
    "endpoint": NOMAD_ENDPOINT_CONFIG,
    "prefix": STRING,
    "stale": BOOL,
    "exposedByDefault": BOOL,
    "refreshInterval": DURATION,
    "allowEmptyServices": BOOL,
    "watch": BOOL,
    "throttleDuration": DURATION,
}

NOMAD_PROVIDER_BUILDER = Struct(
    "nomad.ProviderBuilder",
    {
        **_NOMAD_CONFIGURATION_FIELDS,
        "namespaces": STRINGS,
    },
)

ECS_PROVIDER = Struct(
    "ecs.Provider",
    {
        "constraints": STRING,
        "exposedByDefault": BOOL,
        "refreshSeconds": INT,
        "defaultRule": STRING,
        "clusters": STRINGS,
        "autoDiscoverClusters": BOOL,
        "healthyTasksOnly": BOOL,
        "ecsAnywhere": BOOL,
        "region": STRING,
        "accessKeyID": STRING,
        "secretAccessKey": STRING,
    },
)

# kv.Provider is embedded in every KV store provider.
_KV_PROVIDER_FIELDS: dict[str, SchemaType] = {
    "rootKey": STRING,
    "endpoints": STRINGS,
}

CONSUL_PROVIDER_BUILDER = Struct(
    "consul.ProviderBuilder",
    {
        **_KV_PROVIDER_FIELDS,
        "token": STRING,
        "tls": TYPES_CLIENT_TLS,
        "namespaces": STRINGS,
    },
)

ETCD_PROVIDER = Struct(
    "etcd.Provider",
    {
        **_KV_PROVIDER_FIELDS,
        "tls": TYPES_CLIENT_TLS,
        "username": STRING,
        "password": STRING,
    },
)

ZK_PROVIDER = Struct(
    "zk.Provider",
    {
        **_KV_PROVIDER_FIELDS,
        "username": STRING,
        "password": STRING,
    },
)

SENTINEL = Struct(
    "Sentinel",
    {
        "masterName": STRING,
        "username": STRING,
        "password": STRING,
        "latencyStrategy": BOOL,
        "randomStrategy": BOOL,
        "replicaStrategy": BOOL,
        "useDisconnectedReplicas": BOOL,
    },
)

REDIS_PROVIDER = Struct(
    "redis.Provider",
    {
        **_KV_PROVIDER_FIELDS,
        "tls": TYPES_CLIENT_TLS,
        "username": STRING,
        "password": STRING,
        "db": INT,
        "sentinel": SENTINEL,
    },
)

HTTP_PROVIDER = Struct(
    "http.Provider",
    {
        "endpoint": STRING,
        "pollInterval": DURATION,
        "pollTimeout": DURATION,
        "headers": MapOf(STRING),
        "tls": TYPES_CLIENT_TLS,
        "maxResponseBodySize": INT,
    },
)

PROVIDERS = Struct(
    "Providers",
    {
        "providersThrottleDuration": DURATION,
        "precedence": STRINGS,
        "docker": DOCKER_PROVIDER,
        "swarm": DOCKER_SWARM_PROVIDER,
        "file": FILE_PROVIDER,
        "kubernetesIngress": INGRESS_PROVIDER,
        "kubernetesIngressNGINX": INGRESS_NGINX_PROVIDER,
        "kubernetesCRD": CRD_PROVIDER,
        "kubernetesGateway": GATEWAY_PROVIDER,
        "knative": KNATIVE_PROVIDER,
        "rest": REST_PROVIDER,
        "consulCatalog": CONSULCATALOG_PROVIDER_BUILDER,
        "nomad": NOMAD_PROVIDER_BUILDER,
        "ecs": ECS_PROVIDER,
        "consul": CONSUL_PROVIDER_BUILDER,
        "etcd": ETCD_PROVIDER,
        "zooKeeper": ZK_PROVIDER,
        "redis": REDIS_PROVIDER,
        "http": HTTP_PROVIDER,
        "plugin": MapOf(ANY),
    },
)

# ---- API, metrics, ping ------------------------------------------------------------------------

API = Struct(
    "API",
    {
        "basePath": STRING,
        "insecure": BOOL,
        "dashboard": BOOL,
        "debug": BOOL,
        "disableDashboardAd": BOOL,
        "dashboardName": STRING,
    },
)

PROMETHEUS = Struct(
    "Prometheus",
    {
        "buckets": ListOf(FLOAT),
        "addEntryPointsLabels": BOOL,
        "addRoutersLabels": BOOL,
        "addServicesLabels": BOOL,
        "entryPoint": STRING,
        "manualRouting": BOOL,
        "headerLabels": MapOf(STRING),
    },
)

DATADOG = Struct(
    "Datadog",
    {
        "address": STRING,
        "pushInterval": DURATION,
        "addEntryPointsLabels": BOOL,
        "addRoutersLabels": BOOL,
        "addServicesLabels": BOOL,
        "prefix": STRING,
    },
)

STATSD = Struct(
    "Statsd",
    {
        "address": STRING,
        "pushInterval": DURATION,
        "addEntryPointsLabels": BOOL,
        "addRoutersLabels": BOOL,
        "addServicesLabels": BOOL,
        "prefix": STRING,
    },
)

INFLUXDB2 = Struct(
    "InfluxDB2",
    {
        "address": STRING,
        "token": STRING,
        "pushInterval": DURATION,
        "org": STRING,
        "bucket": STRING,
        "addEntryPointsLabels": BOOL,
        "addRoutersLabels": BOOL,
        "addServicesLabels": BOOL,
        "additionalLabels": MapOf(STRING),
    },
)

OTEL_GRPC = Struct(
    "OTelGRPC",
    {
        "endpoint": STRING,
        "insecure": BOOL,
        "tls": TYPES_CLIENT_TLS,
        "headers": MapOf(STRING),
    },
)

OTEL_HTTP = Struct(
    "OTelHTTP",
    {
        "endpoint": STRING,
        "tls": TYPES_CLIENT_TLS,
        "headers": MapOf(STRING),
    },
)

OTLP = Struct(
    "OTLP",
    {
        "grpc": OTEL_GRPC,
        "http": OTEL_HTTP,
        "addEntryPointsLabels": BOOL,
        "addRoutersLabels": BOOL,
        "addServicesLabels": BOOL,
        "explicitBoundaries": ListOf(FLOAT),
        "pushInterval": DURATION,
        "serviceName": STRING,
        "resourceAttributes": MapOf(STRING),
    },
)

METRICS = Struct(
    "Metrics",
    {
        "addInternals": BOOL,
        "prometheus": PROMETHEUS,
        "datadog": DATADOG,
        "statsD": STATSD,
        "influxDB2": INFLUXDB2,
        "otlp": OTLP,
    },
)

PING_HANDLER = Struct(
    "ping.Handler",
    {
        "entryPoint": STRING,
        "manualRouting": BOOL,
        "terminatingStatusCode": INT,
    },
)

# ---- Logs, access logs, tracing ----------------------------------------------------------------

OTEL_LOG = Struct(
    "OTelLog",
    {
        "serviceName": STRING,
        "resourceAttributes": MapOf(STRING),
        "grpc": OTEL_GRPC,
        "http": OTEL_HTTP,
    },
)

TRAEFIK_LOG = Struct(
    "TraefikLog",
    {
        "level": STRING,
        "format": STRING,
        "noColor": BOOL,
        "filePath": STRING,
        "maxSize": INT,
        "maxAge": INT,
        "maxBackups": INT,
        "compress": BOOL,
        "otlp": OTEL_LOG,
    },
)

ACCESS_LOG_FILTERS = Struct(
    "AccessLogFilters",
    {
        "statusCodes": STRINGS,
        "retryAttempts": BOOL,
        "minDuration": DURATION,
    },
)

FIELD_HEADERS = Struct(
    "FieldHeaders",
    {
        "defaultMode": STRING,
        "names": MapOf(STRING),
    },
)

FIELD_QUERY_PARAMETERS = Struct(
    "FieldQueryParameters",
    {
        "defaultMode": STRING,
    },
)

ACCESS_LOG_FIELDS = Struct(
    "AccessLogFields",
    {
        "defaultMode": STRING,
        "names": MapOf(STRING),
        "headers": FIELD_HEADERS,
        "queryParameters": FIELD_QUERY_PARAMETERS,
    },
)

ACCESS_LOG = Struct(
    "AccessLog",
    {
        "filePath": STRING,
        "format": STRING,
        "filters": ACCESS_LOG_FILTERS,
        "fields": ACCESS_LOG_FIELDS,
        "bufferingSize": INT,
        "addInternals": BOOL,
        "dualOutput": BOOL,
        "otlp": OTEL_LOG,
    },
)

OTEL_TRACING = Struct(
    "OTelTracing",
    {
        "grpc": OTEL_GRPC,
        "http": OTEL_HTTP,
    },
)

TRACING = Struct(
    "Tracing",
    {
        "serviceName": STRING,
        "resourceAttributes": MapOf(STRING),
        "capturedRequestHeaders": STRINGS,
        "capturedResponseHeaders": STRINGS,
        "safeQueryParams": STRINGS,
        "sampleRate": FLOAT,
        "addInternals": BOOL,
        "otlp": OTEL_TRACING,
        # Deprecated: 3.7 copies it into resourceAttributes when that is unset.
        "globalAttributes": MapOf(STRING),
    },
)

# ---- Host resolver, certificates resolvers -----------------------------------------------------

HOST_RESOLVER_CONFIG = Struct(
    "HostResolverConfig",
    {
        "cnameFlattening": BOOL,
        "resolvConfig": STRING,
        "resolvDepth": INT,
    },
)

EAB = Struct(
    "EAB",
    {
        "kid": STRING,
        "hmacEncoded": STRING,
    },
)

PROPAGATION = Struct(
    "Propagation",
    {
        "disableChecks": BOOL,
        "disableANSChecks": BOOL,
        "requireAllRNS": BOOL,
        "delayBeforeChecks": DURATION,
    },
)

DNS_CHALLENGE = Struct(
    "DNSChallenge",
    {
        "provider": STRING,
        "resolvers": STRINGS,
        "propagation": PROPAGATION,
        # Deprecated: 3.7 warns and copies it to propagation.delayBeforeChecks.
        "delayBeforeCheck": DURATION,
        # Deprecated: 3.7 warns and copies it to propagation.disableChecks.
        "disablePropagationCheck": BOOL,
    },
)

HTTP_CHALLENGE = Struct(
    "HTTPChallenge",
    {
        "entryPoint": STRING,
        "delay": DURATION,
    },
)

TLS_CHALLENGE = Struct(
    "TLSChallenge",
    {
        "delay": DURATION,
    },
)

ACME_CONFIGURATION = Struct(
    "acme.Configuration",
    {
        "email": STRING,
        "caServer": STRING,
        "preferredChain": STRING,
        "profile": STRING,
        "emailAddresses": STRINGS,
        "disableCommonName": BOOL,
        "storage": STRING,
        "keyType": STRING,
        "eab": EAB,
        "certificatesDuration": INT,
        "clientTimeout": DURATION,
        "clientResponseHeaderTimeout": DURATION,
        "certificateTimeout": DURATION,
        "caCertificates": STRINGS,
        "caSystemCertPool": BOOL,
        "caServerName": STRING,
        "dnsChallenge": DNS_CHALLENGE,
        "httpChallenge": HTTP_CHALLENGE,
        "tlsChallenge": TLS_CHALLENGE,
    },
)

# Go declares this field as an anonymous `*struct{}`: it has no options, and `tailscale: {}` is how
# a resolver is made a Tailscale one. The name is ours.
TAILSCALE = Struct("Tailscale")

# acme or tailscale: 3.7 refuses a resolver that sets both.
CERTIFICATE_RESOLVER = Struct(
    "CertificateResolver",
    {
        "acme": ACME_CONFIGURATION,
        "tailscale": TAILSCALE,
    },
    exclusive=True,
)

# ---- Experimental, core, SPIFFE, OCSP ----------------------------------------------------------

SETTINGS = Struct(
    "Settings",
    {
        "envs": STRINGS,
        "mounts": STRINGS,
        "useUnsafe": BOOL,
    },
)

DESCRIPTOR = Struct(
    "Descriptor",
    {
        "moduleName": STRING,
        "version": STRING,
        "hash": STRING,
        "settings": SETTINGS,
    },
)

LOCAL_DESCRIPTOR = Struct(
    "LocalDescriptor",
    {
        "moduleName": STRING,
        "settings": SETTINGS,
    },
)

FAST_PROXY_CONFIG = Struct(
    "FastProxyConfig",
    {
        "debug": BOOL,
    },
)

EXPERIMENTAL = Struct(
    "Experimental",
    {
        "plugins": MapOf(DESCRIPTOR),
        "localPlugins": MapOf(LOCAL_DESCRIPTOR),
        "abortOnPluginFailure": BOOL,
        "fastProxy": FAST_PROXY_CONFIG,
        "otlplogs": BOOL,
        "knative": BOOL,
        # Deprecated: the provider is no longer experimental (since 3.6.2); 3.7 accepts the flag and
        # does nothing with it.
        "kubernetesIngressNGINX": BOOL,
        # Deprecated: the provider is no longer experimental (since 3.1); 3.7 accepts the flag and
        # does nothing with it.
        "kubernetesGateway": BOOL,
    },
)

CORE = Struct(
    "Core",
    {
        # Deprecated, still honoured: "v2" makes v2 the default rule syntax (with a warning);
        # anything but v2/v3 stops Traefik.
        "defaultRuleSyntax": STRING,
        # Added after v3.7.9; present in the 3.7.15 binary (its --help and struct tags).
        "strictTLSOptions": BOOL,
    },
)

SPIFFE_CLIENT_CONFIG = Struct(
    "SpiffeClientConfig",
    {
        "workloadAPIAddr": STRING,
    },
)

OCSP_CONFIG = Struct(
    "OCSPConfig",
    {
        "responderOverrides": MapOf(STRING),
    },
)

# ---- Root --------------------------------------------------------------------------------------

# static.Configuration: embedded in the root, TraefikCmdConfiguration.
_STATIC_CONFIGURATION_FIELDS: dict[str, SchemaType] = {
    "global": GLOBAL,
    "serversTransport": SERVERS_TRANSPORT,
    "tcpServersTransport": TCP_SERVERS_TRANSPORT,
    "entryPoints": MapOf(ENTRY_POINT),
    "providers": PROVIDERS,
    "api": API,
    "metrics": METRICS,
    "ping": PING_HANDLER,
    "log": TRAEFIK_LOG,
    "accessLog": ACCESS_LOG,
    "tracing": TRACING,
    "hostResolver": HOST_RESOLVER_CONFIG,
    "certificatesResolvers": MapOf(CERTIFICATE_RESOLVER),
    "experimental": EXPERIMENTAL,
    # Marked deprecated as a whole in v3.7.9 ("do not use"), but 3.7.15 added strictTLSOptions to
    # it.
    "core": CORE,
    "spiffe": SPIFFE_CLIENT_CONFIG,
    "ocsp": OCSP_CONFIG,
}

# The root wraps static.Configuration (embedded, so its keys sit at the top) and adds configFile.
STATIC = Struct(
    "TraefikCmdConfiguration",
    {
        **_STATIC_CONFIGURATION_FIELDS,
        # Meant as a flag or environment variable; the file decoder accepts the key too.
        "configFile": STRING,
    },
)


# (Struct name, field) pairs whose value may be an empty mapping, as in `api: {}` (Go tag
# file:"allowEmpty"). Any other struct- or map-typed field written as `{}` makes the decoder fail
# with "<key> cannot be a standalone element". Entries of a map or a list are not concerned.
ALLOW_EMPTY: frozenset[tuple[str, str]] = frozenset(
    {
        ("ServersTransport", "spiffe"),
        ("TLSClientConfig", "spiffe"),
        ("TCPServersTransport", "tls"),
        ("HTTPConfig", "tls"),
        ("EntryPoint", "proxyProtocol"),
        ("EntryPoint", "http3"),
        ("Providers", "docker"),
        ("Providers", "swarm"),
        ("Providers", "kubernetesIngress"),
        ("Providers", "kubernetesIngressNGINX"),
        ("Providers", "kubernetesCRD"),
        ("Providers", "kubernetesGateway"),
        ("Providers", "knative"),
        ("Providers", "rest"),
        ("Providers", "consulCatalog"),
        ("Providers", "nomad"),
        ("Providers", "ecs"),
        ("Providers", "consul"),
        ("Providers", "etcd"),
        ("Providers", "zooKeeper"),
        ("Providers", "redis"),
        ("Providers", "http"),
        ("OTLP", "grpc"),
        ("OTLP", "http"),
        ("Metrics", "prometheus"),
        ("Metrics", "datadog"),
        ("Metrics", "statsD"),
        ("Metrics", "influxDB2"),
        ("Metrics", "otlp"),
        ("OTelLog", "grpc"),
        ("OTelLog", "http"),
        ("TraefikLog", "otlp"),
        ("AccessLog", "otlp"),
        ("OTelTracing", "grpc"),
        ("OTelTracing", "http"),
        ("Tracing", "otlp"),
        ("DNSChallenge", "propagation"),
        ("acme.Configuration", "dnsChallenge"),
        ("acme.Configuration", "httpChallenge"),
        ("acme.Configuration", "tlsChallenge"),
        ("CertificateResolver", "tailscale"),
        ("Experimental", "fastProxy"),
        ("TraefikCmdConfiguration", "api"),
        ("TraefikCmdConfiguration", "ping"),
        ("TraefikCmdConfiguration", "log"),
        ("TraefikCmdConfiguration", "accessLog"),
        ("TraefikCmdConfiguration", "tracing"),
        ("TraefikCmdConfiguration", "hostResolver"),
        ("TraefikCmdConfiguration", "ocsp"),
    }
)
