"""A thin wrapper over the ``fsrs`` package: the only module that imports it (when first needed:
the app draws its first card before any scheduling is asked for).

``Memory`` is what the tool keeps per study item. Fuzz changes only the due
date, never stability or difficulty, so the review log stores the due date each
review gave and ``replay`` rebuilds the exact state without re-rolling the fuzz.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from functools import cached_property
from typing import TYPE_CHECKING

from study.core.config import Config

if TYPE_CHECKING:
    import fsrs


class Rating(IntEnum):
    """The four answers, as on Anki's buttons."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class Phase(IntEnum):
    """Where an item is in its life."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


@dataclass(frozen=True, slots=True)
class Memory:
    """The scheduling state of one item."""

    phase: Phase = Phase.NEW
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    @property
    def is_new(self) -> bool:
        """Never answered."""
        return self.phase is Phase.NEW


NEW = Memory()


def _to_fsrs(memory: Memory, now: datetime) -> fsrs.Card:
    import fsrs

    if memory.phase is Phase.NEW:
        return fsrs.Card(card_id=1, state=fsrs.State.Learning, step=0, due=now)
    return fsrs.Card(
        card_id=1,
        state=fsrs.State(int(memory.phase)),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due or now,
        last_review=memory.last_review,
    )


def _from_fsrs(card: fsrs.Card, before: Memory, rating: Rating) -> Memory:
    lapsed = rating is Rating.AGAIN and before.phase is Phase.REVIEW
    return Memory(
        phase=Phase(int(card.state)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        reps=before.reps + 1,
        lapses=before.lapses + int(lapsed),
    )


def _not_before_last(memory: Memory, now: datetime) -> datetime:
    """If the clock went back, treat the answer as given at the item's last review (never
    before)."""
    return (
        memory.last_review if memory.last_review is not None and now < memory.last_review else now
    )


class Scheduler:
    """FSRS with the user's settings; times are UTC-aware datetimes."""

    def __init__(self, config: Config, *, fuzz: bool | None = None) -> None:
        kwargs: dict[str, object] = {}
        if config.parameters:
            kwargs["parameters"] = config.parameters
        self._common = dict(
            desired_retention=config.desired_retention,
            learning_steps=config.learning,
            relearning_steps=config.relearning,
            maximum_interval=config.maximum_interval,
            **kwargs,
        )
        self._fuzz = config.fuzz if fuzz is None else fuzz
        self.desired_retention = config.desired_retention
        if config.parameters:  # fitted parameters are checked now (ValueError if fsrs refuses them)
            _ = self._exact

    @cached_property
    def _live(self) -> fsrs.Scheduler:
        import fsrs

        return fsrs.Scheduler(**self._common, enable_fuzzing=self._fuzz)  # type: ignore[arg-type]

    @cached_property
    def _exact(self) -> fsrs.Scheduler:
        import fsrs

        return fsrs.Scheduler(**self._common, enable_fuzzing=False)  # type: ignore[arg-type]

    @cached_property
    def _curve(self) -> tuple[float, float]:
        """fsrs's forgetting curve (decay, factor), computed as it does
        (``get_card_retrievability``)
        but without building a card per call: counting mastery on 100,000 items took 0.9 s that
        way."""
        decay = -float(self._exact.parameters[20])
        return decay, 0.9 ** (1 / decay) - 1

    def review(self, memory: Memory, rating: Rating, now: datetime) -> Memory:
        """The state after answering ``rating`` at ``now`` (with fuzz if enabled)."""
        now = _not_before_last(memory, now)
        import fsrs

        card, _ = self._live.review_card(_to_fsrs(memory, now), fsrs.Rating(int(rating)), now)
        return _from_fsrs(card, memory, rating)

    def replay(
        self, memory: Memory, rating: Rating, when: datetime, due: datetime | None
    ) -> Memory:
        """The state a logged review gave: computed without fuzz, due date as logged."""
        import fsrs

        when = _not_before_last(memory, when)
        card, _ = self._exact.review_card(_to_fsrs(memory, when), fsrs.Rating(int(rating)), when)
        after = _from_fsrs(card, memory, rating)
        if due is not None:
            after = Memory(
                after.phase,
                after.step,
                after.stability,
                after.difficulty,
                due,
                after.last_review,
                after.reps,
                after.lapses,
            )
        return after

    def preview(self, memory: Memory, now: datetime) -> dict[Rating, timedelta]:
        """How long until the item returns for each rating (without fuzz), as on Anki's buttons."""
        import fsrs

        card = _to_fsrs(memory, now)
        out: dict[Rating, timedelta] = {}
        for rating in Rating:
            after, _ = self._exact.review_card(card, fsrs.Rating(int(rating)), now)
            out[rating] = after.due - now
        return out

    def retrievability(self, memory: Memory, at: datetime) -> float:
        """Predicted probability of recall at ``at`` (0 for an item never seen)."""
        if memory.phase is Phase.NEW or memory.stability is None or memory.last_review is None:
            return 0.0
        return self.recall_after(memory.stability, max(0, (at - memory.last_review).days))

    def recall_after(self, stability: float, days: int) -> float:
        """The forgetting curve: predicted recall ``days`` whole days after a review."""
        decay, factor = self._curve
        return float((1 + factor * days / stability) ** decay)


def format_interval(delta: timedelta) -> str:
    """A short label for an interval: ``<1m``, ``10m``, ``3h``, ``4d``, ``2.5mo``, ``1.2y``."""
    seconds = delta.total_seconds()
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")
