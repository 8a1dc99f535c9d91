"""Statistics: pure functions over item states and the review log."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from study.core.scheduling import NEW, Phase

if TYPE_CHECKING:
    from study.core.service import Service

MATURE_DAYS = 21
"""An item is mature when its stability reaches this many days (Anki uses the interval)."""


def state_counts(service: Service) -> dict[str, int]:
    """Items by state: new, learning, young, mature, suspended, leech."""
    memories, flags = service.store.memories(), service.store.flags()
    counts = Counter({"new": 0, "learning": 0, "young": 0, "mature": 0, "suspended": 0, "leech": 0})
    for key in service.items:
        flag = flags.get(key)
        if flag and flag.leech:
            counts["leech"] += 1
        if flag and flag.suspended:
            counts["suspended"] += 1
            continue
        memory = memories.get(key, NEW)
        if memory.phase is Phase.NEW:
            counts["new"] += 1
        elif memory.phase is not Phase.REVIEW:
            counts["learning"] += 1
        elif (memory.stability or 0) >= MATURE_DAYS:
            counts["mature"] += 1
        else:
            counts["young"] += 1
    return dict(counts)


def reviews_by_day(service: Service) -> dict[str, int]:
    """Answers per study day (scheduled and practice), oldest first."""
    starts = service.config.day_starts_at
    days = Counter(service.clock.study_day(r.at, starts).isoformat() for r in service.store.reviews())
    return dict(sorted(days.items()))


def basic_stats(service: Service) -> dict[str, object]:
    """The figures ``study stats`` prints."""
    return {"states": state_counts(service), "reviews_by_day": reviews_by_day(service)}
