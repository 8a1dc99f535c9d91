"""Counts and today's queue from the decks' catalog, before the decks are loaded.

``Service.summaries`` and ``Service.start_review`` use these while the app starts
from a current catalog (``Service.open_catalog``); the results are the same as
after a full load (``tests/core/test_catalog.py`` compares them on simulated
months of study).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from study.core.catalog import Catalog
from study.core.scheduling import Phase
from study.core.service import Counts, DeckSummary
from study.core.session import Mode, StudySession, choose, is_available
from study.core.store import DAY_MS, exact_ms

if TYPE_CHECKING:
    from study.core.service import Service


def catalog_summaries(service: Service, catalog: Catalog) -> list[DeckSummary]:
    """The same counts, from the items someone studied (or flagged) only: the rest are new.

    The rows are counted as they come, in milliseconds, without making a Memory or a
    datetime each (the same comparisons as ``counts``, exactly: a test checks it); a
    collection whose 100,000 items have all been studied is counted in a fraction of a second.
    """
    now = service.clock.now()
    _, day_end = service.clock.day_bounds(now, service.config.day_starts_at)
    now_ms, end_ms = exact_ms(now), exact_ms(day_end)
    target, recall = service.config.desired_retention, service.scheduler.recall_after
    tallies = {head.deck.id: [0, 0, 0, 0, 0, 0] for head in catalog.decks}
    for deck, phase, stability, due, last, suspended, buried in catalog.studied():
        tally = tallies[deck]  # type: ignore[index]
        tally[0] += 1
        if suspended or (buried is not None and buried > now_ms):  # type: ignore[operator]
            tally[4] += 1
        elif not phase:
            tally[1] += 1
        elif phase != Phase.REVIEW:
            tally[2] += 1
        else:
            if due is not None and due < end_ms:  # type: ignore[operator]
                tally[3] += 1
            if stability is not None and last is not None and \
                    recall(stability, max(0, (now_ms - last) // DAY_MS)) >= target:  # type: ignore[arg-type, operator]
                tally[5] += 1
    summaries = []
    for head in catalog.decks:
        total, new, learning, due_today, suspended_, mastered = tallies[head.deck.id]
        unseen = head.items - total
        summaries.append(DeckSummary(head.deck, Counts(head.items, new + unseen, learning, due_today,
                                                       suspended_, mastered), head.cards))
    return summaries


def catalog_review(service: Service, catalog: Catalog, deck_ids: Sequence[str]) -> StudySession:
    """``start_review`` before the decks are loaded: the same queue, from the catalog.

    Only the candidates are looked at: items due today (from the progress database),
    and new items in deck order until the day's limit is reached.
    """
    store, now = service.store, service.clock.now()
    day_start, day_end = service.clock.day_bounds(now, service.config.day_starts_at)
    due, flags = store.due_memories(day_end), store.flags()
    new_items, reviews_done = store.day_activity(day_start)
    candidates = [ref for ref in catalog.refs(due, deck_ids) if is_available(ref.key, flags, now)]
    learning = [ref for ref in candidates if due[ref.key].phase is not Phase.REVIEW]
    reviews = [ref for ref in candidates if due[ref.key].phase is Phase.REVIEW]
    new = (ref for ref in catalog.new_refs(deck_ids) if is_available(ref.key, flags, now))
    learning, others = choose(learning, reviews, new, due, now, service.config, new_done=len(new_items),
                              reviews_done=reviews_done, studied_today=store.studied_since(day_start),
                              priority=service.queue_priority(due, now))  # type: ignore[arg-type]
    items = catalog.items(ref.key for ref in [*learning, *others])
    memories = {**store.memories_of(ref.key for ref in others if ref.key not in due), **due}
    session = StudySession(store, service.scheduler, service.config, service.clock, memories, Mode.REVIEW, day_end)
    session.load([items[r.key] for r in learning if r.key in items], [items[r.key] for r in others if r.key in items])
    return session
