"""Kubernetes manifests as input: the names Traefik's providers give (pinned to values in
Traefik v3.7.9's own provider tests), multi-document files, ``kind: List``, positions,
Traefik's static configuration from its container args, suppressions, bad input, and that
projects without manifests load as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from traefik_doctor.cli import main
from traefik_doctor.engine import run_check
from traefik_doctor.loaders.project import load_project
from traefik_doctor.settings import Settings

EXAMPLES = Path(__file__).parent.parent / "examples"

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {namespace}
spec:
  selector:
    app: {name}
  ports:
    - name: http
      port: 80
      targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {namespace}
spec:
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
        - name: app
          image: registry.example.com/{name}:1
          ports:
            - containerPort: 8080
"""


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def codes(root: Path, select: list[str] | None = None) -> list[tuple[str, str, int | None]]:
    result = run_check(root, Settings(select=select or []))
    assert not result.crashed, result.crashed
    return [(f.code, f.location.path, f.location.line) for f in result.findings]


def test_ingress_route_names_are_traefiks(tmp_path: Path) -> None:
    # pkg/provider/kubernetes/crd/kubernetes_test.go, fixture simple.yml: router and
    # service `default-test-route-6b204d94623b3df4370c`.
    write(
        tmp_path,
        {
            "whoami.yaml": SERVICE.format(name="whoami", namespace="default"),
            "route.yaml": """\
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata:
  name: test.route
  namespace: default
spec:
  entryPoints:
    - foo
  routes:
  - match: Host(`foo.com`) && PathPrefix(`/bar`)
    kind: Rule
    priority: 12
    services:
    - name: whoami
      port: 80
""",
        },
    )
    project = load_project(tmp_path)
    name = "default-test-route-6b204d94623b3df4370c"
    router = project.dynamic.routers[f"http:{name}@kubernetescrd"]
    assert router.service is not None and router.service.text == name
    assert router.rule is not None and router.rule.text == "Host(`foo.com`) && PathPrefix(`/bar`)"
    assert [ep.text for ep in router.entry_points] == ["foo"]
    service = project.dynamic.services[f"http:{name}@kubernetescrd"]
    assert [s.url.text for s in service.servers if s.url] == ["http://whoami.default.pod:8080"]
    assert router.origin.location().line == 10


def test_ingress_names_are_traefiks(tmp_path: Path) -> None:
    # pkg/provider/kubernetes/ingress/kubernetes_test.go: router `testing-traefik-tchouk-bar`
    # with rule Host("traefik.tchouk") && PathPrefix("/bar"), service `testing-service1-80`.
    write(
        tmp_path,
        {
            "service1.yaml": SERVICE.format(name="service1", namespace="testing"),
            "ingress.yaml": """\
kind: Ingress
apiVersion: networking.k8s.io/v1
metadata:
  name: ""
  namespace: testing
spec:
  rules:
  - host: traefik.tchouk
    http:
      paths:
      - path: /bar
        backend:
          service:
            name: service1
            port:
              number: 80
""",
        },
    )
    project = load_project(tmp_path)
    router = project.dynamic.routers["http:testing-traefik-tchouk-bar@kubernetes"]
    assert router.rule is not None and router.rule.text == (
        'Host("traefik.tchouk") && PathPrefix("/bar")'
    )
    assert router.service is not None and router.service.text == "testing-service1-80"
    assert "http:testing-service1-80@kubernetes" in project.dynamic.services


def test_middleware_and_chain_names(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "mw.yaml": """\
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: strip, namespace: shop}
spec:
  stripPrefix: {prefixes: [/api]}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: all, namespace: shop}
spec:
  chain:
    middlewares:
      - name: strip
      - name: missing
""",
        },
    )
    found = codes(tmp_path, ["RTR008"])
    assert found == [("RTR008", "mw.yaml", 14)]
    project = load_project(tmp_path)
    assert "http:shop-strip@kubernetescrd" in project.dynamic.middlewares


