"""How many items are in each state today: new, learning, due, suspended, mastered.

``Tally`` adds them up one item at a time (``Service.counts`` over loaded decks); the start
from the catalog counts raw rows the same way (``quickstart.catalog_summaries``), and the
catalog tests hold the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from study.core.decks.model import Deck
from study.core.progress.store import Flags
from study.core.review.queue import available
from study.core.scheduling.scheduler import Memory, Phase, Scheduler


@dataclass(frozen=True, slots=True)
class Counts:
    """How many items of a deck (or of everything) are in each state today."""

    total: int = 0
    new: int = 0
    learning: int = 0
    due: int = 0
    suspended: int = 0
    """Suspended items (until unsuspended), leeches among them."""
    mastered: int = 0
    buried: int = 0
    """Items buried until a later day (not suspended: they come back by themselves)."""

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=False)))

    def astuple(self) -> tuple[int, ...]:
        """The counts in field order."""
        return (
            self.total,
            self.new,
            self.learning,
            self.due,
            self.suspended,
            self.mastered,
            self.buried,
        )

    @property
    def mastery(self) -> float:
        """Share of items in long-term review whose predicted recall is at least the desired
        retention."""
        return self.mastered / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class DeckSummary:
    """A deck and its counts, for the home screen and ``study decks``."""

    deck: Deck
    counts: Counts
    cards: int
    """How many cards the deck has (``deck.cards`` is empty before the decks are loaded)."""


class Tally:
    """Counts being added up, one item at a time (``Service.counts`` says what each means)."""

    def __init__(
        self, scheduler: Scheduler, now: datetime, day_end: datetime, target: float
    ) -> None:
        self.scheduler, self.now, self.day_end, self.target = scheduler, now, day_end, target
        self.total = self.new = self.learning = self.due = self.suspended = self.mastered = 0
        self.buried = 0

    def add(self, memory: Memory, flag: Flags | None) -> None:
        self.total += 1
        if flag is not None and flag.suspended:
            self.suspended += 1
        elif not available(flag, self.now):
            self.buried += 1
        elif memory.phase is Phase.NEW:
            self.new += 1
        elif memory.phase is not Phase.REVIEW:
            self.learning += 1
        else:
            if memory.due is not None and memory.due < self.day_end:
                self.due += 1
            if self.scheduler.retrievability(memory, self.now) >= self.target:
                self.mastered += 1

    def counts(self) -> Counts:
        """The counts so far."""
        return Counts(
            self.total,
            self.new,
            self.learning,
            self.due,
            self.suspended,
            self.mastered,
            self.buried,
        )
