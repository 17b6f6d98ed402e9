"""Fixtures against the real Traefik 3.7: what a rule claims Traefik does, Traefik must do.

Each fixture case with a ``[traefik]`` table in its ``case.toml`` states an outcome
(``provider-rejected``, ``refuses-to-start``, ``router-disabled``, ``router-warning``,
``router-enabled``, ``loads``). Every ``pass_`` case with a static file and no claim must
``load``: all its file-provider routers present in Traefik's API and none disabled.
``outcome = "not-run"`` with a ``reason`` marks a case that needs a provider no lab here can
run (a Docker engine, a Kubernetes API); it is listed, not run, and the reason is required.

The case's static file is rewritten for the lab: entry points move to free loopback ports,
the API is served on the ``traefik`` entry point, logs go to a file at DEBUG, the file
provider points at the case's own files, and ACME CAs point at a closed loopback port.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from fixtures import Case, cases
from traefik_doctor.loaders.project import load_project
from traefik_lab import Running, free_port, run_traefik, wait_for_api

OUTCOMES = {
    "provider-rejected",
    "refuses-to-start",
    "router-disabled",
    "router-warning",
    "router-enabled",
    "loads",
}


def _claims() -> list[tuple[Case, dict[str, Any]]]:
    out = []
    for case in cases():
        claim = case.settings.get("traefik")
        has_static = (case.path / "traefik.yml").is_file()
        has_compose = any(
            (case.path / n).exists()
            for n in ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
        )
        if isinstance(claim, dict):
            if claim.get("outcome") == "not-run":
                assert claim.get("reason"), f"{case.id}: not-run needs a reason"
                continue
            out.append((case, claim))
        elif not case.failing and has_static and not has_compose:
            out.append((case, {"outcome": "loads"}))
    return out


CLAIMS = _claims()


def _lab_static(case: Case, workdir: Path, api_port: int) -> Path:
    """Copy the case into ``workdir`` and write the lab's static file."""
    project = workdir / "project"
    shutil.copytree(case.path, project, symlinks=True)
    static_path = project / "traefik.yml"
    text = static_path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict):
        # Broken on purpose: only make sure nothing binds outside loopback.
        text = re.sub(r"(address:\s*)\S+", lambda m: f'{m.group(1)}"127.0.0.1:{free_port()}"', text)
        static_path.write_text(text, encoding="utf-8")
        return static_path
    entry_points = data.get("entryPoints") or data.get("entrypoints") or {}
    if not isinstance(entry_points, dict):
        entry_points = {}
    ports: dict[str, int] = {}
    hosts: dict[str, str] = {}
    for name, raw in list(entry_points.items()):
        body = raw if isinstance(raw, dict) else {}
        body["address"] = _loopback(str(body.get("address", "")), ports, hosts)
        entry_points[name] = body
    entry_points.setdefault("traefik", {})
    entry_points["traefik"] = {
        **(entry_points["traefik"] or {}),
        "address": f"127.0.0.1:{api_port}",
    }
    data.pop("entrypoints", None)
    data["entryPoints"] = entry_points
    data["global"] = {"checkNewVersion": False, "sendAnonymousUsage": False}
    api = data.get("api") if isinstance(data.get("api"), dict) else {}
    data["api"] = {**api, "insecure": True}
    data["log"] = {"level": "DEBUG", "filePath": str(workdir / "traefik.log"), "noColor": True}
    providers = data.get("providers") if isinstance(data.get("providers"), dict) else {}
    file_provider = providers.get("file") if isinstance(providers.get("file"), dict) else None
    if file_provider is not None:
        for key in ("directory", "filename"):
            if key in file_provider:
                file_provider[key] = str((project / str(file_provider[key])).resolve())
        file_provider["watch"] = False
    resolvers = data.get("certificatesResolvers")
    if isinstance(resolvers, dict):
        for body in resolvers.values():
            if isinstance(body, dict) and isinstance(body.get("acme"), dict):
                body["acme"]["caServer"] = "https://127.0.0.1:9/directory"
                body["acme"]["storage"] = str(workdir / "acme.json")
    metrics = data.get("metrics")
    if isinstance(metrics, dict) and isinstance(metrics.get("prometheus"), dict):
        ep = metrics["prometheus"].get("entryPoint")
        if ep and ep not in entry_points:
            entry_points[ep] = {"address": f"127.0.0.1:{free_port()}"}
    lab = workdir / "lab-traefik.yml"
    lab.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return lab


