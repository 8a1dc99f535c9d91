"""The exam date: readiness forecast and a daily plan.

**Forecast.** The exam is taken at the start of its study day (``day_starts_at`` o'clock,
local time), or now if that has passed. Each item's predicted recall then is its FSRS
retrievability at that moment, from the state it has now (``Scheduler.retrievability``);
an item never studied counts 0. The expected score is the mean over the items. This is
what you would get if you stopped studying today.

**Plan.** The new items must all be introduced before the exam day: ``ceil(new /
days_left)`` a day (all of them today when the exam is today). The plan is then simulated
day by day with the scheduler aiming at the target recall instead of ``desired_retention``
(between 0.70 and 0.99; so a higher target means shorter intervals and more reviews before
the exam), without fuzz: every answer is assumed Good, items introduced
in the planned order at the planned rate (capped by ``new_per_day``), each item reviewed
whenever it falls due before the exam, at the same time of day as now. The answers counted
for a day are the reviews of items already introduced, including learning steps; to them
is added the expected cost of forgetting: a review in the review phase fails with
probability ``1 - target`` and a failure costs one more answer (the relearning
step). The simulated states give each item's recall on the exam day *if the plan is kept*.

**Warnings** say when new items cannot all be introduced at ``new_per_day``, when items are
predicted below the target on the exam day even when reviewed on schedule (when the target
is above ``desired_retention`` an item due near the exam sits at about the desired
retention), and when the expected reviews exceed ``reviews_per_day``.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from study.core.clock import Clock
from study.core.config import Config
from study.core.decks.model import Item
from study.core.progress.store import Flags
from study.core.scheduling.scheduler import NEW, Memory, Phase, Rating, Scheduler
from study.core.words import plural

MAX_YEARS_AHEAD = 10
"""Latest exam date accepted, in years from today: the plan simulates every day until then
(a date in the year 9999 took 20 s and 420 MB, then overflowed the calendar)."""


class PlanError(Exception):
    """The forecast cannot be made (an exam date in the past); the message says why."""


def latest_exam_date(today: date) -> date:
    """The last exam date accepted on ``today``: MAX_YEARS_AHEAD years on."""
    try:
        return today.replace(year=today.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February, or near the end of the calendar
        return min(date.max, today + timedelta(days=365 * MAX_YEARS_AHEAD))


def check_exam_date(day: date, today: date) -> None:
    """Raise PlanError (one line) unless ``day`` is from today on and within MAX_YEARS_AHEAD."""
    if day < today:
        raise PlanError(
            f"the exam date {day.isoformat()} is in the past; give a date from today on"
        )
    latest = latest_exam_date(today)
    if day > latest:
        raise PlanError(
            f"the exam date {day.isoformat()} is more than {MAX_YEARS_AHEAD} years away; "
            f"give a date up to {latest.isoformat()}"
        )


@dataclass(frozen=True, slots=True)
class Readiness:
    """Predicted recall on the exam day for one deck or tag."""

    name: str
    items: int
    new: int
    recall: float
    """Mean predicted recall if you stop studying now (new items count 0)."""
    planned: float
    """Mean predicted recall if the plan is kept."""
    below: int
    """Items below the target on the exam day even if the plan is kept."""


@dataclass(frozen=True, slots=True)
class DayPlan:
    """One study day before the exam."""

    day: date
    new: int
    reviews: float
    """Expected answers to items already introduced (with learning steps and forgetting)."""


@dataclass(frozen=True, slots=True)
class Forecast:
    """Readiness for the exam date and the plan to get there."""

    exam_date: date
    exam_at: datetime
    today: date
    days_left: int
    target: float
    items: int
    new_items: int
    expected_score: float
    """Mean predicted recall on the exam day if you stop studying now."""
    planned_score: float
    """Mean predicted recall on the exam day if the plan is kept."""
    new_per_day: int
    """New items a day needed to introduce every item in time."""
    days: tuple[DayPlan, ...]
    decks: tuple[Readiness, ...]
    tags: tuple[Readiness, ...]
    warnings: tuple[str, ...]
    recall: Mapping[str, float] = field(default_factory=dict)
    """Predicted recall of each item on the exam day, if you stop now."""
    planned: Mapping[str, float] = field(default_factory=dict)
    """Predicted recall of each item on the exam day, if the plan is kept."""

    @property
    def reviews_per_day(self) -> float:
        """Mean expected reviews a day until the exam."""
        return sum(d.reviews for d in self.days) / len(self.days) if self.days else 0.0

    @property
    def peak_reviews(self) -> float:
        """The most reviews expected on one day."""
        return max((d.reviews for d in self.days), default=0.0)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form (without the per-item figures)."""

        def group(r: Readiness) -> dict[str, object]:
            return {
                "name": r.name,
                "items": r.items,
                "new": r.new,
                "recall": round(r.recall, 4),
                "planned": round(r.planned, 4),
                "below_target": r.below,
            }

        return {
            "exam_date": self.exam_date.isoformat(),
            "exam_at": self.exam_at.isoformat(),
            "today": self.today.isoformat(),
            "days_left": self.days_left,
            "target": self.target,
            "items": self.items,
            "new_items": self.new_items,
            "expected_score": round(self.expected_score, 4),
            "planned_score": round(self.planned_score, 4),
            "new_per_day": self.new_per_day,
            "reviews_per_day": round(self.reviews_per_day, 1),
            "peak_reviews": round(self.peak_reviews, 1),
            "days": [
                {"day": d.day.isoformat(), "new": d.new, "reviews": round(d.reviews, 1)}
                for d in self.days
            ],
            "decks": [group(r) for r in self.decks],
            "tags": [group(r) for r in self.tags],
            "warnings": list(self.warnings),
        }


