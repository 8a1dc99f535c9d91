"""Review history and schedules into an exported Anki package (``study export --with-history``).

genanki writes notes and new cards only. This module changes the collection it wrote
(``collection.anki2``, Anki's legacy schema 11 SQLite file, before it is zipped: the
``finish`` step of ``apkg_export.write_apkg``) with plain SQL:

- ``col.conf`` says scheduler version 2 (genanki writes none, which means version 1:
  Anki would then take a learning answer's ease 3 for Easy and turn it into a 4);
- ``col.crt``, the collection's creation time, becomes the start of today's study day
  (``day_starts_at`` o'clock, the user's time zone), so day numbers count from today:
  Anki shifts them by the days between that and its own collection's creation on import.
- each studied card gets its schedule: ``type``/``queue`` (1 learning, 2 review, 3
  relearning; -1 when suspended), ``due`` (a review card's study day number, a learning
  card's due time in epoch seconds), ``ivl`` (days from its last review to its due day),
  ``reps``, ``lapses``, and in ``data`` the FSRS memory state as Anki keeps it:
  ``{"s": stability, "d": difficulty, "dr": desired retention, "decay": w20, "lrt": last
  review in epoch seconds}``;
- ``revlog`` gets one row per answer that counted for scheduling (practice answers and
  undone ones are left out; a "forget" is a Manual row): ``id`` the answer's time in ms
  (kept unique), ``ease`` the rating 1-4, ``ivl`` the interval it gave (days; negative
  seconds while learning), ``lastIvl`` the one before, ``factor`` the difficulty after it
  as Anki's FSRS logs it (``100 + (D - 1) / 9 * 1000``), ``time`` the answer's duration in
  ms, ``type`` 0 learn, 1 review, 2 relearn, 4 manual.

Anki imports these with "Import any learning progress" (its default for packages), and
then shows the due dates ``study`` shows. A card whose note Anki already has keeps Anki's
own schedule: Anki never overwrites a card's scheduling on import.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from study.core.authoring.interchange.guid import note_guid
from study.core.clock import Clock
from study.core.decks.model import Deck, expand
from study.core.progress.store import FORGET, Review
from study.core.scheduling.scheduler import Memory, Phase, Rating, Scheduler

MAX_TIME_MS = (1 << 31) - 1
"""``revlog.time`` is a 32-bit integer in Anki."""

_REVLOG_TYPE = {Phase.NEW: 0, Phase.LEARNING: 0, Phase.REVIEW: 1, Phase.RELEARNING: 2}
_MANUAL = 4


@dataclass(slots=True)
class Carried:
    """What went into the package: answers, cards with a schedule."""

    reviews: int = 0
    cards: int = 0
    missing: list[str] = field(default_factory=list)
    """Items whose card the package does not hold (none, unless genanki changes)."""


@dataclass(frozen=True, slots=True)
class ItemHistory:
    """One study item's answers that count and its current state."""

    reviews: tuple[Review, ...]
    state: Memory | None
    suspended: bool = False


def collect(
    deck: Deck,
    reviews_of: Mapping[str, Iterable[Review]],
    states: Mapping[str, Memory],
    suspended: Iterable[str] = (),
) -> dict[str, ItemHistory]:
    """Each of the deck's items with progress: its answers (as ``Store.reviews_of`` gives
    them), its stored state, and whether it is suspended."""
    off = set(suspended)
    out: dict[str, ItemHistory] = {}
    for card in deck.cards:
        for item in expand(card):
            answers = tuple(reviews_of.get(item.key, ()))
            state = states.get(item.key)
            if answers or state is not None:
                out[item.key] = ItemHistory(answers, state, item.key in off)
    return out


