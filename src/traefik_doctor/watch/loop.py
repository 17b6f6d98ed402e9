"""The watch loop: file events in, one check per batch, text out.

``watchfiles`` watches folders recursively (an editor's atomic save, a write to a temporary
file then a rename over the original, is seen as a change of the original) and groups the
events of one save: a batch is handed over once no event came for ``step`` ms (at most
``debounce`` ms after the first). The first check runs once the watcher is live, so a save
made while it runs is not lost. After each check the folders to watch are computed again
(the static file may now point the file provider elsewhere); when they differ, the watcher
is replaced and the project checked once more (a save between the two watchers would be
missed otherwise), quietly unless something changed; so it is when a watched folder was
deleted and made again (a watcher follows the folder it started on, not its name). The
``watching ...`` line is written once the watcher of the right folders is live: a save made
after it is always seen.

When the checked folder itself is deleted, the loop says so and waits for it to come back.
The loop ends, returning 0, on Ctrl-C, when ``stop`` is set (SIGTERM sets it), or after
``max_changes`` checks (for tests). It starts no process and no server; the watcher's thread
ends with the loop.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from pathlib import Path

from traefik_doctor.watch.render import render, watching
from traefik_doctor.watch.session import Outcome, WatchSession

READY_TICK_MS = 200
"""How long the watcher waits for events before handing control back (to run the first check
as soon as it is live, and to notice ``stop``)."""
GONE_POLL_SECONDS = 0.5
"""How often to look for a checked folder that was deleted (there is nothing to watch)."""


def run_watch(
    session: WatchSession,
    write: Callable[[str], None],
    *,
    screen: bool = False,
    color: bool = False,
    stop: threading.Event | None = None,
    max_changes: int | None = None,
    debounce_ms: int = 1600,
    step_ms: int = 100,
    force_polling: bool | None = None,
) -> int:
    import watchfiles

    stop = stop if stop is not None else threading.Event()
    root = _display(session.root)
    roots = session.watch_paths()
    checks = 0
    first = True  # no check yet
    resync = False  # a new watcher is live: check what the old one may have missed
    announce = False  # say what is watched once the right watcher is live
    last_error: str | None = None
    watched: set[str] = set()  # the watched folders themselves, as watchfiles names them

    def accepts(_change: watchfiles.Change, path: str) -> bool:
        return path in watched or session.relevant(path)

    def emit(outcome: Outcome, *, always: bool) -> None:
        """Write the check if it is news: asked, something changed, or a new error."""
        nonlocal last_error
        news = not outcome.diff.empty or outcome.error not in (None, last_error)
        last_error = outcome.error
        if always or news:
            try:
                text = render(outcome, root=root, screen=screen, color=color)
            except Exception as exc:  # never a traceback: one line, and the watch goes on
                text = f"could not show the check: {type(exc).__name__}: {exc}\n"
            write(text)
        gc.collect()  # the check ran without the collector (see WatchSession.check)

    while not stop.is_set():
        if not roots:  # the checked folder is gone: say so once, wait for it to come back
            emit(session.check(()), always=False)
            while not roots and not stop.wait(GONE_POLL_SECONDS):
                roots = session.watch_paths()
            resync = True
            continue
        restart = False
        identity = _identity(roots)
        watched = {str(path) for path in roots}
        for changes in watchfiles.watch(
            *roots,
            watch_filter=accepts,
            debounce=debounce_ms,
            step=step_ms,
            stop_event=stop,
            rust_timeout=READY_TICK_MS,
            yield_on_timeout=True,
            raise_interrupt=True,
            force_polling=force_polling,
        ):
            # The watcher is live from here on.
            if first or resync:
                emit(session.check(()), always=first)
                first, announce = False, True
            elif changes:
                described = session.describe(path for _, path in changes if path not in watched)
                emit(session.check(described), always=bool(described))
                checks += 1
                if max_changes is not None and checks >= max_changes:
                    return 0
            elif _identity(roots) == identity:
                continue  # a quiet tick
            wanted = session.watch_paths()
            # Other folders (the static file now names another provider folder), or a watched
            # folder deleted (and perhaps made again, even with the same inode number): a
            # watcher follows the folder it started on, not its name, so it is replaced.
            gone = any(
                change == watchfiles.Change.deleted and path in watched for change, path in changes
            )
            if gone or wanted != roots or _identity(wanted) != identity:
                roots, restart, resync = wanted, True, True
                break
            resync = False
            if announce:  # the right folders are watched: say which
                write(watching(roots, session.root, root, color=color))
                announce = False
        if not restart:
            break
    return 0


def _identity(paths: list[Path]) -> list[tuple[int, int] | None]:
    """Which folders the paths are now (device and inode), None for one that is gone."""
    found: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            found.append(None)
            continue
        found.append((st.st_dev, st.st_ino))
    return found


def _display(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return path.as_posix()
