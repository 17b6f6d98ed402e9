"""TMO001 with real traffic: a Go server whose IdleTimeout is below Traefik's
idleConnTimeout closes pooled connections under Traefik; a POST that Traefik writes on such a
connection as Go closes it cannot be retried (its body is gone) and the client gets 502.

Timing: Go's IdleTimeout is 50 ms. Each attempt is a POST on a keep-alive client connection,
sent 50 ms + an offset after the previous response, the offset sweeping -1.5 ms .. +0.5 ms:
Traefik's pooled connection is reused just as Go's idle deadline fires. Measured on 2 vCPUs:
2-18 % of such POSTs get 502 (EOF, broken pipe, use of closed connection, reset; 91 of 960
in 8 runs of 120), so the broken variant sends up to 480 (at most ~25 s) and stops after the
third 502 (18-67 attempts, 1-3.5 s, on an idle machine). The fixes, 120 attempts each, see none:
a serversTransport whose idleConnTimeout (25 ms) is below Go's, or a Go IdleTimeout (120 s)
above Traefik's 90 s.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from golab import (
    HttpClient,
    copy_go_module,
    serve,
    session_build,
    static_findings,
    write_project,
)
from traefik_lab import free_port

pytestmark = [pytest.mark.traefik, pytest.mark.go]

GO_IDLE = "50 * time.Millisecond"
IDLE_SECONDS = 0.050
MAX_ATTEMPTS = 480  # broken variant: stop early once STOP_AFTER 502s were seen
STOP_AFTER = 3
FIX_ATTEMPTS = 120  # each fix: the same pattern, always in full
OFFSETS_MS = [-1.5 + 2.0 * i / 39 for i in range(40)]  # swept three times over the attempts
BODY = b"x" * 64

SERVICE = """\
    app:
      loadBalancer:
{transport}        servers:
          - url: http://127.0.0.1:{port}
"""
TRANSPORT = """\
  serversTransports:
    short-idle:
      forwardingTimeouts:
        idleConnTimeout: 25ms
"""


def dynamic(port: int, short_idle_transport: bool) -> str:
    transport = "        serversTransport: short-idle\n" if short_idle_transport else ""
    text = (
        "http:\n  routers:\n    upload:\n      rule: PathPrefix(`/upload`)\n"
        "      service: app\n  services:\n"
    )
    text += SERVICE.format(transport=transport, port=port)
    if short_idle_transport:
        text += TRANSPORT
    return text


def drive(web: int, attempts: int, stop_after: int | None) -> Counter[int]:
    """POST, then up to ``attempts`` POSTs, each ~Go's idle timeout after the previous
    answer; stop once ``stop_after`` 502s were seen."""
    statuses: Counter[int] = Counter()
    deadline = time.monotonic() + 2 * attempts * IDLE_SECONDS + 10
    with HttpClient(web, keep_alive=True, timeout=5) as client:
        assert client.post("/upload", BODY).status == 200
        for attempt in range(attempts):
            if stop_after is not None and statuses[502] >= stop_after:
                break
            assert time.monotonic() < deadline, f"traffic took too long: {statuses}"
            gap = IDLE_SECONDS + OFFSETS_MS[attempt % len(OFFSETS_MS)] / 1000
            until = time.perf_counter() + gap
            time.sleep(gap - 0.002)
            while time.perf_counter() < until:  # spin the last 2 ms for sub-ms precision
                pass
            statuses[client.post("/upload", BODY).status] += 1
    return statuses


def run_variant(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    go_idle: str,
    st: bool,
) -> tuple[Counter[int], list[str]]:
    fixed = st or go_idle != GO_IDLE
    project, run_dir = tmp_path / name / "project", tmp_path / name / "run"
    port, web, api = free_port(), free_port(), free_port()
    src = copy_go_module(
        "idleapp", project / "idleapp", {"127.0.0.1:18480": f"127.0.0.1:{port}", GO_IDLE: go_idle}
    )
    static = write_project(project, dynamic(port, st), web, api, run_dir=run_dir)
    binary = session_build(src, tmp_path_factory)
    with serve(
        binary,
        {"ADDR": f"127.0.0.1:{port}"},
        go_ready_url=f"http://127.0.0.1:{port}/upload",
        static=static,
        api=api,
        routers=["upload@file"],
        run_dir=run_dir,
    ):
        statuses = drive(
            web, FIX_ATTEMPTS if fixed else MAX_ATTEMPTS, None if fixed else STOP_AFTER
        )
    return statuses, static_findings(project, "TMO001")


def test_tmo001_idle_timeout_below_proxy_gives_502_on_post(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    broken, broken_findings = run_variant(tmp_path, tmp_path_factory, "broken", GO_IDLE, False)
    fixed_st, fixed_st_findings = run_variant(
        tmp_path, tmp_path_factory, "transport", GO_IDLE, True
    )
    fixed_go, fixed_go_findings = run_variant(
        tmp_path, tmp_path_factory, "go-idle", "120 * time.Second", False
    )
    tries = sum(broken.values())
    print(
        f"TMO001 statuses: broken={dict(broken)} ({broken[502] / tries:.0%} of {tries}) "
        f"transport-fix={dict(fixed_st)} "
        f"go-fix={dict(fixed_go)}"
    )

    assert broken[502] > 0, f"no 502 in {MAX_ATTEMPTS} racing POSTs: {dict(broken)}"
    # The race's errors are EOF, broken pipe, reset or use of a closed connection (502);
    # an error Traefik does not classify (not EOF, not a net.Error) would be its 500.
    assert set(broken) <= {200, 500, 502}, dict(broken)
    assert fixed_st == Counter({200: FIX_ATTEMPTS}), dict(fixed_st)
    assert fixed_go == Counter({200: FIX_ATTEMPTS}), dict(fixed_go)

    assert broken_findings, "TMO001 must flag Go IdleTimeout 50ms under Traefik's 90s"
    assert not fixed_st_findings, fixed_st_findings
    assert not fixed_go_findings, fixed_go_findings
