"""Statistics: pure functions over the items, their states and flags, and the review log.

``compute`` takes everything as values (with an injected ``now``) and returns one
frozen ``Stats``; ``stats.collect`` reads those values from the store. The review log
is read once, as plain rows, and summed in one pass, so a year of daily study
(100,000 answers) takes a fraction of a second (``benchmarks/stats_bench.py``).

Definitions:

- A *study day* starts at ``day_starts_at`` o'clock, local time (as the queue's).
- Activity (heatmap, streaks, time spent) counts every answer that was not
  undone: scheduled reviews, practice and exam answers alike.
- *Mature*: an item in the review phase whose FSRS stability is at least 21 days
  (stability is the interval at 90% recall, so it matches Anki's "interval >= 21
  days" at the default desired retention without depending on fuzz).
- *True retention*: the share of scheduled answers to review-phase items that
  passed (Hard, Good or Easy). An answer is to a review-phase item when the
  item's previous scheduled answer set it due at least a day later; its
  *interval* is that scheduled wait (previous due minus previous answer).
- *Mastery*: the share of items in the review phase whose predicted recall now
  is at least the desired retention, out of all the items (as ``study decks``
  counts it: new, learning and suspended items are not mastered).
- The exam results of a deck or tag are the exams made from it; the exam-day
  forecast is ``study.core.exams.plan.forecast`` for the items in scope.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from study.core.clock import Clock
from study.core.decks.model import Item
from study.core.exams.plan import Forecast
from study.core.progress.store import Flags, from_ms, to_ms
from study.core.review.practice import rank_hardest, recalls
from study.core.scheduling.scheduler import NEW, Memory, Phase, Scheduler
from study.core.stats.figures import (
    EVERYTHING,
    Activity,
    Day,
    ExamScore,
    Hard,
    LogRow,
    Mastery,
    Rate,
    Scope,
    StateCounts,
    Stats,
    TimeSpent,
    TrueRetention,
)

MATURE_DAYS = 21
"""An item is mature when its stability reaches this many days."""
HEATMAP_DAYS = 365
"""Days shown in the activity calendar, today included."""
FORECAST_DAYS = 30
"""Days in the forecast of due items, today included."""
TIME_DAYS = 30
"""Days shown in the chart of time spent, today included."""
HARDEST_LIMIT = 10
"""How many of the hardest items are listed."""
DAY_MS = 86_400_000
INTERVAL_RANGES: tuple[tuple[str, int], ...] = (
    ("<1w", 1),
    ("1w-1mo", 7),
    ("1-3mo", 30),
    (">3mo", 90),
)
"""Interval ranges for true retention: a label and the first day it covers."""


# --- the review log, in one pass ---------------------------------------------


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


# --- the items ---------------------------------------------------------------


def state_counts(
    items: Iterable[Item], memories: dict[str, Memory], flags: dict[str, Flags]
) -> StateCounts:
    """Items by state: new, learning (and relearning), young, mature, suspended; leeches."""
    counts = dict.fromkeys(("new", "learning", "young", "mature", "suspended", "leech"), 0)
    for item in items:
        flag = flags.get(item.key)
        if flag and flag.suspended:
            counts["suspended"] += 1
            counts["leech"] += flag.leech
            continue
        memory = memories.get(item.key, NEW)
        if memory.phase is Phase.NEW:
            counts["new"] += 1
        elif memory.phase is not Phase.REVIEW:
            counts["learning"] += 1
        elif (memory.stability or 0) >= MATURE_DAYS:
            counts["mature"] += 1
        else:
            counts["young"] += 1
    return StateCounts(**counts)


def forecast(
    items: Iterable[Item],
    memories: dict[str, Memory],
    flags: dict[str, Flags],
    days: StudyDays,
    today: date,
    count: int = FORECAST_DAYS,
) -> tuple[tuple[Day, ...], int]:
    """Items due on each of the next days (overdue ones fall on today), and how many are overdue."""
    starts = days.starts(today, count + 1)
    due = [0] * count
    overdue = 0
    for item in items:
        memory, flag = memories.get(item.key), flags.get(item.key)
        if memory is None or memory.due is None or (flag and flag.suspended):
            continue
        when = memory.due
        if flag and flag.buried_until and flag.buried_until > when:
            when = flag.buried_until
        ms = to_ms(when)
        if ms < starts[0]:
            overdue += 1
        if ms < starts[-1]:
            due[max(0, bisect.bisect_right(starts, ms) - 1)] += 1
    return tuple(Day(today + timedelta(days=i), n) for i, n in enumerate(due)), overdue


def hardest(
    items: Iterable[Item],
    memories: dict[str, Memory],
    flags: dict[str, Flags],
    recall: dict[str, float],
    agains: dict[str, int],
    target: float,
    limit: int = HARDEST_LIMIT,
) -> tuple[Hard, ...]:
    """The ``limit`` hardest items (``rank_hardest``) with their figures."""
    ranked = rank_hardest(items, memories, flags, recall, agains, target)
    return tuple(
        Hard(
            i.key,
            i.prompt,
            recall[i.key],
            memories[i.key].lapses,
            memories[i.key].reps,
            agains.get(i.key, 0),
        )
        for i in ranked[:limit]
    )


def mastery(
    groups: dict[str, list[Item]],
    memories: dict[str, Memory],
    flags: dict[str, Flags],
    recall: dict[str, float],
    target: float,
) -> tuple[Mastery, ...]:
    """Mastery of each group of items, in the groups' order."""

    def mastered(item: Item) -> bool:
        flag, memory = flags.get(item.key), memories.get(item.key, NEW)
        return (
            not (flag and flag.suspended)
            and memory.phase is Phase.REVIEW
            and recall.get(item.key, 0.0) >= target
        )

    return tuple(
        Mastery(name, sum(map(mastered, group)), len(group)) for name, group in groups.items()
    )


