"""The Kubernetes example stays what its README says: each injected fault is reported, at
the manifest file and line that holds it, and nothing else."""

from __future__ import annotations

from pathlib import Path

from traefik_doctor.engine import run_check
from traefik_doctor.settings import Settings

EXAMPLE = Path(__file__).parent.parent / "examples" / "k8s-app"

EXPECTED = {
    # the Kubernetes side (K8S)
    ("K8S001", "deploy/shop.yaml"),  # port 8080 is the container's, not the Service's
    ("K8S002", "deploy/shop.yaml"),  # targetPort `http`, the container calls it `web`
    ("K8S003", "deploy/shop.yaml"),  # readinessProbe /ready, Go serves /healthz
    ("K8S004", "deploy/shop.yaml"),  # healthCheck on a ClusterIP Service
    ("K8S005", "deploy/admin.yaml"),  # `schema:` for `scheme:`
    ("K8S006", "deploy/shop.yaml"),  # middleware of namespace `auth`
    ("K8S007", "deploy/traefik.yaml"),  # ipAllowList behind externalTrafficPolicy Cluster
    ("K8S008", "deploy/shop.yaml"),  # selector app.kubernetes.io/name=web, pods say frontend
    ("K8S009", "deploy/legacy-redirect.yaml"),  # traefik.containo.us (twice)
    ("K8S010", "deploy/shop.yaml"),  # ExternalName without allowExternalNameServices
    # Traefik's own rules on the translated configuration
    ("RTR004", "deploy/shop.yaml"),  # a v2 `{id:[0-9]+}` placeholder
    ("RTR008", "deploy/docs-export.yaml"),  # annotation names a middleware that is missing
    # Traefik's static configuration, read from its container args
    ("OPS005", "deploy/traefik.yaml"),  # the chart's default latency buckets
}


def test_each_injected_fault_is_reported_at_its_manifest_line() -> None:
    result = run_check(EXAMPLE, Settings())
    assert not result.crashed, result.crashed
    found = {(f.code, f.location.path) for f in result.findings}
    assert found == EXPECTED
    for finding in result.findings:
        assert finding.location.line is not None, finding
        assert finding.location.path.startswith("deploy/"), finding
    assert len(result.findings) == len(EXPECTED) + 1  # K8S009 names both legacy objects


def test_the_working_route_reaches_the_go_handler() -> None:
    result = run_check(EXAMPLE, Settings())
    project = result.project
    service = project.dynamic.services["http:shop-api-2e672463355d335d17ef@kubernetescrd"]
    assert [s.url.text for s in service.servers if s.url] == ["http://api.shop.pod:8080"]
    assert project.kubernetes is not None
    assert project.kubernetes.programs[service.qualified][0] == "cmd/api"
