"""The review log: answers recorded (with the state they give, in one transaction), undone,
forgotten, imported and read back.

Writes ``review`` (the source of truth) and, in the same transaction, what an answer, undo
or forget changes in ``item_state`` and ``item_flag`` (the leech mark); ``prune`` deletes an
item's rows of all three.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from study.core.batches import in_batches
from study.core.progress.replay import after_latest, logged_after
from study.core.progress.rows import FORGET, Review, _append, _review, _state_row, to_ms
from study.core.progress.schema import COUNTED_REVIEW
from study.core.progress.states import States
from study.core.scheduling.scheduler import Memory, Rating, Scheduler


class Log(States):
    """The review log of the progress database, over its states."""

    _COUNTED = (
        "SELECT item FROM item_state UNION SELECT item FROM item_flag UNION "
        "SELECT item FROM review WHERE mode != 'undo' "
        "AND id NOT IN (SELECT undoes FROM review WHERE undoes IS NOT NULL)"
    )

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

    def reviews_of(self, item: str) -> list[Review]:
        """One item's scheduled reviews that count (not undone, not practice), and forget rows."""
        return [r for r in self.history(item) if r.due is not None or r.mode == FORGET]

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

    def prune(self, items: Iterable[str]) -> int:
        """Delete every trace of the given items (log, state, flags) in one transaction."""
        keys = sorted(set(items))
        with self.transaction() as db:
            for key in keys:
                for table in ("review", "item_state", "item_flag"):
                    db.execute(f"DELETE FROM {table} WHERE item = ?", (key,))
        return len(keys)

    def counted_items(self) -> set[str]:
        """Items whose progress counts: a state, a flag, or a review that was not cancelled."""
        return {row[0] for row in self.db.execute(self._COUNTED)}

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
