"""K8S: Kubernetes manifests as Traefik's Kubernetes providers read them."""

from traefik_doctor.rules.base import Rule
from traefik_doctor.rules.k8s import (
    k8s001_undefined_kubernetes_service,
    k8s002_target_port_not_on_container,
    k8s003_probe_not_served,
    k8s004_healthcheck_needs_externalname,
    k8s005_unknown_crd_field,
    k8s006_cross_namespace_reference,
    k8s007_external_traffic_policy,
    k8s008_selector_matches_no_pods,
    k8s009_object_not_read_by_traefik,
    k8s010_route_dropped_by_provider,
)

RULES: tuple[Rule, ...] = (
    k8s001_undefined_kubernetes_service.RULE,
    k8s002_target_port_not_on_container.RULE,
    k8s003_probe_not_served.RULE,
    k8s004_healthcheck_needs_externalname.RULE,
    k8s005_unknown_crd_field.RULE,
    k8s006_cross_namespace_reference.RULE,
    k8s007_external_traffic_policy.RULE,
    k8s008_selector_matches_no_pods.RULE,
    k8s009_object_not_read_by_traefik.RULE,
    k8s010_route_dropped_by_provider.RULE,
)
