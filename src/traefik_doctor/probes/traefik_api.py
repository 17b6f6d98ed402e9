"""Traefik API probe: one consistent read of a running Traefik's view of its config.

Reads ``/api/version``, ``/api/overview``, ``/api/entrypoints``, ``/api/rawdata`` and the
paginated ``/api/http/routers|services|middlewares`` (facts §2: ``?per_page=`` and the
``X-Next-Page`` header, which is ``1`` on the last page). Never raises: a failed read is a
``ProbeResult`` with the failure of the request that broke it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from traefik_doctor.probes.result import ProbeResult

if TYPE_CHECKING:
    import httpx

API_MAX_BODY = 64 * 1024 * 1024  # rawdata of 10k routers is a few MiB
MAX_PAGES = 10_000


@dataclass(frozen=True, slots=True)
class RouterState:
    name: str
    status: str
    errors: tuple[str, ...]
    rule: str
    entry_points: tuple[str, ...]
    service: str
    provider: str
    using: tuple[str, ...]
    middlewares: tuple[str, ...] = ()
    tls: bool = False


@dataclass(frozen=True, slots=True)
class ServiceState:
    name: str
    status: str
    errors: tuple[str, ...]
    server_status: Mapping[str, str]
    provider: str
    type: str
    used_by: tuple[str, ...] = ()
    servers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MiddlewareState:
    name: str
    status: str
    errors: tuple[str, ...]
    type: str
    provider: str
    used_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EntryPointState:
    name: str
    address: str
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ApiSnapshot:
    """What the API said, keyed by qualified name (``r-x@file``)."""

    base_url: str
    version: str
    codename: str
    overview: Mapping[str, Any]
    routers: Mapping[str, RouterState]
    services: Mapping[str, ServiceState]
    middlewares: Mapping[str, MiddlewareState]
    entry_points: Mapping[str, EntryPointState]
    rawdata: Mapping[str, Any]
    requests: tuple[ProbeResult, ...] = ()
    duration: float = 0.0


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    return ()


def _router(item: Mapping[str, Any]) -> RouterState:
    return RouterState(
        name=str(item.get("name", "")),
        status=str(item.get("status", "")),
        errors=_strings(item.get("error")),
        rule=str(item.get("rule", "")),
        entry_points=_strings(item.get("entryPoints")),
        service=str(item.get("service", "")),
        provider=str(item.get("provider", "")),
        using=_strings(item.get("using")),
        middlewares=_strings(item.get("middlewares")),
        tls="tls" in item,
    )


def _service(item: Mapping[str, Any]) -> ServiceState:
    status = item.get("serverStatus")
    balancer = item.get("loadBalancer")
    servers: tuple[str, ...] = ()
    if isinstance(balancer, dict) and isinstance(balancer.get("servers"), list):
        servers = tuple(
            str(server.get("url", server.get("address", "")))
            for server in balancer["servers"]
            if isinstance(server, dict)
        )
    return ServiceState(
        name=str(item.get("name", "")),
        status=str(item.get("status", "")),
        errors=_strings(item.get("error")),
        server_status=(
            {str(key): str(value) for key, value in status.items()}
            if isinstance(status, dict)
            else {}
        ),
        provider=str(item.get("provider", "")),
        type=str(item.get("type", "")),
        used_by=_strings(item.get("usedBy")),
        servers=servers,
    )


def _middleware(item: Mapping[str, Any]) -> MiddlewareState:
    return MiddlewareState(
        name=str(item.get("name", "")),
        status=str(item.get("status", "")),
        errors=_strings(item.get("error")),
        type=str(item.get("type", "")),
        provider=str(item.get("provider", "")),
        used_by=_strings(item.get("usedBy")),
    )


class _ApiFailedError(Exception):
    def __init__(self, result: ProbeResult) -> None:
        super().__init__(result.detail)
        self.result = result


class _Reader:
    def __init__(self, client: httpx.AsyncClient, base_url: str, timeout: float) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.results: list[ProbeResult] = []

    async def get(self, path: str) -> tuple[Any, ProbeResult, str | None]:
        """(parsed JSON, result, X-Next-Page) of one GET; raises _ApiFailedError."""
        result, body, next_page = await _get_json(self.client, self.base_url + path, self.timeout)
        self.results.append(result)
        if not result.success:
            raise _ApiFailedError(result)
        return body, result, next_page

    async def pages(self, path: str, per_page: int) -> list[Any]:
        items: list[Any] = []
        page = 1
        for _ in range(MAX_PAGES):
            data, result, next_page = await self.get(f"{path}?per_page={per_page}&page={page}")
            if not isinstance(data, list):
                raise _ApiFailedError(_failed(result, "api_shape", f"{path} is not a JSON array"))
            items.extend(data)
            try:
                following = int(next_page) if next_page is not None else 1
            except ValueError:
                following = 1
            if following <= page:
                return items
            page = following
        return items


def _failed(result: ProbeResult, failure: str, detail: str) -> ProbeResult:
    return ProbeResult(
        probe=result.probe,
        target=result.target,
        success=False,
        duration=result.duration,
        phases=result.phases,
        failure=failure,
        detail=detail,
        observations=result.observations,
    )


async def _get_json(
    client: httpx.AsyncClient, url: str, timeout: float
) -> tuple[ProbeResult, Any, str | None]:
    """GET a JSON document: (result, parsed body or None, X-Next-Page header)."""
    import httpx

    start = time.monotonic()
    target = f"GET {url}"
    body = bytearray()
    next_page: str | None = None
    status = 0
    try:
        async with asyncio.timeout(timeout):
            async with client.stream("GET", url) as response:
                status = response.status_code
                next_page = response.headers.get("x-next-page")
                async for chunk in response.aiter_raw():
                    body.extend(chunk)
                    if len(body) > API_MAX_BODY:
                        return (
                            _result(target, start, "body_too_large", f"over {API_MAX_BODY} bytes"),
                            None,
                            None,
                        )
    except TimeoutError:
        return _result(target, start, "timeout", f"no answer within {timeout:g} s"), None, None
    except httpx.HTTPError as exc:
        from traefik_doctor.probes.http import _classify

        failure, detail = _classify(exc)
        return _result(target, start, failure, detail), None, None
    except Exception as exc:  # a probe never raises
        return _result(target, start, "http_error", f"{type(exc).__name__}: {exc}"), None, None
    observations: dict[str, object] = {"status": status, "body_bytes": len(body)}
    if status != 200:
        prefix = bytes(body[:200]).decode("utf-8", errors="replace")
        detail = f"status {status}: {prefix.strip()}"
        return _result(target, start, "status_code", detail, observations), None, next_page
    try:
        parsed = json.loads(bytes(body))
    except ValueError as exc:
        return _result(target, start, "not_json", str(exc), observations), None, next_page
    return _result(target, start, None, None, observations), parsed, next_page


def _result(
    target: str,
    start: float,
    failure: str | None,
    detail: str | None,
    observations: dict[str, object] | None = None,
) -> ProbeResult:
    return ProbeResult(
        probe="traefik-api",
        target=target,
        success=failure is None,
        duration=time.monotonic() - start,
        failure=failure,
        detail=detail,
        observations=observations or {},
    )


async def read_api(
    client: httpx.AsyncClient,
    base_url: str,
    *,
    timeout: float = 5.0,
    per_page: int = 100,
) -> ApiSnapshot | ProbeResult:
    """Read the API at ``base_url`` (``http://127.0.0.1:8080``); each request is bounded by
    ``timeout``. Returns the snapshot, or the failed ``ProbeResult`` of the first request
    that broke (``connection_refused``, ``timeout``, ``status_code`` e.g. when the API is
    not enabled, ``not_json``...). Requests run one after another on purpose: they read one
    Traefik and should see one configuration generation.
    """
    start = time.monotonic()
    reader = _Reader(client, base_url, timeout)
    try:
        version, _, _ = await reader.get("/api/version")
        overview, _, _ = await reader.get("/api/overview")
        entry_points = await reader.pages("/api/entrypoints", per_page)
        routers = await reader.pages("/api/http/routers", per_page)
        services = await reader.pages("/api/http/services", per_page)
        middlewares = await reader.pages("/api/http/middlewares", per_page)
        rawdata, _, _ = await reader.get("/api/rawdata")
    except _ApiFailedError as failure:
        return failure.result
    version_map = version if isinstance(version, dict) else {}
    return ApiSnapshot(
        base_url=reader.base_url,
        version=str(version_map.get("Version", "")),
        codename=str(version_map.get("Codename", "")),
        overview=overview if isinstance(overview, dict) else {},
        routers={
            str(item.get("name")): _router(item) for item in routers if isinstance(item, dict)
        },
        services={
            str(item.get("name")): _service(item) for item in services if isinstance(item, dict)
        },
        middlewares={
            str(item.get("name")): _middleware(item)
            for item in middlewares
            if isinstance(item, dict)
        },
        entry_points={
            str(item.get("name")): EntryPointState(
                name=str(item.get("name")), address=str(item.get("address", "")), raw=item
            )
            for item in entry_points
            if isinstance(item, dict)
        },
        rawdata=rawdata if isinstance(rawdata, dict) else {},
        requests=tuple(reader.results),
        duration=time.monotonic() - start,
    )


def _router_total(overview: object) -> int | None:
    if not isinstance(overview, dict):
        return None
    http = overview.get("http")
    routers = http.get("routers") if isinstance(http, dict) else None
    total = routers.get("total") if isinstance(routers, dict) else None
    return total if isinstance(total, int) else None


async def wait_settled(
    client: httpx.AsyncClient,
    base_url: str,
    *,
    timeout: float = 10.0,
    stable_for: float = 0.5,
    internal_only_stable_for: float = 2.0,
    min_routers: int | None = None,
    interval: float = 0.05,
    request_timeout: float = 2.0,
) -> ProbeResult:
    """Wait until Traefik has loaded its routers (facts §12: the API port opens ~40 ms after
    start, long before the providers' routers appear, all at once).

    Polls ``/api/overview`` until ``http.routers.total`` has not changed for ``stable_for``
    seconds, bounded by ``timeout``. While the total is at most 2 (only the ``@internal``
    api/dashboard routers), it must stay so for ``internal_only_stable_for`` instead: 10k
    routers took 1.4 s to appear. ``min_routers`` (e.g. the count the files predict) settles
    as soon as that many are there and stable. Never raises; success with observation
    ``routers_total``, or ``timeout`` (``detail`` says whether the API ever answered) or the
    last request's failure.
    """
    start = time.monotonic()
    deadline = start + timeout
    last_total: int | None = None
    since = start
    last_failure: ProbeResult | None = None
    polls = 0
    while True:
        now = time.monotonic()
        if now >= deadline:
            break
        result, body, _ = await _get_json(
            client, base_url.rstrip("/") + "/api/overview", min(request_timeout, deadline - now)
        )
        polls += 1
        now = time.monotonic()
        total = _router_total(body) if result.success else None
        if total is None:
            # A poll cut short by the end of the budget must not hide a concrete failure
            # (e.g. connection_refused) seen before it.
            if last_failure is None or result.failure != "timeout":
                last_failure = result
            last_total = None
            since = now
        else:
            last_failure = None
            if total != last_total:
                last_total, since = total, now
            needed = stable_for if total > 2 else internal_only_stable_for
            if min_routers is not None and total >= min_routers:
                needed = stable_for
            if now - since >= needed:
                return ProbeResult(
                    probe="traefik-api-settle",
                    target=f"GET {base_url.rstrip('/')}/api/overview",
                    success=True,
                    duration=now - start,
                    observations={"routers_total": total, "polls": polls},
                )
        await asyncio.sleep(min(interval, max(0.0, deadline - time.monotonic())))
    if last_failure is not None and last_total is None:
        return ProbeResult(
            probe="traefik-api-settle",
            target=last_failure.target,
            success=False,
            duration=time.monotonic() - start,
            failure=last_failure.failure or "timeout",
            detail=f"the API did not answer within {timeout:g} s: {last_failure.detail}",
            observations={"polls": polls},
        )
    return ProbeResult(
        probe="traefik-api-settle",
        target=f"GET {base_url.rstrip('/')}/api/overview",
        success=False,
        duration=time.monotonic() - start,
        failure="timeout",
        detail=f"the router count did not settle within {timeout:g} s (last: {last_total})",
        observations={"routers_total": last_total, "polls": polls},
    )


def missing_routers(snapshot: ApiSnapshot, expected: Sequence[str]) -> list[str]:
    """Qualified router names (``r@file``) expected from the files but absent from the API."""
    return [name for name in expected if name not in snapshot.routers]
