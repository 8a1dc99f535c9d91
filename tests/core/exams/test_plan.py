"""The exam date: the forecast against FSRS itself, the daily plan, the warnings, queue order."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import fsrs
import pytest

from study.core.exams import plan
from study.core.exams.plan import PlanError, exam_moment, parse_exam_date
from study.core.scheduling.scheduler import Rating
from study.core.service import Service
from tests.conftest import T0, MovableClock, make_service

CARDS = "\n".join(
    f"  - {{id: c{n}, front: Question {n}?, back: Answer {n}, "
    f"tags: [{'odd' if n % 2 else 'even'}]}}"
    for n in range(10)
)
DECK = f"title: Ten\nid: ten\ncards:\n{CARDS}\n"
OTHER = (
    "title: Two\nid: two\ncards:\n"
    "  - {id: a, front: A?, back: a}\n"
    "  - {id: b, front: B?, back: b}\n"
)
EXAM_DAY = date(2026, 3, 16)


@pytest.fixture
def svc(tmp_path: Path, clock: MovableClock) -> Service:
    return make_service(tmp_path, {"ten.yaml": DECK, "two.yaml": OTHER}, clock)


def study(svc: Service, clock: MovableClock, keys: list[str], ratings: list[Rating]) -> None:
    """Answer the given items with the given ratings first, then Good until they graduate."""
    first = dict(zip(keys, ratings, strict=False))
    for _ in range(3):
        session = svc.start_review()
        while session.current is not None:
            key = session.current.key
            if key in keys:
                session.answer(first.pop(key, Rating.GOOD))
            else:
                session.skip()
        clock.advance(minutes=15)


def direct_retrievability(svc: Service, key: str, at: datetime) -> float:
    """Retrievability computed with fsrs directly from the stored state."""
    memory = svc.store.memory(key)
    assert memory is not None
    card = fsrs.Card(
        card_id=1,
        state=fsrs.State(int(memory.phase)),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due,
        last_review=memory.last_review,
    )
    scheduler = fsrs.Scheduler(desired_retention=svc.config.desired_retention, enable_fuzzing=False)
    return float(scheduler.get_card_retrievability(card, at))


def test_the_forecast_is_fsrs_retrievability_on_the_exam_day(
    svc: Service, clock: MovableClock
) -> None:
    keys = ["ten/c0", "ten/c1", "ten/c2", "two/a"]
    study(svc, clock, keys, [Rating.GOOD, Rating.EASY, Rating.HARD, Rating.AGAIN])
    clock.advance(days=2)
    f = svc.forecast(EXAM_DAY)
    exam_at = datetime(
        2026, 3, 16, 4, 0, tzinfo=UTC
    )  # the start of the study day (UTC in the tests)
    assert f.exam_at == exam_at and f.days_left == 12 and f.today == date(2026, 3, 4)
    for key in keys:
        expected = direct_retrievability(svc, key, exam_at)
        assert 0.0 < expected < 1.0
        assert f.recall[key] == pytest.approx(expected, abs=1e-9)
    assert f.recall["ten/c3"] == 0.0  # never studied: not known
    assert f.expected_score == pytest.approx(sum(f.recall.values()) / 12)
    assert f.items == 12 and f.new_items == 8
    ten = next(r for r in f.decks if r.name == "ten")
    assert ten.items == 10 and ten.new == 7
    assert ten.recall == pytest.approx(sum(f.recall[f"ten/c{n}"] for n in range(10)) / 10)
    odd = next(r for r in f.tags if r.name == "odd")
    assert odd.recall == pytest.approx(f.recall["ten/c1"] / 5)


def test_the_exam_date_is_kept_and_used(svc: Service) -> None:
    assert svc.exam_date is None
    with pytest.raises(PlanError, match="no exam date"):
        svc.forecast()
    svc.set_exam_date(EXAM_DAY)
    assert svc.exam_date == EXAM_DAY and svc.store.get_meta("exam_date") == "2026-03-16"
    assert svc.forecast().exam_date == EXAM_DAY
    svc.set_exam_date(None)
    assert svc.exam_date is None


def test_a_date_in_the_past_is_refused(svc: Service) -> None:
    with pytest.raises(PlanError, match="in the past"):
        svc.forecast(date(2026, 3, 1))


def test_the_plan_introduces_every_new_item_in_time(svc: Service) -> None:
    f = svc.forecast(EXAM_DAY)
    assert f.days_left == 14 and f.new_items == 12
    assert f.new_per_day == math.ceil(12 / 14) == 1
    assert (
        len(f.days) == 14
        and f.days[0].day == date(2026, 3, 2)
        and f.days[-1].day == date(2026, 3, 15)
    )
    assert sum(d.new for d in f.days) == 12
    assert f.expected_score == 0.0
    assert f.planned_score > 0.9
    assert (
        all(d.reviews >= 0 for d in f.days) and f.days[0].reviews >= 1
    )  # the new item's learning step
    assert not any("cannot be introduced" in w for w in f.warnings)


def test_a_warning_when_new_items_cannot_be_introduced_in_time(
    tmp_path: Path, clock: MovableClock
) -> None:
    svc = make_service(tmp_path, {"ten.yaml": DECK}, clock, new_per_day=2)
    f = svc.forecast(date(2026, 3, 5))
    assert f.days_left == 3 and f.new_per_day == 4
    assert sum(d.new for d in f.days) == 6
    assert any("4 new items cannot be introduced" in w and "raise it to 4" in w for w in f.warnings)
    assert sum(p == 0.0 for p in f.planned.values()) == 4


def test_a_warning_when_items_stay_below_the_target_on_schedule(
    svc: Service, clock: MovableClock
) -> None:
    study(svc, clock, ["ten/c0"], [Rating.GOOD])
    f = svc.forecast(EXAM_DAY, target=0.995)  # above what the plan's reviews can aim at
    assert any("below 100%" in w for w in f.warnings)
    assert not any("below" in w for w in svc.forecast(EXAM_DAY, target=0.5).warnings)


def test_the_exam_is_today(svc: Service) -> None:
    f = svc.forecast(date(2026, 3, 2))
    assert f.days_left == 0 and f.days == () and f.planned_score == 0.0
    assert any("the exam is today" in w for w in f.warnings)


def test_the_queue_favours_the_lowest_recall_on_the_exam_day(
    svc: Service, clock: MovableClock
) -> None:
    study(svc, clock, ["ten/c0", "ten/c1"], [Rating.EASY, Rating.HARD])
    clock.advance(days=60)  # both due again
    plain = [i.key for i in svc.start_review().queue if i.key in ("ten/c0", "ten/c1")]
    svc.set_exam_date(date(2026, 5, 20))
    session = svc.start_review()
    ordered = [
        i.key
        for i in [session.current, *session.queue]
        if i is not None and i.key in ("ten/c0", "ten/c1")
    ]
    at = exam_moment(svc.clock, date(2026, 5, 20), 4, clock.moment)
    recall = {k: svc.scheduler.retrievability(svc.store.memory(k), at) for k in ordered}  # type: ignore[arg-type]
    assert recall[ordered[0]] < recall[ordered[1]]
    assert ordered == ["ten/c1", "ten/c0"]
    assert sorted(plain) == sorted(ordered)


def test_exam_moment_is_the_start_of_the_exam_day_or_now() -> None:
    from study.core.clock import fixed_clock

    clock = fixed_clock(T0)
    assert exam_moment(clock, date(2026, 3, 10), 4, T0) == datetime(2026, 3, 10, 4, tzinfo=UTC)
    assert exam_moment(clock, date(2026, 3, 2), 4, T0) == T0
    assert exam_moment(clock, date(2026, 3, 2), 4, T0 - timedelta(hours=6)) == datetime(
        2026, 3, 2, 4, tzinfo=UTC
    )


def test_an_exam_date_more_than_ten_years_away_is_refused_at_once(
    svc: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 9999-12-31 took 20 s and 420 MB of simulated days, then overflowed the calendar
    def no_simulation(*args: object, **kwargs: object) -> None:
        raise AssertionError("the days up to the exam were simulated")

    monkeypatch.setattr(plan, "_simulate", no_simulation)
    with pytest.raises(PlanError) as error:
        svc.forecast(date(9999, 12, 31))
    assert str(error.value) == (
        "the exam date 9999-12-31 is more than 10 years away; give a date up to 2036-03-02"
    )
    monkeypatch.undo()
    assert svc.forecast(date(2036, 3, 2)).days_left == 3653  # the last day accepted


def test_a_stored_exam_date_too_far_away_gives_stats_without_a_forecast(svc: Service) -> None:
    from study.core.exams.goal import upcoming

    svc.store.set_meta("exam_date", "9999-12-31")  # set by hand, or by an older version
    items = list(svc.items.values())
    assert (
        upcoming(items, svc.store, svc.scheduler, svc.config, svc.clock, date(2026, 3, 2)) is None
    )


@pytest.mark.parametrize(
    "text", ["2027-01-31", "31/01/2027", "31-01-2027", "31 January 2027", "January 31, 2027"]
)
def test_exam_dates_are_read_in_the_forms_answers_take(text: str) -> None:
    assert parse_exam_date(text) == date(2027, 1, 31)


@pytest.mark.parametrize("text", ["2027", "January 2027", "31/02/2027", "soon"])
def test_an_exam_date_must_be_a_whole_date(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parse_exam_date(text)


def test_the_target_drives_the_plan(svc: Service, clock: MovableClock) -> None:
    study(svc, clock, ["ten/c0", "ten/c1", "ten/c2"], [Rating.GOOD] * 3)
    low, high = (svc.forecast(EXAM_DAY, target=t) for t in (0.8, 0.97))
    assert sum(d.reviews for d in high.days) > sum(d.reviews for d in low.days)
    assert high.planned_score > low.planned_score
    svc.set_exam_target(0.97)
    assert svc.exam_target == 0.97
    assert svc.forecast(EXAM_DAY) == high  # the target kept is the one used
