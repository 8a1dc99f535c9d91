"""The review log, summed in one pass: study days, activity, true retention, time spent.

Pure functions over plain log rows (``LogRow``) and an injected clock; see ``compute`` for the
definitions (a study day, activity, true retention).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from study.core.clock import Clock
from study.core.progress.store import from_ms, to_ms
from study.core.stats.figures import (
    Activity,
    Day,
    LogRow,
    Rate,
    TimeSpent,
    TrueRetention,
)

HEATMAP_DAYS = 365
"""Days shown in the activity calendar, today included."""


TIME_DAYS = 30
"""Days shown in the chart of time spent, today included."""


DAY_MS = 86_400_000


INTERVAL_RANGES: tuple[tuple[str, int], ...] = (
    ("<1w", 1),
    ("1w-1mo", 7),
    ("1-3mo", 30),
    (">3mo", 90),
)
"""Interval ranges for true retention: a label and the first day it covers."""


class StudyDays:
    """Maps UTC milliseconds to study days; one clock lookup per day on a log in time order."""

    def __init__(self, clock: Clock, starts_at: int) -> None:
        self._clock, self._starts = clock, starts_at

    def bounds(self, ms: int) -> tuple[date, int, int]:
        """The study day of a moment, and that day's start and end in UTC ms."""
        day = self._clock.study_day(from_ms(ms), self._starts)  # type: ignore[arg-type]
        return (
            day,
            to_ms(self._clock.day_start(day, self._starts)),
            to_ms(self._clock.day_start(day + timedelta(days=1), self._starts)),
        )

    def __call__(self, ms: int) -> date:
        return self.bounds(ms)[0]

    def starts(self, first: date, count: int) -> list[int]:
        """When each of ``count`` study days from ``first`` on begins, in UTC ms."""
        return [
            to_ms(self._clock.day_start(first + timedelta(days=i), self._starts))
            for i in range(count)
        ]


@dataclass(slots=True)
class LogDigest:
    """What one pass over the log keeps: answers and time per day, retention tallies."""

    answers: dict[date, int] = field(default_factory=dict)
    spent: dict[date, int] = field(default_factory=dict)
    tallies: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    """(deck id, interval range index) -> [passed, total]."""
    agains: dict[str, int] = field(default_factory=dict)
    """Again answers per item (in any mode)."""


_RANGE_STARTS = tuple(first * DAY_MS for _, first in INTERVAL_RANGES)


def interval_range(interval_ms: int) -> int:
    """The index in ``INTERVAL_RANGES`` of a scheduled interval (at least a day)."""
    index = 0
    for number, start in enumerate(_RANGE_STARTS):
        if interval_ms >= start:
            index = number
    return index


def digest(rows: Iterable[LogRow], days: StudyDays, keep: set[str] | None = None) -> LogDigest:
    """Sum the log in one pass (only the items in ``keep``, when given)."""
    out = LogDigest()
    answers, spent, tallies, agains = out.answers, out.spent, out.tallies, out.agains
    previous: dict[str, tuple[int, int]] = {}
    day, low, high = date.min, 0, 0
    for item, at, rating, duration_ms, due in rows:
        if keep is not None and item not in keep:
            continue
        if not low <= at < high:
            day, low, high = days.bounds(at)
        answers[day] = answers.get(day, 0) + 1
        spent[day] = spent.get(day, 0) + duration_ms
        if rating == 1:
            agains[item] = agains.get(item, 0) + 1
        if due is None:
            continue
        last = previous.get(item)
        previous[item] = (at, due)
        if last is None:
            continue
        interval = last[1] - last[0]
        if interval < DAY_MS:
            continue
        tally = tallies.setdefault((item.partition("/")[0], interval_range(interval)), [0, 0])
        tally[0] += rating >= 2
        tally[1] += 1
    return out


def _last_days(values: dict[date, int], today: date, count: int) -> tuple[Day, ...]:
    return tuple(
        Day(d, values.get(d, 0))
        for d in (today - timedelta(days=count - 1 - i) for i in range(count))
    )


def activity(answers: dict[date, int], today: date, days: int = HEATMAP_DAYS) -> Activity:
    """The calendar of answers per day and the streaks."""
    studied = sorted(d for d, n in answers.items() if n > 0)
    longest = run = 0
    for index, day in enumerate(studied):
        run = run + 1 if index and studied[index - 1] == day - timedelta(days=1) else 1
        longest = max(longest, run)
    current = 0
    day = today if answers.get(today) else today - timedelta(days=1)
    while answers.get(day):
        current += 1
        day -= timedelta(days=1)
    return Activity(
        _last_days(answers, today, days), sum(answers.values()), len(studied), current, longest
    )


def retention(tallies: dict[tuple[str, int], list[int]], target: float) -> TrueRetention:
    """True retention overall, by deck and by interval range."""
    decks: dict[str, list[int]] = {}
    ranges = [[0, 0] for _ in INTERVAL_RANGES]
    for (deck, index), (passed, total) in tallies.items():
        tally = decks.setdefault(deck, [0, 0])
        for target_tally in (tally, ranges[index]):
            target_tally[0] += passed
            target_tally[1] += total
    by_deck = tuple(Rate(deck, p, t) for deck, (p, t) in sorted(decks.items()))
    by_interval = tuple(
        Rate(label, p, t) for (label, _), (p, t) in zip(INTERVAL_RANGES, ranges, strict=False)
    )
    overall = Rate("all", sum(r.passed for r in by_deck), sum(r.total for r in by_deck))
    return TrueRetention(target, overall, by_deck, by_interval)


def time_spent(
    spent: dict[date, int], answers: dict[date, int], today: date, days: int = TIME_DAYS
) -> TimeSpent:
    """Time per day over the last days, and the averages over the whole history."""
    return TimeSpent(
        _last_days(spent, today, days),
        sum(spent.values()),
        sum(answers.values()),
        sum(1 for n in answers.values() if n),
    )
