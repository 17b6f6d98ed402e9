"""``traefik-doctor diff DIR_A DIR_B``: what differs between two projects, and what is risky.

Each area has a case here that fails if the comparison missed it: the projects are small and
realistic (a TLS API behind redirects, a health-checked service, a servers transport), B is A
with one edit. The staging/prod pair under ``tests/diff_cases`` pins the whole output (text and
JSON snapshots; ``UPDATE_SNAPSHOTS=1`` rewrites them, then review the diff).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import trustme

from traefik_doctor.cli import main

CASES = Path(__file__).parent / "diff_cases"
SNAPSHOTS = CASES / "snapshots"

STATIC = """\
entryPoints:
  web:
    address: ":80"
    http:
      redirections:
        entryPoint:
          to: websecure
          scheme: https
  websecure:
    address: ":443"
    http:
      tls: {}
  traefik:
    address: "127.0.0.1:8080"

api:
  dashboard: true

log:
  level: INFO

accessLog:
  format: json

metrics:
  prometheus:
    addRoutersLabels: true

providers:
  file:
    directory: dynamic
    watch: true
"""

DYNAMIC = """\
http:
  routers:
    api:
      entryPoints: [websecure]
      rule: Host(`api.example.com`) && PathPrefix(`/v1`)
      service: api
      middlewares: [headers, ratelimit]
      tls: {}
  services:
    api:
      loadBalancer:
        serversTransport: backend
        healthCheck:
          path: /healthz
          interval: 10s
          timeout: 2s
        servers:
          - url: http://10.0.0.11:8081
          - url: http://10.0.0.12:8081
  serversTransports:
    backend:
      forwardingTimeouts:
        responseHeaderTimeout: 30s
  middlewares:
    headers:
      headers:
        frameDeny: true
        stsSeconds: 31536000
    ratelimit:
      rateLimit:
        average: 100
"""


def make(
    root: Path,
    *,
    static: str = STATIC,
    dynamic: str = DYNAMIC,
    edits: tuple[tuple[str, str], ...] = (),
    files: dict[str, str] | None = None,
) -> Path:
    """A project: ``traefik.yml`` and ``dynamic/app.yml`` (unless ``files`` replaces it),
    with each ``(old, new)`` edit applied to whichever file holds ``old``."""
    contents = {"traefik.yml": static, "dynamic/app.yml": dynamic} if files is None else {}
    if files is not None:
        contents.update({"traefik.yml": static, **files})
    for old, new in edits:
        holders = [name for name, text in contents.items() if old in text]
        assert holders, f"edit target not found: {old!r}"
        contents[holders[0]] = contents[holders[0]].replace(old, new, 1)
    for name, text in contents.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def pair(tmp_path: Path, edits: tuple[tuple[str, str], ...], **b_options: Any) -> tuple[Path, Path]:
    return make(tmp_path / "a"), make(tmp_path / "b", edits=edits, **b_options)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def diff_json(
    capsys: pytest.CaptureFixture[str], a: Path, b: Path, *flags: str
) -> tuple[int, dict[str, Any]]:
    code, out, err = run(capsys, str(a), str(b), "--format", "json", "--no-go", *flags)
    assert err == ""
    return code, json.loads(out)


def keys(document: dict[str, Any]) -> set[tuple[str, str, str, str, str]]:
    return {
        (d["area"], d["op"], d["object"]["kind"], d["object"]["name"], d["field"])
        for d in document["differences"]
    }


# ---- no difference -----------------------------------------------------------------------------


def test_identical_projects_have_no_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = pair(tmp_path, ())
    code, out, err = run(capsys, str(a), str(b), "--no-go")
    assert (code, out, err) == (0, "no differences\n", "")


REORDERED_ROUTERS = """\
http:
  middlewares:
    ratelimit:
      rateLimit:
        average: 100
    headers:
      headers:
        stsSeconds: 31536000
        frameDeny: True
  routers:
    api:
      tls: {}
      middlewares: [headers, ratelimit]
      service: api
      rule: Host(`api.example.com`) && PathPrefix(`/v1`)
      EntryPoints: [websecure]
"""

REORDERED_SERVICES = """\
http:
  serversTransports:
    backend:
      forwardingTimeouts:
        responseHeaderTimeout: 30
        idleConnTimeout: 90s
  services:
    api:
      loadbalancer:
        servers:
          - url: http://10.0.0.12:8081
          - url: http://10.0.0.11:8081
        passHostHeader: true
        healthcheck:
          timeout: 2000ms
          interval: 10
          path: /healthz
        serversTransport: backend@file
