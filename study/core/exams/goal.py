"""The exam date and the recall aimed at on it: kept in the progress database, and what they give
(the moment the exam is assumed to be taken, the forecast of ``plan``).

The date and the target are two rows of the store's meta table (``META_KEY`` and
``TARGET_KEY``); a value that does not read (set by hand, or by an older version) counts as
none set.

May import: ``exams.plan``, ``progress``, ``scheduling``, ``decks``' model and the basics.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from study.core.clock import Clock
from study.core.config import Config
from study.core.decks.model import Item
from study.core.progress.store import Store
from study.core.scheduling.scheduler import Scheduler

if TYPE_CHECKING:
    from study.core.exams.plan import Forecast

META_KEY = "exam_date"
"""The store's meta key for the exam date (ISO ``YYYY-MM-DD``)."""
TARGET_KEY = "exam_target"
"""The store's meta key for the recall to aim for on the exam day (``study plan --target``)."""
DEFAULT_TARGET = 0.9
"""The target recall when none was set."""


def exam_date(store: Store) -> date | None:
    """The exam date the user set, if any."""
    value = store.get_meta(META_KEY)
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def set_exam_date(store: Store, day: date | None) -> None:
    """Set (or with None clear) the exam date."""
    store.set_meta(META_KEY, day.isoformat() if day else None)


def exam_target(store: Store) -> float:
    """The recall to aim for on the exam day (``study plan --target``; else 0.9)."""
    value = store.get_meta(TARGET_KEY)
    try:
        return float(value) if value else DEFAULT_TARGET
    except ValueError:
        return DEFAULT_TARGET


def set_exam_target(store: Store, target: float) -> None:
    """Keep the recall to aim for on the exam day (the app's plan uses it too)."""
    store.set_meta(TARGET_KEY, f"{target:g}")


def moment(store: Store, clock: Clock, day_starts_at: int, now: datetime) -> datetime | None:
    """When the exam set is assumed to be taken (None without an exam date, or once it is
    past)."""
    day = exam_date(store)
    if day is None or day < clock.study_day(now, day_starts_at):
        return None
    from study.core.exams.plan import exam_moment  # the planner: 13 ms, only with an exam date

    return exam_moment(clock, day, day_starts_at, now)


def plan_for(
    items: Sequence[Item],
    store: Store,
    scheduler: Scheduler,
    config: Config,
    clock: Clock,
    day: date | None = None,
    target: float | None = None,
) -> Forecast:
    """Readiness of these items on ``day`` (the exam date set when None) and the daily plan,
    aiming at ``target`` (the one kept when None). PlanError without an exam date."""
    from study.core.exams.plan import PlanError, forecast  # 13 ms, only with an exam date

    day = day or exam_date(store)
    if day is None:
        raise PlanError("no exam date is set: 'study plan --exam YYYY-MM-DD' sets one")
    return forecast(
        items,
        store.memories(),
        store.flags(),
        scheduler,
        config,
        clock,
        day,
        exam_target(store) if target is None else target,
    )


def upcoming(
    items: Sequence[Item],
    store: Store,
    scheduler: Scheduler,
    config: Config,
    clock: Clock,
    today: date,
) -> Forecast | None:
    """The exam-day forecast for these items, when an exam date from ``today`` on (and not too
    far) is set; None otherwise (the statistics show it only then)."""
    day = exam_date(store)
    if day is None:
        return None
    from study.core.exams.plan import latest_exam_date  # 13 ms, only with an exam date

    if not today <= day <= latest_exam_date(today):
        return None
    return plan_for(items, store, scheduler, config, clock, day)
