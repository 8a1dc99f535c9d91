"""The values the progress database holds, and their conversions: times in milliseconds,
reviews, flags, item states; the errors the store raises.

Imports only the scheduler's values. ``_append`` (used by ``log``) writes an answer's
``review``, ``item_state`` and leech ``item_flag`` rows inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from study.core.scheduling.scheduler import Memory, Phase, Rating


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
