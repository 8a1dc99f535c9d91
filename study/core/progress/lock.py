"""One app per data folder: a lock held for as long as the app runs.

Two apps on one folder would show the same cards (each builds its queue from the
database at start) and both be answered. The app takes an exclusive lock on
``<data>/app.lock`` and writes its pid in it; a second app is refused with that pid.
The operating system releases the lock when the process ends, however it ends (a
SIGKILL, a power cut), so a stale file never blocks. Commands that only read
(``study stats``) or answer nothing on screen do not take it.

The lock is ``flock`` on POSIX and ``msvcrt.locking`` on Windows (both from the standard
library, so no dependency). Windows locks a byte range, and a locked byte cannot be read by
another process: the lock is on one byte far past the pid (``WINDOWS_LOCK_OFFSET``), so the
second app can still read who holds it.
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:  # POSIX
    msvcrt = None  # type: ignore[assignment]

WINDOWS_LOCK_OFFSET = 1 << 30
"""Where Windows locks its byte: beyond any pid, and beyond the end of the file (allowed)."""


class LockedError(Exception):
    """Another app holds the data folder; the message says which process and what to do."""


class _Flock:
    """The POSIX lock: ``flock`` on the whole file."""

    def __init__(self, module: Any) -> None:
        self.fcntl = module
        """``fcntl``."""

    def try_lock(self, fd: int) -> bool:
        try:
            self.fcntl.flock(fd, self.fcntl.LOCK_EX | self.fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def unlock(self, fd: int) -> None:
        """Nothing to do: closing the file lets go of the lock."""


class _MsvcrtLock:
    """The Windows lock: ``msvcrt.locking`` on one byte at ``WINDOWS_LOCK_OFFSET``."""

    def __init__(self, module: Any) -> None:
        self.msvcrt = module
        """``msvcrt``, or a stand-in with its ``locking``, ``LK_NBLCK`` and ``LK_UNLCK``."""

    def try_lock(self, fd: int) -> bool:
        os.lseek(fd, WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            self.msvcrt.locking(fd, self.msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
        return True

    def unlock(self, fd: int) -> None:
        """Let go of the byte before closing (Windows does it at close too, but later)."""
        os.lseek(fd, WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        with suppress(OSError):  # closing the file lets go of it all the same
            self.msvcrt.locking(fd, self.msvcrt.LK_UNLCK, 1)
        os.lseek(fd, 0, os.SEEK_SET)


def backend() -> _Flock | _MsvcrtLock | None:
    """The lock this platform has (None: neither, and so no lock)."""
    if fcntl is not None:
        return _Flock(fcntl)
    if msvcrt is not None:  # pragma: no cover - Windows; the tests drive it with a stand-in
        return _MsvcrtLock(msvcrt)
    return None  # pragma: no cover


class AppLock:
    """The data folder's app lock, taken by ``acquire`` and let go by ``release`` (or ``with``)."""

    def __init__(self, path: Path, lock: _Flock | _MsvcrtLock | None = None) -> None:
        self.path = path
        self.lock = lock if lock is not None else backend()
        self._fd: int | None = None

    def acquire(self) -> AppLock:
        """Take the lock, or raise LockedError naming the app that has it (OSError: no file)."""
        if self.lock is None:
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        if not self.lock.try_lock(fd):
            holder = os.read(fd, 32).decode("ascii", "replace").strip()
            os.close(fd)
            who = f" (process {holder})" if holder.isdigit() else ""
            raise LockedError(
                f"study is already open on {self.path.parent}{who}: use that window, or quit it "
                "first (commands such as 'study stats' work beside it)"
            )
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd
        return self

    def release(self) -> None:
        """Let go of the lock (the file stays: removing it could race with the next app)."""
        if self._fd is not None and self.lock is not None:
            self.lock.unlock(self._fd)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> AppLock:
        return self.acquire()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
