"""API snapshot, settling, the default certificate and Traefik's own errors, real Traefik."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from traefik_doctor.probes.http import make_client, probe_http
from traefik_doctor.probes.result import ProbeResult
from traefik_doctor.probes.tls import probe_tls
from traefik_doctor.probes.traefik_api import ApiSnapshot, read_api, wait_settled
from traefik_lab import free_port, run_traefik

pytestmark = pytest.mark.traefik

ROUTERS = 150


@dataclass
class Lab:
    api: str
    web: int
    websecure: int


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    workdir = tmp_path_factory.mktemp("traefik-probes")
    ports = {name: free_port() for name in ("web", "websecure", "traefik")}
    dynamic = workdir / "dyn"
    dynamic.mkdir()
    static = {
        "global": {"checkNewVersion": False, "sendAnonymousUsage": False},
        "entryPoints": {name: {"address": f"127.0.0.1:{port}"} for name, port in ports.items()},
        "api": {"insecure": True},
        "log": {"level": "ERROR", "filePath": str(workdir / "traefik.log")},
        "providers": {"file": {"directory": str(dynamic)}},
    }
    routers: dict[str, object] = {
        f"r{n:03d}": {"rule": f"Host(`h{n:03d}.test`)", "service": "svc", "entryPoints": ["web"]}
        for n in range(ROUTERS)
    }
    routers["r-missing"] = {"rule": "Host(`missing.test`)", "service": "nosuch"}
    routers["r-secure"] = {
        "rule": "Host(`secure.test`)",
        "service": "svc",
        "entryPoints": ["websecure"],
        "tls": {},
    }
    dynamic_config = {
        "http": {
            "routers": routers,
            "services": {"svc": {"loadBalancer": {"servers": [{"url": "http://127.0.0.1:9"}]}}},
        }
    }
    # JSON is YAML: no YAML writer needed.
    (workdir / "traefik.yml").write_text(json.dumps(static), encoding="utf-8")
    (dynamic / "routes.yml").write_text(json.dumps(dynamic_config), encoding="utf-8")
    with run_traefik(workdir / "traefik.yml", workdir, ports["traefik"]):
        yield Lab(f"http://127.0.0.1:{ports['traefik']}", ports["web"], ports["websecure"])


def _run_api(lab: Lab) -> tuple[ProbeResult, ApiSnapshot | ProbeResult]:
    async def go() -> tuple[ProbeResult, ApiSnapshot | ProbeResult]:
        client = make_client(4, 5.0)
        try:
            settled = await wait_settled(client, lab.api, timeout=15, min_routers=ROUTERS + 4)
            return settled, await read_api(client, lab.api, per_page=100)
        finally:
            await client.aclose()

    return asyncio.run(go())


def test_api_snapshot(lab: Lab) -> None:
    settled, snapshot = _run_api(lab)
    assert settled.success, settled
    assert settled.observations["routers_total"] == ROUTERS + 4  # + 2 @internal
    assert isinstance(snapshot, ApiSnapshot), snapshot
    assert snapshot.version.startswith("3.")
    assert snapshot.overview["http"]["routers"]["total"] == ROUTERS + 4
    assert len(snapshot.routers) == ROUTERS + 4  # all pages read
    pages = [r.target for r in snapshot.requests if "/api/http/routers" in r.target]
    assert len(pages) == 2
    router = snapshot.routers["r042@file"]
    assert router.status == "enabled"
    assert router.rule == "Host(`h042.test`)"
    assert router.entry_points == ("web",)
    assert router.using == ("web",)
    assert router.service == "svc"
    assert router.provider == "file"
    missing = snapshot.routers["r-missing@file"]
    assert missing.status == "disabled"
    assert missing.errors == ('the service "nosuch@file" does not exist',)
    assert snapshot.routers["r-secure@file"].tls is True
    service = snapshot.services["svc@file"]
    assert service.status == "enabled"
    assert service.server_status == {"http://127.0.0.1:9": "UP"}
    assert service.servers == ("http://127.0.0.1:9",)
    assert set(snapshot.entry_points) == {"web", "websecure", "traefik"}
    assert snapshot.entry_points["web"].address == f"127.0.0.1:{lab.web}"
    assert "r042@file" in snapshot.rawdata["routers"]
    assert "api@internal" in snapshot.services


def test_api_failure_is_a_result() -> None:
    port = free_port()

    async def go() -> tuple[ApiSnapshot | ProbeResult, ProbeResult]:
        client = make_client(2, 1.0)
        try:
            base = f"http://127.0.0.1:{port}"
            return await read_api(client, base, timeout=1.0), await wait_settled(
                client, base, timeout=0.5
            )
        finally:
            await client.aclose()

    start = time.monotonic()
    snapshot, settled = asyncio.run(go())
    assert time.monotonic() - start < 2.5
    assert isinstance(snapshot, ProbeResult)
    assert snapshot.failure == "connection_refused"
    assert snapshot.target.endswith("/api/version")
    assert settled.failure == "connection_refused"


def test_api_on_a_non_api_port(lab: Lab) -> None:
    async def go() -> ApiSnapshot | ProbeResult:
        client = make_client(2, 1.0)
        try:
            return await read_api(client, f"http://127.0.0.1:{lab.web}", timeout=1.0)
        finally:
            await client.aclose()

    result = asyncio.run(go())
    assert isinstance(result, ProbeResult)
    assert result.failure == "status_code"
    assert "404 page not found" in str(result.detail)


def test_default_certificate_and_traefik_errors(lab: Lab) -> None:
    async def go() -> list[ProbeResult]:
        client = make_client(4, 2.0, verify=False)
        try:
            await wait_settled(client, lab.api, timeout=15, min_routers=ROUTERS + 4)
            return list(
                await asyncio.gather(
                    probe_tls(
                        "127.0.0.1", lab.websecure, sni="secure.test", timeout=2.0, verify=False
                    ),
                    probe_tls("127.0.0.1", lab.websecure, sni="secure.test", timeout=2.0),
                    probe_http(
                        client,
                        "GET",
                        f"http://127.0.0.1:{lab.web}/",
                        headers={"Host": "nowhere.test"},
                        timeout=2.0,
                    ),
                    probe_http(
                        client,
                        "GET",
                        f"http://127.0.0.1:{lab.web}/",
                        headers={"Host": "h001.test"},
                        timeout=2.0,
                    ),
                    probe_http(
                        client,
                        "GET",
                        f"https://127.0.0.1:{lab.websecure}/",
                        headers={"Host": "missing.test"},
                        sni="secure.test",
                        timeout=2.0,
                    ),
                )
            )
        finally:
            await client.aclose()

    presented, verified, no_router, closed_backend, over_tls = asyncio.run(go())
    assert presented.success, presented
    assert presented.observations["subject_cn"] == "TRAEFIK DEFAULT CERT"
    assert presented.observations["traefik_default_cert"] is True
    assert verified.failure == "tls_verify"
    assert verified.observations["traefik_default_cert"] is True
    assert no_router.observations["status"] == 404
    assert str(no_router.observations["body_prefix"]).strip() == "404 page not found"
    assert no_router.observations["traefik_generated"] is True
    assert closed_backend.observations["status"] == 502
    assert closed_backend.observations["traefik_generated"] is True
    assert over_tls.observations["status"] == 404
    assert "tls" in over_tls.phases


def test_wait_settled_from_start(tmp_path: Path) -> None:
    """Started cold: the API answers before the routers are there; the wait sees them all."""
    ports = {name: free_port() for name in ("web", "traefik")}
    dynamic = tmp_path / "dyn"
    dynamic.mkdir()
    static = {
        "global": {"checkNewVersion": False, "sendAnonymousUsage": False},
        "entryPoints": {name: {"address": f"127.0.0.1:{port}"} for name, port in ports.items()},
        "api": {"insecure": True},
        "providers": {"file": {"directory": str(dynamic)}},
    }
    routers = {f"r{n}": {"rule": f"Host(`h{n}.test`)", "service": "svc"} for n in range(ROUTERS)}
    config = {
        "http": {
            "routers": routers,
            "services": {"svc": {"loadBalancer": {"servers": [{"url": "http://127.0.0.1:9"}]}}},
        }
    }
    (tmp_path / "traefik.yml").write_text(json.dumps(static), encoding="utf-8")
    (dynamic / "r.yml").write_text(json.dumps(config), encoding="utf-8")
    with run_traefik(tmp_path / "traefik.yml", tmp_path, ports["traefik"]):

        async def go() -> ProbeResult:
            client = make_client(2, 2.0)
            try:
                return await wait_settled(
                    client, f"http://127.0.0.1:{ports['traefik']}", timeout=15
                )
            finally:
                await client.aclose()

        settled = asyncio.run(go())
    assert settled.success, settled
    assert settled.observations["routers_total"] == ROUTERS + 2
