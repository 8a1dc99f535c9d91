"""Item states and flags: the cache of the log (``item_state``) and the suspend, bury, flag
and leech marks (``item_flag``); replaying the log to rebuild the states.

Writes ``item_state`` (a rebuild) and ``item_flag``, and removes a ``meta`` mark (a pending
rebuild) in the rebuild's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from study.core.batches import in_batches
from study.core.progress.database import Database
from study.core.progress.replay import replay_log
from study.core.progress.rows import Flags, _memory, _state_row, from_ms, to_ms
from study.core.progress.schema import PENDING_REBUILD
from study.core.scheduling.scheduler import Memory, Scheduler


class States(Database):
    """The item states and flags of the progress database."""

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

    def _replay_item(self, item: str, scheduler: Scheduler) -> Memory | None:
        return replay_log(self.db, scheduler, [item]).get(item)

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