"""

TOML_DYNAMIC = """\
[http.routers.api]
entryPoints = ["websecure"]
rule = "Host(`api.example.com`) && PathPrefix(`/v1`)"
service = "api"
middlewares = ["headers", "ratelimit"]
[http.routers.api.tls]

[http.services.api.loadBalancer]
serversTransport = "backend"
[http.services.api.loadBalancer.healthCheck]
path = "/healthz"
interval = "10s"
timeout = "2s"
[[http.services.api.loadBalancer.servers]]
url = "http://10.0.0.11:8081"
[[http.services.api.loadBalancer.servers]]
url = "http://10.0.0.12:8081"

[http.serversTransports.backend.forwardingTimeouts]
responseHeaderTimeout = "30s"

[http.middlewares.headers.headers]
frameDeny = true
stsSeconds = 31536000
[http.middlewares.ratelimit.rateLimit]
average = 100
"""


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(
            {"dynamic/routers.yml": REORDERED_ROUTERS, "dynamic/services.yml": REORDERED_SERVICES},
            id="keys-reordered-split-files-spelling-defaults",
        ),
        pytest.param({"dynamic/app.toml": TOML_DYNAMIC}, id="toml-instead-of-yaml"),
    ],
)
def test_same_configuration_written_differently_is_no_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str]
) -> None:
    """Key order, file layout, key case, ``10`` vs ``10s``, ``True`` vs ``true``, server
    order, ``backend`` vs ``backend@file`` and values equal to Traefik's defaults
    (``passHostHeader: true``, ``idleConnTimeout: 90s``) decode alike in Traefik."""
    a = make(tmp_path / "a")
    b = make(tmp_path / "b", files=files)
    code, document = diff_json(capsys, a, b)
    assert document["differences"] == []
    assert code == 0


def test_blanks_in_a_rule_only_change_the_default_priority(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Traefik's default priority is the rule's length, blanks included."""
    a, b = pair(tmp_path, (("`) && PathPrefix", "`)&&PathPrefix"),))
    _, document = diff_json(capsys, a, b)
    assert keys(document) == {("Routing", "changed", "router", "api@file", "priority")}
    [difference] = document["differences"]
    assert difference["a"]["value"].startswith("44 ")
    assert difference["b"]["value"].startswith("42 ")


# ---- each area ---------------------------------------------------------------------------------

