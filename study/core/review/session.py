"""The study session (``queue`` builds today's queue for it).

A session shows one item at a time. ``answer`` stores the answer (durably)
before it moves on; ``undo`` takes back the last thing done: an answer, or a flag, a
burial or a suspension set from the session. Scheduled sessions
follow FSRS, the daily limits and the sibling rule; practice ("cram") sessions
log their answers but never change a due date.
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from study.core.clock import Clock
from study.core.config import Config
from study.core.decks.model import Item
from study.core.progress.store import Flags, Store
from study.core.scheduling.scheduler import NEW, Memory, Phase, Rating, Scheduler

LEARN_AHEAD = timedelta(minutes=20)
"""When nothing else is left, learning items due this soon are shown early (as Anki does)."""


class Mode(StrEnum):
    """How answers count."""

    REVIEW = "review"
    PRACTICE = "practice"


def is_available(key: str, flags: dict[str, Flags], now: datetime) -> bool:
    """Not suspended and not buried."""
    return available(flags.get(key), now)


def available(flag: Flags | None, now: datetime) -> bool:
    """Not suspended and not buried, by the item's flags (None: it has none)."""
    return flag is None or (
        not flag.suspended and (flag.buried_until is None or flag.buried_until <= now)
    )


@dataclass(frozen=True, slots=True)
class Summary:
    """What a finished session did and what comes next."""

    answered: int
    correct: int
    seconds: float
    next_due: datetime | None
    """The earliest moment something is due after now (in this session's scope or not)."""
    due_next_day: int
    """Items due by the end of the next study day."""
    practice: bool

    @property
    def accuracy(self) -> float:
        """Share of answers that were not 'Again'."""
        return self.correct / self.answered if self.answered else 0.0


@dataclass(slots=True)
class _Answered:
    item: Item
    review_id: int
    rating: Rating
    requeued: bool


@dataclass(slots=True)
class _Marked:
    """A flag, burial or suspension set from the session, with the flags the item had before."""

    item: Item
    what: str
    before: Flags


@dataclass(frozen=True, slots=True)
class Undone:
    """What ``StudySession.undo_step`` took back."""

    what: str
    """``answer``, ``flag``, ``unflag``, ``bury`` or ``suspend``."""
    item: Item
    """The item concerned (the session's current item once undone)."""