# --- everything --------------------------------------------------------------


def compute(
    items: Sequence[Item],
    memories: dict[str, Memory],
    flags: dict[str, Flags],
    log: Iterable[LogRow],
    *,
    scheduler: Scheduler,
    clock: Clock,
    day_starts_at: int,
    now: datetime,
    scope: Scope = EVERYTHING,
    exams: Sequence[ExamScore] = (),
    exam_forecast: Forecast | None = None,
    deck_order: Sequence[str] = (),
) -> Stats:
    """Every figure for the items in ``scope`` (the whole log when the scope is everything)."""
    chosen = [item for item in items if scope.contains(item)]
    study_days = StudyDays(clock, day_starts_at)
    today = clock.study_day(now, day_starts_at)
    summed = digest(log, study_days, None if scope.is_all else {item.key for item in chosen})
    target = scheduler.desired_retention
    recall = recalls(chosen, memories, scheduler, now)
    by_deck: dict[str, list[Item]] = {deck: [] for deck in deck_order}
    by_tag: dict[str, list[Item]] = {}
    for item in chosen:
        by_deck.setdefault(item.card.deck_id, []).append(item)
        for tag in item.card.tags:
            by_tag.setdefault(tag, []).append(item)
    by_deck = {deck: group for deck, group in by_deck.items() if group}
    by_tag = dict(sorted(by_tag.items(), key=lambda pair: (-len(pair[1]), pair[0])))
    days, overdue = forecast(chosen, memories, flags, study_days, today)
    return Stats(
        scope,
        now,
        today,
        target,
        activity(summed.answers, today),
        days,
        overdue,
        state_counts(chosen, memories, flags),
        retention(summed.tallies, target),
        time_spent(summed.spent, summed.answers, today),
        hardest(chosen, memories, flags, recall, summed.agains, target),
        mastery(by_deck, memories, flags, recall, target),
        mastery(by_tag, memories, flags, recall, target),
        tuple(exams),
        exam_forecast,
    )
