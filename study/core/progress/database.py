"""The progress database file: opening it (checked, migrated, in WAL mode), its
transactions and write errors, its meta table, backup copies of it and checks of a file.

Writes the ``meta`` table (``states`` also removes its pending-rebuild mark); the other
tables are written by the classes built on ``Database`` (``states``, ``log``, ``card_texts``)
and by ``exams.record`` and ``sync``, all in its transactions.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from study.core.disk import disk_problem
from study.core.progress.checks import check_file
from study.core.progress.rows import DamagedError, StoreError, WriteError
from study.core.progress.schema import MIGRATIONS, SCHEMA_VERSION

SCHEMA_OBJECTS = frozenset(re.findall(r"CREATE (?:TABLE|INDEX) (\w+)", "".join(MIGRATIONS)))
"""The names of every table and index the migrations make (to notice a dropped one cheaply)."""


def _schema() -> list[tuple[str, str, str]]:
    """(name, table, SQL) of every table and index of the schema, tables first."""
    db = sqlite3.connect(":memory:")
    try:
        for migration in MIGRATIONS:
            db.executescript(migration)
        rows = db.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL "
            "ORDER BY type = 'index', rowid"
        ).fetchall()
    finally:
        db.close()
    return [(str(a), str(b), str(c)) for a, b, c in rows]


class QuickCheck:
    """SQLite's quick check of a database file, started in a thread at once.

    The check reads the whole file (a quarter of a second with a million reviews) inside
    SQLite, which lets Python go on meanwhile: the app starts it before importing Textual,
    and ``Store`` takes its result instead of checking again. Any error (no file yet, say)
    leaves the check to ``Store`` itself.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._result: list[str] | None = None
        self._thread = threading.Thread(target=self._run, name="quick-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            db = sqlite3.connect(
                f"{self.path.absolute().as_uri()}?mode=rw", uri=True
            )  # never creates it
            try:
                self._result = [
                    " ".join(str(r[0]).split()) for r in db.execute("PRAGMA quick_check(3)")
                ]
            finally:
                db.close()
        except (sqlite3.Error, ValueError, OSError):
            self._result = None

    def result(self) -> list[str] | None:
        """The check's lines (``["ok"]`` for a sound file), or None when it could not run."""
        self._thread.join()
        return self._result