@dataclass
class StudySession:
    """One sitting: a queue of items and what was answered."""

    store: Store
    scheduler: Scheduler
    config: Config
    clock: Clock
    memories: dict[str, Memory]
    mode: Mode = Mode.REVIEW
    day_end: datetime | None = None
    learning: list[tuple[datetime, int, Item]] = field(default_factory=list)
    queue: deque[Item] = field(default_factory=deque)
    history: list[_Answered | _Marked] = field(default_factory=list)
    started: datetime | None = None
    current: Item | None = None
    correct: int = 0
    answered: int = 0
    _seq: int = 0

    def load(self, learning: Sequence[Item], others: Sequence[Item]) -> None:
        """Fill the queue and show the first item."""
        for item in learning:
            self._requeue(item, self.memories[item.key].due or self.clock.now())
        self.queue.extend(others)
        self.started = self.clock.now()
        self.current = self._next()

    def _requeue(self, item: Item, due: datetime) -> None:
        self._seq += 1
        bisect.insort(self.learning, (due, self._seq, item), key=lambda t: (t[0], t[1]))

    def _next(self) -> Item | None:
        now = self.clock.now()
        if self.learning and self.learning[0][0] <= now:
            return self.learning.pop(0)[2]
        if self.queue:
            return self.queue.popleft()
        if self.learning and self.learning[0][0] <= now + LEARN_AHEAD:
            return self.learning.pop(0)[2]
        return None

    @property
    def left(self) -> int:
        """Items still to show in this session (including the current one)."""
        return len(self.queue) + len(self.learning) + (self.current is not None)

    @property
    def waiting_until(self) -> datetime | None:
        """When the next learning item comes back, if the session ran out early."""
        return self.learning[0][0] if self.learning else None

    def memory(self, item: Item) -> Memory:
        """The item's state now."""
        return self.memories.get(item.key, NEW)

    def answer(
        self, rating: Rating, *, duration_ms: int = 0, answer: str | None = None
    ) -> Item | None:
        """Save the answer to the current item (durably), then move to the next item."""
        item = self.current
        if item is None:
            raise ValueError("no item to answer")
        now = self.clock.now()
        requeued = False
        if self.mode is Mode.REVIEW:
            # read, schedule and write in one transaction: another instance may have answered it
            review_id, after, leech = self.store.record_answer(
                item.key, now, rating, duration_ms, answer, self.scheduler, self.config.leech_lapses
            )
            self.memories[item.key] = after
            if (
                not leech
                and after.phase is not Phase.REVIEW
                and self.day_end
                and after.due
                and after.due < self.day_end
            ):
                self._requeue(item, after.due)
                requeued = True
        else:
            review_id = self.store.record(
                item.key, now, rating, duration_ms, "practice", answer, None
            )
            if rating is Rating.AGAIN:
                self.queue.insert(min(len(self.queue), 3), item)
                requeued = True
        self.history.append(_Answered(item, review_id, rating, requeued))
        self.answered += 1
        self.correct += rating >= Rating.HARD
        self.current = self._next()
        return self.current

    def undo(self) -> Item | None:
        """Take back the last thing done in this session; returns the item then shown, or None
        when there was nothing to undo."""
        return self.current if self.undo_step() is not None else None

    def undo_step(self) -> Undone | None:
        """Take back the last answer, flag, burial or suspension of this session; the item it
        concerned is shown (again). None when there is nothing to undo."""
        if not self.history:
            return None
        last = self.history[-1]
        if isinstance(last, _Marked):
            self.store.put_flags(last.item.key, last.before)  # first: a WriteError changes nothing
            self.history.pop()
            if self.current is not last.item:
                if self.current is not None:
                    self.queue.appendleft(self.current)
                self.current = last.item
            return Undone(last.what, last.item)
        restored = self.store.undo(
            last.item.key,
            last.review_id,
            self.clock.now(),
            self.scheduler,
            self.config.leech_lapses,
        )  # first: when it cannot be written (WriteError), the session is as it was
        self.history.pop()
        if self.mode is Mode.REVIEW:
            if restored is None:
                self.memories.pop(last.item.key, None)
            else:
                self.memories[last.item.key] = restored
        if last.requeued:
            self._drop(last.item)
        if self.current is not None:
            self.queue.appendleft(self.current)
        self.answered -= 1
        self.correct -= last.rating >= Rating.HARD
        self.current = last.item
        return Undone("answer", last.item)

    def _drop(self, item: Item) -> None:
        for index, (_, _, waiting) in enumerate(self.learning):
            if waiting is item:
                del self.learning[index]
                return
        if item in self.queue:
            self.queue.remove(item)

    def skip(self) -> Item | None:
        """Leave the current item for another day (after burying or suspending it)."""
        if self.current is not None:
            self._drop(self.current)
        self.current = self._next()
        return self.current

    def preview(self) -> dict[Rating, timedelta]:
        """What each rating would give the current item (empty in practice mode)."""
        if self.current is None or self.mode is Mode.PRACTICE:
            return {}
        return self.scheduler.preview(self.memory(self.current), self.clock.now())

    def is_flagged(self, item: Item) -> bool:
        """Whether the user flagged this item."""
        return self.store.flag(item.key).flagged

    def toggle_flag(self) -> bool:
        """Flag or unflag the current item; returns the new state (undoable)."""
        if self.current is None:
            return False
        before = self.store.flag(self.current.key)
        self.store.set_flag(self.current.key, flagged=not before.flagged)  # a WriteError: no entry
        self.history.append(_Marked(self.current, "unflag" if before.flagged else "flag", before))
        return not before.flagged

    def _mark(self, what: str, **change: object) -> None:
        """Change the current item's flags, remembering them as they were (for undo).

        The history entry is added once the change is written: a write that fails
        (WriteError) leaves nothing to undo.
        """
        if self.current is not None:
            before = self.store.flag(self.current.key)
            self.store.set_flag(self.current.key, **change)  # type: ignore[arg-type]
            self.history.append(_Marked(self.current, what, before))

    def bury(self) -> Item | None:
        """Hide the current item until the next study day; move on (undoable)."""
        if self.current is not None:
            until = (
                self.day_end
                or self.clock.day_bounds(self.clock.now(), self.config.day_starts_at)[1]
            )
            self._mark("bury", buried_until=until)
        return self.skip()

    def suspend(self) -> Item | None:
        """Suspend the current item (until unsuspended); move on (undoable)."""
        if self.current is not None:
            self._mark("suspend", suspended=True)
        return self.skip()

    def replace_items(self, items: dict[str, Item]) -> None:
        """After the decks were reloaded: use the new version of each item, drop deleted ones."""

        def fresh(item: Item) -> Item | None:
            return items.get(item.key)

        self.queue = deque(i for i in map(fresh, self.queue) if i is not None)
        self.learning = [
            (d, n, new) for d, n, old in self.learning if (new := fresh(old)) is not None
        ]
        if self.current is not None:
            self.current = fresh(self.current) or self._next()

    def summary(self) -> Summary:
        """The figures shown when the session ends."""
        now = self.clock.now()
        _, today_end = self.clock.day_bounds(now, self.config.day_starts_at)
        next_end = today_end + timedelta(days=1)
        next_due, due_next_day = self.store.upcoming(now, next_end)
        return Summary(
            self.answered,
            self.correct,
            (now - self.started).total_seconds() if self.started else 0.0,
            next_due,
            due_next_day,
            self.mode is Mode.PRACTICE,
        )
