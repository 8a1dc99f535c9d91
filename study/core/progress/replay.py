"""Card states as the replay of the review log in time order: one rule for every replay.

The store rebuilds states with it (``study doctor``, an undo), and so does a sync after
answers from other machines arrive. The order is the time each answer was given
(``at``), then the row id, never the row id alone: answers that came from another
machine are appended to this database later than they were given, so id order would
replay them out of turn (and ``study doctor`` would disagree with the merged states).
Undo rows and the answers they cancel are left out, a ``forget`` row starts its item
afresh, practice answers (no due date) do not count. An answer keeps the clock's
reading: when the clock went back it is replayed in its place by that time
(``logged_after`` tells the store to replay rather than build on the stored state); a
forget is logged after the answers it resets (``after_latest``).

Imports only the scheduler (the store imports this module).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from study.core.scheduling.scheduler import Memory, Rating, Scheduler

FORGET = "forget"
"""The mode of a log row that resets its item to new."""

_COUNTED = (
    "SELECT item, at, rating, mode, due FROM review "
    "WHERE mode != 'undo' AND (due IS NOT NULL OR mode = 'forget') "
    "AND id NOT IN (SELECT undoes FROM review WHERE undoes IS NOT NULL)"
)
ORDER = " ORDER BY at, id"
"""The replay's order: time, then row id (answers given in the same millisecond)."""

_BATCH = 500

_Row = tuple[str, int, int, str, int | None]


def after_latest(db: sqlite3.Connection, item: str, at_ms: int) -> int:
    """The time to log a ``forget`` of ``item`` at: ``at_ms``, or one millisecond after the
    item's latest counted row when that is later (the clock went back, or an answer came
    from a machine whose clock is ahead): a forget resets what this machine had seen."""
    row = db.execute(
        "SELECT MAX(at) FROM review WHERE item = ? AND (due IS NOT NULL OR mode = 'forget')",
        (item,),
    ).fetchone()
    latest = row[0] if row else None
    return at_ms if latest is None or at_ms > latest else int(latest) + 1


def logged_after(db: sqlite3.Connection, item: str, at_ms: int) -> bool:
    """Whether the log holds a counted row of ``item`` later than ``at_ms`` (the clock went
    back, or an answer came from a machine whose clock is ahead): a row written at
    ``at_ms`` is then replayed before it, and the item's state is to be replayed, not
    computed from the stored one."""
    row = db.execute(
        "SELECT 1 FROM review WHERE item = ? AND at > ? AND (due IS NOT NULL OR mode = 'forget') "
        "AND id NOT IN (SELECT undoes FROM review WHERE undoes IS NOT NULL) LIMIT 1",
        (item, at_ms),
    ).fetchone()
    return row is not None


def _moment(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def replay_rows(rows: Iterable[_Row], scheduler: Scheduler) -> dict[str, Memory]:
    """The states given by ``(item, at_ms, rating, mode, due_ms)`` rows in time order."""
    states: dict[str, Memory] = {}
    for item, at, rating, mode, due in rows:
        if mode == FORGET:
            states.pop(item, None)
            continue
        before = states.get(item, Memory())
        states[item] = scheduler.replay(
            before, Rating(rating), _moment(at), None if due is None else _moment(due)
        )
    return states


def replay_log(
    db: sqlite3.Connection, scheduler: Scheduler, items: Sequence[str] | None = None
) -> dict[str, Memory]:
    """The states of ``items`` (every item: ``None``) replayed from the log; an item
    without a state (never answered, or forgotten since) is absent."""
    if items is None:
        return replay_rows(db.execute(_COUNTED + ORDER), scheduler)
    states: dict[str, Memory] = {}
    for start in range(0, len(items), _BATCH):
        chunk = items[start : start + _BATCH]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(_COUNTED + f" AND item IN ({marks})" + ORDER, chunk)
        states.update(replay_rows(rows, scheduler))
    return states
