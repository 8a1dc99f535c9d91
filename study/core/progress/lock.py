"""One app per data folder: a lock held for as long as the app runs.

Two apps on one folder would show the same cards (each builds its queue from the
database at start) and both be answered. The app takes an exclusive ``flock`` on
``<data>/app.lock`` and writes its pid in it; a second app is refused with that pid.
The kernel releases the lock when the process ends, however it ends (a SIGKILL, a
power cut), so a stale file never blocks. Commands that only read (``study stats``)
or answer nothing on screen do not take it. Where ``flock`` does not exist (Windows),
there is no lock.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]


class LockedError(Exception):
    """Another app holds the data folder; the message says which process and what to do."""


class AppLock:
    """The data folder's app lock, taken by ``acquire`` and let go by ``release`` (or ``with``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> AppLock:
        """Take the lock, or raise LockedError naming the app that has it (OSError: no file)."""
        if fcntl is None:
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip()
            os.close(fd)
            who = f" (process {holder})" if holder.isdigit() else ""
            raise LockedError(
                f"study is already open on {self.path.parent}{who}: use that window, or quit it "
                "first (commands such as 'study stats' work beside it)"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd
        return self

    def release(self) -> None:
        """Let go of the lock (the file stays: removing it could race with the next app)."""
        if self._fd is not None:
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
