"""Counts and today's queue from the decks' catalog, before the decks are loaded.

``Service.summaries`` and ``Service.start_review`` use these while the app starts
from a current catalog (``Service.open_catalog``); the results are the same as
after a full load (``tests/core/decks/test_catalog.py`` compares them on simulated
months of study).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from study.core.decks.catalog import Catalog, Ref
from study.core.progress.store import DAY_MS, exact_ms
from study.core.review.queue import choose, is_available
from study.core.review.session import Mode, StudySession
from study.core.scheduling.scheduler import Phase

if TYPE_CHECKING:
    from study.core.review.counts import DeckSummary
    from study.core.service import Service


def catalog_summaries(service: Service, catalog: Catalog) -> list[DeckSummary]:
    """The same counts, from the items someone studied (or flagged) only: the rest are new.

    The rows are counted as they come, in milliseconds, without making a Memory or a
    datetime each (the same comparisons as ``counts``, exactly: a test checks it); a
    collection whose 100,000 items have all been studied is counted in a fraction of a second.
    """
    from study.core.review.counts import Counts, DeckSummary  # not needed for a first card

    now = service.clock.now()
    _, day_end = service.clock.day_bounds(now, service.config.day_starts_at)
    now_ms, end_ms = exact_ms(now), exact_ms(day_end)
    target, recall = service.config.desired_retention, service.scheduler.recall_after
    tallies = {head.deck.id: [0, 0, 0, 0, 0, 0, 0] for head in catalog.decks}
    for deck, phase, stability, due, last, suspended, buried in catalog.studied():
        tally = tallies[deck]  # type: ignore[index]
        tally[0] += 1
        if suspended:
            tally[4] += 1
        elif buried is not None and buried > now_ms:  # type: ignore[operator]
            tally[6] += 1
        elif not phase:
            tally[1] += 1
        elif phase != Phase.REVIEW:
            tally[2] += 1
        else:
            if due is not None and due < end_ms:  # type: ignore[operator]
                tally[3] += 1
            if (
                stability is not None
                and last is not None
                and recall(stability, max(0, (now_ms - last) // DAY_MS)) >= target  # type: ignore[arg-type, operator]
            ):
                tally[5] += 1
    summaries = []
    for head in catalog.decks:
        total, new, learning, due_today, suspended_, mastered, buried_ = tallies[head.deck.id]
        unseen = head.items - total
        summaries.append(
            DeckSummary(
                head.deck,
                Counts(
                    head.items, new + unseen, learning, due_today, suspended_, mastered, buried_
                ),
                head.cards,
            )
        )
    return summaries


def catalog_review(service: Service, catalog: Catalog, deck_ids: Sequence[str]) -> StudySession:
    """``start_review`` before the decks are loaded: the same queue, from the catalog.

    Only the candidates are looked at: items due today (read as plain rows, in load order,
    with the catalog and the progress database joined), and new items in deck order until the
    day's limit is reached. States are made only for the items the session will show: with
    100,000 studied items, 10,000 may be due for a session of 200.
    """
    store, now = service.store, service.clock.now()
    day_start, day_end = service.clock.day_bounds(now, service.config.day_starts_at)
    flags = store.flags()
    new_items, reviews_done = store.day_activity(day_start)
    rows = [
        row
        for row in catalog.due_refs(exact_ms(day_end), deck_ids)
        if is_available(row[0].key, flags, now)
    ]
    due_ms = {ref.key: due for ref, _, due, _, _ in rows}
    learning = [ref for ref, phase, _, _, _ in rows if phase != Phase.REVIEW]
    reviews = [ref for ref, phase, _, _, _ in rows if phase == Phase.REVIEW]
    new = (ref for ref in catalog.new_refs(deck_ids) if is_available(ref.key, flags, now))
    priority = None
    exam_at = service.exam_moment(now)
    if (
        exam_at is not None
    ):  # the predicted recall on the exam day, as Scheduler.retrievability gives it
        at_ms, recall = exact_ms(exam_at), service.scheduler.recall_after
        curve = {ref.key: (stability, last) for ref, _, _, stability, last in rows}

        def priority(ref: Ref) -> float:
            stability, last = curve[ref.key]
            return (
                0.0
                if stability is None or last is None
                else recall(stability, max(0, (at_ms - last) // DAY_MS))
            )

    learning, others = choose(
        learning,
        reviews,
        new,
        {},
        now,
        service.config,
        new_done=len(new_items),
        reviews_done=reviews_done,
        studied_today=store.studied_since(day_start),
        priority=priority,
        due=lambda ref: due_ms[ref.key],
    )
    chosen = [ref.key for ref in [*learning, *others]]
    items, memories = catalog.items(chosen), store.memories_of(chosen)
    session = StudySession(
        store, service.scheduler, service.config, service.clock, memories, Mode.REVIEW, day_end
    )
    session.load(
        [items[r.key] for r in learning if r.key in items],
        [items[r.key] for r in others if r.key in items],
    )
    return session
