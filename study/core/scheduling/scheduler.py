"""A thin wrapper over the ``fsrs`` package: the only module that imports it (when first needed:
the app draws its first card before any scheduling is asked for).

``Memory`` is what the tool keeps per study item. Fuzz changes only the due
date, never stability or difficulty, so the review log stores the due date each
review gave and ``replay`` rebuilds the exact state without re-rolling the fuzz.

Elapsed time is counted in study days, as Anki's FSRS (the Rust ``fsrs`` crate) counts it:
the days between two reviews are the difference of their study-day numbers (a day starts
at ``day_starts_at`` o'clock in the user's time zone, the clock's), not whole 24-hour
periods. A card answered at 21:10 and again at 08:00 two calendar days later has had 2 days,
not 1; one answered at 23:00 and again at 01:00 has had 1 day, not 0 (the review is not a
same-day one); one answered at 05:00 and again at 03:00 the next morning has had 0 days, and
FSRS-6's same-day (short-term) stability formula applies, as in Anki.

How: py-fsrs takes elapsed days from datetimes, ``(review time - last review).days``, for both
the same-day test and the forgetting curve. The card handed to it therefore carries a last
review placed exactly that many study days (whole 24-hour periods) before the answer, so
py-fsrs computes with the study-day count; the answer's real time is kept for everything
else (learning steps in minutes, due date = answer time + interval). Reimplementing the
formulas here would duplicate py-fsrs's state machine for no gain: they already equal
fsrs-rs's, checked by ``tests/core/scheduling/test_fsrs_parity.py``. Stability is capped at
fsrs-rs's maximum (36,500 days), which py-fsrs does not apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import IntEnum
from functools import cached_property
from typing import TYPE_CHECKING

from study.core.clock import Clock
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

MAX_STABILITY = 36500.0
"""fsrs-rs's cap on stability, in days (py-fsrs has none)."""


def _to_fsrs(memory: Memory, now: datetime, elapsed_days: int) -> fsrs.Card:
    """The card as py-fsrs sees it: last reviewed ``elapsed_days`` whole days before ``now``."""
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
        last_review=None if memory.last_review is None else now - timedelta(days=elapsed_days),
    )


def _from_fsrs(card: fsrs.Card, before: Memory, rating: Rating) -> Memory:
    lapsed = rating is Rating.AGAIN and before.phase is Phase.REVIEW
    return Memory(
        phase=Phase(int(card.state)),
        step=card.step,
        stability=None if card.stability is None else min(card.stability, MAX_STABILITY),
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
    """FSRS with the user's settings; times are UTC-aware datetimes, days are study days in
    ``clock``'s time zone (the system's when none is given)."""

    def __init__(
        self, config: Config, *, fuzz: bool | None = None, clock: Clock | None = None
    ) -> None:
        self._clock = clock or Clock()
        self._starts_at = config.day_starts_at
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

    @property
    def decay(self) -> float:
        """FSRS's decay parameter (w20), as Anki keeps it with each card's memory state."""
        return -self._curve[0]

    def study_day(self, moment: datetime) -> date:
        """The study day a moment belongs to."""
        return self._clock.study_day(moment, self._starts_at)

    def elapsed_days(self, memory: Memory, now: datetime) -> int:
        """Study days from the item's last review to ``now`` (0 on the same study day), as
        Anki's FSRS counts them."""
        if memory.last_review is None or now <= memory.last_review:
            return 0
        return max(0, (self.study_day(now) - self.study_day(memory.last_review)).days)

    def _card(self, memory: Memory, now: datetime) -> fsrs.Card:
        return _to_fsrs(memory, now, self.elapsed_days(memory, now))

    def review(self, memory: Memory, rating: Rating, now: datetime) -> Memory:
        """The state after answering ``rating`` at ``now`` (with fuzz if enabled)."""
        now = _not_before_last(memory, now)
        import fsrs

        card, _ = self._live.review_card(self._card(memory, now), fsrs.Rating(int(rating)), now)
        return _from_fsrs(card, memory, rating)

    def replay(
        self, memory: Memory, rating: Rating, when: datetime, due: datetime | None
    ) -> Memory:
        """The state a logged review gave: computed without fuzz, due date as logged."""
        import fsrs

        when = _not_before_last(memory, when)
        card, _ = self._exact.review_card(self._card(memory, when), fsrs.Rating(int(rating)), when)
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

        card = self._card(memory, now)
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
