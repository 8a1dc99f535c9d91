"""Why a file could not be written: the disk, not the file.

A full disk, a read-only file system, a data folder deleted or unmounted while the
tool runs: each makes SQLite fail (``SQLITE_FULL``, ``SQLITE_READONLY``, often just
``SQLITE_IOERR``: "disk I/O error") although the database itself is sound. Taking
such an error for damage would send the user to move a good database aside, so
``disk_problem`` tells them apart, from the error and from the disk itself
(``statvfs``). It knows nothing of SQLite beyond the error names.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

LOW_SPACE = 1 << 20
"""Less free space than this (1 MiB) is a full disk: SQLite needs room for its WAL and index."""

_FULL = (errno.ENOSPC, errno.EDQUOT)


def _name(exc: BaseException) -> str:
    return str(getattr(exc, "sqlite_errorname", "") or "")


def disk_problem(path: Path, exc: BaseException) -> str | None:
    """What is wrong with the disk or folder that holds ``path``, when that caused ``exc``.

    A phrase such as "the disk that holds /x is full: free some space", or None when the
    error is not about the disk (a damaged file, a bug).
    """
    name = _name(exc)
    code = exc.errno if isinstance(exc, OSError) else None
    folder = path.parent
    if name.startswith("SQLITE_FULL") or code in _FULL:
        return f"the disk that holds {folder} is full: free some space"
    if name.startswith("SQLITE_READONLY") or code == errno.EROFS:
        return f"{path} cannot be written (read-only): check that you can write it and its folder"
    if not (name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) or code == errno.EIO):
        return None
    try:
        disk = os.statvfs(folder)
    except OSError:
        return (
            f"the data folder {folder} cannot be reached (deleted, moved or unmounted?): "
            "check that it is there"
        )
    if disk.f_bavail * disk.f_frsize < LOW_SPACE:
        return f"the disk that holds {folder} is full: free some space"
    if disk.f_flag & os.ST_RDONLY:
        return f"the disk that holds {folder} is read-only: make it writable"
    if name.startswith("SQLITE_CANTOPEN"):
        return None
    return f"{path} could not be read or written (disk I/O error): check the disk"
