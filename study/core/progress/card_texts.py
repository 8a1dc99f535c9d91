"""What carry-over keeps in the database: the text each card had, and the aliases left when
progress moved from one card to another.

Writes ``card_text`` and ``item_alias``; moving progress appends ``review`` rows (copies and
the undo rows that cancel the originals) and moves the item's ``item_state`` and ``item_flag``
rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from study.core.progress.log import Log
from study.core.progress.rows import from_ms, to_ms


class CardTexts(Log):
    """The card texts and aliases of carry-over, over the log."""

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
