"""Salvage: the rows of a damaged progress database that can still be read, in a new file.

As SQLite's ``.recover`` does, but through SQL only: each table is read in rowid order;
where a damaged page stops the read, the next readable rowid is found (a jump that
doubles until a read works, then a binary search back) and the read goes on from there.
Rows that come back malformed are left out. The rows go into a new database with the
current schema, whose card states are then rebuilt from the salvaged log; the damaged
file is only read, never changed. ``study doctor`` does this when a database is damaged,
writing ``backups/salvaged-YYYYMMDDTHHMMSSZ.sqlite3``, which ``study restore FILE`` puts
in place.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from study.core.progress.store import Store, StoreError
from study.core.scheduling.scheduler import Scheduler

TABLES = ("review", "item_flag", "meta", "exam", "exam_answer", "card_text", "item_alias")
"""What is salvaged (``item_state`` is rebuilt from the review log instead)."""

SECONDS = 120.0
"""The most a salvage spends reading (a damaged file of a million reviews takes seconds)."""

_LOWEST, _HIGHEST = -(2**63), 2**63 - 1


@dataclass(frozen=True, slots=True)
class Salvage:
    """What was read from a damaged database and where it was written."""

    path: Path | None
    """The new database (None when nothing could be read or it could not be written)."""
    rows: dict[str, int] = field(default_factory=dict)
    """Rows salvaged, by table."""
    gaps: int = 0
    """Places where damaged pages had to be skipped."""
    error: str | None = None
    """Why no file was written."""

    @property
    def reviews(self) -> int:
        """Rows of the review log salvaged."""
        return self.rows.get("review", 0)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form for ``doctor --json``."""
        return {
            "path": str(self.path) if self.path else None,
            "rows": dict(self.rows),
            "gaps": self.gaps,
            "error": self.error,
        }


class _Reader:
    """Reads one table of the damaged file around its damaged pages."""

    def __init__(self, source: sqlite3.Connection, table: str, columns: list[str]) -> None:
        self.source = source
        self.table = table
        self.select = f"SELECT rowid, {', '.join(columns)} FROM {table} WHERE rowid > ?"
        self.deadline = time.monotonic() + SECONDS

    def rows(self) -> tuple[list[tuple[object, ...]], int]:
        """The readable rows (rowid first) and how many gaps were skipped."""
        try:
            self.source.execute(self.select + " LIMIT 0", (_LOWEST,)).fetchall()
        except sqlite3.DatabaseError:
            return [], 1  # the table itself cannot be found (its schema page is damaged)
        found: list[tuple[object, ...]] = []
        last, gaps = _LOWEST, 0
        while time.monotonic() < self.deadline:
            try:
                for row in self.source.execute(self.select + " ORDER BY rowid", (last,)):
                    found.append(tuple(row))
                    last = int(row[0])
                return found, gaps
            except sqlite3.DatabaseError:
                gaps += 1
                resume = self._past_damage(last)
                if resume is None:
                    break
                last = resume
        return found, gaps

    def _readable(self, after: int) -> bool:
        try:
            self.source.execute(
                f"SELECT rowid FROM {self.table} WHERE rowid > ? ORDER BY rowid LIMIT 1", (after,)
            ).fetchall()
        except sqlite3.DatabaseError:
            return False
        return True

    def _past_damage(self, last: int) -> int | None:
        """The lowest ``s > last`` from which the table reads again (None: nowhere)."""
        step = 1
        while not self._readable(min(last + step, _HIGHEST)):
            if last + step >= _HIGHEST or time.monotonic() > self.deadline:
                return None
            step *= 2
        low, high = last + step // 2 if step > 1 else last, min(last + step, _HIGHEST)
        while high - low > 1:
            middle = (low + high) // 2
            if self._readable(middle):
                high = middle
            else:
                low = middle
        return high


def _plausible(table: str, row: tuple[object, ...]) -> bool:
    """A review row read from a damaged page has the types of one (garbage often has not)."""
    if table != "review":
        return True
    item, at, rating = row[2:5]  # after the rowid and the id
    return isinstance(item, str) and isinstance(at, int) and rating in (0, 1, 2, 3, 4)


def _free_path(folder: Path, at: datetime) -> Path:
    stem = f"salvaged-{at.astimezone(UTC):%Y%m%dT%H%M%S}Z"
    path, sequence = folder / f"{stem}.sqlite3", 1
    while path.exists():
        sequence += 1
        path = folder / f"{stem}-{sequence}.sqlite3"
    return path


def salvage(damaged: Path, folder: Path, at: datetime, scheduler: Scheduler) -> Salvage:
    """Copy what can be read of ``damaged`` into a new database in ``folder``."""
    try:
        source = sqlite3.connect(f"{damaged.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, OSError) as exc:
        return Salvage(None, error=f"the damaged file cannot be read ({exc})")
    try:
        return _salvage_into(source, folder, at, scheduler)
    finally:
        source.close()


def _salvage_into(
    source: sqlite3.Connection, folder: Path, at: datetime, scheduler: Scheduler
) -> Salvage:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = _free_path(folder, at)
        partial = folder / f".{target.name}.partial"
        partial.unlink(missing_ok=True)
        store = Store(partial)
    except (OSError, StoreError) as exc:
        return Salvage(None, error=f"cannot write in {folder} ({exc})")
    rows: dict[str, int] = {}
    gaps = 0
    try:
        for table in TABLES:
            columns = [str(r[1]) for r in store.db.execute(f"PRAGMA table_info({table})")]
            found, skipped = _Reader(source, table, columns).rows()
            gaps += skipped
            insert = (
                f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})"
            )
            count = 0
            with store.transaction() as db:
                for row in found:
                    if not _plausible(table, row):
                        continue
                    try:
                        count += db.execute(insert, row[1:]).rowcount
                    except sqlite3.Error:
                        continue  # a malformed row (a NULL where none may be, say)
            rows[table] = count
        store.rebuild(scheduler)
        store.db.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    except (StoreError, sqlite3.Error) as exc:
        store.close()
        partial.unlink(missing_ok=True)
        return Salvage(None, rows, gaps, f"cannot write the salvaged file ({exc})")
    store.close()
    if not any(rows.values()):
        partial.unlink(missing_ok=True)
        return Salvage(None, rows, gaps, "nothing could be read from the damaged file")
    os.replace(partial, target)
    return Salvage(target, rows, gaps)