AREA_CASES = [
    # Routing
    pytest.param(
        (("PathPrefix(`/v1`)", "PathPrefix(`/v2`)"),),
        ("Routing", "changed", "router", "api@file", "rule"),
        id="routing-rule",
    ),
    pytest.param(
        (("[headers, ratelimit]", "[ratelimit, headers]"),),
        ("Routing", "changed", "router", "api@file", "middlewares"),
        id="routing-middleware-order",
    ),
    pytest.param(
        (("service: api\n", "service: api-v2\n"),),
        ("Routing", "changed", "router", "api@file", "service"),
        id="routing-service",
    ),
    pytest.param(
        (("entryPoints: [websecure]", "entryPoints: [websecure, web]"),),
        ("Routing", "changed", "router", "api@file", "entryPoints"),
        id="routing-entry-points",
    ),
    pytest.param(
        (("      tls: {}\n  services", "      priority: 100\n      tls: {}\n  services"),),
        ("Routing", "changed", "router", "api@file", "priority"),
        id="routing-priority",
    ),
    pytest.param(
        (("10.0.0.12:8081", "10.0.0.13:8081"),),
        ("Routing", "added", "service", "api@file", "loadBalancer.servers[http://10.0.0.13:8081]"),
        id="routing-server",
    ),
    pytest.param(
        (("average: 100", "average: 50"),),
        ("Routing", "changed", "middleware", "ratelimit@file", "rateLimit.average"),
        id="routing-middleware-option",
    ),
    pytest.param(
        (("headers:\n        frameDeny: true", "redirectScheme:\n        scheme: https"),),
        ("Routing", "removed", "middleware", "headers@file", "headers"),
        id="routing-middleware-type",
    ),
    pytest.param(
        (('address: ":443"', 'address: ":8443"'),),
        ("Routing", "changed", "entryPoint", "websecure", "address"),
        id="routing-entry-point-address",
    ),
    # TLS
    pytest.param(
        (("      tls: {}\n  services", "  services"),),
        ("TLS", "removed", "router", "api@file", "tls"),
        id="tls-router-loses-tls",
    ),
    pytest.param(
        (("      tls: {}\n  services", "      tls:\n        certResolver: le\n  services"),),
        ("TLS", "added", "router", "api@file", "tls.certResolver"),
        id="tls-cert-resolver",
    ),
    pytest.param(
        (
            (
                "    http:\n      redirections:\n        entryPoint:\n          to: websecure\n"
                "          scheme: https\n",
                "",
            ),
        ),
        ("TLS", "removed", "entryPoint", "web", "http.redirections"),
        id="tls-redirect-removed",
    ),
    pytest.param(
        (("    backend:\n", "    backend:\n      insecureSkipVerify: true\n"),),
        ("TLS", "changed", "serversTransport", "backend@file", "insecureSkipVerify"),
        id="tls-insecure-skip-verify",
    ),
    pytest.param(
        (("    backend:\n", "    backend:\n      rootCAs: [/etc/ca.pem]\n"),),
        ("TLS", "added", "serversTransport", "backend@file", "rootCAs"),
        id="tls-root-cas",
    ),
    # Timeouts
    pytest.param(
        (
            (
                'address: ":443"\n',
                'address: ":443"\n    transport:\n      respondingTimeouts:\n'
                "        readTimeout: 5s\n",
            ),
        ),
        (
            "Timeouts",
            "changed",
            "entryPoint",
            "websecure",
            "transport.respondingTimeouts.readTimeout",
        ),
        id="timeouts-responding",
    ),
    pytest.param(
        (("responseHeaderTimeout: 30s", "responseHeaderTimeout: 10s"),),
        (
            "Timeouts",
            "changed",
            "serversTransport",
            "backend@file",
            "forwardingTimeouts.responseHeaderTimeout",
        ),
        id="timeouts-forwarding",
    ),
    pytest.param(
        (
            (
                "responseHeaderTimeout: 30s",
                "responseHeaderTimeout: 30s\n        idleConnTimeout: 30s",
            ),
        ),
        (
            "Timeouts",
            "changed",
            "serversTransport",
            "backend@file",
            "forwardingTimeouts.idleConnTimeout",
        ),
        id="timeouts-forwarding-default",
    ),
    pytest.param(
        (
            (
                'address: ":443"\n',
                'address: ":443"\n    transport:\n      lifeCycle:\n        graceTimeOut: 1s\n',
            ),
        ),
        ("Timeouts", "changed", "entryPoint", "websecure", "transport.lifeCycle.graceTimeOut"),
        id="timeouts-life-cycle",
    ),
    # Health checks
    pytest.param(
        (
            (
                "        healthCheck:\n          path: /healthz\n          interval: 10s\n"
                "          timeout: 2s\n",
                "",
            ),
        ),
        ("Health checks", "removed", "service", "api@file", "loadBalancer.healthCheck"),
        id="health-check-removed",
    ),
    pytest.param(
        (("interval: 10s", "interval: 1m"),),
        ("Health checks", "changed", "service", "api@file", "loadBalancer.healthCheck.interval"),
        id="health-check-interval",
    ),
    pytest.param(
        (("path: /healthz", "path: /ready"),),
        ("Health checks", "changed", "service", "api@file", "loadBalancer.healthCheck.path"),
        id="health-check-path",
    ),
    # Observability
    pytest.param(
        (("accessLog:\n  format: json\n", ""),),
        ("Observability", "removed", "static", "accessLog", ""),
        id="observability-access-log-off",
    ),
    pytest.param(
        (("format: json", "format: common\n  filePath: /var/log/access.log"),),
        ("Observability", "changed", "static", "accessLog", "format"),
        id="observability-access-log-format",
    ),
    pytest.param(
        (("addRoutersLabels: true", "addRoutersLabels: false"),),
        ("Observability", "changed", "static", "metrics", "prometheus.addRoutersLabels"),
        id="observability-router-labels",
    ),
    pytest.param(
        (("level: INFO", "level: DEBUG"),),
        ("Observability", "changed", "static", "log", "level"),
        id="observability-log-level",
    ),
    pytest.param(
        (("log:\n", "tracing:\n  sampleRate: 0.1\n\nlog:\n"),),
        ("Observability", "added", "static", "tracing", ""),
        id="observability-tracing",
    ),
    # Providers / API
    pytest.param(
        (("dashboard: true", "dashboard: true\n  insecure: true"),),
        ("Providers/API", "changed", "static", "api", "insecure"),
        id="api-insecure",
    ),
    pytest.param(
        (("watch: true", "watch: false"),),
        ("Providers/API", "changed", "provider", "file", "watch"),
        id="provider-watch",
    ),
    pytest.param(
        (("providers:\n", "providers:\n  docker:\n    exposedByDefault: true\n"),),
        ("Providers/API", "added", "provider", "docker", ""),
        id="provider-added",
    ),
]


