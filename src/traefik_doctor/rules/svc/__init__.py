"""SVC: services and backends."""

from traefik_doctor.rules.base import Rule
from traefik_doctor.rules.svc import (
    svc001_invalid_server_url,
    svc002_loopback_backend_from_container,
    svc003_backend_port_mismatch,
    svc004_missing_healthcheck,
    svc005_healthcheck_path_not_served,
    svc006_untrusted_https_backend,
    svc007_h2c_scheme_mismatch,
    svc008_docker_lowest_port,
    svc009_docker_network_ambiguous,
    svc010_undefined_servers_transport,
    svc011_empty_service,
    svc012_port_conflict,
    svc013_pass_host_header_disabled,
    svc014_server_url_path_ignored,
)

RULES: tuple[Rule, ...] = (
    svc001_invalid_server_url.RULE,
    svc004_missing_healthcheck.RULE,
    svc005_healthcheck_path_not_served.RULE,
    svc006_untrusted_https_backend.RULE,
    svc010_undefined_servers_transport.RULE,
    svc011_empty_service.RULE,
    svc012_port_conflict.RULE,
    svc014_server_url_path_ignored.RULE,
    svc002_loopback_backend_from_container.RULE,
    svc008_docker_lowest_port.RULE,
    svc009_docker_network_ambiguous.RULE,
    svc003_backend_port_mismatch.RULE,
    svc007_h2c_scheme_mismatch.RULE,
    svc013_pass_host_header_disabled.RULE,
)
