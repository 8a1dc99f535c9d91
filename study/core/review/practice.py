"""Practice ("cram") sessions: every item of a scope shuffled, or the hard ones hardest first.

Answers in practice are logged (mode ``practice``) but never change a due date (``session``).
``rank_hardest`` is also the statistics' list of the hardest cards.

May import: ``decks``' model, ``progress``, ``scheduling``, ``review.session`` and the basics.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import datetime

from study.core.clock import Clock
from study.core.config import Config
from study.core.decks.model import Item
from study.core.progress.store import Flags, Store
from study.core.review.session import Mode, StudySession, is_available
from study.core.scheduling.scheduler import NEW, Memory, Scheduler


def practice(
    items: Iterable[Item],
    store: Store,
    scheduler: Scheduler,
    config: Config,
    clock: Clock,
    *,
    hardest_first: bool = False,
    limit: int | None = None,
    seed: int | None = None,
) -> StudySession:
    """A practice session over the available items (not suspended, not buried), shuffled (by
    ``seed``; the time now when None), at most ``limit``.

    With ``hardest_first``, only the hard items, hardest first (``rank_hardest``: studied ones
    with a low predicted recall, lapses or Again answers; never unseen ones).
    """
    now = clock.now()
    memories = store.memories()
    flags = store.flags()
    available = [i for i in items if is_available(i.key, flags, now)]
    seed = int(now.timestamp()) if seed is None else seed
    ordered = practice_order(available, memories, scheduler, now, hardest_first=False, seed=seed)
    if hardest_first:
        recall = recalls(ordered, memories, scheduler, now)
        target = config.desired_retention
        ordered = rank_hardest(ordered, memories, flags, recall, store.again_counts(), target)
    session = StudySession(store, scheduler, config, clock, memories, Mode.PRACTICE)
    session.load([], ordered[:limit] if limit else ordered)
    return session


def practice_these(
    items: Sequence[Item], store: Store, scheduler: Scheduler, config: Config, clock: Clock
) -> StudySession:
    """A practice session over these items, in this order (the hardest cards of the statistics)."""
    session = StudySession(store, scheduler, config, clock, store.memories(), Mode.PRACTICE)
    session.load([], items)
    return session


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