@pytest.mark.parametrize(("edits", "expected"), AREA_CASES)
def test_each_area_reports_its_difference(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    edits: tuple[tuple[str, str], ...],
    expected: tuple[str, str, str, str, str],
) -> None:
    a, b = pair(tmp_path, edits)
    code, document = diff_json(capsys, a, b)
    assert expected in keys(document), keys(document)
    assert code == 1


def test_a_value_set_to_its_default_on_one_side_names_the_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = pair(
        tmp_path,
        (
            (
                "responseHeaderTimeout: 30s",
                "responseHeaderTimeout: 30s\n        idleConnTimeout: 30s",
            ),
        ),
    )
    _, document = diff_json(capsys, a, b)
    [difference] = document["differences"]
    assert difference["a"] == {"value": "90s", "default": True, "location": None}
    assert difference["b"]["value"] == "30s"
    assert difference["b"]["location"]["path"] == "dynamic/app.yml"


def test_renamed_router_is_one_removed_and_one_added(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = pair(tmp_path, (("    api:\n      entryPoints", "    api-v1:\n      entryPoints"),))
    code, out, _ = run(capsys, str(a), str(b), "--no-go")
    assert code == 1
    assert (
        "  - router api@file (only in A): rule Host(`api.example.com`) && PathPrefix(`/v1`)" in out
    )
    assert "  + router api-v1@file (only in B): rule Host(`api.example.com`)" in out
    assert f"      A {a}/dynamic/app.yml:3:5" in out
    assert f"      B {b}/dynamic/app.yml:3:5" in out


@pytest.mark.parametrize(
    ("new_rule", "note"),
    [
        (
            'PathPrefix(`/v1`) && Host("API.example.com")',
            "the same requests match (operands reordered or quoted differently)",
        ),
        (
            "Host(`api.example.org`) && PathPrefix(`/v1`)",
            "the requests it matches may differ: hosts api.example.com -> api.example.org",
        ),
        ("Host(`api.example.com`) && PathPrefix(`/v1`", "does not parse in B"),
    ],
)
def test_rule_changes_say_what_they_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], new_rule: str, note: str
) -> None:
    a, b = pair(tmp_path, (("Host(`api.example.com`) && PathPrefix(`/v1`)", new_rule),))
    _, document = diff_json(capsys, a, b)
    [rule] = [d for d in document["differences"] if d["field"] == "rule"]
    assert rule["note"].startswith(note)


def test_middleware_order_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = pair(tmp_path, (("[headers, ratelimit]", "[ratelimit, headers]"),))
    _, document = diff_json(capsys, a, b)
    [chain] = document["differences"]
    assert chain["note"] == "the same middlewares in another order: they run in list order"


def test_router_without_entry_points_compares_where_traefik_attaches_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No ``entryPoints`` means every entry point but ``traefik``: the same as listing them."""
    a = make(tmp_path / "a", edits=(("entryPoints: [websecure]", "entryPoints: [websecure, web]"),))
    b = make(tmp_path / "b", edits=(("      entryPoints: [websecure]\n", ""),))
    _, document = diff_json(capsys, a, b)
    assert document["differences"] == []


def test_default_tls_option_compares_with_the_built_in_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Traefik always has a ``default`` TLS option (TLS 1.2 and up when not written)."""
    option = "tls:\n  options:\n    default:\n      minVersion: {}\n"
    a = make(tmp_path / "a")
    same = make(tmp_path / "same", dynamic=DYNAMIC + option.format("VersionTLS12"))
    lower = make(tmp_path / "lower", dynamic=DYNAMIC + option.format("VersionTLS11"))
    assert diff_json(capsys, a, same)[1]["differences"] == []
    _, document = diff_json(capsys, a, lower, "--profile", "prod")
    [difference] = document["differences"]
    assert (difference["object"]["name"], difference["field"]) == ("default", "minVersion")
    assert difference["a"]["value"] == "VersionTLS12 (Traefik's default option)"
    assert [risk["code"] for risk in difference["risks"]] == ["TLS008"]


