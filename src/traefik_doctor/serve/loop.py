"""The exporter's work: per target, check on change and probe on an interval.

Each target has a worker thread and a watcher thread. The worker checks the project through
``watch.session.WatchSession`` (a ``LoadCache`` keeps unchanged provider files and Go
packages parsed, so a re-check reads only what changed), probes the running Traefik every
``interval`` seconds as ``probe`` does (``live.plan`` -> ``live.run`` -> ``live.diagnose``),
and publishes each result as a new immutable ``TargetState``; the exposition text is
rendered once per publication, so a scrape never waits for a check or a probe and always
sees whole runs. The watcher (``watchfiles``, the folders and the file filter of
``WatchSession``) wakes the worker when a relevant file changes; Kubernetes' atomic
ConfigMap update (a rename of the ``..data`` link) counts as a change too. A full re-check
every ``recheck`` seconds covers changes no event announces (a network file system).

Checks of different targets run one at a time (they are CPU-bound, and ``WatchSession``
switches the garbage collector off while loading); probe runs of different targets run
side by side. Probe runs skip Traefik's own metrics and Go's pprof (a window of several
seconds each): Prometheus scrapes Traefik's metrics itself.

``stop()`` ends every thread: the watchers at once, a worker once its current check or
probe run is over (a probe run is bounded by its deadline). Nothing here starts a process.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from traefik_doctor.serve.config import ServeConfig, Target
from traefik_doctor.serve.state import (
    BackendSample,
    CheckState,
    ProbeState,
    TargetState,
    backend_up,
    live_samples,
    not_after,
    router_sample,
)

if TYPE_CHECKING:
    from traefik_doctor.findings import Finding
    from traefik_doctor.model.project import Project
    from traefik_doctor.watch.session import WatchSession

WATCH_TICK_MS = 500
"""How often the watcher hands control back (to notice ``stop`` and a restart)."""
DEBOUNCE_MS = 1000
"""A batch of file events (one save) ends once no event came for ``step`` ms, at most this
long after the first."""
GONE_POLL_SECONDS = 1.0
CONCURRENCY = 16
"""Requests in flight per probe run."""


def probe_target(target: Target, project: Project, static: Sequence[Finding]) -> ProbeState:
    """One probe run for ``target``; never raises (an error is the state's ``error``)."""
    when = time.time()
    started = time.perf_counter()
    try:
        return _probe(target, project, static, when, started)
    except Exception as exc:  # one line on the state; the loop goes on
        text = str(exc).splitlines()[0] if str(exc) else ""
        return ProbeState(
            when=when,
            duration=time.perf_counter() - started,
            error=f"{type(exc).__name__}: {text}",
        )


def _probe(
    target: Target, project: Project, static: Sequence[Finding], when: float, started: float
) -> ProbeState:
    from traefik_doctor.live.diagnose import diagnose
    from traefik_doctor.live.plan import build_plan
    from traefik_doctor.live.run import Sampling, run_plan

    plan = build_plan(
        project,
        api=target.api,
        entry_points=dict(target.entry_points),
        access_log=target.access_log,
    )
    plan.metrics_url = None  # Prometheus scrapes Traefik's metrics itself
    plan.pprof = []
    evidence = run_plan(
        plan,
        timeout=target.timeout,
        concurrency=CONCURRENCY,
        ca=str(target.ca) if target.ca is not None else None,
        deadline=target.deadline,
        sampling=Sampling(0.0, 1, 0.0),
    )
    diagnoses = diagnose(evidence, static, project=project, cert_days=target.cert_days)
    routers = tuple(
        router_sample(o.probe.router, o.probe.entry_point, o.probe.host, o.result, o.tls)
        for o in sorted(evidence.routers, key=lambda o: o.probe.router)
    )
    backends = tuple(
        BackendSample(b.service, b.url, backend_up(b.tcp, b.tls, b.health), not_after(b.tls))
        for b in sorted(evidence.backends, key=lambda b: (b.service, b.url))
    )
    servers = {b.location: b.service for b in plan.backends}
    return ProbeState(
        when=when,
        duration=time.perf_counter() - started,
        routers=routers,
        backends=backends,
        entry_points=tuple(sorted((n, r.success) for n, r in evidence.entry_points.items())),
        api_up=None if plan.api_url is None else evidence.snapshot is not None,
        live=live_samples(diagnoses, plan.router_locations, plan.service_locations, servers),
        timed_out=evidence.timed_out,
    )


def make_session(target: Target) -> WatchSession:
    """The ``WatchSession`` of a target (settings as ``check`` reads them, the target's keys
    over them). Raises ``UsageError`` for a missing folder or invalid settings."""
    from traefik_doctor.errors import UsageError
    from traefik_doctor.settings import parse_codes
    from traefik_doctor.watch.session import Overrides, WatchSession

    if not target.path.exists():
        raise UsageError(f"target `{target.name}`: {target.path}: no such file or directory")
    overrides = Overrides(
        select=parse_codes(target.select),
        ignore=parse_codes(target.ignore),
        profile=target.profile,
        static=target.static,
        go_src=list(target.go_src),
        no_go=target.go is False,
    )
    session = WatchSession(target.path, overrides)
    overrides.settings(session.root)  # an invalid settings file fails now, not in the loop
    return session


def check_state(session: WatchSession) -> CheckState:
    """Check once; never raises."""
    when = time.time()
    started = time.perf_counter()
    try:
        outcome = session.check(())
    except Exception as exc:  # WatchSession.check reports its own errors; this is a bug
        error = f"{type(exc).__name__}: {exc}"
        return CheckState(when, time.perf_counter() - started, False, session.last_findings, error)
    finally:
        gc.collect()  # the check ran without the collector (see WatchSession.check)
    return CheckState(
        when=outcome.when,
        duration=outcome.elapsed,
        success=outcome.error is None,
        findings=outcome.findings,
        error=outcome.error,
    )


def run_once(config: ServeConfig) -> list[TargetState]:
    """Check and probe every target once, one after the other (``serve --once``)."""
    states = []
    for target in config.targets:
        session = make_session(target)
        check = check_state(session)
        probe = None
        if target.probe and session.project is not None:
            probe = probe_target(target, session.project, session.last_findings)
        states.append(TargetState(target.name, check, probe))
    return states


class TargetLoop:
    """One target's worker and watcher threads."""

    def __init__(
        self,
        target: Target,
        session: WatchSession,
        publish: Callable[[TargetState], None],
        *,
        recheck: float,
        check_lock: threading.Lock,
        stop: threading.Event,
        force_polling: bool | None = None,
        log: Callable[[str], None] = lambda _text: None,
    ) -> None:
        self.target = target
        self.log = log
        self.session = session
        self.publish = publish
        self.recheck = recheck
        self.check_lock = check_lock
        self.stop = stop
        self.force_polling = force_polling
        self.state = TargetState(target.name)
        self.dirty = threading.Event()
        self.wake = threading.Event()
        self.restart = threading.Event()
        self.checks = 0
        self.roots: list[Path] = []
        self.threads = [
            threading.Thread(target=self._work, name=f"serve-{target.name}", daemon=True),
            threading.Thread(target=self._watch, name=f"watch-{target.name}", daemon=True),
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def alive(self) -> bool:
        return all(thread.is_alive() for thread in self.threads)

    def join(self, timeout: float | None = None) -> None:
        self.wake.set()
        for thread in self.threads:
            thread.join(timeout)

    def changed(self) -> None:
        """A relevant file changed (or may have): check again soon."""
        self.dirty.set()
        self.wake.set()

    # -- the worker ---------------------------------------------------------------------------

    def _work(self) -> None:
        interval = self.target.interval
        next_probe = time.monotonic()
        next_check = 0.0
        while not self.stop.is_set():
            self.wake.clear()
            now = time.monotonic()
            if self.checks == 0 or self.dirty.is_set() or now >= next_check:
                self.dirty.clear()
                with self.check_lock:
                    if self.stop.is_set():
                        break
                    check = check_state(self.session)
                self.checks += 1
                self._set(TargetState(self.target.name, check, self.state.probe))
                next_check = time.monotonic() + self.recheck if self.recheck else float("inf")
                if sorted(self.session.watch_paths()) != self.roots:
                    self.restart.set()  # the project now reads other folders
            if self.stop.is_set():
                break
            project = self.session.project
            if self.target.probe and project is not None and time.monotonic() >= next_probe:
                probe = probe_target(self.target, project, self.session.last_findings)
                self._set(TargetState(self.target.name, self.state.check, probe))
                next_probe += interval
                if next_probe <= time.monotonic():  # a run longer than the interval
                    next_probe = time.monotonic() + interval
            due = next_check
            if self.target.probe:
                due = min(due, next_probe)
            self.wake.wait(max(0.0, min(due - time.monotonic(), 3600.0)))

    def _set(self, state: TargetState) -> None:
        """Publish, and log a check or probe run that failed or recovered (once each)."""
        old = self.state
        for failed, again, before, now in (
            ("check failed", "check ran again", _error(old.check), _error(state.check)),
            ("probe run failed", "probe runs again", _error(old.probe), _error(state.probe)),
        ):
            if now != before:
                self.log(f"target `{self.target.name}`: " + (f"{failed}: {now}" if now else again))
        self.state = state
        self.publish(state)

    # -- the watcher --------------------------------------------------------------------------

    def _watch(self) -> None:
        import watchfiles

        session = self.session
        started = False
        while not self.stop.is_set():
            self.restart.clear()  # before reading the folders: a later change restarts
            roots = sorted(session.watch_paths())
            self.roots = roots
            if not roots:  # the folder is gone: wait for it, then check
                while not self.stop.wait(GONE_POLL_SECONDS) and not session.watch_paths():
                    pass
                self.changed()
                continue
            watched = {str(path) for path in roots}

            def accepts(_change: watchfiles.Change, path: str, watched: set[str] = watched) -> bool:
                # ``..data``: Kubernetes swaps a ConfigMap volume's files by renaming it.
                return path in watched or Path(path).name == "..data" or session.relevant(path)

            live = False
            try:
                events = watchfiles.watch(
                    *roots,
                    watch_filter=accepts,
                    debounce=DEBOUNCE_MS,
                    step=100,
                    stop_event=self.stop,
                    rust_timeout=WATCH_TICK_MS,
                    yield_on_timeout=True,
                    raise_interrupt=False,
                    force_polling=self.force_polling,
                )
                for changes in events:
                    if not live:
                        live = True
                        # A save between the last check and this watcher going live is
                        # seen by checking once more (cheap: unchanged files are reused).
                        if started or self.checks:
                            self.changed()
                        started = True
                    if changes:
                        self.changed()
                        if any(
                            kind == watchfiles.Change.deleted and path in watched
                            for kind, path in changes
                        ):
                            break  # a watched folder was deleted: watch its successor
                    if self.restart.is_set():
                        break
            except Exception as exc:  # e.g. the inotify watch limit: poll instead
                self.log(f"target `{self.target.name}`: file events failed ({exc}); polling")
                self.force_polling = True
                self.changed()
                self.stop.wait(GONE_POLL_SECONDS)


class Exporter:
    """Every target's loop, and the rendered exposition of their last states."""

    def __init__(
        self,
        config: ServeConfig,
        *,
        render: Callable[[Sequence[TargetState]], bytes],
        force_polling: bool | None = None,
        log: Callable[[str], None] = lambda _text: None,
    ) -> None:
        self.config = config
        self.render = render
        self.stop_event = threading.Event()
        self._lock = threading.Lock()
        self._check_lock = threading.Lock()
        self._states: dict[str, TargetState] = {t.name: TargetState(t.name) for t in config.targets}
        self.body = render(list(self._states.values()))
        """The exposition of the last states; replaced as a whole (a scrape reads it)."""
        self.loops = [
            TargetLoop(
                target,
                make_session(target),
                self._publish,
                recheck=config.recheck,
                check_lock=self._check_lock,
                stop=self.stop_event,
                force_polling=force_polling,
                log=log,
            )
            for target in config.targets
        ]

    def _publish(self, state: TargetState) -> None:
        with self._lock:
            states = dict(self._states)
            states[state.name] = state
            body = self.render(list(states.values()))
            self._states, self.body = states, body

    def states(self) -> dict[str, TargetState]:
        return self._states

    def start(self) -> None:
        for loop in self.loops:
            loop.start()

    def alive(self) -> bool:
        return not self.stop_event.is_set() and all(loop.alive() for loop in self.loops)

    def stop(self, timeout: float | None = None) -> None:
        """Stop every thread; waits for a check or probe run in progress to end."""
        self.stop_event.set()
        for loop in self.loops:
            loop.join(timeout)


def _error(run: CheckState | ProbeState | None) -> str | None:
    """Why the last check (probe) run failed; None when it ran, or has not run yet."""
    return run.error if run is not None else None
