"""Today's queue: the review session of a scope, built one way from the loaded decks or their
catalog.

``review`` asks the decks (``decks.collection``) for their candidates, the items due today read
as raw rows and the new items in deck order (read only as long as the queue takes them), keeps
the available ones (not suspended, not buried), and ``choose`` makes the day's queue within the
daily limits; states are made only for the items the session will show. From the catalog, with
100,000 studied items, 10,000 may be due for a session of 200: the catalog tests hold the queue
equal to the one after a full load.

May import: ``decks``, ``progress``, ``scheduling``, ``review.session`` and the basics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TypeVar

from study.core.clock import Clock
from study.core.config import Config
from study.core.decks.collection import Decks, Keyed
from study.core.decks.model import Item
from study.core.progress.store import DAY_MS, Store, exact_ms
from study.core.review.session import Mode, StudySession, is_available
from study.core.scheduling.scheduler import Memory, Phase, Scheduler

Q = TypeVar("Q", bound=Keyed)


def review(
    decks: Decks,
    store: Store,
    scheduler: Scheduler,
    config: Config,
    clock: Clock,
    scope: tuple[Sequence[str], Sequence[str]] = ((), ()),
    exam_moment: Callable[[datetime], datetime | None] | None = None,
) -> StudySession:
    """A scheduled study session over today's due, learning and new items of ``scope`` (deck ids,
    tags; every deck: both empty); while an exam is ahead (``exam_moment`` gives when it is
    taken, from now), reviews with the lowest predicted recall on the exam day come first."""
    now = clock.now()
    exam_at = exam_moment(now) if exam_moment is not None else None
    day_start, day_end = clock.day_bounds(now, config.day_starts_at)
    flags = store.flags()
    new_items, reviews_done = store.day_activity(day_start)
    due_rows, new_rows = decks.candidates(store, exact_ms(day_end), *scope)
    rows = [row for row in due_rows if is_available(row[0].key, flags, now)]
    due_ms = {entry.key: due for entry, _, due, _, _ in rows}
    learning = [entry for entry, phase, _, _, _ in rows if phase != Phase.REVIEW]
    reviews = [entry for entry, phase, _, _, _ in rows if phase == Phase.REVIEW]
    new = (entry for entry in new_rows if is_available(entry.key, flags, now))
    priority = None
    if exam_at is not None:  # the predicted recall on the exam day, as Scheduler.retrievability
        at_ms, recall = exact_ms(exam_at), scheduler.recall_after
        curve = {entry.key: (stability, last) for entry, _, _, stability, last in rows}

        def priority(entry: Keyed) -> float:
            stability, last = curve[entry.key]
            return (
                0.0
                if stability is None or last is None
                else recall(stability, max(0, (at_ms - last) // DAY_MS))
            )

    learning, others = choose(
        learning,
        reviews,
        new,
        config,
        new_done=len(new_items),
        reviews_done=reviews_done,
        studied_today=store.studied_since(day_start),
        priority=priority,
        due=lambda entry: due_ms[entry.key],
    )
    chosen = [entry.key for entry in [*learning, *others]]
    items, memories = decks.find(chosen), store.memories_of(chosen)
    session = StudySession(store, scheduler, config, clock, memories, Mode.REVIEW, day_end)
    session.load(
        [items[e.key] for e in learning if e.key in items],
        [items[e.key] for e in others if e.key in items],
    )
    return session


def choose(
    learning: list[Q],
    reviews: list[Q],
    new: Iterable[Q],
    config: Config,
    *,
    new_done: int,
    reviews_done: int,
    studied_today: set[str],
    due: Callable[[Q], int],
    priority: Callable[[Q], float] | None = None,
) -> tuple[list[Q], list[Q]]:
    """The day's queue from its candidates (each list in deck order): learning items by ``due``,
    then due reviews (by ``due``, or by ``priority``) with new items (in deck order) mixed in,
    within the daily limits and at most one item per note.

    ``new`` may be a lazy iterable: it is read only until the new-item limit is reached. New
    items are never reordered by ``priority``: an item never seen has a predicted recall of 0.
    """
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


def due_items(
    items: Iterable[Item], store: Store, config: Config, clock: Clock
) -> list[tuple[Item, Memory]]:
    """These items that are due by the end of today, earliest first (``study due``)."""
    now = clock.now()
    _, day_end = clock.day_bounds(now, config.day_starts_at)
    memories, flags = store.memories(), store.flags()
    due: list[tuple[Item, Memory, datetime]] = []
    for item in items:
        memory = memories.get(item.key)
        if memory is None or memory.due is None or not is_available(item.key, flags, now):
            continue
        if memory.due < day_end:
            due.append((item, memory, memory.due))
    due.sort(key=lambda entry: entry[2])
    return [(item, memory) for item, memory, _ in due]