def test_static_files_with_other_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = pair(tmp_path, (("level: INFO", "level: WARN"),))
    for root in (a, b):
        (root / "traefik.yml").rename(root / "static.yml")
    code, document = diff_json(
        capsys, a, b, "--static-a", str(a / "static.yml"), "--static-b", str(b / "static.yml")
    )
    assert keys(document) == {("Observability", "changed", "static", "log", "level")}
    assert code == 1


# ---- certificates ------------------------------------------------------------------------------


def _certificate_project(root: Path, ca: trustme.CA, names: list[str], file: str) -> Path:
    leaf = ca.issue_cert(*names)
    certs = root / "dynamic" / "certs"
    certs.mkdir(parents=True)
    (certs / f"{file}.crt").write_bytes(b"".join(p.bytes() for p in leaf.cert_chain_pems))
    (certs / f"{file}.key").write_bytes(leaf.private_key_pem.bytes())
    tls = (
        "tls:\n  certificates:\n"
        f"    - certFile: dynamic/certs/{file}.crt\n      keyFile: dynamic/certs/{file}.key\n"
    )
    return make(root, dynamic=DYNAMIC + tls)


def test_certificates_pair_by_the_names_they_cover(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ca = trustme.CA()
    a = _certificate_project(tmp_path / "a", ca, ["api.example.com"], "api")
    b = _certificate_project(tmp_path / "b", ca, ["api.example.com"], "api-2026")
    c = _certificate_project(tmp_path / "c", ca, ["api.example.com", "www.example.com"], "api")
    _, same_names = diff_json(capsys, a, b)
    assert {d["field"] for d in same_names["differences"]} == {"certFile", "keyFile"}
    assert all(d["object"]["name"] == "api.example.com" for d in same_names["differences"])
    _, other_names = diff_json(capsys, a, c)
    assert keys(other_names) == {
        ("TLS", "removed", "certificate", "api.example.com", ""),
        ("TLS", "added", "certificate", "api.example.com, www.example.com", ""),
    }


def test_certificate_issuer_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = _certificate_project(tmp_path / "a", trustme.CA(), ["api.example.com"], "api")
    b = _certificate_project(tmp_path / "b", trustme.CA(), ["api.example.com"], "api")
    _, document = diff_json(capsys, a, b)
    assert ("TLS", "changed", "certificate", "api.example.com", "issuer") in keys(document)


# ---- Go, compose -------------------------------------------------------------------------------

GO_MAIN = """\
package main

import (
\t"net/http"
\t"time"
)

func main() {
\tmux := http.NewServeMux()
\tmux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})
\tmux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {})
\tsrv := &http.Server{
\t\tAddr:              ":8081",
\t\tHandler:           mux,
\t\tReadHeaderTimeout: 5 * time.Second,
\t\tWriteTimeout:      60 * time.Second,
\t\tIdleTimeout:       120 * time.Second,
\t}
\t_ = srv.ListenAndServe()
}
"""


def _go_project(root: Path, main_go: str) -> Path:
    make(
        root,
        edits=(
            ("http://10.0.0.11:8081", "http://127.0.0.1:8081"),
            ("          - url: http://10.0.0.12:8081\n", ""),
        ),
    )
    (root / "go.mod").write_text("module example.com/api\n\ngo 1.22\n", encoding="utf-8")
    (root / "cmd" / "api").mkdir(parents=True)
    (root / "cmd" / "api" / "main.go").write_text(main_go, encoding="utf-8")
    return root


def test_go_server_timeouts_are_compared_and_their_risk_linked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = _go_project(tmp_path / "a", GO_MAIN)
    b = _go_project(tmp_path / "b", GO_MAIN.replace("120 * time.Second", "30 * time.Second"))
    code, out, err = run(capsys, str(a), str(b), "--format", "json", "--profile", "prod")
    assert err == ""
    document = json.loads(out)
    [idle] = [d for d in document["differences"] if d["field"] == "IdleTimeout"]
    assert (idle["area"], idle["object"]["kind"], idle["object"]["name"]) == (
        "Timeouts",
        "Go server",
        "cmd/api :8081",
    )
    assert (idle["a"]["value"], idle["b"]["value"]) == ("120s", "30s")
    assert idle["b"]["location"] == {"path": "cmd/api/main.go", "line": 17, "column": 22}
    assert [r["code"] for r in idle["risks"]] == ["TMO001"]
    assert code == 1
    # --no-go: the Go side is not read, so nothing differs.
    assert run(capsys, str(a), str(b), "--no-go")[0] == 0


def test_compose_labels_are_compared_as_docker_routers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = """\
services:
  traefik:
    image: traefik:v3.7
    command:
      - --providers.docker=true
      - --providers.docker.exposedByDefault=false
      - --entryPoints.web.address=:80
  api:
    image: example/api
    labels:
      - traefik.enable=true
      - traefik.http.routers.api.rule=Host(`api.example.com`)
      - traefik.http.routers.api.entryPoints=web
      - traefik.http.services.api.loadBalancer.server.port=8081
"""
    for name, host in (("a", "api.example.com"), ("b", "api.example.org")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "compose.yaml").write_text(
            compose.replace("api.example.com", host), encoding="utf-8"
        )
    _, document = diff_json(capsys, tmp_path / "a", tmp_path / "b")
    assert keys(document) == {("Routing", "changed", "router", "api@docker", "rule")}


# ---- risk under --profile prod -----------------------------------------------------------------

STAGING, PROD = CASES / "staging", CASES / "prod"


def test_prod_risks_are_tied_to_the_differences_that_cause_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, document = diff_json(capsys, STAGING, PROD, "--profile", "prod")
    risks = {
        (d["object"]["name"], d["field"]): [r["code"] for r in d["risks"]]
        for d in document["differences"]
        if d["risks"]
    }
    assert risks == {
        ("dashboard@file", ""): ["DIFF"],
        ("web", "http.redirections"): ["DIFF"],
        ("backend@file", "insecureSkipVerify"): ["TLS006"],
        ("default", "minVersion"): ["TLS008"],
        ("websecure", "transport.respondingTimeouts.readTimeout"): ["DIFF"],
        ("api@file", "loadBalancer.healthCheck"): ["SVC004"],
        ("log", "level"): ["OPS002"],
        ("accessLog", ""): ["OPS004"],
        ("api", "insecure"): ["OPS001"],
    }
    assert document["risks"] == []
    assert document["summary"]["risky"] == 9
    assert code == 1
    assert diff_json(capsys, STAGING, PROD, "--fail-on-risk")[0] == 1


def test_the_safer_direction_has_no_risk(capsys: pytest.CaptureFixture[str]) -> None:
    code, document = diff_json(capsys, PROD, STAGING, "--profile", "prod")
    assert document["summary"]["differences"] == 15
    assert document["summary"]["risky"] == 0
    assert code == 1
    assert diff_json(capsys, PROD, STAGING, "--fail-on-risk")[0] == 0


def test_without_prod_profile_risks_are_not_assessed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(STAGING), str(PROD), "--no-go")
    assert "! risk" not in out
    assert out.endswith("; risks not assessed (add --profile prod)\n")
    assert code == 1