def test_multi_document_list_and_crlf_positions(tmp_path: Path) -> None:
    listed = """\
# kubectl get ingressroute -o yaml
apiVersion: v1
kind: List
items:
- apiVersion: traefik.io/v1alpha1
  kind: IngressRoute
  metadata: {name: a, namespace: shop}
  spec:
    routes:
    - match: Host(`a.example.com`)
      services:
      - name: nope
        port: 80
"""
    helm = (
        "---\r\n# Source: chart/templates/svc.yaml\r\n"
        + SERVICE.format(name="api", namespace="shop").replace("\n", "\r\n")
        + "---\r\n# Source: chart/templates/route.yaml\r\n"
        "apiVersion: traefik.io/v1alpha1\r\nkind: IngressRoute\r\n"
        "metadata:\r\n  name: b\r\n  namespace: shop\r\nspec:\r\n  routes:\r\n"
        "    - match: Host(`b.example.com`)\r\n      services:\r\n"
        "        - name: api\r\n          port: 8080\r\n"
    )
    write(tmp_path, {"list.yaml": listed, "helm.yaml": helm})
    port_line = helm.split("\r\n").index("          port: 8080") + 1
    assert sorted(codes(tmp_path, ["K8S001"])) == [
        ("K8S001", "helm.yaml", port_line),
        ("K8S001", "list.yaml", 12),
    ]
    result = run_check(tmp_path, Settings(select=["K8S001"]))
    columns = {f.location.path: f.location.column for f in result.findings}
    assert columns == {"list.yaml": 15, "helm.yaml": 17}


def test_broken_manifest_is_a_syntax_error_and_the_rest_is_checked(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app.yaml": """\
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: strip, namespace: shop}
spec:
  stripPrefix: {prefixes: [/api]
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: r, namespace: shop}
spec:
  routes:
    - match: Host(`r.example.com`)
      services:
        - name: missing
          port: 80
""",
        },
    )
    found = codes(tmp_path, ["CFG001", "K8S001"])
    assert [code for code, _path, _line in found] == ["CFG001", "K8S001"]
    assert found[1] == ("K8S001", "app.yaml", 14)
    result = run_check(tmp_path, Settings(select=["CFG001"]))
    assert "kubectl rejects this document" in result.findings[0].message


def test_bad_files_are_ignored_or_reported_never_a_traceback(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "binary.yaml": b"apiVersion: v1\nkind: Service\n\x00\xff\xfe",
            "latin1.yaml": "apiVersion: v1\nkind: ConfigMap\ndata: {a: \xe9}\n".encode("latin-1"),
            "kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\n"
            "kind: Kustomization\nresources: [app.yaml]\n",
            "empty.yaml": "apiVersion:\nkind:\n",
            "scalar.yaml": "apiVersion: v1\nkind: Service\n---\n42\n---\n- a\n",
            "chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
            "chart/templates/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n"
            "  name: {{ .Release.Name }}\n{{- if .Values.x }}\n",
            "notes.txt": "apiVersion: v1\nkind: Service\n",
        },
    )
    found = codes(tmp_path)
    # Only the invalid UTF-8 file is reported: it looks like a manifest and cannot be read.
    assert [(code, path) for code, path, _line in found] == [("CFG001", "latin1.yaml")]


def test_huge_manifest_is_reported_not_read(tmp_path: Path) -> None:
    big = b"apiVersion: v1\nkind: ConfigMap\ndata:\n" + b"  k: " + b"x" * (17 << 20) + b"\n"
    write(tmp_path, {"big.yaml": big, "small.yaml": SERVICE.format(name="a", namespace="b")})
    assert codes(tmp_path) == [("CFG014", "big.yaml", 1)]


def test_suppression_comment_in_a_manifest(tmp_path: Path) -> None:
    route = """\
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: r, namespace: shop}
spec:
  routes:
    - match: Host(`r.example.com`)
      services:
        # traefik-doctor: ignore[K8S001] lives in another repository
        - name: elsewhere
          port: 80
        - name: missing  # traefik-doctor: ignore[K8S]
          port: 80
"""
    write(tmp_path, {"route.yaml": route})
    result = run_check(tmp_path, Settings(select=["K8S001"]))
    assert result.findings == [] and result.suppressed == 1


def test_static_configuration_from_traefik_args(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "traefik.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: traefik, namespace: traefik}
spec:
  template:
    metadata:
      labels: {app: traefik}
    spec:
      containers:
        - name: traefik
          image: traefik:v3.7
          args:
            - --entryPoints.web.address=:8000
            - "--providers.kubernetescrd"
            - --providers.kubernetescrd.allowCrossNamespace=true
            - --entryPoints.websecure.adress=:8443
""",
            "route.yaml": """\
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: r, namespace: shop}
spec:
  entryPoints: [websecure]
  routes:
    - match: Host(`r.example.com`)
      middlewares:
        - {name: auth, namespace: auth}
      services:
        - name: api
          port: 80
          namespace: shop
""",
        },
    )
    project = load_project(tmp_path)
    assert project.static.kind == "flags"
    assert project.kubernetes is not None and project.kubernetes.crd.allow_cross_namespace
    found = codes(tmp_path, ["CFG002", "RTR009", "K8S006", "K8S009"])
    assert ("CFG002", "traefik.yaml", 16) in found
    assert not any(code in ("K8S006", "K8S009") for code, _p, _l in found)


