"""The items' figures now: state counts, due forecast, predicted recall, the hardest, mastery.

Pure functions over the items, their memories and flags; see ``compute`` for the definitions
(mature, mastery).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from study.core.decks.model import Item
from study.core.progress.store import Flags, to_ms
from study.core.scheduling.scheduler import NEW, Memory, Phase, Scheduler
from study.core.stats.figures import (
    Day,
    Hard,
    Mastery,
    StateCounts,
)
from study.core.stats.history import StudyDays

MATURE_DAYS = 21
"""An item is mature when its stability reaches this many days."""


FORECAST_DAYS = 30
"""Days in the forecast of due items, today included."""


HARDEST_LIMIT = 10
"""How many of the hardest items are listed."""


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


def recalls(
    items: Iterable[Item], memories: dict[str, Memory], scheduler: Scheduler, now: datetime
) -> dict[str, float]:
    """Predicted recall now of every item that has been studied."""
    return {
        item.key: scheduler.retrievability(memories[item.key], now)
        for item in items
        if item.key in memories and not memories[item.key].is_new
    }


def rank_hardest(
    items: Iterable[Item],
    memories: dict[str, Memory],
    flags: dict[str, Flags],
    recall: dict[str, float],
    agains: dict[str, int],
    target: float,
) -> list[Item]:
    """The hard items, hardest first: studied and unsuspended, and either predicted below the
    ``target`` recall now, or lapsed, or answered Again at least once (a card never seen, or
    always recalled and still above the target, is not hard). Lowest predicted recall first,
    then the most lapses, the most Again answers and the highest FSRS difficulty.

    Items answered less than a day ago all have a recall of 1 (FSRS counts whole days).
    """
    candidates = [
        item
        for item in items
        if item.key in recall
        and not (flags.get(item.key) and flags[item.key].suspended)
        and (recall[item.key] < target or memories[item.key].lapses or agains.get(item.key, 0))
    ]
    candidates.sort(
        key=lambda i: (
            round(recall[i.key], 6),
            -memories[i.key].lapses,
            -agains.get(i.key, 0),
            -(memories[i.key].difficulty or 0.0),
            i.key,
        )
    )
    return candidates


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