def test_judged_risks_without_a_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Risks no rule reports: B lost a router, B's entry point listens on every interface."""
    a = make(
        tmp_path / "a",
        edits=(
            (
                "  services:\n",
                "    legacy:\n      rule: Host(`old.example.com`)\n"
                "      service: api\n  services:\n",
            ),
        ),
    )
    b = make(tmp_path / "b", edits=(('"127.0.0.1:8080"', '":8080"'),))
    _, document = diff_json(capsys, a, b, "--profile", "prod")
    judged = {
        (d["object"]["name"], d["field"]): d["risks"][0]["message"]
        for d in document["differences"]
        if d["risks"]
    }
    assert judged[("legacy@file", "")].startswith("B has no such router")
    assert judged[("traefik", "address")].startswith("B listens on every interface")


# ---- output ------------------------------------------------------------------------------------


def test_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    _, document = diff_json(capsys, STAGING, PROD, "--profile", "prod")
    assert set(document) == {
        "tool", "version", "format_version", "a", "b", "profile", "risk_checked",
        "differences", "risks", "problems", "summary",
    }  # fmt: skip
    assert (document["tool"], document["format_version"]) == ("traefik-doctor", 1)
    assert (document["profile"], document["risk_checked"]) == ("prod", True)
    for difference in document["differences"]:
        assert set(difference) == {"area", "op", "object", "field", "a", "b", "note", "risks"}
        assert difference["op"] in ("changed", "added", "removed")
        assert set(difference["object"]) == {"kind", "protocol", "name"}
        for side in ("a", "b"):
            value = difference[side]
            assert value is None or set(value) == {"value", "default", "location"}
            if value is not None and value["location"] is not None:
                assert set(value["location"]) == {"path", "line", "column"}
        assert (difference["a"] is None) == (difference["op"] == "added")
        assert (difference["b"] is None) == (difference["op"] == "removed")
    summary = document["summary"]
    assert (
        summary["differences"] == len(document["differences"]) == sum(summary["by_area"].values())
    )


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_snapshot(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.chdir(CASES)
    code, out, err = run(capsys, "staging", "prod", "--no-go", "--profile", "prod", "--format", fmt)
    assert (code, err) == (1, "")
    if fmt == "json":
        document = json.loads(out)
        document["version"] = "VERSION"
        out = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    path = SNAPSHOTS / f"staging_prod.{'txt' if fmt == 'text' else 'json'}"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert out == path.read_text(encoding="utf-8")


# ---- usage errors and bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{a}", "{missing}"], "no such file or directory"),
        (["{missing}", "{a}"], "no such file or directory"),
        (["{a}", "{a}", "--static-a", "{missing}"], "no such file"),
        (["{a}", "{a}", "--fail-on-risk", "--profile", "dev"], "--fail-on-risk"),
        (["{a}", "{a}", "--format", "xml"], "invalid choice"),
        (["{a}"], "required"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    a = make(tmp_path / "a")
    filled = [arg.format(a=a, missing=tmp_path / "missing") for arg in args]
    code, out, err = run(capsys, *filled)
    assert code == 2
    assert out == ""
    assert err.startswith("traefik-doctor: error: ")
    assert message in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(
            {"dynamic/app.yml": "http:\n  routers:\n    api: [\n"}, id="yaml-syntax-error"
        ),
        pytest.param({"dynamic/app.yml": "\x00\xff garbage"}, id="garbage"),
        pytest.param(
            {
                "dynamic/app.yml": "http:\n  routers:\n    api:\n      rule: 3\n"
                "      tls: [1, 2]\n      middlewares: {a: b}\n"
            },
            id="wrong-types",
        ),
        pytest.param({"dynamic/app.yml": "http:\n  routers:\n    a: &a [*a]\n"}, id="alias"),
    ],
)
def test_broken_input_never_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str]
) -> None:
    a = make(tmp_path / "a")
    b = make(tmp_path / "b", files=files)
    for first, second in ((a, b), (b, a)):
        for fmt in ("text", "json"):
            code, out, err = run(
                capsys, str(first), str(second), "--no-go", "--profile", "prod", "--format", fmt
            )
            assert code == 1
            assert "Traceback" not in out + err
            assert err == ""