def _loopback(address: str, ports: dict[str, int], hosts: dict[str, str]) -> str:
    """The same address on loopback, keeping what makes two addresses conflict: one free
    port per original port, and one loopback address per original host (a wildcard host,
    which covers every interface, becomes 127.0.0.1)."""
    base, _, protocol = address.partition("/")
    host, _, port = base.rpartition(":") if ":" in base else ("", "", "")
    host = host.strip("[]")
    if host in ("", "0.0.0.0", "::", "localhost"):
        host = "127.0.0.1"
    if host not in hosts:
        hosts[host] = host if host.startswith("127.") else f"127.0.0.{len(hosts) + 2}"
    if port not in ports:
        ports[port] = free_port()
    suffix = f"/{protocol}" if protocol else ""
    return f"{hosts[host]}:{ports[port]}{suffix}"


class _PortTakenError(Exception):
    """``free_port`` releases a port before Traefik binds it: another process took it."""


def _provider_failed(log: str) -> bool:
    """Traefik's two ways of saying the file provider was rejected: at the first build, and
    when the provider cannot start at all (``watch: false``)."""
    return any(
        marker in log
        for marker in ("Error while building configuration", "Cannot start the provider *file")
    )


def _file_routers(running: Running) -> list[dict[str, Any]]:
    return [r for r in running.routers() if r.get("provider") == "file"]


def _expected_file_routers(case: Case) -> int:
    project = load_project(case.path)
    return sum(
        1 for r in project.dynamic.routers.values() if r.provider == "file" and r.protocol == "http"
    )


def _wait(predicate: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except (OSError, ValueError):
            pass
        time.sleep(0.1)
    return False


@pytest.mark.traefik
@pytest.mark.parametrize(("case", "claim"), CLAIMS, ids=[c.id for c, _ in CLAIMS])
def test_traefik_agrees(case: Case, claim: dict[str, Any], tmp_path: Path) -> None:
    outcome = claim.get("outcome")
    assert outcome in OUTCOMES, f"unknown outcome {outcome!r}"
    for attempt in range(2):
        try:
            _check_claim(case, claim, outcome, tmp_path / f"try{attempt}")
            return
        except _PortTakenError:
            if attempt:
                raise


def _check_claim(case: Case, claim: dict[str, Any], outcome: str, workdir: Path) -> None:
    workdir.mkdir()
    api_port = free_port()
    static = _lab_static(case, workdir, api_port)
    error = claim.get("error")
    with run_traefik(static, workdir, api_port, cwd=workdir / "project") as running:
        if outcome == "refuses-to-start":
            try:
                code = running.process.wait(timeout=10)
            except Exception:
                code = None
            assert code not in (None, 0), f"Traefik started; log:\n{running.log()[-2000:]}"
            if error:
                assert error in running.log(), running.log()[-2000:]
            return
        if not wait_for_api(running):
            if "address already in use" in running.log():
                raise _PortTakenError
            raise AssertionError(f"Traefik did not start; log:\n{running.log()[-3000:]}")
        if outcome == "provider-rejected":
            assert _wait(lambda: _provider_failed(running.log()), 10), running.log()[-3000:]
            time.sleep(0.3)
            assert _file_routers(running) == [], "the provider was not rejected"
            if error:
                assert error in running.log(), running.log()[-3000:]
            return
        if outcome == "loads":
            expected = _expected_file_routers(case)
            assert _wait(lambda: len(_file_routers(running)) >= expected, 10), (
                f"expected {expected} file routers,"
                f" got {[r['name'] for r in _file_routers(running)]};"
                f" log:\n{running.log()[-3000:]}"
            )
            disabled = [
                (r["name"], r.get("error"))
                for r in _file_routers(running)
                if r.get("status") == "disabled"
            ]
            assert disabled == [], f"routers disabled by Traefik: {disabled}"
            if error:
                assert _wait(lambda: error in running.log(), 5), running.log()[-3000:]
            return
        wanted = list(claim.get("routers", []))
        assert wanted, "router-* outcomes need `routers`"
        status = outcome.removeprefix("router-")
        assert _wait(lambda: {r["name"] for r in running.routers()} >= set(wanted), 10), (
            f"routers {wanted} not in the API: {[r['name'] for r in running.routers()]};"
            f" log:\n{running.log()[-3000:]}"
        )
        by_name = {r["name"]: r for r in running.routers()}
        for name in wanted:
            router = by_name[name]
            assert router.get("status") == status, f"{name}: {router}"
            if error:
                assert any(error in e for e in router.get("error", [])), (
                    f"{name}: {router.get('error')}"
                )