class Database:
    """The connection to the progress database of one user, and its transactions."""

    def __init__(self, path: Path | str, checked: QuickCheck | None = None) -> None:
        """Open (and check, or take ``checked``'s result for this file) the database at ``path``."""
        self._checked = checked if checked is not None and str(checked.path) == str(path) else None
        self._write_lock = threading.RLock()
        self._identity: tuple[int, int] | None = None
        self.recreated: tuple[str, ...] = ()
        """Tables the file lacked and that were made again when it was opened (see ``Service``)."""
        self.path = Path(path) if str(path) != ":memory:" else None
        if self.path is not None:
            self._prepare_file(self.path)
        try:
            self.db = sqlite3.connect(
                str(path), isolation_level=None, timeout=10.0, check_same_thread=False
            )
            self.db.execute("PRAGMA busy_timeout = 10000")
            self._identity = self._file_identity()
            self._check_sound()  # before anything is written: a damaged file is left as it is
            self._use_wal()
            self.db.execute("PRAGMA synchronous = FULL")
            self._migrate()
            self.recreated = self._recreate_missing()
        except WriteError as exc:  # the migration could not be written: the disk, not the file
            self.db.close()
            raise StoreError(self._cannot_write(exc.problem)) from None
        except StoreError:
            self.db.close()
            raise
        except sqlite3.DatabaseError as exc:
            message = self._cannot_open(exc)
            if hasattr(self, "db"):
                self.db.close()
            damaged = "is damaged (" in message
            raise (DamagedError if damaged else StoreError)(message) from None

    def close(self) -> None:
        """Close the connection (checkpoints the WAL)."""
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic, durable write; threads sharing this store take turns (the app's workers).

        Raises WriteError when nothing could be written because of the disk (full, read-only,
        the database file deleted or moved away since it was opened) or another writer that
        held the database past the busy timeout: the database is then as it was before.
        """
        with self._write_lock:
            self._check_in_place()
            try:
                self.db.execute("BEGIN IMMEDIATE")
                try:
                    yield self.db
                except BaseException:
                    self._rollback()
                    raise
                self.db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()  # a failed COMMIT may leave the transaction open
                raise self._write_error(exc) from None

    def _rollback(self) -> None:
        if self.db.in_transaction:
            with suppress(sqlite3.Error):  # SQLite rolled back by itself (a full disk, say)
                self.db.execute("ROLLBACK")

    def _write_error(self, exc: sqlite3.Error) -> sqlite3.Error | WriteError:
        """The WriteError that ``exc`` stands for, or ``exc`` itself when not about the disk."""
        name = str(getattr(exc, "sqlite_errorname", ""))
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return WriteError(
                "the progress database is busy (another 'study' held it for 10 s): wait a moment"
            )
        problem = disk_problem(self.path, exc) if self.path is not None else None
        return exc if problem is None else WriteError(problem)

    def _file_identity(self) -> tuple[int, int] | None:
        """The database file's device and inode (None in memory), to notice it being replaced."""
        if self.path is None:
            return None
        try:
            info = os.stat(self.path)
        except OSError:
            return None  # not there: the open that follows says why
        return info.st_dev, info.st_ino

    def _check_in_place(self) -> None:
        """Refuse to write when the file opened is no longer at its path (deleted or moved away).

        SQLite would go on writing to the open file, which nobody will ever open again: every
        answer would look saved and be lost. One ``stat`` (a few microseconds) per write.
        """
        if self._identity is None:
            return
        try:
            info = os.stat(self.path)  # type: ignore[arg-type]
            here = (info.st_dev, info.st_ino) == self._identity
        except OSError:
            here = False
        if not here:
            raise WriteError(
                f"the progress database {self.path} was deleted or moved away while study was "
                "running, so nothing more can be saved to it: quit and start study again",
                retry=False,
            )

    def _migrate(self) -> None:
        """Apply missing migrations, each in its own write transaction (safe with two processes)."""
        while True:
            with self.transaction() as db:
                version = int(db.execute("PRAGMA user_version").fetchone()[0])
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"the progress database was written by a newer version of study "
                        f"(schema {version}); upgrade study to open it"
                    )
                if version == SCHEMA_VERSION:
                    return
                for statement in MIGRATIONS[version].split(";\n"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {version + 1}")

    def _recreate_missing(self) -> tuple[str, ...]:
        """Create the tables (and their indexes) of the schema that the file lacks; their names.

        A table dropped by hand or by a tool leaves a file that passes SQLite's check but
        fails every command ("no such table"). The card states can be rebuilt from the log
        (the service does so at once); the other tables come back empty. Without the review
        log itself the file is refused: that is the progress, and there is none to rebuild.
        """
        present = {name for (name,) in self.db.execute("SELECT name FROM sqlite_master")}
        if present >= SCHEMA_OBJECTS:
            return ()
        if "review" not in present:
            raise DamagedError(self._recovery("has lost its review log (the table 'review')"))
        missing = [(name, table, sql) for name, table, sql in _schema() if name not in present]
        with self.transaction() as db:
            for _, _, sql in missing:
                db.execute(sql)
        return tuple(sorted(name for name, table, _ in missing if name == table))  # not indexes

    @property
    def schema_version(self) -> int:
        """The database's schema version."""
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def get_meta(self, key: str) -> str | None:
        """A stored setting of the user's (exam date, ...)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str | None) -> None:
        """Store (or with None remove) a user setting."""
        with self.transaction() as db:
            if value is None:
                db.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def _prepare_file(self, path: Path) -> None:
        """Create a missing database file (owner-only); refuse one that was emptied."""
        try:
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
                return
            wal = path.with_name(path.name + "-wal")
            emptied = path.stat().st_size == 0 and not (wal.exists() and wal.stat().st_size)
        except OSError as exc:
            problem = disk_problem(path, exc)
            if problem is not None:
                raise StoreError(self._cannot_write(problem)) from None
            raise StoreError(
                f"the progress database {path} cannot be read or created "
                f"({exc.strerror or exc}): check the permissions of it and its folder"
            ) from None
        if emptied:
            from study.core.progress.backup_files import backups_folder, list_backups

            if list_backups(backups_folder(path)):
                raise StoreError(self._recovery("is empty although backups of it exist"))

    def _recovery(self, problem: str) -> str:
        from study.core.progress.backup_files import recovery_message

        return recovery_message(self.path or Path(":memory:"), problem)

    def _check_sound(self) -> None:
        """Refuse a damaged database file (SQLite's quick check) before anything writes to it."""
        if self.path is None:
            return
        bad = self._checked.result() if self._checked is not None else None
        if bad is None:
            bad = [" ".join(str(r[0]).split()) for r in self.db.execute("PRAGMA quick_check(3)")]
        if bad != ["ok"]:
            self.db.close()
            raise DamagedError(self._recovery(f"is damaged ({'; '.join(bad)[:160]})"))

    def _cannot_open(self, exc: sqlite3.DatabaseError) -> str:
        """The one line for an error met while opening: busy, not allowed, full or damaged."""
        name = str(getattr(exc, "sqlite_errorname", ""))
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return (
                f"the progress database {self.path} is busy (another 'study' is writing to it): "
                "try again in a moment"
            )
        problem = disk_problem(self.path, exc) if self.path is not None else None
        if problem is not None:  # the disk, not the file: nothing to restore or move aside
            return self._cannot_write(problem)
        if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_READONLY", "SQLITE_AUTH")):
            return (
                f"the progress database {self.path} cannot be opened ({exc}): check that you can "
                "read and write it and its folder; it was left as it is"
            )
        return self._recovery(f"is damaged ({exc})")

    def _cannot_write(self, problem: str) -> str:
        """The line for a database that is sound but cannot be written now (``problem``: why)."""
        return (
            f"the progress database {self.path} cannot be used now: {problem}, then try again "
            "(the file itself is not damaged; it was left as it is)"
        )

    def _use_wal(self) -> None:
        """Switch to WAL, waiting for another instance that is doing the same on a new file.

        SQLite answers "busy" at once here instead of waiting (a wait could deadlock),
        so the switch is retried for as long as the busy timeout.
        """
        deadline = time.monotonic() + 10.0
        while True:
            try:
                self.db.execute("PRAGMA journal_mode = WAL").fetchall()
                return
            except sqlite3.OperationalError as exc:
                busy = str(getattr(exc, "sqlite_errorname", "")).startswith("SQLITE_BUSY")
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def integrity_check(self) -> list[str]:
        """SQLite's full integrity check: the problems found (empty when the database is sound)."""
        rows = [" ".join(str(r[0]).split()) for r in self.db.execute("PRAGMA integrity_check(20)")]
        return [] if rows == ["ok"] else rows

    def backup_to(self, target: Path) -> None:
        """Copy a consistent snapshot of the database into the new file ``target`` (owner-only)."""
        try:
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            copy = sqlite3.connect(str(target), isolation_level=None)
            try:
                self.db.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
            finally:
                copy.close()
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot write {target} ({exc})") from None

    def restore_from(self, source: Path) -> None:
        """Replace the whole content of this database by that of ``source``, in one transaction."""
        try:
            original = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
            try:
                original.backup(self.db)
            finally:
                original.close()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot restore from {source} ({exc})") from None
        self._migrate()

    check_file = staticmethod(check_file)
    """``checks.check_file``, where the backups and the doctor reach it."""
