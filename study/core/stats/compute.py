"""Statistics: pure functions over the items, their states and flags, and the review log.

``compute`` takes everything as values (with an injected ``now``) and returns one
frozen ``Stats``; ``collect`` reads those values from a service. The review log
is read once, as plain rows, and summed in one pass (``history``), so a year of daily
study (100,000 answers) takes a fraction of a second (``benchmarks/stats_bench.py``);
the items' figures are ``items``'.

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

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from study.core.clock import Clock
from study.core.decks.model import Item
from study.core.exams import plan
from study.core.exams.plan import Forecast
from study.core.exams.record import ExamRow, exam_history
from study.core.exams.spec import ExamSpec
from study.core.progress.store import Flags, Store
from study.core.scheduling.scheduler import Memory, Scheduler
from study.core.stats.figures import (
    EVERYTHING,
    ExamScore,
    LogRow,
    Scope,
    Stats,
)
from study.core.stats.history import StudyDays, activity, digest, retention, time_spent
from study.core.stats.items import forecast, hardest, mastery, recalls, state_counts

if TYPE_CHECKING:
    from study.core.service import Service


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


def read_log(store: Store) -> Iterable[LogRow]:
    """The answers that count (not undo rows, not undone), in order, as plain tuples."""
    return cast(Iterable[LogRow], store.log_rows())


def exam_in_scope(row: ExamRow, scope: Scope) -> bool:
    """Every exam counts for everything; for a deck or tag, the exams made from it."""
    if scope.is_all:
        return True
    try:
        spec = ExamSpec.from_dict(json.loads(row.spec))
    except (ValueError, TypeError, AttributeError):
        return False
    return scope.deck in spec.decks or scope.tag in spec.tags


def exam_forecast(service: Service, items: Sequence[Item], today: date) -> Forecast | None:
    """The exam-day forecast for these items, when an exam date from today on is set."""
    day = service.exam_date
    if day is None or not today <= day <= plan.latest_exam_date(today):
        return None
    store = service.store
    return plan.forecast(
        items,
        store.memories(),
        store.flags(),
        service.scheduler,
        service.config,
        service.clock,
        day,
        service.exam_target,
    )


def collect(service: Service, scope: Scope = EVERYTHING) -> Stats:
    """Every figure for a scope, read from the service's store at the service's clock."""
    store, now, starts = service.store, service.clock.now(), service.config.day_starts_at
    items = list(service.items.values())
    exams = [
        ExamScore(row.finished, row.title, row.questions, row.score)
        for row in exam_history(store)
        if exam_in_scope(row, scope)
    ]
    exams.sort(key=lambda e: e.finished)
    upcoming = exam_forecast(
        service, [i for i in items if scope.contains(i)], service.clock.study_day(now, starts)
    )
    return compute(
        items,
        store.memories(),
        store.flags(),
        read_log(store),
        scheduler=service.scheduler,
        clock=service.clock,
        day_starts_at=starts,
        now=now,
        scope=scope,
        exams=exams,
        exam_forecast=upcoming,
        deck_order=[deck.id for deck in service.decks],
    )
