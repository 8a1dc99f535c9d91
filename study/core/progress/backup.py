"""Backups of the progress database: made, checked, thinned out, listed and restored.

Backups are complete SQLite databases in the ``backups`` folder next to the
database, named ``KIND-YYYYMMDDTHHMMSSZ.sqlite3`` (UTC) and readable by their
owner only. They are made with SQLite's online backup, which copies a
consistent snapshot even while another instance is writing; each is written
under a temporary name, checked, then renamed, so a half-written file is never
taken for a backup.

``auto`` backups are made at most once a study day (the app asks at start) and
thinned out to the newest of each of the last 7 days, 4 weeks and 12 months
that have one. ``manual`` (``study backup``), ``before-restore`` and
``before-prune`` backups are kept until you delete them. A damaged database
that had to be replaced is moved aside as ``broken-...``, never deleted.
``salvaged`` files are what ``study doctor`` could read of a damaged database
(``study.core.progress.salvage``): listed with the backups when asked for
(``list_backups(..., salvaged=True)``, ``study backup --list``) and restored by
name, but never taken for the latest good backup, as they may lack some answers.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from study.core.progress.backup_files import (
    _STAMP,
    SUFFIX,
    Backup,
    BackupError,
    Kind,
    Retention,
    backups_folder,
    latest_good_backup,
    list_backups,
    parse_name,
    recovery_message,
)
from study.core.progress.checks import check_file
from study.core.progress.store import Store, StoreError

__all__ = [
    "SUFFIX",
    "Backup",
    "BackupError",
    "Kind",
    "Retention",
    "auto_backup",
    "backups_folder",
    "latest_good_backup",
    "list_backups",
    "make_backup",
    "parse_name",
    "recovery_message",
    "resolve_backup",
    "restore",
    "to_prune",
]


DEFAULT_RETENTION = Retention()
"""7 days, 4 weeks, 12 months."""


def _free_path(folder: Path, kind: Kind, at: datetime) -> Path:
    stem = f"{kind}-{at.astimezone(UTC).strftime(_STAMP)}Z"
    path, sequence = folder / f"{stem}{SUFFIX}", 1
    while path.exists():
        sequence += 1
        path = folder / f"{stem}-{sequence}{SUFFIX}"
    return path


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise BackupError(
            f"cannot create the backups folder {folder} ({exc.strerror or exc})"
        ) from None


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the platform allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename is still atomic
    finally:
        os.close(fd)


def make_backup(store: Store, folder: Path, kind: Kind, at: datetime) -> Backup:
    """Copy the database into ``folder`` now; the copy is checked before it gets its name."""
    _make_folder(folder)
    path = _free_path(folder, kind, at)
    partial = folder / f".{path.name}.partial"
    try:
        partial.unlink(missing_ok=True)
        store.backup_to(partial)
        problems = check_file(partial)
        if problems:
            raise BackupError(
                f"the backup {path} failed its check ({problems[0]}): run 'study doctor'"
            )
        os.replace(partial, path)
    except (OSError, StoreError) as exc:
        partial.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupError(f"cannot write a backup in {folder} ({reason})") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    backup = parse_name(path)
    assert backup is not None
    return backup


def to_prune(
    backups: list[Backup], retention: Retention, local_day: Callable[[datetime], date]
) -> list[Backup]:
    """The automatic backups that the retention rule no longer keeps (the others are never
    pruned)."""
    autos = sorted(
        (b for b in backups if b.kind is Kind.AUTO), key=lambda b: (b.at, b.sequence), reverse=True
    )
    periods: tuple[tuple[Callable[[date], object], int], ...] = (
        (lambda d: d, retention.daily),
        (lambda d: d.isocalendar()[:2], retention.weekly),
        (lambda d: (d.year, d.month), retention.monthly),
    )
    keep: set[Path] = set()
    for period, count in periods:
        seen: set[object] = set()
        for backup in autos:
            key = period(local_day(backup.at))
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.add(key)
            keep.add(backup.path)
    return [b for b in autos if b.path not in keep]


def auto_backup(
    store: Store,
    folder: Path,
    now: datetime,
    local_day: Callable[[datetime], date],
    retention: Retention = DEFAULT_RETENTION,
) -> Backup | None:
    """Back up once per study day (None if one was made today or there is nothing to keep yet).

    ``local_day`` gives the study day of a moment. After a new backup, automatic backups
    beyond ``retention`` are deleted. Raises BackupError if the backup cannot be written.
    """
    latest = next((b for b in list_backups(folder) if b.kind is Kind.AUTO), None)
    if latest is not None and local_day(latest.at) >= local_day(now):
        return None
    if store.last_review() is None:
        return None
    backup = make_backup(store, folder, Kind.AUTO, now)
    for old in to_prune(list_backups(folder), retention, local_day):
        old.path.unlink(missing_ok=True)
    return backup


def _set_aside(database: Path, folder: Path, at: datetime) -> Path:
    """Move a database that cannot be opened (and its WAL) into ``folder`` as ``broken-...``."""
    _make_folder(folder)
    target = folder / f"broken-{at.astimezone(UTC).strftime(_STAMP)}Z{SUFFIX}"
    sequence = 1
    while target.exists():
        sequence += 1
        target = folder / f"broken-{at.astimezone(UTC).strftime(_STAMP)}Z-{sequence}{SUFFIX}"
    os.replace(database, target)
    wal = database.with_name(database.name + "-wal")
    if wal.exists():
        os.replace(wal, target.with_name(target.name + "-wal"))
    database.with_name(database.name + "-shm").unlink(missing_ok=True)
    return target


def _copy_into_place(source: Path, database: Path) -> None:
    """Write a copy of ``source`` at ``database`` atomically (owner-only, synced, then renamed)."""
    partial = database.with_name(f".{database.name}.restoring")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with open(source, "rb") as src, os.fdopen(fd, "wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(partial, database)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _sync_folder(database.parent)


def resolve_backup(name: str, folder: Path) -> Path:
    """A backup named on the command line: a path, or a file name in the backups folder."""
    given = Path(name).expanduser()
    if given.exists() or given.is_absolute() or len(given.parts) > 1:
        return given
    return folder / name


def restore(database: Path, source: Path, folder: Path, now: datetime) -> Path | None:
    """Put the backup ``source`` in place of the database; returns where the previous one was kept.

    A database that opens is backed up (``before-restore-...``) and then overwritten through
    SQLite, so another running instance sees the change safely. One that cannot be opened
    is moved aside (``broken-...``) and the backup copied into its place. Returns None when
    there was no database. Raises BackupError when the source is not a usable backup.
    """
    if not source.is_file():
        raise BackupError(f"no such backup: {source} (see 'study backup --list')")
    problems = check_file(source)
    if problems:
        raise BackupError(
            f"{source} is not a usable backup ({problems[0]}): choose another one "
            "(see 'study backup --list')"
        )
    if database.exists() and source.resolve() == database.resolve():
        raise BackupError(f"{source} is the progress database itself: name a backup")
    if not database.exists():
        _make_folder(database.parent)
        _copy_into_place(source, database)
        Store(database).close()
        return None
    try:
        store = Store(database)
    except StoreError:
        try:
            kept = _set_aside(database, folder, now)
            _copy_into_place(source, database)
        except OSError as exc:
            raise BackupError(f"cannot replace {database} ({exc.strerror or exc})") from None
        Store(database).close()
        return kept
    try:
        kept_backup = make_backup(store, folder, Kind.BEFORE_RESTORE, now)
        store.restore_from(source)
    finally:
        store.close()
    return kept_backup.path