def test_static_file_without_kubernetes_provider(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "traefik.yml": "entryPoints:\n  web:\n    address: ':80'\nproviders:\n  file:\n"
            "    directory: dynamic\n",
            "dynamic/app.yml": "http:\n  routers:\n    r:\n      rule: Host(`a`)\n"
            "      service: s\n  services:\n    s:\n      loadBalancer:\n"
            "        servers:\n          - url: http://127.0.0.1:8080\n",
            "k8s/route.yaml": """\
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: r, namespace: shop}
spec:
  routes:
    - match: Host(`r.example.com`)
""",
        },
    )
    found = codes(tmp_path, ["K8S009"])
    assert found == [("K8S009", "k8s/route.yaml", 1)]
    project = load_project(tmp_path)
    assert "http:r@file" in project.dynamic.routers


def test_no_static_configuration_is_said(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "route.yaml": """\
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: r, namespace: shop}
spec:
  routes:
    - match: Host(`r.example.com`)
      middlewares:
        - {name: auth, namespace: auth}
""",
        },
    )
    result = run_check(tmp_path, Settings(select=["K8S006"]))
    (finding,) = result.findings
    assert "no static configuration was found" in finding.message


def test_projects_without_manifests_load_as_before() -> None:
    for name in ("broken-app", "clean-app"):
        project = load_project(EXAMPLES / name)
        assert project.kubernetes is None
        assert all(doc.role.value != "kubernetes" for doc in project.documents)


def test_route_and_graph_on_the_kubernetes_example(capsys: pytest.CaptureFixture[str]) -> None:
    example = str(EXAMPLES / "k8s-app")
    url = "https://shop.example.com/api/v1/orders"
    assert (
        main(["route", example, "GET", url, "--entrypoint", "websecure", "--format", "json"]) == 0
    )
    routed = json.loads(capsys.readouterr().out)
    text = json.dumps(routed)
    assert "shop-api-2e672463355d335d17ef@kubernetescrd" in text
    assert "/v1/orders" in text
    # Without --entrypoint: port 443 is the LoadBalancer Service's, which forwards to the
    # Traefik pod's 8443 (`targetPort: websecure`), where `websecure` listens.
    assert main(["route", example, "GET", url, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == routed
    assert main(["graph", example, "--format", "mermaid"]) == 0
    drawn = capsys.readouterr().out
    assert "shop-strip-api@kubernetescrd" in drawn and "K8S007" in drawn


def test_duplicate_key_in_a_later_document(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app.yaml": SERVICE.format(name="api", namespace="shop")
            + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
            "data:\n  a: '1'\n  a: '2'\n",
        },
    )
    result = run_check(tmp_path, Settings(select=["CFG008"]))
    (finding,) = result.findings
    assert (finding.location.path, finding.location.line) == ("app.yaml", 37)
    assert "kubectl apply" in finding.message


WATCHED = """\
providers:
  kubernetesCRD:
    namespaces: [shop]
    allowCrossNamespace: true
"""

ROUTES = """\
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: web, namespace: shop}
spec:
  entryPoints: [web]
  routes:
    - match: Host(`shop.test`)
      kind: Rule
      services: [{name: api, namespace: backend, port: 80}]
---
apiVersion: traefik.io/v1alpha1
kind: IngressRouteTCP
metadata: {name: db, namespace: shop}
spec:
  entryPoints: [db]
  routes:
    - match: HostSNI(`*`)
      services: [{name: api, namespace: backend, port: 80}]
"""


@pytest.mark.parametrize("watched", [["shop"], ["shop", "backend"]])
def test_services_of_unwatched_namespaces_are_not_found(tmp_path: Path, watched: list[str]) -> None:
    """The provider's clients watch only `namespaces`: a Service elsewhere is unknown to it,
    for HTTP and TCP references alike."""
    root = write(
        tmp_path,
        {
            "traefik.yml": WATCHED.replace("[shop]", "[" + ", ".join(watched) + "]"),
            "deploy/routes.yaml": ROUTES,
            "deploy/api.yaml": SERVICE.format(name="api", namespace="backend"),
        },
    )
    kube = load_project(root, go=False).kubernetes
    assert kube is not None
    dropped = [r for r in kube.refs if r.dropped is not None]
    k8s001 = [f for f in run_check(root, Settings(go=False)).findings if f.code == "K8S001"]
    if "backend" in watched:
        assert dropped == [] and k8s001 == []
    else:
        assert sorted(r.referrer.kind for r in dropped) == ["IngressRoute", "IngressRouteTCP"]
        assert len(k8s001) == 2
        assert all("`providers.kubernetesCRD.namespaces` (shop)" in f.message for f in k8s001)
