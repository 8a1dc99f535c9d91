"""Progress in SQLite: the only module that writes the progress database.

(``sqlite3`` is also imported by ``catalog``, for its own cache file, which reads the
progress database attached read-only; and by the reader of Anki packages, SQLite files.)

The review log is append-only and is the source of truth; ``item_state`` is a
cache of it that ``rebuild`` recomputes. Undo appends a row that cancels a
review; forgetting appends a ``forget`` row that resets the item to new (a replay starts
it afresh there), so the history before it is kept. Each answer is one transaction,
committed before the call returns (WAL, ``synchronous=FULL``: durable across a power cut).
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from study.core.batches import in_batches
from study.core.disk import disk_problem
from study.core.progress.replay import after_latest, logged_after, replay_log
from study.core.progress.schema import COUNTED_REVIEW, MIGRATIONS, PENDING_REBUILD, SCHEMA_VERSION
from study.core.scheduling.scheduler import Memory, Phase, Rating, Scheduler


class StoreError(Exception):
    """The progress database cannot be used; the message says what to do."""


class DamagedError(StoreError):
    """The database file is damaged (SQLite's check fails, or it is not a database at all)."""


class WriteError(StoreError):
    """A change was not written (a full or read-only disk, the file gone): nothing changed.

    ``problem`` says what is wrong and what to do, without "not saved": the front end says
    what was not saved (an answer, a flag) in its own words; ``retry``: whether trying again
    once the problem is fixed can work (not for a database file that has gone).
    """

    def __init__(self, problem: str, *, retry: bool = True) -> None:
        super().__init__(f"nothing was saved: {problem}{', then try again' if retry else ''}")
        self.problem = problem
        self.retry = retry


def to_ms(moment: datetime) -> int:
    """UTC milliseconds of an aware datetime."""
    return int(moment.timestamp() * 1000)


DAY_MS = 86_400_000

FORGET = "forget"
"""The mode of a log row that resets its item to new (``Store.forget``): rating 0, no due date."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def exact_ms(moment: datetime) -> int:
    """UTC milliseconds of an aware datetime, in integer arithmetic (``to_ms`` goes through a
    float)."""
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def from_ms(ms: int | None) -> datetime | None:
    """An aware UTC datetime from milliseconds."""
    return None if ms is None else datetime.fromtimestamp(ms / 1000, UTC)


@dataclass(frozen=True, slots=True)
class Review:
    """One row of the review log."""

    id: int
    item: str
    at: datetime
    rating: int
    duration_ms: int
    mode: str
    answer: str | None
    due: datetime | None


@dataclass(frozen=True, slots=True)
class Flags:
    """What the user set on an item."""

    flagged: bool = False
    suspended: bool = False
    leech: bool = False
    buried_until: datetime | None = None


def _review(row: tuple[Any, ...]) -> Review:
    """A review from ``SELECT id, item, at, rating, duration_ms, mode, answer, due``."""
    at = from_ms(row[2])
    assert at is not None
    return Review(row[0], row[1], at, row[3], row[4], row[5], row[6], from_ms(row[7]))


def _memory(row: sqlite3.Row | tuple[object, ...]) -> Memory:
    phase, step, stability, difficulty, due, last, reps, lapses = row
    return Memory(
        Phase(int(str(phase))),
        step,  # type: ignore[arg-type]
        stability,  # type: ignore[arg-type]
        difficulty,  # type: ignore[arg-type]
        from_ms(due),  # type: ignore[arg-type]
        from_ms(last),  # type: ignore[arg-type]
        int(str(reps)),
        int(str(lapses)),
    )


def _state_row(memory: Memory) -> tuple[object, ...]:
    return (
        int(memory.phase),
        memory.step,
        memory.stability,
        memory.difficulty,
        to_ms(memory.due) if memory.due else None,
        to_ms(memory.last_review) if memory.last_review else None,
        memory.reps,
        memory.lapses,
    )


def _append(
    db: sqlite3.Connection,
    item: str,
    at: datetime,
    rating: Rating,
    duration_ms: int,
    mode: str,
    answer: str | None,
    after: Memory | None,
    leech: bool,
) -> int:
    """Inside a transaction: log one answer, store the state it gave, flag a new leech."""
    cursor = db.execute(
        "INSERT INTO review (item, at, rating, duration_ms, mode, answer, due) VALUES "
        "(?,?,?,?,?,?,?)",
        (
            item,
            to_ms(at),
            int(rating),
            duration_ms,
            mode,
            answer,
            to_ms(after.due) if after and after.due else None,
        ),
    )
    if after is not None:
        db.execute(
            "INSERT OR REPLACE INTO item_state VALUES (?,?,?,?,?,?,?,?,?)",
            (item, *_state_row(after)),
        )
    if leech:
        db.execute(
            "INSERT INTO item_flag (item, suspended, leech) VALUES (?, 1, 1) "
            "ON CONFLICT(item) DO UPDATE SET suspended = 1, leech = 1",
            (item,),
        )
    return int(cursor.lastrowid or 0)


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


class Store:
    """The progress database of one user."""

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

    # --- reading -------------------------------------------------------------

    def memory(self, item: str) -> Memory | None:
        """The stored state of one item (None if never answered)."""
        row = self.db.execute(
            "SELECT phase, step, stability, difficulty, due, last_review, reps, lapses "
            "FROM item_state WHERE item = ?",
            (item,),
        ).fetchone()
        return None if row is None else _memory(row)

    def memories(self) -> dict[str, Memory]:
        """Every stored state, by item key."""
        rows = self.db.execute(
            "SELECT item, phase, step, stability, difficulty, due, last_review, "
            "reps, lapses FROM item_state"
        )
        return {row[0]: _memory(row[1:]) for row in rows}

    def memories_of(self, keys: Iterable[str]) -> dict[str, Memory]:
        """The stored states of these items (those that have one)."""
        found: dict[str, Memory] = {}
        for chunk, marks in in_batches(list(keys)):
            rows = self.db.execute(
                "SELECT item, phase, step, stability, difficulty, due, last_review, reps, "
                f"lapses FROM item_state WHERE item IN ({marks})",
                chunk,
            )
            found.update((row[0], _memory(row[1:])) for row in rows)
        return found

    def state_rows(
        self, items: Iterable[str] | None = None
    ) -> dict[str, tuple[str, int, float | None, int | None, int | None, int]]:
        """Raw states for listing many items (no Memory or datetime per row), by item: (item,
        phase, stability, due ms, last review ms, lapses); of every item, or only of these."""
        query = "SELECT item, phase, stability, due, last_review, lapses FROM item_state"
        if items is None:
            return {r[0]: r for r in self.db.execute(query)}
        found: dict[str, tuple[str, int, float | None, int | None, int | None, int]] = {}
        for chunk, marks in in_batches(list(items)):
            found.update(
                (r[0], r) for r in self.db.execute(f"{query} WHERE item IN ({marks})", chunk)
            )
        return found

    def flags_of(self, items: Iterable[str]) -> dict[str, Flags]:
        """The flags of these items (those that have a row)."""
        found: dict[str, Flags] = {}
        for chunk, marks in in_batches(list(items)):
            rows = self.db.execute(
                "SELECT item, flagged, suspended, leech, buried_until FROM item_flag "
                f"WHERE item IN ({marks})",
                chunk,
            )
            found.update(
                (r[0], Flags(bool(r[1]), bool(r[2]), bool(r[3]), from_ms(r[4]))) for r in rows
            )
        return found

    def upcoming(self, now: datetime, before: datetime) -> tuple[datetime | None, int]:
        """The first due time after ``now`` of a studied item, and how many are due before
        ``before``."""
        row = self.db.execute(
            "SELECT MIN(due) FILTER (WHERE due > ?), COUNT(*) FILTER (WHERE due < ?) "
            "FROM item_state WHERE phase != 0 AND due IS NOT NULL",
            (to_ms(now), to_ms(before)),
        ).fetchone()
        return from_ms(row[0]), int(row[1])

    def flags(self) -> dict[str, Flags]:
        """Every item's flags, by item key."""
        rows = self.db.execute(
            "SELECT item, flagged, suspended, leech, buried_until FROM item_flag"
        )
        return {r[0]: Flags(bool(r[1]), bool(r[2]), bool(r[3]), from_ms(r[4])) for r in rows}

    def flag(self, item: str) -> Flags:
        """One item's flags (all off when it has none)."""
        r = self.db.execute(
            "SELECT flagged, suspended, leech, buried_until FROM item_flag WHERE item = ?", (item,)
        ).fetchone()
        return Flags() if r is None else Flags(bool(r[0]), bool(r[1]), bool(r[2]), from_ms(r[3]))

    def reviews(
        self, *, since: datetime | None = None, include_undone: bool = False
    ) -> list[Review]:
        """The log in order (without undo rows and the reviews they cancelled, by default)."""
        query = (
            "SELECT id, item, at, rating, duration_ms, mode, answer, due FROM review "
            "WHERE mode != 'undo'"
        )
        args: list[object] = []
        if not include_undone:
            query += " AND id NOT IN (SELECT undoes FROM review WHERE undoes IS NOT NULL)"
        if since is not None:
            query += " AND at >= ?"
            args.append(to_ms(since))
        rows = self.db.execute(query + " ORDER BY id", args)
        return [_review(row) for row in rows]

    def log_rows(self) -> Iterable[tuple[str, int, int, int, int | None]]:
        """The answers that count, in order, as plain ``(item, at_ms, rating, duration_ms,
        due_ms)``.

        For statistics over large logs: no dataclass or datetime per row (three times faster
        than ``reviews``). Undo rows, the reviews they cancelled and forget rows are left out.
        """
        return self.db.execute(
            "SELECT item, at, rating, duration_ms, due FROM review "
            "WHERE mode NOT IN ('undo', 'forget') "
            "AND id NOT IN (SELECT undoes FROM review WHERE undoes IS NOT NULL) ORDER BY id"
        )

    def again_counts(self) -> dict[str, int]:
        """Again answers per item, in any mode (undo rows and the answers they undid left out)."""
        rows = self.db.execute(
            "SELECT item, COUNT(*) FROM review WHERE rating = 1 AND mode != 'undo' "
            "AND id NOT IN (SELECT undoes FROM review WHERE undoes IS NOT NULL) GROUP BY item"
        )
        return dict(rows)

    def last_review(self) -> Review | None:
        """The latest review by its time that has not been undone (of reviews at the same
        moment, the last recorded): reviews imported from Anki are recorded after the ones made
        here, though most were made before."""
        rows = self.db.execute(
            "SELECT id, item, at, rating, duration_ms, mode, answer, due FROM review "
            "WHERE mode != 'undo' AND id NOT IN (SELECT undoes FROM review WHERE undoes IS NOT "
            "NULL) "
            "ORDER BY at DESC, id DESC LIMIT 1"
        ).fetchall()
        return _review(rows[0]) if rows else None

    # --- writing -------------------------------------------------------------

    def record(
        self,
        item: str,
        at: datetime,
        rating: Rating,
        duration_ms: int,
        mode: str,
        answer: str | None,
        after: Memory | None,
        leech: bool = False,
    ) -> int:
        """Append a review and, for scheduled reviews, store the state it gave. Durable
        on return."""
        with self.transaction() as db:
            return _append(db, item, at, rating, duration_ms, mode, answer, after, leech)

    def undo(
        self, item: str, review_id: int, at: datetime, scheduler: Scheduler, leech_lapses: int
    ) -> Memory | None:
        """Cancel a review by appending an undo row; the item's state is restored from the log."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO review (item, at, rating, mode, undoes) VALUES (?, ?, 0, 'undo', ?)",
                (item, to_ms(at), review_id),
            )
            memory = self._replay_item(item, scheduler)
            if memory is None:
                db.execute("DELETE FROM item_state WHERE item = ?", (item,))
            else:
                db.execute(
                    "INSERT OR REPLACE INTO item_state VALUES (?,?,?,?,?,?,?,?,?)",
                    (item, *_state_row(memory)),
                )
            if memory is None or memory.lapses < leech_lapses:
                db.execute(
                    "UPDATE item_flag SET leech = 0, suspended = 0 WHERE item = ? AND leech = 1",
                    (item,),
                )
            return memory

    def set_flag(
        self,
        item: str,
        *,
        flagged: bool | None = None,
        suspended: bool | None = None,
        buried_until: datetime | bool | None = False,
    ) -> None:
        """Change an item's flags (``buried_until=False`` leaves burial as it is)."""
        self.set_flags([item], flagged=flagged, suspended=suspended, buried_until=buried_until)

    def set_flags(
        self,
        items: Iterable[str],
        *,
        flagged: bool | None = None,
        suspended: bool | None = None,
        buried_until: datetime | bool | None = False,
    ) -> None:
        """``set_flag`` for many items, in one transaction (unsuspending also clears a leech)."""
        keys = [(item,) for item in items]
        with self.transaction() as db:
            db.executemany("INSERT OR IGNORE INTO item_flag (item) VALUES (?)", keys)
            if flagged is not None:
                db.executemany(
                    f"UPDATE item_flag SET flagged = {int(flagged)} WHERE item = ?", keys
                )
            if suspended is not None:
                on = int(suspended)
                db.executemany(
                    f"UPDATE item_flag SET suspended = {on}, leech = leech * {on} WHERE item = ?",
                    keys,
                )
            if buried_until is not False:
                value = to_ms(buried_until) if isinstance(buried_until, datetime) else None
                db.executemany(
                    "UPDATE item_flag SET buried_until = ? WHERE item = ?",
                    ((value, key) for (key,) in keys),
                )

    def put_flags(self, item: str, flags: Flags) -> None:
        """Give an item exactly these flags (all off: no row), as when a change is undone."""
        with self.transaction() as db:
            if flags == Flags():
                db.execute("DELETE FROM item_flag WHERE item = ?", (item,))
                return
            db.execute(
                "INSERT OR REPLACE INTO item_flag VALUES (?,?,?,?,?)",
                (
                    item,
                    int(flags.flagged),
                    int(flags.suspended),
                    int(flags.leech),
                    to_ms(flags.buried_until) if flags.buried_until else None,
                ),
            )

    def put_flags_many(self, flags: Mapping[str, Flags]) -> None:
        """``put_flags`` for many items, in one transaction (a browser action undone)."""
        off = [(item,) for item, f in flags.items() if f == Flags()]
        rows = [
            (
                item,
                int(f.flagged),
                int(f.suspended),
                int(f.leech),
                to_ms(f.buried_until) if f.buried_until else None,
            )
            for item, f in flags.items()
            if f != Flags()
        ]
        with self.transaction() as db:
            db.executemany("DELETE FROM item_flag WHERE item = ?", off)
            db.executemany("INSERT OR REPLACE INTO item_flag VALUES (?,?,?,?,?)", rows)

    def forget(self, items: Iterable[str], at: datetime) -> int:
        """Reset these items to new, keeping their history: a ``forget`` row each in the log
        (a replay starts the item afresh there), the state removed and the leech mark cleared
        (suspension and the flag stay). Items already new are left alone; returns how many
        were reset.
        """
        return len(self.forget_rows(items, at))

    def forget_rows(self, items: Iterable[str], at: datetime) -> dict[str, int]:
        """``forget``, returning the id of each item's ``forget`` row (what ``undo_rows`` takes
        back)."""
        with self.transaction() as db:
            keys = [
                key
                for chunk, marks in in_batches(sorted(set(items)))
                for (key,) in db.execute(
                    f"SELECT item FROM item_state WHERE item IN ({marks})", chunk
                )
            ]
            db.executemany(
                f"INSERT INTO review (item, at, rating, mode) VALUES (?, ?, 0, '{FORGET}')",
                ((key, after_latest(db, key, to_ms(at))) for key in keys),
            )
            db.executemany("DELETE FROM item_state WHERE item = ?", ((key,) for key in keys))
            db.executemany("UPDATE item_flag SET leech = 0 WHERE item = ?", ((k,) for k in keys))
            return {
                key: rid
                for chunk, marks in in_batches(keys)
                for key, rid in db.execute(
                    f"SELECT item, MAX(id) FROM review WHERE mode = '{FORGET}' "
                    f"AND item IN ({marks}) GROUP BY item",  # the rows just written (their
                    chunk,  # time may be after ``at``: ``after_latest``)
                )
            }

    def undo_rows(self, rows: Mapping[str, int], at: datetime, scheduler: Scheduler) -> None:
        """Cancel these rows of the log (item -> row id: a bulk ``forget`` taken back), in one
        transaction: an ``undo`` row each, and each item's state replayed from the log. The
        flags are left as they are (the caller puts back those it changed)."""
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO review (item, at, rating, mode, undoes) VALUES (?, ?, 0, 'undo', ?)",
                ((item, to_ms(at), rid) for item, rid in rows.items()),
            )
            for item in rows:
                memory = self._replay_item(item, scheduler)
                if memory is None:
                    db.execute("DELETE FROM item_state WHERE item = ?", (item,))
                else:
                    db.execute(
                        "INSERT OR REPLACE INTO item_state VALUES (?,?,?,?,?,?,?,?,?)",
                        (item, *_state_row(memory)),
                    )

    def last_answers(self, items: Iterable[str] | None = None) -> dict[str, tuple[int, int]]:
        """Each item's latest answer that counts (any mode, not undone): item -> (at ms, rating);
        of every item, or only of these.

        For every item, the latest row of each is read from the ``review_item`` index; only the
        items whose latest row is an undo or forget row, or an undone answer, are looked up
        again (about twice as fast as asking for the latest answer that counts directly).
        """
        latest: dict[str, tuple[int, int]] = {}
        again: list[str] = []
        if items is not None:
            again = list(items)
        else:
            rows = self.db.execute(
                "SELECT r.item, r.at, r.rating, r.mode, r.id IN (SELECT undoes FROM review "
                "WHERE undoes IS NOT NULL) FROM (SELECT MAX(id) AS id FROM review GROUP BY item) m "
                "JOIN review r ON r.id = m.id"
            )
            for item, at, rating, mode, undone in rows:
                if mode in ("undo", FORGET) or undone:
                    again.append(item)
                else:
                    latest[item] = (at, rating)
        for chunk, marks in in_batches(again):
            latest.update(
                (item, (at, rating))
                for item, at, rating in self.db.execute(
                    "SELECT item, at, rating FROM review WHERE id IN (SELECT MAX(id) FROM review "
                    f"WHERE item IN ({marks}) AND mode NOT IN ('undo', '{FORGET}') AND id NOT IN "
                    "(SELECT undoes FROM review WHERE undoes IS NOT NULL) GROUP BY item)",
                    chunk,
                )
            )
        return latest

    def history(self, item: str) -> list[Review]:
        """One item's log, oldest first (by time: answers synced from other machines come
        later in id order): every answer (any mode) and forget row, none undone."""
        rows = self.db.execute(
            "SELECT id, item, at, rating, duration_ms, mode, answer, due FROM review "
            "WHERE item = ? AND mode != 'undo' "
            "AND id NOT IN (SELECT undoes FROM review WHERE undoes IS NOT NULL) ORDER BY at, id",
            (item,),
        )
        return [_review(row) for row in rows]

    # --- rebuilding ----------------------------------------------------------

    def _replay_item(self, item: str, scheduler: Scheduler) -> Memory | None:
        return replay_log(self.db, scheduler, [item]).get(item)

    def reviews_of(self, item: str) -> list[Review]:
        """One item's scheduled reviews that count (not undone, not practice), and forget rows."""
        return [r for r in self.history(item) if r.due is not None or r.mode == FORGET]

    def replay_all(self, scheduler: Scheduler) -> dict[str, Memory]:
        """Every item's state, recomputed from the log alone, in time order
        (``study.core.progress.replay``)."""
        return replay_log(self.db, scheduler)

    def rebuild_pending(self, scheduler: Scheduler) -> int | None:
        """The rebuild a migration asked for (``PENDING_REBUILD``), if any: rows changed, or None.

        The log is untouched; the request is cleared in the rebuild's own transaction.
        """
        if self.get_meta(PENDING_REBUILD) is None:
            return None
        return self.rebuild(scheduler, done=PENDING_REBUILD)

    def rebuild(self, scheduler: Scheduler, *, done: str | None = None) -> int:
        """Replace the state table by a replay of the log; returns how many rows changed.

        The replay runs inside the write transaction: an answer another instance commits
        meanwhile can neither be missed nor overwritten. ``done`` is a ``meta`` key removed in
        the same transaction.
        """
        with self.transaction() as db:
            if done is not None:
                db.execute("DELETE FROM meta WHERE key = ?", (done,))
            replayed = self.replay_all(scheduler)
            stored = self.memories()
            changed = sum(
                1 for k in set(replayed) | set(stored) if replayed.get(k) != stored.get(k)
            )
            db.execute("DELETE FROM item_state")
            db.executemany(
                "INSERT INTO item_state VALUES (?,?,?,?,?,?,?,?,?)",
                ((item, *_state_row(m)) for item, m in replayed.items()),
            )
        return changed

    def items_with_progress(self) -> set[str]:
        """Every item key that has a state, a flag or a review."""
        rows: Iterable[tuple[str]] = self.db.execute(
            "SELECT item FROM item_state UNION SELECT item FROM item_flag UNION SELECT item FROM "
            "review"
        )
        return {r[0] for r in rows}

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

    def day_activity(self, start: datetime) -> tuple[set[str], int]:
        """Since ``start``: the items first studied then (new today) and the count of other reviews.

        Read from the day's rows only (the log's index on time), then, for the items met there,
        whether they had a counted review before: a log of a million rows costs nothing more.
        """
        today = [
            item
            for (item,) in self.db.execute(
                f"SELECT item FROM review INDEXED BY review_at WHERE at >= ? AND {COUNTED_REVIEW}",
                (to_ms(start),),
            )
        ]
        items = sorted(set(today))
        earlier: set[str] = set()
        for chunk, marks in in_batches(items):
            earlier.update(
                item
                for (item,) in self.db.execute(
                    "SELECT DISTINCT item FROM review INDEXED BY review_item WHERE item IN "
                    f"({marks}) "
                    f"AND at < ? AND {COUNTED_REVIEW}",
                    (*chunk, to_ms(start)),
                )
            )
        new_items = set(items) - earlier
        return new_items, sum(1 for item in today if item not in new_items)

    def studied_since(self, start: datetime) -> set[str]:
        """Items with a scheduled review since ``start`` (for keeping siblings apart).

        Undone ones do not count.
        """
        rows = self.db.execute(
            f"SELECT item FROM review INDEXED BY review_at WHERE at >= ? AND {COUNTED_REVIEW}",
            (to_ms(start),),
        )
        return {row[0] for row in rows}

    # --- safety: opening checks, answers under concurrency, backups, pruning ----

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
            from study.core.progress.backup import backups_folder, list_backups

            if list_backups(backups_folder(path)):
                raise StoreError(self._recovery("is empty although backups of it exist"))

    def _recovery(self, problem: str) -> str:
        from study.core.progress.backup import recovery_message

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

    def record_answer(
        self,
        item: str,
        at: datetime,
        rating: Rating,
        duration_ms: int,
        answer: str | None,
        scheduler: Scheduler,
        leech_lapses: int,
        mode: str = "review",
    ) -> tuple[int, Memory, bool]:
        """Read the item's state, schedule the answer and log it, all in one write transaction.

        Reading inside the transaction means that two instances answering the same item
        each build on the other's answer, so the state always equals a replay of the log.
        Returns the review id, the new state, and whether the item just became a leech.
        """
        with self.transaction() as db:
            before = self.memory(item) or Memory()
            after = scheduler.review(before, rating, at)
            leech = after.lapses > before.lapses and after.lapses >= leech_lapses
            rid = _append(db, item, at, rating, duration_ms, mode, answer, after, leech)
            if logged_after(db, item, to_ms(at)):
                # a clock gone back, or an answer synced from a machine whose clock is ahead:
                # the state is the replay of the log in time order, this answer in its place
                replayed = self._replay_item(item, scheduler)
                if replayed is None:  # a later forget resets it
                    db.execute("DELETE FROM item_state WHERE item = ?", (item,))
                else:
                    after = replayed
                    db.execute(
                        "INSERT OR REPLACE INTO item_state VALUES (?,?,?,?,?,?,?,?,?)",
                        (item, *_state_row(after)),
                    )
            return rid, after, leech

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

    @staticmethod
    def check_file(path: Path, *, full: bool = False) -> list[str]:
        """What makes a database file unusable, read without changing it (empty: it is usable)."""
        try:
            db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=10.0)
            try:
                rows = [
                    " ".join(str(r[0]).split())
                    for r in db.execute(f"PRAGMA {'integrity_check' if full else 'quick_check'}(3)")
                ]
                version = int(db.execute("PRAGMA user_version").fetchone()[0])
                tables = {
                    r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                }
            finally:
                db.close()
        except (OSError, sqlite3.Error) as exc:
            return [str(exc)]
        if rows != ["ok"]:
            return rows
        if version > SCHEMA_VERSION:
            return [f"written by a newer version of study (schema {version})"]
        if version < 1 or "review" not in tables:
            return ["not a study progress database"]
        return []

    def prune(self, items: Iterable[str]) -> int:
        """Delete every trace of the given items (log, state, flags) in one transaction."""
        keys = sorted(set(items))
        with self.transaction() as db:
            for key in keys:
                for table in ("review", "item_state", "item_flag"):
                    db.execute(f"DELETE FROM {table} WHERE item = ?", (key,))
        return len(keys)

    # --- authoring: carrying progress over an edit, importing history -----------

    _COUNTED = (
        "SELECT item FROM item_state UNION SELECT item FROM item_flag UNION "
        "SELECT item FROM review WHERE mode != 'undo' "
        "AND id NOT IN (SELECT undoes FROM review WHERE undoes IS NOT NULL)"
    )

    def counted_items(self) -> set[str]:
        """Items whose progress counts: a state, a flag, or a review that was not cancelled."""
        return {row[0] for row in self.db.execute(self._COUNTED)}

    def card_texts(self) -> dict[str, tuple[str, str]]:
        """The remembered cards without an id: card key -> (type, normalised content)."""
        return {
            r[0]: (r[1], r[2]) for r in self.db.execute("SELECT card, type, content FROM card_text")
        }

    def remember_card_texts(self, rows: Iterable[tuple[str, str, str]], at: datetime) -> None:
        """Remember (card key, type, content) of cards without an id.

        Known keys are left as they are.
        """
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO card_text VALUES (?, ?, ?, ?)",
                ((key, kind, content, to_ms(at)) for key, kind, content in rows),
            )

    def carry_over(self, moves: Iterable[tuple[str, str]], similarity: float, at: datetime) -> int:
        """Move the progress of items ``old -> new`` without rewriting the log; returns reviews
        moved.

        Each counted review of ``old`` is copied to ``new`` (same time, rating, due) and the
        original is cancelled by an undo row, so a replay of the log gives ``new`` the state
        ``old`` had. The state and flags follow; ``item_alias`` records the move.
        """
        moved = 0
        with self.transaction() as db:
            for old, new in moves:
                rows = db.execute(
                    "SELECT id, at, rating, duration_ms, mode, answer, due FROM review WHERE item "
                    "= ? "
                    "AND mode != 'undo' AND id NOT IN (SELECT undoes FROM review WHERE undoes IS "
                    "NOT NULL) "
                    "ORDER BY id",
                    (old,),
                ).fetchall()
                for rid, when, rating, duration, mode, answer, due in rows:
                    db.execute(
                        "INSERT INTO review (item, at, rating, duration_ms, mode, answer, due) "
                        "VALUES (?,?,?,?,?,?,?)",
                        (new, when, rating, duration, mode, answer, due),
                    )
                    db.execute(
                        "INSERT INTO review (item, at, rating, mode, undoes) VALUES (?, ?, 0, "
                        "'undo', ?)",
                        (old, to_ms(at), rid),
                    )
                moved += len(rows)
                for table, columns in (
                    (
                        "item_state",
                        "phase, step, stability, difficulty, due, last_review, reps, lapses",
                    ),
                    ("item_flag", "flagged, suspended, leech, buried_until"),
                ):
                    db.execute(
                        f"INSERT OR REPLACE INTO {table} (item, {columns}) "
                        f"SELECT ?, {columns} FROM {table} WHERE item = ?",
                        (new, old),
                    )
                    db.execute(f"DELETE FROM {table} WHERE item = ?", (old,))
                db.execute(
                    "INSERT INTO item_alias VALUES (?, ?, ?, ?)", (old, new, to_ms(at), similarity)
                )
        return moved

    def aliases(self) -> list[tuple[str, str, datetime, float]]:
        """Every carry-over made, oldest first: (old item, new item, when, similarity)."""
        rows = self.db.execute("SELECT old, new, at, similarity FROM item_alias ORDER BY rowid")
        return [(r[0], r[1], from_ms(r[2]), r[3]) for r in rows]  # type: ignore[misc]

    def import_reviews(self, rows: Iterable[tuple[str, datetime, Rating, int, Memory]]) -> int:
        """Append reviews made elsewhere (mode 'import'), each with the state it gave, in
        one write."""
        count = 0
        with self.transaction() as db:
            for item, at, rating, duration_ms, after in rows:
                db.execute(
                    "INSERT INTO review (item, at, rating, duration_ms, mode, due) VALUES "
                    "(?,?,?,?,?,?)",
                    (
                        item,
                        to_ms(at),
                        int(rating),
                        duration_ms,
                        "import",
                        to_ms(after.due) if after.due else None,
                    ),
                )
                db.execute(
                    "INSERT OR REPLACE INTO item_state VALUES (?,?,?,?,?,?,?,?,?)",
                    (item, *_state_row(after)),
                )
                count += 1
        return count
