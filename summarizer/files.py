"""Files written whole or not at all, and the output directory's lock.

Kept apart from the renderer and the manifest: both write files, and neither should import the
other to do it.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path

from .errors import ConfigError, OutputError

LOCK = ".lock"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable too: a kill -9 cannot undo it, a power cut could without this."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on a directory; the rename still happened
    finally:
        os.close(fd)


def output_target(path: Path) -> Path:
    """Where writing ``path`` lands: a symlink is written through to its target (the link stays a
    link), so the rename happens beside the target, never over the link."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def check_writable(path: Path) -> None:
    """Refuse an output path that cannot be written, before any work is paid for: a directory,
    a parent that is missing, a file, or read-only, a target the user may not replace."""
    target = output_target(path)
    parent = target.parent
    if target.is_dir():
        raise OutputError(f"cannot write {path}: it is a directory; pass a file name")
    probe = parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent  # write_atomic makes missing directories; the first existing one decides
    if not probe.is_dir():
        raise OutputError(f"cannot write {path}: {probe} is not a directory; pass another --output")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {path}: {probe} is not writable; pass another --output or fix its permissions")


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename it over: readers never see half a file.
    An existing file keeps its mode; a symlink is written through (``output_target``)."""
    shown = Path(path)
    path = output_target(shown)
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
    except OSError:
        mode = 0o666 & ~_umask()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, mode)  # mkstemp makes 0600: a new output is for sharing, an old one keeps its mode
            os.replace(tmp, path)
            _fsync_dir(path.parent)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {exc.strerror}; check the directory exists and is writable") from exc


class DirectoryLock:
    """Exclusive, non-blocking, released by the kernel when the holder dies."""

    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / LOCK
        self._fd: int | None = None

    def __enter__(self) -> DirectoryLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot use {self.path.parent} as the output directory: {exc.strerror}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise ConfigError(
                f"another summarizer run (pid {holder}) is writing to {self.path.parent}: "
                "wait for it to finish or pass another --out"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
