"""``traefik-doctor watch``: real files, real ``watchfiles``, no mocks.

The watch runs in a thread (``Watching``: output collected, stopped through its stop event,
threads counted before and after) or as a real process (Ctrl-C and SIGTERM, the process table,
a terminal through a pty). Each edit waits for the check it causes before the next one, so one
save is one batch. Also here: the finding diff across line shifts, the relevance filter, and
the load cache, held to ``run_check``'s findings on every fixture.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from traefik_doctor.cli import main
from traefik_doctor.engine import run_check
from traefik_doctor.findings import Finding, Location, Severity
from traefik_doctor.loaders.project import LoadCache
from traefik_doctor.settings import Settings
from traefik_doctor.watch.diff import Seen, diff, normalized_message
from traefik_doctor.watch.loop import run_watch
from traefik_doctor.watch.probe import LiveProber, ProbeOptions
from traefik_doctor.watch.render import CLEAR, render
from traefik_doctor.watch.session import Overrides, WatchSession
from traefik_lab import free_port, run_traefik, wait_for_api

ROOT = Path(__file__).parent.parent
BROKEN = ROOT / "examples" / "broken-app"
FIXTURES = Path(__file__).parent / "fixtures"
WAIT = 15.0  # seconds; a check takes well under one


# -- helpers ---------------------------------------------------------------------------------


def atomic_write(path: Path, text: str | bytes) -> None:
    """What editors do: write a temporary file beside it, then rename it over the original."""
    data = text.encode() if isinstance(text, str) else text
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    atomic_write(path, text.replace(old, new, 1))


def age(root: Path, seconds: float = 60.0) -> None:
    """Make every file look saved a while ago (the cache ignores files saved just now)."""
    past = time.time() - seconds
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


@pytest.fixture
def app(tmp_path: Path) -> Path:
    target = tmp_path / "app"
    shutil.copytree(BROKEN, target)
    return target


class Watching:
    """``run_watch`` in a thread, with its output collected chunk by chunk."""

    def __init__(self, session: WatchSession) -> None:
        self.session = session
        self.chunks: list[str] = []
        self.cond = threading.Condition()
        self.stop = threading.Event()
        self.result: int | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="watch-under-test")

    def _run(self) -> None:
        try:
            self.result = run_watch(self.session, self._write, stop=self.stop, step_ms=50)
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.error = exc

    def _write(self, text: str) -> None:
        with self.cond:
            self.chunks.append(text)
            self.cond.notify_all()

    def mark(self) -> int:
        with self.cond:
            return len(self.chunks)

    def wait(self, predicate: Callable[[str], bool], since: int = 0) -> str:
        """The output written after chunk ``since``, once ``predicate`` holds for it."""
        deadline = time.monotonic() + WAIT
        with self.cond:
            while True:
                text = "".join(self.chunks[since:])
                if predicate(text):
                    return text
                left = deadline - time.monotonic()
                alive = self.thread.is_alive()
                assert left > 0 and alive, f"timed out ({self.error!r}); output:\n{text}"
                self.cond.wait(left)

    def after(self, since: int, *needles: str) -> str:
        return self.wait(lambda text: all(n in text for n in needles), since)


@pytest.fixture
def watching() -> Iterator[Callable[..., Watching]]:
    started: list[Watching] = []
    before = set(threading.enumerate())
    os_threads = len(os.listdir("/proc/self/task"))  # also the watcher's own (Rust) thread

    def start(target: Path, overrides: Overrides | None = None) -> Watching:
        w = Watching(WatchSession(target, overrides or Overrides()))
        w.thread.start()
        w.after(0, "watching")
        started.append(w)
        return w

    yield start
    for w in started:
        w.stop.set()
        w.thread.join(WAIT)
        assert not w.thread.is_alive(), "the watch did not stop"
        assert w.error is None, repr(w.error)
        assert w.result == 0
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and (
        set(threading.enumerate()) - before or len(os.listdir("/proc/self/task")) > os_threads
    ):
        time.sleep(0.05)
    assert set(threading.enumerate()) <= before, "threads left behind"
    assert len(os.listdir("/proc/self/task")) <= os_threads, "OS threads left behind"


def lines(text: str, mark: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(mark + " ")]


# -- the watch on real files -----------------------------------------------------------------


def test_atomic_save_resolves_then_introduces_a_fault(
    app: Path, watching: Callable[..., Watching]
) -> None:
    w = watching(app)
    routers = app / "dynamic" / "routers.yml"
    since = w.mark()
    edit(routers, "service: api-svc", "service: api")
    out = w.after(since, "- dynamic/routers.yml:6:16: RTR007")
    assert "dynamic/routers.yml" in out.splitlines()[0]  # the header names the saved file
    assert not any("RTR007" in line for line in lines(out, "+"))
    assert "1 resolved" in out

    since = w.mark()
    edit(routers, "service: shop\n", "service: shopp\n")
    out = w.after(since, "+ dynamic/routers.yml:22:16: RTR007")
    assert "`shopp@file`" in out
    assert "Traceback" not in "".join(w.chunks)


def test_half_written_yaml_is_a_finding_until_finished(
    app: Path, watching: Callable[..., Watching]
) -> None:
    w = watching(app)
    half = app / "dynamic" / "extra.yml"
    since = w.mark()
    with half.open("w", encoding="utf-8") as handle:  # a slow, non-atomic write: part one
        handle.write('http:\n  routers:\n    extra:\n      rule: "Host(`extra.test')
    out = w.after(since, "+ dynamic/extra.yml", "CFG001")
    assert "invalid YAML" in out

    since = w.mark()
    with half.open("a", encoding="utf-8") as handle:  # part two
        handle.write('`)"\n      service: api\n      entryPoints: [web]\n')
    out = w.after(since, "- dynamic/extra.yml", "CFG001")
    assert not any("extra.yml" in line and "CFG001" in line for line in lines(out, "+"))


def test_deleted_file_resolves_its_findings(app: Path, watching: Callable[..., Watching]) -> None:
    w = watching(app)
    since = w.mark()
    (app / "dynamic" / "health.yml").unlink()
    out = w.after(since, "dynamic/health.yml (deleted)", "- dynamic/health.yml:5:9: CFG004")
    assert lines(out, "-")
    assert "check failed" not in out


def test_go_edit_changes_timeout_findings(app: Path, watching: Callable[..., Watching]) -> None:
    w = watching(app)
    main_go = app / "cmd" / "api" / "main.go"
    since = w.mark()
    edit(main_go, "srv.IdleTimeout = 30 * time.Second", "srv.IdleTimeout = 120 * time.Second")
    out = w.after(since, "- cmd/api/main.go:56:20: TMO001")
    assert len([line for line in lines(out, "-") if "TMO001" in line]) == 2
    assert "cmd/api/main.go" in out.splitlines()[0]

    since = w.mark()
    edit(main_go, "ReadTimeout:  10 * time.Second,", "")  # one line less above: a shift
    out = w.after(since, "=")
    assert not any("GO006" in line for line in lines(out, "+") + lines(out, "-"))


def test_line_inserted_above_changes_nothing(app: Path, watching: Callable[..., Watching]) -> None:
    w = watching(app)
    routers = app / "dynamic" / "routers.yml"
    since = w.mark()
    atomic_write(routers, "# routers of the app\n\n" + routers.read_text(encoding="utf-8"))
    out = w.after(since, "no change")
    assert not lines(out, "+")
    assert not lines(out, "-")


def test_binary_file_and_stray_files_do_not_stop_the_watch(
    app: Path, watching: Callable[..., Watching]
) -> None:
    w = watching(app)
    since = w.mark()
    atomic_write(app / "dynamic" / "blob.yml", bytes(range(256)) * 8)
    out = w.after(since, "+ dynamic/blob.yml")
    assert "Traceback" not in out

    since = w.mark()
    (app / "dynamic" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(512))
    out = w.after(since, "dynamic/logo.png", "CFG009")  # Traefik lists it, reads it not

    since = w.mark()
    atomic_write(app / "cmd" / "api" / "data.go", b"package main\n\x00\xff\xfe")
    out = w.after(since, "cmd/api/data.go")
    assert "Traceback" not in "".join(w.chunks)


def test_editor_temporary_files_and_ignored_folders_cause_no_check(
    app: Path, watching: Callable[..., Watching]
) -> None:
    w = watching(app)
    since = w.mark()
    (app / "dynamic" / ".routers.yml.swp").write_bytes(b"swap")
    (app / "dynamic" / "routers.yml~").write_text("backup", encoding="utf-8")
    (app / ".git").mkdir()
    (app / ".git" / "config.yml").write_text("x: [", encoding="utf-8")
    (app / "cmd" / "api" / "main_test.go").write_text("package main\n", encoding="utf-8")
    time.sleep(0.6)  # several watcher ticks: nothing relevant happened
    assert w.mark() == since
    edit(app / "dynamic" / "routers.yml", "service: api-svc", "service: api")
    out = w.after(since, "RTR007")
    header = out.splitlines()[0]
    assert header.endswith("dynamic/routers.yml")  # only the real save is named
    # The backup file left in the provider folder is a finding of that check (CFG009),
    # though saving it alone did not trigger one.
    assert "+ dynamic/routers.yml~:1: CFG009" in out


def test_static_file_change_moves_the_watch_to_the_new_provider_folder(
    tmp_path: Path, watching: Callable[..., Watching]
) -> None:
    project, first, second = tmp_path / "project", tmp_path / "dyn-a", tmp_path / "dyn-b"
    for folder in (project, first, second):
        folder.mkdir()
    static = 'entryPoints:\n  web:\n    address: ":8000"\nproviders:\n  file:\n    directory: {}\n'
    (project / "traefik.yml").write_text(static.format("../dyn-a"), encoding="utf-8")
    good = "http:\n  routers:\n    r:\n      rule: Host(`a.test`)\n      service: s\n"
    good += "  services:\n    s:\n      loadBalancer:\n        servers:\n"
    good += "          - url: http://127.0.0.1:9000\n"
    (first / "app.yml").write_text(good, encoding="utf-8")
    (second / "app.yml").write_text(good, encoding="utf-8")
    w = watching(project)

    assert f"watching {project}, {first} (" in w.after(0, "watching")

    since = w.mark()  # a folder outside the project, watched because the static file says so
    edit(first / "app.yml", "service: s\n", "service: missing\n")
    w.after(since, f"+ {first}/app.yml:5:16: RTR007")

    since = w.mark()
    edit(project / "traefik.yml", "../dyn-a", "../dyn-b")
    out = w.after(since, f"- {first}/app.yml:5:16: RTR007", f"watching {project}, {second} (")
    assert out.splitlines()[0].endswith(" traefik.yml")

    since = w.mark()  # the new folder is watched now
    edit(second / "app.yml", "service: s\n", "service: gone\n")
    out = w.after(since, f"+ {second}/app.yml:5:16: RTR007")
    assert "`gone@file`" in out


def test_broken_settings_file_is_one_line_and_the_watch_goes_on(
    app: Path, watching: Callable[..., Watching]
) -> None:
    w = watching(app)
    settings = app / ".traefik-doctor.toml"
    since = w.mark()
    atomic_write(settings, 'select = ["RTR"\n')
    out = w.after(since, "check failed: invalid settings file .traefik-doctor.toml")
    assert len(out.strip().splitlines()) == 1
    assert "still watching" in out

    since = w.mark()
    atomic_write(settings, 'select = ["RTR"]\n')
    out = w.after(since, "resolved")
    assert all(" RTR" in line for line in lines(out, "+") + lines(out, "~"))
    assert any(" CFG004" in line for line in lines(out, "-"))


def test_deleted_project_folder_is_reported_and_awaited(
    tmp_path: Path, watching: Callable[..., Watching]
) -> None:
    app = tmp_path / "app"
    shutil.copytree(BROKEN, app)
    w = watching(app)
    since = w.mark()
    shutil.rmtree(app)
    w.after(since, "does not exist (any more)")
    since = w.mark()
    shutil.copytree(BROKEN, app)
    w.after(since, "watching")  # back, with the same findings as before: no news
    since = w.mark()
    edit(app / "dynamic" / "routers.yml", "service: api-svc", "service: api")
    out = w.after(since, "- dynamic/routers.yml:6:16: RTR007")
    assert "Traceback" not in out


# -- as a process: signals, the process table, the terminal -----------------------------------


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry))
    return found


def _read_until(stream: int, needle: bytes, buffer: bytearray, start: int = 0) -> bytes:
    """Read into ``buffer`` until ``needle`` is in it past ``start``; the whole buffer."""
    deadline = time.monotonic() + WAIT
    while needle not in buffer[start:]:
        left = deadline - time.monotonic()
        assert left > 0, f"timed out waiting for {needle!r}; got {bytes(buffer)!r}"
        ready, _, _ = select.select([stream], [], [], left)
        if ready:
            try:
                chunk = os.read(stream, 65536)
            except OSError:  # a pty whose other side closed
                chunk = b""
            assert chunk, f"output ended before {needle!r}; got {bytes(buffer)!r}"
            buffer.extend(chunk)
    return bytes(buffer)


# A test run started in the background of a shell (`pytest &`) ignores SIGINT, and a child
# inherits that: the watch is started as from a terminal, with SIGINT's default action.
_LAUNCH = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL);"
    " os.execv(sys.executable, [sys.executable, '-m', 'traefik_doctor', *sys.argv[1:]])"
)


def _watch_process(args: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.Popen(
        [sys.executable, "-c", _LAUNCH, "watch", *args],
        env=env,
        **kwargs,  # type: ignore[call-overload]
    )


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_stops_the_process_cleanly(app: Path, signum: signal.Signals) -> None:
    proc = _watch_process(
        ["--plain", "--color", "never", str(app)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        buffer = bytearray()
        _read_until(proc.stdout.fileno(), b"watching", buffer)
        start = len(buffer)
        edit(app / "dynamic" / "routers.yml", "service: api-svc", "service: api")
        _read_until(proc.stdout.fileno(), b"- dynamic/routers.yml:6:16: RTR007", buffer, start)
        out = _read_until(proc.stdout.fileno(), b"\n= ", buffer, start).decode()
        assert CLEAR not in out  # a pipe: a log, never a clear screen
        children = _children(proc.pid)
        proc.send_signal(signum)
        rest, err = proc.communicate(timeout=WAIT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err + rest
    assert not os.path.exists(f"/proc/{proc.pid}")
    assert not any(os.path.exists(f"/proc/{child}") for child in children)


def test_max_changes_ends_after_that_many_checks(app: Path) -> None:
    proc = _watch_process(
        ["--plain", "--max-changes", "1", str(app)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        _read_until(proc.stdout.fileno(), b"watching", bytearray())
        edit(app / "cmd" / "api" / "main.go", "IdleTimeout = 30", "IdleTimeout = 120")
        out, err = proc.communicate(timeout=WAIT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err.decode()
    assert b"- cmd/api/main.go:56:20: TMO001" in out


@pytest.mark.slow
def test_terminal_gets_a_redrawn_screen(app: Path) -> None:
    leader, follower = pty.openpty()
    proc = _watch_process(
        ["--color", "never", str(app)], stdout=follower, stderr=follower, stdin=subprocess.DEVNULL
    )
    os.close(follower)
    try:
        buffer = bytearray()
        _read_until(leader, b"watching", buffer)
        start = len(buffer)
        edit(app / "dynamic" / "routers.yml", "service: api-svc", "service: api")
        _read_until(leader, b"- dynamic/routers.yml:6:16: RTR007", buffer, start)
        out = _read_until(leader, b"\r\n= ", buffer, start).decode()
        assert out.count(CLEAR) == 2  # each check redraws the whole list
        screen = out.rsplit(CLEAR, 1)[1]
        assert "legacy@file" in screen  # the full current list, code frames included
        assert "   |" in screen
        assert screen.rstrip().splitlines()[-1].startswith("= ")  # the summary at the bottom
        proc.send_signal(signal.SIGINT)
        assert proc.wait(WAIT) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(leader)


def test_usage_errors_exit_2(app: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["watch", str(app / "nowhere")]) == 2
    assert main(["watch", "--api", "http://127.0.0.1:1", str(app)]) == 2
    assert main(["watch", "--select", "NOPE", str(app)]) == 2
    err = capsys.readouterr().err
    assert "no such file" in err
    assert "need --probe" in err
    assert "unknown rule code" in err


# -- what is shown ---------------------------------------------------------------------------


def test_render_screen_and_log(app: Path) -> None:
    session = WatchSession(app, Overrides())
    first = session.check()
    assert first.first
    assert not first.diff.empty  # everything is new the first time
    shown = render(first, root="app", screen=False, color=False)
    assert CLEAR not in shown
    assert "RTR007" in shown
    assert "   |" in shown  # the first check shows the full report with code frames
    edit(app / "dynamic" / "routers.yml", "service: api-svc", "service: api")
    second = session.check(("dynamic/routers.yml",))
    log = render(second, root="app", screen=False, color=False)
    assert log.splitlines()[0].endswith("dynamic/routers.yml")
    assert "   |" not in log  # a log of changes only
    assert log.splitlines()[-1].startswith("= ")
    screen = render(second, root="app", screen=True, color=True)
    assert screen.startswith(CLEAR)
    assert "\x1b[" in screen.removeprefix(CLEAR)
    assert "   |" in screen  # the full list again


# -- the diff --------------------------------------------------------------------------------


def _finding(code: str, line: int, message: str, path: str = "a.yml") -> Finding:
    return Finding(code, "name", Severity.ERROR, message, Location(path, line, 1))


def test_diff_is_tolerant_of_line_shifts_and_quoted_places() -> None:
    before = [
        Seen(_finding("RTR007", 6, "uses `x`"), "service: x"),
        Seen(_finding("TMO002", 9, "shorter than (dynamic/s.yml:31:32)"), "idle: 1s"),
    ]
    after = [
        Seen(_finding("RTR007", 8, "uses `x`"), "service: x"),
        Seen(_finding("TMO002", 11, "shorter than (dynamic/s.yml:33:32)"), "idle: 1s"),
    ]
    assert diff(before, after).empty
    assert normalized_message("at `main.go:53:17` and x.yml:4") == "at `main.go:_` and x.yml:_"


def test_diff_pairs_duplicates_by_their_line_text() -> None:
    one = _finding("SVC004", 3, "no health check")
    two = _finding("SVC004", 9, "no health check")
    before = [Seen(one, "api:"), Seen(two, "users:")]
    after = [Seen(_finding("SVC004", 2, "no health check"), "users:")]  # `api` removed above
    result = diff(before, after)
    assert result.resolved == (one,)
    assert not result.appeared


def test_diff_reworded_finding_at_the_same_place_is_changed() -> None:
    before = [Seen(_finding("CFG004", 5, "8 routers vanish"), "healtCheck:")]
    after = [Seen(_finding("CFG004", 5, "9 routers vanish"), "healtCheck:")]
    result = diff(before, after)
    assert len(result.changed) == 1
    assert not result.appeared
    assert not result.resolved
    new = [Seen(_finding("RTR003", 5, "bad rule"), "rule: x")]
    assert diff([], new).appeared == (new[0].finding,)
    assert diff(new, []).resolved == (new[0].finding,)


def test_relevant_files(app: Path) -> None:
    session = WatchSession(app, Overrides())
    session.check()
    relevant = [
        "dynamic/routers.yml",
        "traefik.yml",
        "compose.yaml",
        "cmd/api/main.go",
        "go.mod",
        ".traefik-doctor.toml",
        "certs/site.pem",
        "dynamic/routers.json",  # listed by Traefik (CFG009)
        "cmd/api",  # a folder (a package renamed or removed)
    ]
    not_relevant = [
        "cmd/api/main_test.go",
        ".git/HEAD",
        "node_modules/x/y.yml",
        "dynamic/.routers.yml.swp",
        "dynamic/routers.yml~",
        "dynamic/.#routers.yml",
        "dynamic/4913",
        "README.md",
        "dynamic/.hidden",
    ]
    for path in relevant:
        assert session.relevant(str(app / path)), path
    for path in not_relevant:
        assert not session.relevant(str(app / path)), path


# -- the cache ---------------------------------------------------------------------------------


def _cases() -> list[Path]:
    fixtures = sorted(p for p in FIXTURES.glob("*/*") if p.is_dir())
    return [BROKEN, ROOT / "examples" / "clean-app", *fixtures]


def test_cached_check_finds_what_run_check_finds() -> None:
    """Every fixture, loaded twice through one cache (the second load reuses what the first
    kept), against ``engine.run_check`` without a cache: nothing may change a cached
    document or package after loading."""
    reused = 0
    for case in _cases():
        expected = run_check(case, Settings()).findings
        cache = LoadCache()
        for _ in range(2):
            assert run_check(case, Settings(), cache=cache).findings == expected, case
        reused += cache.documents_reused + cache.go.hits
    assert reused > len(_cases())  # the second loads did reuse (files in git are not new)


def test_unchanged_files_are_not_read_again(app: Path) -> None:
    extra = app / "internal" / "store"
    extra.mkdir(parents=True)
    (extra / "store.go").write_text(
        'package store\n\nimport "net/http"\n\nvar Client = &http.Client{}\n', encoding="utf-8"
    )
    age(app)
    session = WatchSession(app, Overrides())
    first = session.check()
    assert first.reread.provider_parsed == first.reread.provider_total == 4
    assert first.reread.go_parsed == first.reread.go_total == 2
    second = session.check()
    assert second.reread.provider_parsed == 0
    assert second.reread.go_parsed == 0
    assert second.diff.empty

    edit(app / "cmd" / "api" / "main.go", "IdleTimeout = 30", "IdleTimeout = 120")
    third = session.check()
    assert (third.reread.go_parsed, third.reread.go_total) == (1, 2)
    assert third.reread.provider_parsed == 0
    assert {f.code for f in third.diff.resolved} == {"TMO001"}
    assert list(third.findings) == run_check(app, Settings()).findings


def test_a_changed_constant_re_extracts_its_importers(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.22\n", encoding="utf-8")
    config = tmp_path / "internal" / "config"
    config.mkdir(parents=True)
    (config / "config.go").write_text('package config\n\nconst Addr = ":8081"\n', encoding="utf-8")
    cmd = tmp_path / "cmd" / "api"
    cmd.mkdir(parents=True)
    (cmd / "main.go").write_text(
        "package main\n\n"
        'import (\n\t"net/http"\n\n\t"example.com/app/internal/config"\n)\n\n'
        "func main() {\n\thttp.ListenAndServe(config.Addr, nil)\n}\n",
        encoding="utf-8",
    )
    (tmp_path / "traefik.yml").write_text(
        'entryPoints:\n  web:\n    address: ":80"\nproviders:\n  file:\n    directory: dyn\n',
        encoding="utf-8",
    )
    (tmp_path / "dyn").mkdir()
    (tmp_path / "dyn" / "app.yml").write_text(
        "http:\n  routers:\n    api:\n      rule: Host(`a.test`)\n      service: api\n"
        "  services:\n    api:\n      loadBalancer:\n        servers:\n"
        "          - url: http://127.0.0.1:8081\n",
        encoding="utf-8",
    )
    age(tmp_path)
    session = WatchSession(tmp_path, Overrides())
    assert "SVC003" not in {f.code for f in session.check().findings}
    edit(config / "config.go", '":8081"', '":9090"')
    after = session.check()
    assert after.reread.go_parsed == 2  # the constant's package and the one that imports it
    assert "SVC003" in {f.code for f in after.diff.appeared}
    assert list(after.findings) == run_check(tmp_path, Settings()).findings


# -- --probe against the real Traefik -----------------------------------------------------------


class _Counting(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        hosts: list[str] = self.server.hosts  # type: ignore[attr-defined]
        hosts.append(self.headers.get("Host", ""))
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def _backend() -> Iterator[tuple[int, list[str]]]:
    """An HTTP server on loopback that records the Host of every request."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    server.daemon_threads = True
    hosts: list[str] = []
    server.hosts = hosts  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,))
    thread.start()
    try:
        yield server.server_address[1], hosts
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.mark.traefik
def test_probe_reprobes_only_the_router_that_changed(
    tmp_path: Path, watching: Callable[..., Watching]
) -> None:
    project, run = tmp_path / "project", tmp_path / "run"
    (project / "dyn").mkdir(parents=True)
    run.mkdir()
    web, api, closed = free_port(), free_port(), free_port()
    static = project / "traefik.yml"
    static.write_text(
        "global: {checkNewVersion: false, sendAnonymousUsage: false}\n"
        f'entryPoints:\n  web: {{address: "127.0.0.1:{web}"}}\n'
        f'  traefik: {{address: "127.0.0.1:{api}"}}\n'
        "api: {insecure: true}\n"
        f"log: {{level: INFO, filePath: {run}/traefik.log}}\n"
        "providers:\n  providersThrottleDuration: 100ms\n  file: {directory: dyn}\n",
        encoding="utf-8",
    )
    with _backend() as (port_a, hits_a), _backend() as (port_b, hits_b):
        dynamic = project / "dyn" / "app.yml"
        dynamic.write_text(
            "http:\n  routers:\n"
            "    ra: {rule: Host(`a.test`), service: sa, entryPoints: [web]}\n"
            "    rb: {rule: Host(`b.test`), service: sb, entryPoints: [web]}\n"
            "  services:\n"
            f"    sa: {{loadBalancer: {{servers: [{{url: http://127.0.0.1:{port_a}}}]}}}}\n"
            f"    sb: {{loadBalancer: {{servers: [{{url: http://127.0.0.1:{port_b}}}]}}}}\n",
            encoding="utf-8",
        )
        with run_traefik(static, run, api, cwd=project) as traefik:
            assert wait_for_api(traefik), traefik.log()
            prober = LiveProber(ProbeOptions(timeout=3.0))
            w = Watching(WatchSession(project, Overrides(), prober=prober))
            w.thread.start()
            try:
                first = w.after(0, "watching")
                assert "probed 2 routers: `ra@file`, `rb@file`" in first
                assert "a.test" in hits_a
                assert "b.test" in hits_b

                hits_a.clear()
                hits_b.clear()
                since = w.mark()
                edit(dynamic, "Host(`b.test`)", "Host(`b2.test`)")
                out = w.after(since, "probed 1 router: `rb@file`")
                assert "LIVE" not in out  # the new rule is served: nothing new to report
                assert "b2.test" in hits_b  # Traefik served the new rule when it was probed
                assert hits_a == []  # the unchanged router was not probed again

                since = w.mark()
                edit(dynamic, f"127.0.0.1:{port_b}", f"127.0.0.1:{closed}")  # rb's service
                out = w.after(since, "probed 1 router: `rb@file`", "+ dyn/app.yml")
                assert any("LIVE004" in line and "rb@file" in line for line in lines(out, "+"))
                assert hits_a == []

                since = w.mark()
                edit(dynamic, f"127.0.0.1:{closed}", f"127.0.0.1:{port_b}")
                out = w.after(since, "probed 1 router: `rb@file`", "- dyn/app.yml")
                assert any("LIVE004" in line for line in lines(out, "-"))
            finally:
                w.stop.set()
                w.thread.join(WAIT)
            assert w.result == 0, w.error
