"""The statistics of a scope, read from the progress store: ``collect`` gives ``compute`` the
items, their states and flags, the review log (read once, as plain rows), the exams in scope and
the exam-day forecast (``exams.goal.upcoming``).

May import: ``stats.compute``, ``exams``, ``progress``, ``decks``' model, ``scheduling`` and the
basics.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import cast

from study.core.clock import Clock
from study.core.config import Config
from study.core.decks.model import Item
from study.core.exams import goal
from study.core.exams.record import ExamRow, exam_history
from study.core.exams.spec import ExamSpec
from study.core.progress.store import Store
from study.core.scheduling.scheduler import Scheduler
from study.core.stats.compute import compute
from study.core.stats.figures import EVERYTHING, ExamScore, LogRow, Scope, Stats


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


def collect(
    items: Sequence[Item],
    deck_order: Sequence[str],
    store: Store,
    scheduler: Scheduler,
    config: Config,
    clock: Clock,
    scope: Scope = EVERYTHING,
) -> Stats:
    """Every figure for a scope of these items (the decks' in ``deck_order``), read from the store
    at the clock's now."""
    now, starts = clock.now(), config.day_starts_at
    exams = [
        ExamScore(row.finished, row.title, row.questions, row.score)
        for row in exam_history(store)
        if exam_in_scope(row, scope)
    ]
    exams.sort(key=lambda e: e.finished)
    in_scope = [i for i in items if scope.contains(i)]
    today = clock.study_day(now, starts)
    return compute(
        items,
        store.memories(),
        store.flags(),
        read_log(store),
        scheduler=scheduler,
        clock=clock,
        day_starts_at=starts,
        now=now,
        scope=scope,
        exams=exams,
        exam_forecast=goal.upcoming(in_scope, store, scheduler, config, clock, today),
        deck_order=deck_order,
    )
