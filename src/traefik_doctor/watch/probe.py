"""``watch --probe``: probe again only the routers whose definition changed.

A router's *definition* is what decides how a request to it fares: its own body, the body of
the service it names and the options of its middlewares, compared as plain data (positions
left out, so a line inserted above changes nothing). When the entry points of the static
configuration change, or a provider file starts or stops being rejected (Traefik then drops
or restores every router of the file provider), every router counts as changed.

The live machinery does the work (``live.plan.build_plan``, ``live.run.run_plan``,
``live.diagnose.diagnose``) on a plan cut down to the changed routers and their services'
servers. Before probing, Traefik's API is polled until it serves the new rules (its file
provider applies a change after a short delay), at most ``timeout`` seconds. Each LIVE
finding is kept under the router it names (by its location or its quoted name); a router
probed again replaces its own; the rest (entry points, the API) is replaced by each probe.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from traefik_doctor.findings import Finding
from traefik_doctor.loaders.tree import Mapping, Node, Scalar, Sequence
from traefik_doctor.model.dynamic import Router
from traefik_doctor.model.project import Project

_MAX_NODES = 20_000
"""Plain data of a definition is cut here (an alias bomb must not stall the watch)."""


@dataclass(frozen=True, slots=True)
class ProbeOptions:
    api: str | None = None
    entry_points: dict[str, str] = field(default_factory=dict)
    access_log: Path | None = None
    timeout: float = 5.0


@dataclass(frozen=True, slots=True)
class ProbeReport:
    findings: tuple[Finding, ...]
    """Every LIVE finding currently known (of this probe and of earlier ones)."""
    probed: tuple[str, ...]
    """Routers probed this time (qualified names)."""
    notes: tuple[str, ...] = ()


def plain(node: Node | None, budget: list[int] | None = None) -> Hashable:
    """A tree as nested tuples of text, without positions."""
    budget = budget if budget is not None else [_MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0:
        return "…"
    if isinstance(node, Scalar):
        return node.text
    if isinstance(node, Mapping):
        return tuple((entry.key, plain(entry.value, budget)) for entry in node)
    if isinstance(node, Sequence):
        return tuple(plain(item, budget) for item in node.items)
    return None


def router_signatures(project: Project) -> dict[str, Hashable]:
    """Each HTTP router's definition, with its service's and its middlewares'."""
    dynamic = project.dynamic
    signatures: dict[str, Hashable] = {}
    for router in dynamic.http_routers():
        service = dynamic.service_for(router)
        middlewares = tuple(
            plain(found.options) if found is not None else None
            for found in (
                dynamic.find_middleware("http", ref.text, router.provider)
                for ref in router.middlewares
            )
        )
        signatures[router.qualified] = (
            plain(router.body),
            plain(service.body) if service is not None else None,
            middlewares,
        )
    return signatures


def global_signature(project: Project) -> Hashable:
    provider = project.file_provider
    rejected = tuple(
        doc.source.display
        for doc in (provider.documents if provider is not None else [])
        if doc.rejected
    )
    return (plain(project.static.section("entryPoints")), rejected)


class LiveProber:
    """Keeps the last probe's LIVE findings per router; probes the routers that changed."""

    def __init__(self, options: ProbeOptions) -> None:
        self.options = options
        self.signatures: dict[str, Hashable] = {}
        self.global_signature: Hashable = object()
        self.by_router: dict[str, tuple[Finding, ...]] = {}
        self.general: tuple[Finding, ...] = ()
        self.noted: set[str] = set()

    def changed_routers(self, project: Project) -> set[str]:
        signatures = router_signatures(project)
        overall = global_signature(project)
        if overall != self.global_signature:
            changed = set(signatures)
        else:
            changed = {n for n, s in signatures.items() if self.signatures.get(n) != s}
        for gone in set(self.signatures) - set(signatures):
            self.by_router.pop(gone, None)
        self.signatures, self.global_signature = signatures, overall
        return changed

    def update(self, project: Project, static: list[Finding]) -> ProbeReport:
        from traefik_doctor.live.diagnose import diagnose
        from traefik_doctor.live.plan import build_plan
        from traefik_doctor.live.run import run_plan

        changed = self.changed_routers(project)
        if not changed:
            return ProbeReport(self._all(), ())
        opts = self.options
        plan = build_plan(
            project, api=opts.api, entry_points=dict(opts.entry_points), access_log=opts.access_log
        )
        plan.routers = [probe for probe in plan.routers if probe.router in changed]
        services = {probe.service for probe in plan.routers}
        plan.backends = [b for b in plan.backends if b.service in services]
        # Per router only: no metrics window, no pprof sampling (seconds each, whole system).
        plan.metrics_url = None
        plan.pprof = []
        notes = [note for note in plan.notes if "--metrics" not in note]
        if not plan.routers:
            return ProbeReport(self._all(), (), self._new_notes(notes))
        provider = project.file_provider
        loads = provider is None or not provider.rejected_documents
        if plan.api_url is not None and loads:
            rules = {
                router.qualified: _rule_text(router)
                for router in project.dynamic.http_routers()
                if router.qualified in changed
            }
            await_applied(plan.api_url, rules, opts.timeout)
        evidence = run_plan(plan, timeout=opts.timeout)
        found = diagnose(evidence, static, project=project)
        probed = {probe.router for probe in plan.routers}
        fresh: dict[str, list[Finding]] = {name: [] for name in probed}
        general: list[Finding] = []
        for finding in found:
            owner = _owner(finding, plan.router_locations)
            if owner is None:
                general.append(finding)
            elif owner in fresh:
                fresh[owner].append(finding)
        for name, findings in fresh.items():
            self.by_router[name] = tuple(findings)
        self.general = tuple(general)
        return ProbeReport(self._all(), tuple(sorted(probed)), self._new_notes(notes))

    def _all(self) -> tuple[Finding, ...]:
        live = [f for name in sorted(self.by_router) for f in self.by_router[name]]
        return tuple(dict.fromkeys([*live, *self.general]))

    def _new_notes(self, notes: list[str]) -> tuple[str, ...]:
        """Each note once per watch (the missing API URL is not news the second time)."""
        new = [note for note in notes if note not in self.noted]
        self.noted.update(new)
        return tuple(new)


def _rule_text(router: Router) -> str | None:
    return router.rule.text if router.rule is not None else None


def _owner(finding: Finding, locations: dict[str, Any]) -> str | None:
    for name, location in locations.items():
        if finding.location == location:
            return name
    for name in locations:
        if f"`{name}`" in finding.message:
            return name
    return None


def await_applied(api: str, rules: dict[str, str | None], timeout: float) -> bool:
    """Poll the API until each router serves the rule of the files (at most ``timeout``
    seconds); False when Traefik did not catch up (the probe then tells what it runs)."""
    import httpx

    deadline = time.monotonic() + timeout
    pending = dict(rules)
    with httpx.Client(timeout=min(timeout, 2.0)) as client:
        while pending and time.monotonic() < deadline:
            for name, rule in list(pending.items()):
                try:
                    response = client.get(f"{api}/api/http/routers/{quote(name, safe='@')}")
                    served = response.json().get("rule") if response.status_code == 200 else None
                except (httpx.HTTPError, ValueError, AttributeError):
                    continue
                if served == rule:
                    del pending[name]
            if pending:
                time.sleep(0.1)
    return not pending