def test_broken_file_is_noted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = make(tmp_path / "a")
    b = make(tmp_path / "b", files={"dynamic/app.yml": "http:\n  routers:\n    api: [\n"})
    code, out, _ = run(capsys, str(a), str(b), "--no-go")
    assert f"note: B: {b}/dynamic/app.yml:" in out
    assert "what it defines is missing from B" in out
    assert code == 1


def test_empty_directories_and_single_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    code, out, err = run(capsys, str(tmp_path / "a"), str(tmp_path / "b"))
    assert (code, err) == (0, "")
    assert out.endswith("no differences\n")
    a, b = pair(tmp_path / "files", (("average: 100", "average: 10"),))
    code, out, _ = run(capsys, str(a / "dynamic" / "app.yml"), str(b / "dynamic" / "app.yml"))
    assert "~ middleware ratelimit@file: rateLimit.average 100 -> 10" in out
    assert code == 1


def test_example_pair_is_unchanged_by_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """diff only reads: a copy of the example pair is byte for byte the same afterwards."""
    copy = tmp_path / "cases"
    shutil.copytree(CASES, copy, ignore=shutil.ignore_patterns("snapshots"))
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    run(capsys, str(copy / "staging"), str(copy / "prod"), "--profile", "prod")
    assert {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()} == before