def exam_moment(clock: Clock, exam_date: date, starts_at: int, now: datetime) -> datetime:
    """When the exam is assumed to be taken: the start of its study day, or now if later."""
    return max(now, clock.day_start(exam_date, starts_at))


def parse_exam_date(text: str) -> date:
    """A date as the rest of the tool reads one (2027-01-31, 31/01/2027 day first, 31 January
    2027); ValueError with a one-line reason otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        pass
    from study.core.grading.kind import full_date  # the typed answers' reading of dates

    found = full_date(text)
    if found is None:
        raise ValueError(
            f"{text!r} is not a date: write it as 2027-01-31, 31/01/2027 or 31 January 2027"
        )
    return date(*found)


def _simulate(
    start: Mapping[str, Memory],
    new: Sequence[str],
    rate: int,
    days: int,
    now: datetime,
    first_day: date,
    day_end: Callable[[int], datetime],
    scheduler: Scheduler,
    retention: float,
) -> tuple[dict[str, Memory], list[DayPlan], list[str]]:
    """Keep the plan for ``days`` days: (states on the exam day, the days, items introduced)."""
    states = dict(start)
    heap = [(m.due or now, key) for key, m in states.items() if m.phase is not Phase.NEW]
    heapq.heapify(heap)
    queue = list(new)
    introduced: list[str] = []
    plan: list[DayPlan] = []
    for d in range(days):
        moment, end = now + timedelta(days=d), day_end(d)
        answers, failures = 0, 0.0
        while heap and heap[0][0] < end:
            due, key = heapq.heappop(heap)
            memory = states[key]
            failures += (1 - retention) if memory.phase is Phase.REVIEW else 0.0
            memory = scheduler.replay(memory, Rating.GOOD, max(moment, due), None)
            states[key] = memory
            answers += 1
            heapq.heappush(heap, (memory.due or end, key))
        today, queue = queue[:rate], queue[rate:]
        for key in today:
            memory = scheduler.replay(NEW, Rating.GOOD, moment, None)
            states[key] = memory
            introduced.append(key)
            heapq.heappush(heap, (memory.due or end, key))
        while heap and heap[0][0] < end:  # the learning steps of today's new items
            due, key = heapq.heappop(heap)
            memory = scheduler.replay(states[key], Rating.GOOD, max(moment, due), None)
            states[key] = memory
            answers += 1
            heapq.heappush(heap, (memory.due or end, key))
        plan.append(DayPlan(first_day + timedelta(days=d), len(today), answers + failures))
    return states, plan, introduced


def _groups(
    items: Iterable[Item],
    key: Callable[[Item], Iterable[str]],
    recall: Mapping[str, float],
    planned: Mapping[str, float],
    new: set[str],
    target: float,
) -> tuple[Readiness, ...]:
    members: dict[str, list[str]] = {}
    for item in items:
        for name in key(item):
            members.setdefault(name, []).append(item.key)
    out = [
        Readiness(
            name,
            len(keys),
            sum(k in new for k in keys),
            sum(recall[k] for k in keys) / len(keys),
            sum(planned[k] for k in keys) / len(keys),
            sum(planned[k] < target for k in keys),
        )
        for name, keys in members.items()
    ]
    return tuple(sorted(out, key=lambda r: (r.recall, r.name)))


def forecast(
    items: Sequence[Item],
    memories: Mapping[str, Memory],
    flags: Mapping[str, Flags],
    scheduler: Scheduler,
    config: Config,
    clock: Clock,
    exam_date: date,
    target: float = 0.9,
) -> Forecast:
    """Readiness on ``exam_date`` for ``items``, and the daily plan (see the module's docstring)."""
    now = clock.now()
    starts = config.day_starts_at
    today = clock.study_day(now, starts)
    check_exam_date(exam_date, today)
    days_left = (exam_date - today).days
    exam_at = exam_moment(clock, exam_date, starts, now)
    aim = min(max(target, 0.7), 0.99)  # the retentions the scheduler takes
    if abs(aim - scheduler.desired_retention) > 1e-9:
        from dataclasses import replace

        scheduler = Scheduler(replace(config, desired_retention=aim), fuzz=False)
    recall = {i.key: scheduler.retrievability(memories.get(i.key, NEW), exam_at) for i in items}
    studied = [i for i in items if not (flags.get(i.key) and flags[i.key].suspended)]
    new = [i.key for i in studied if memories.get(i.key, NEW).is_new]
    needed = math.ceil(len(new) / days_left) if days_left else len(new)
    rate = min(needed, config.new_per_day)
    start = {
        i.key: memories[i.key] for i in studied if i.key in memories and not memories[i.key].is_new
    }
    states, days, introduced = _simulate(
        start,
        new,
        rate,
        days_left,
        now,
        today,
        lambda d: clock.day_start(today + timedelta(days=d + 1), starts),
        scheduler,
        aim,
    )
    planned = {
        key: scheduler.retrievability(states[key], exam_at) if key in states else recall[key]
        for key in recall
    }
    new_set = set(new)
    warnings: list[str] = []
    left_out = len(new) - len(introduced)
    if left_out and days_left == 0:
        warnings.append(
            f"the exam is today: {plural(left_out, 'new item')} can no longer be learned in time"
        )
    elif left_out:
        warnings.append(
            f"{plural(left_out, 'new item')} cannot be introduced before "
            f"{exam_date.isoformat()} at "
            f"new_per_day = {config.new_per_day}: raise it to {needed} in the settings, "
            "or narrow the decks"
        )
    below = [k for k in planned if k in states and planned[k] < target]
    if below:
        warnings.append(
            f"{plural(len(below), 'item')} {'is' if len(below) == 1 else 'are'} predicted below "
            f"{target:.0%} on the exam day even when "
            "reviewed on schedule (the plan's reviews aim at 99% at most): go over them the "
            "day before"
        )
    peak = max((d.reviews for d in days), default=0.0)
    if peak > config.reviews_per_day:
        warnings.append(
            f"you can expect up to {plural(round(peak), 'review')} a day, more than "
            "reviews_per_day = "
            f"{config.reviews_per_day}: some will wait"
        )
    total = len(items)
    return Forecast(
        exam_date,
        exam_at,
        today,
        days_left,
        target,
        total,
        len(new_set),
        sum(recall.values()) / total if total else 0.0,
        sum(planned.values()) / total if total else 0.0,
        needed,
        tuple(days),
        _groups(items, lambda i: (i.card.deck_id,), recall, planned, new_set, target),
        _groups(items, lambda i: i.card.tags, recall, planned, new_set, target),
        tuple(warnings),
        recall,
        planned,
    )
