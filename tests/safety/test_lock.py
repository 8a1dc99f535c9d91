"""The one-app-per-data-folder lock, on POSIX (``flock``) and on Windows (``msvcrt.locking``).

Windows is driven here by a stand-in for ``msvcrt`` with its semantics: ``locking`` acts on
bytes from the file's current position, ``LK_NBLCK`` fails at once with OSError when another
handle holds one of them, and a locked byte cannot be read through another handle (which is
why the lock sits far past the pid).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from study.core.progress import lock as lock_module
from study.core.progress.lock import WINDOWS_LOCK_OFFSET, AppLock, LockedError, _Flock, _MsvcrtLock


class FakeMsvcrt:
    """``msvcrt.locking`` over the file's identity and byte offsets, as Windows keeps them."""

    LK_UNLCK, LK_LOCK, LK_NBLCK = 0, 1, 2

    def __init__(self) -> None:
        self.held: dict[tuple[int, int, int], int] = {}
        """(device, inode, byte) -> the fd holding it."""
        self.calls: list[tuple[int, int]] = []

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        info = os.fstat(fd)
        start = os.lseek(fd, 0, os.SEEK_CUR)
        self.calls.append((mode, start))
        keys = [(info.st_dev, info.st_ino, start + n) for n in range(nbytes)]
        if mode == self.LK_UNLCK:
            if any(self.held.get(k) != fd for k in keys):
                raise OSError(errno.EACCES, "Permission denied")
            for k in keys:
                del self.held[k]
            return
        if any(k in self.held for k in keys):
            raise OSError(errno.EDEADLK, "Resource deadlock avoided")
        self.held.update(dict.fromkeys(keys, fd))

    def readable(self, fd: int, length: int) -> bool:
        """Whether ``length`` bytes from the start can be read through a handle not holding them."""
        info = os.fstat(fd)
        return not any((info.st_dev, info.st_ino, n) in self.held for n in range(length))


def test_linux_uses_flock_as_before() -> None:
    assert isinstance(lock_module.backend(), _Flock)


def test_the_windows_lock_refuses_a_second_app_and_names_the_first(tmp_path: Path) -> None:
    windows = FakeMsvcrt()
    path = tmp_path / "app.lock"
    first = AppLock(path, _MsvcrtLock(windows)).acquire()
    assert windows.calls == [(windows.LK_NBLCK, WINDOWS_LOCK_OFFSET)]
    assert path.read_text(encoding="ascii") == f"{os.getpid()}\n"
    with pytest.raises(LockedError) as info:
        AppLock(path, _MsvcrtLock(windows)).acquire()
    assert str(info.value) == (
        f"study is already open on {tmp_path} (process {os.getpid()}): use that window, or quit "
        "it first (commands such as 'study stats' work beside it)"
    )
    fd = os.open(path, os.O_RDONLY)
    try:
        assert windows.readable(fd, 32)  # the pid is not under the locked byte
    finally:
        os.close(fd)
    first.release()
    assert windows.held == {}
    with AppLock(path, _MsvcrtLock(windows)):
        assert len(windows.held) == 1
    assert windows.held == {}
    assert path.read_text(encoding="ascii") == f"{os.getpid()}\n"  # the file stays


def test_windows_is_picked_where_there_is_no_fcntl(monkeypatch: pytest.MonkeyPatch) -> None:
    windows = FakeMsvcrt()
    monkeypatch.setattr(lock_module, "fcntl", None)
    monkeypatch.setattr(lock_module, "msvcrt", windows)
    picked = lock_module.backend()
    assert isinstance(picked, _MsvcrtLock) and picked.msvcrt is windows


def test_without_either_there_is_no_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lock_module, "fcntl", None)
    monkeypatch.setattr(lock_module, "msvcrt", None)
    with AppLock(tmp_path / "app.lock"), AppLock(tmp_path / "app.lock"):
        pass
    assert not (tmp_path / "app.lock").exists()


def test_the_posix_lock_still_refuses_a_second_app(tmp_path: Path) -> None:
    path = tmp_path / "app.lock"
    with AppLock(path), pytest.raises(LockedError, match=r"\(process \d+\)"):
        AppLock(path).acquire()
    AppLock(path).acquire().release()
