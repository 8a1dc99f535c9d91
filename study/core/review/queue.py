"""Today's queue: the items due and available, chosen under the daily limits and the sibling rule.

``build_queue`` gives the learning items and the mixed reviews and new items a scheduled session
shows (``choose`` is the choice itself, shared with ``quickstart``); ``practice_order`` orders
the items of a practice session. The session that shows them is ``session``'s.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from study.core.config import Config
from study.core.decks.model import Item
from study.core.progress.store import Flags
from study.core.scheduling.scheduler import NEW, Memory, Phase, Scheduler


def is_available(key: str, flags: dict[str, Flags], now: datetime) -> bool:
    """Not suspended and not buried."""
    return available(flags.get(key), now)


def available(flag: Flags | None, now: datetime) -> bool:
    """Not suspended and not buried, by the item's flags (None: it has none)."""
    return flag is None or (
        not flag.suspended and (flag.buried_until is None or flag.buried_until <= now)
    )


class Queued(Protocol):
    """What a queue is built of: an Item, or a catalog Ref standing for one."""

    @property
    def key(self) -> str: ...

    @property
    def note_key(self) -> str: ...


Q = TypeVar("Q", bound=Queued)


def build_queue(
    items: Sequence[Item],
    memories: dict[str, Memory],
    flags: dict[str, Flags],
    now: datetime,
    day_end: datetime,
    config: Config,
    *,
    new_done: int,
    reviews_done: int,
    studied_today: set[str],
    priority: Callable[[Item], float] | None = None,
) -> tuple[list[Item], list[Item]]:
    """Today's items: (learning, others). Others are due reviews with new items mixed in."""
    learning: list[Item] = []
    reviews: list[Item] = []
    new: list[Item] = []
    for item in items:
        if not is_available(item.key, flags, now):
            continue
        memory = memories.get(item.key)
        if memory is None or memory.is_new:
            new.append(item)
        elif memory.phase in (Phase.LEARNING, Phase.RELEARNING):
            if memory.due is not None and memory.due < day_end:
                learning.append(item)
        elif memory.due is not None and memory.due < day_end:
            reviews.append(item)
    return choose(
        learning,
        reviews,
        new,
        memories,
        now,
        config,
        new_done=new_done,
        reviews_done=reviews_done,
        studied_today=studied_today,
        priority=priority,
    )


def choose(
    learning: list[Q],
    reviews: list[Q],
    new: Iterable[Q],
    memories: dict[str, Memory],
    now: datetime,
    config: Config,
    *,
    new_done: int,
    reviews_done: int,
    studied_today: set[str],
    priority: Callable[[Q], float] | None = None,
    due: Callable[[Q], Any] | None = None,
) -> tuple[list[Q], list[Q]]:
    """The day's queue from its candidates (each list in deck order): learning items by due time,
    then due reviews (by due time, or by ``priority``) with new items (in deck order) mixed in,
    within the daily limits and at most one item per note.

    ``new`` may be a lazy iterable: it is read only until the new-item limit is reached. New
    items are never reordered by ``priority``: an item never seen has a predicted recall of 0.
    ``due`` gives an item's due time (or anything ordered the same way); by default it is
    read from ``memories``.
    """
    due = due or (lambda i: memories[i.key].due or now)
    busy_notes = {key.split("#")[0] for key in studied_today}
    reviews.sort(key=priority or due)
    chosen_reviews = _apart(reviews, busy_notes, max(0, config.reviews_per_day - reviews_done))
    chosen_new = _apart(new, busy_notes, max(0, config.new_per_day - new_done))
    learning.sort(key=due)
    return learning, _mix(chosen_reviews, chosen_new)


def _apart(candidates: Iterable[Q], busy: set[str], limit: int) -> list[Q]:
    """Take up to ``limit`` items, at most one per note, none from a busy note."""
    chosen: list[Q] = []
    if limit <= 0:
        return chosen
    for item in candidates:
        if item.note_key in busy:
            continue
        busy.add(item.note_key)
        chosen.append(item)
        if len(chosen) >= limit:
            break
    return chosen


def _mix(reviews: list[Q], new: list[Q]) -> list[Q]:
    """New items spread evenly among the reviews."""
    if not reviews or not new:
        return reviews + new
    out: list[Q] = []
    step = (len(reviews) + len(new)) / len(new)
    slots = {int(i * step) for i in range(len(new))}
    r, n = iter(reviews), iter(new)
    for position in range(len(reviews) + len(new)):
        out.append(next(n) if position in slots else next(r))
    return out


def practice_order(
    items: Sequence[Item],
    memories: dict[str, Memory],
    scheduler: Scheduler,
    now: datetime,
    *,
    hardest_first: bool,
    seed: int | None = None,
) -> list[Item]:
    """Items for a practice session: shuffled, or lowest predicted recall first."""
    ordered = list(items)
    random.Random(seed).shuffle(ordered)
    if hardest_first:
        ordered.sort(key=lambda i: scheduler.retrievability(memories.get(i.key, NEW), now))
    return ordered