class HistoryWriter:
    """The ``finish`` step of ``write_apkg`` that adds the history (see the module text)."""

    def __init__(
        self,
        deck: Deck,
        history: Mapping[str, ItemHistory],
        scheduler: Scheduler,
        clock: Clock,
        day_starts_at: int,
        now: datetime,
    ) -> None:
        self.deck, self.history, self.scheduler = deck, history, scheduler
        self.clock, self.starts_at, self.now = clock, day_starts_at, now
        self.carried = Carried()
        self.taken: set[int] = set()
        """Revlog ids written (shared by the writers of one package of several decks)."""

    def _day(self, moment: datetime) -> int:
        """The study day number of a moment, counted from today's (0)."""
        return (self.scheduler.study_day(moment) - self.scheduler.study_day(self.now)).days

    def __call__(self, db: sqlite3.Connection) -> None:
        start, _ = self.clock.day_bounds(self.now, self.starts_at)
        (conf,) = db.execute("SELECT conf FROM col").fetchone()
        settings = json.loads(conf)
        settings["schedVer"] = 2  # four buttons in learning too: Anki upgrades v1 logs' eases
        db.execute(
            "UPDATE col SET crt = ?, conf = ?", (int(start.timestamp()), json.dumps(settings))
        )
        cards = self._card_ids(db)
        taken = self.taken
        for key, item in self.history.items():
            cid = cards.get(key)
            if cid is None:
                self.carried.missing.append(key)
                continue
            rows = self._revlog(cid, item.reviews, taken)
            db.executemany("INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)", rows)
            self.carried.reviews += sum(1 for r in rows if r[7] != _MANUAL)
            if item.state is not None and not item.state.is_new:
                self._schedule(db, cid, item.state, item.suspended)
                self.carried.cards += 1

    def _card_ids(self, db: sqlite3.Connection) -> dict[str, int]:
        """The package's card id of each of the deck's items."""
        by_note: dict[tuple[str, int], int] = {
            (str(guid), int(ordinal)): int(cid)
            for cid, guid, ordinal in db.execute(
                "SELECT c.id, n.guid, c.ord FROM cards c JOIN notes n ON n.id = c.nid"
            )
        }
        out: dict[str, int] = {}
        for card in self.deck.cards:
            guid = note_guid(card.key, card.guid)
            for item in expand(card):
                ordinal = 1 if item.variant == "r" else max(0, item.cloze_number - 1)
                cid = by_note.get((guid, ordinal))
                if cid is not None:
                    out[item.key] = cid
        return out

    def _interval(self, after: Memory, at: datetime) -> int:
        """Anki's ``ivl`` of an answer: days to the due day, or negative seconds while
        learning."""
        if after.due is None:
            return 0
        if after.phase is Phase.REVIEW:
            return max(1, (self.scheduler.study_day(after.due) - self.scheduler.study_day(at)).days)
        return -max(1, int((after.due - at).total_seconds()))

    def _revlog(
        self, cid: int, reviews: Iterable[Review], taken: set[int]
    ) -> list[tuple[int, int, int, int, int, int, int, int]]:
        rows = []
        memory = Memory()
        last_ivl = 0
        for review in reviews:
            rid = int(review.at.timestamp() * 1000)
            while rid in taken:
                rid += 1
            taken.add(rid)
            if review.mode == FORGET:
                rows.append((rid, cid, 0, 0, last_ivl, 0, 0, _MANUAL))
                memory, last_ivl = Memory(), 0
                continue
            kind = _REVLOG_TYPE[memory.phase]
            after = self.scheduler.replay(memory, Rating(review.rating), review.at, review.due)
            ivl = self._interval(after, review.at)
            difficulty = after.difficulty or 0.0
            factor = round((difficulty - 1) / 9 * 1000) + 100 if difficulty else 0
            duration = min(max(0, review.duration_ms), MAX_TIME_MS)
            rows.append((rid, cid, review.rating, ivl, last_ivl, factor, duration, kind))
            memory, last_ivl = after, ivl
        return rows

    def _schedule(self, db: sqlite3.Connection, cid: int, state: Memory, suspended: bool) -> None:
        due_at = state.due or self.now
        if state.phase is Phase.REVIEW:
            queue, due = 2, self._day(due_at)
        else:  # learning and relearning: due at a time of day
            queue, due = 1, int(due_at.timestamp())
        last = state.last_review or due_at
        ivl = max(0, (self.scheduler.study_day(due_at) - self.scheduler.study_day(last)).days)
        data: dict[str, object] = {}
        if state.stability is not None and state.difficulty is not None:
            data = {
                "s": state.stability,
                "d": state.difficulty,
                "dr": self.scheduler.desired_retention,
                "decay": self.scheduler.decay,
                "lrt": int(last.timestamp()),
            }
        db.execute(
            "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = 2500, reps = ?, "
            "lapses = ?, left = ?, data = ? WHERE id = ?",
            (
                int(state.phase),
                -1 if suspended else queue,
                due,
                ivl if state.phase is Phase.REVIEW else 0,
                state.reps,
                state.lapses,
                0 if state.phase is Phase.REVIEW else 1,
                json.dumps(data, separators=(",", ":")) if data else "",
                cid,
            ),
        )
