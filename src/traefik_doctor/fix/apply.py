"""Writing fixed files safely: inside the checked tree only, atomically, with a backup, and
never over a change someone else made meanwhile.

A file is edited only when its real path (symbolic links resolved) is a regular file inside
the checked directory with no other hard link (an atomic replace would split the links).
The new content goes to a hidden temporary file in the same directory (``.NAME.*.tdfix``:
Traefik's file provider reads only ``.yml``/``.yaml``/``.toml``), is flushed to disk with
``fsync``, gets the original's mode (and owner, when allowed), and replaces the file with
``os.replace``, which is atomic on POSIX: a reader sees the old file or the new one, never a
mix. Just before the replace the file is compared with what was read (bytes, size, mtime,
inode): if anything changed, nothing is written. The original is kept as ``FILE.bak``
(written the same way) unless backups are off. Every failure (disk full, permission denied,
the file changed) removes the temporary file and leaves the original as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from traefik_doctor.loaders.files import MAX_FILE_BYTES

_write = os.write
_fsync = os.fsync
"""The calls that hit the disk, named here so a test can make them fail like a full disk
(there is no safe way to fill a real one in a test)."""

TEMP_SUFFIX = ".tdfix"


class FileRefusedError(Exception):
    """The file must not be edited (outside the tree, not a regular file...): one sentence."""


class FileChangedError(Exception):
    """The file changed between reading it and replacing it."""


class WriteFailedError(Exception):
    """The disk refused the write (the original is unchanged): one sentence."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A file as read for fixing: the path as loaded, its real path, bytes and status."""

    path: str
    real: Path
    data: bytes
    mode: int
    uid: int
    gid: int
    identity: tuple[int, int, int, int]  # device, inode, size, mtime (ns)

    @property
    def backup(self) -> Path:
        return self.real.with_name(self.real.name + ".bak")


def _identity(status: os.stat_result) -> tuple[int, int, int, int]:
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


@dataclass(slots=True)
class FileWriter:
    """Reads and replaces files for ``fix``. ``before_replace`` runs just before the final
    check and replace (a seam for tests: a file edited at that moment must not be lost)."""

    backup: bool = True
    before_replace: Callable[[Path], None] | None = None

    def snapshot(self, path: str, root: Path) -> Snapshot:
        """Read ``path`` for fixing, or refuse it (``FileRefusedError``)."""
        given = Path(path)
        try:
            real = given.resolve(strict=True)
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python 3.11)
            raise FileRefusedError(f"cannot resolve it: {_reason(exc)}") from None
        if not inside(real, root.resolve()):
            raise FileRefusedError(
                f"it resolves to `{real}`, outside the checked directory; not touched"
            )
        try:
            status = os.stat(real)
            if not stat.S_ISREG(status.st_mode):
                raise FileRefusedError("it is not a regular file")
            if status.st_nlink > 1:
                raise FileRefusedError(
                    "it has other hard links, which replacing it would split; fix it by hand"
                )
            with open(real, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise FileRefusedError(f"cannot read it: {_reason(exc)}") from None
        if len(data) > MAX_FILE_BYTES:
            raise FileRefusedError("it is too large")
        return Snapshot(
            path,
            real,
            data,
            stat.S_IMODE(status.st_mode),
            status.st_uid,
            status.st_gid,
            _identity(status),
        )

    def replace(self, snapshot: Snapshot, data: bytes, *, backup: bool | None = None) -> bool:
        """Replace the file's content with ``data``; True when a backup was written.
        Raises ``FileChangedError`` or ``WriteFailedError``; the original is then untouched."""
        keep = self.backup if backup is None else backup
        temp = _temp_file(snapshot, data)
        try:
            if self.before_replace is not None:
                self.before_replace(snapshot.real)
            _unchanged(snapshot)
            if keep:
                backup_temp = _temp_file(snapshot, snapshot.data)
                try:
                    os.replace(backup_temp, snapshot.backup)
                except OSError:
                    _remove(backup_temp)
                    raise
            os.replace(temp, snapshot.real)
        except OSError as exc:
            _remove(temp)
            raise WriteFailedError(_reason(exc)) from None
        except BaseException:
            _remove(temp)
            raise
        _sync_directory(snapshot.real.parent)
        return keep

    def restore(self, snapshot: Snapshot, written: bytes, *, backup_written: bool) -> None:
        """Put the original back (after a fix made things worse), unless the file no longer
        holds what ``fix`` wrote (someone edited it since: theirs is kept)."""
        current = Snapshot(
            snapshot.path,
            snapshot.real,
            written,
            snapshot.mode,
            snapshot.uid,
            snapshot.gid,
            _identity(os.stat(snapshot.real)),
        )
        self.replace(current, snapshot.data, backup=False)
        if backup_written:
            _remove(snapshot.backup)


def _temp_file(snapshot: Snapshot, data: bytes) -> Path:
    """``data`` in a new hidden file next to the target, flushed, with the target's mode."""
    directory = snapshot.real.parent
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{snapshot.real.name}.", suffix=TEMP_SUFFIX, dir=directory
        )
    except OSError as exc:
        raise WriteFailedError(_reason(exc)) from None
    temp = Path(name)
    try:
        try:
            view = memoryview(data)
            while view:
                written = _write(handle, view)
                view = view[written:]
            os.fchmod(handle, snapshot.mode)
            if hasattr(os, "fchown"):
                # Not ours to give away (not root): the new file stays the writer's.
                with contextlib.suppress(PermissionError):
                    os.fchown(handle, snapshot.uid, snapshot.gid)
            _fsync(handle)
        finally:
            os.close(handle)
    except OSError as exc:
        _remove(temp)
        raise WriteFailedError(_reason(exc)) from None
    except BaseException:
        _remove(temp)
        raise
    return temp


def _unchanged(snapshot: Snapshot) -> None:
    try:
        status = os.stat(snapshot.real)
        with open(snapshot.real, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise FileChangedError(_reason(exc)) from None
    if _identity(status) != snapshot.identity or data != snapshot.data:
        raise FileChangedError("it changed while being fixed")


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every system allows it)."""
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            _fsync(handle)
    finally:
        os.close(handle)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower() if exc.strerror[:1].isupper() else exc.strerror
    return str(exc)
