"""Statistics: every figure against values computed by hand on a small fixed log (now = T0)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from study.charts import calendar, columns, duration, hbar, heatmap_text, level, month_labels
from study.core.clock import Clock
from study.core.progress.store import Flags, to_ms
from study.core.scheduling.scheduler import Memory, Phase, Rating
from study.core.service import Service
from study.core.stats.compute import INTERVAL_RANGES, StudyDays, compute
from study.core.stats.figures import EVERYTHING, Day, LogRow, Scope, Stats
from tests.conftest import T0, MovableClock, make_service

DECKS = {
    "a.yaml": """\
title: Deck A
id: a
cards:
  - {id: a1, front: Q1, back: A1, tags: [x]}
  - {id: a2, front: Q2, back: A2, tags: [x]}
  - {id: a3, front: Q3, back: A3, tags: [y]}
  - {id: a4, front: Q4, back: A4, tags: [x, y]}
  - {id: a5, front: Q5, back: A5, tags: [y]}
""",
    "b.yaml": """\
title: Deck B
id: b
cards:
  - {id: b1, front: Q6, back: A6, reverse: true, tags: [x]}
  - {id: b2, front: Q7, back: A7, tags: [y]}
""",
}
# Items: a/a1..a/a5, b/b1, b/b1#r, b/b2.
# Today (T0 = Mon 2 Mar 2026 09:00 UTC, day starts at 04:00) is 2 Mar.


def at(text: str) -> int:
    """UTC ms of ``YYYY-MM-DD HH:MM``."""
    return to_ms(datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC))


def moment(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


LOG = [
    LogRow("b/b1#r", at("2025-12-28 10:00"), 3, 1000, None),  # practice
    LogRow("b/b1#r", at("2025-12-29 10:00"), 3, 1000, None),
    LogRow("b/b1#r", at("2025-12-30 10:00"), 1, 1000, None),
    LogRow("b/b1#r", at("2025-12-31 10:00"), 3, 1000, None),
    LogRow("b/b1", at("2026-01-01 12:00"), 4, 2000, at("2026-01-11 12:00")),  # new, Easy: 10 days
    LogRow(
        "b/b1", at("2026-01-11 13:00"), 2, 7000, at("2026-02-10 13:00")
    ),  # interval 10d: 1w-1mo, passed
    LogRow(
        "b/b1", at("2026-02-10 13:00"), 3, 3000, at("2026-05-11 13:00")
    ),  # interval 30d: 1-3mo, passed
    LogRow("a/a1", at("2026-02-20 10:00"), 3, 5000, at("2026-02-20 10:10")),  # new
    LogRow(
        "a/a1", at("2026-02-20 10:10"), 3, 4000, at("2026-02-23 10:10")
    ),  # after 10 min: not counted
    LogRow(
        "a/a1", at("2026-02-23 11:00"), 1, 8000, at("2026-02-23 11:10")
    ),  # interval 3d: <1w, failed
    LogRow(
        "a/a1", at("2026-02-23 11:15"), 3, 3000, at("2026-02-25 11:15")
    ),  # relearning: not counted
    LogRow(
        "a/a1", at("2026-02-27 09:00"), 3, 6000, at("2026-03-12 09:00")
    ),  # interval 2d: <1w, passed
    LogRow(
        "gone/x", at("2026-02-27 10:00"), 3, 1000, at("2026-03-01 10:00")
    ),  # a card no longer in a deck
    LogRow("b/b1#r", at("2026-03-01 03:00"), 1, 10000, None),  # before 04:00: study day 28 Feb
    LogRow("a/a3", at("2026-03-01 20:00"), 3, 2000, at("2026-03-04 20:00")),
    LogRow("a/a2", at("2026-03-02 08:00"), 3, 6000, at("2026-03-02 08:10")),  # today
]

MEMORIES = {
    "a/a1": Memory(
        Phase.REVIEW, None, 2.0, 5.0, moment("2026-03-01 09:00"), moment("2026-02-27 09:00"), 5, 1
    ),
    "a/a5": Memory(
        Phase.REVIEW, None, 2.0, 5.0, moment("2026-03-05 09:00"), moment("2026-02-27 09:00"), 7, 3
    ),
    "a/a2": Memory(
        Phase.LEARNING, 1, 0.5, 5.0, moment("2026-03-02 08:10"), moment("2026-03-02 08:00"), 1, 0
    ),
    "a/a3": Memory(
        Phase.REVIEW, None, 30.0, 7.0, moment("2026-03-04 20:00"), moment("2026-03-01 20:00"), 4, 0
    ),
    "b/b1": Memory(
        Phase.REVIEW, None, 25.0, 5.0, moment("2026-05-11 13:00"), moment("2026-02-10 13:00"), 3, 0
    ),
    "b/b2": Memory(
        Phase.RELEARNING, 0, 1.0, 9.0, moment("2026-03-01 09:00"), moment("2026-02-28 09:00"), 20, 8
    ),
}
FLAGS = {
    "b/b2": Flags(suspended=True, leech=True),
    "a/a3": Flags(buried_until=moment("2026-03-05 04:00")),  # buried past its due date (4 Mar)
}
DECAY, FACTOR = -0.1542, 0.9 ** (1 / -0.1542) - 1


def recall(days: int, stability: float) -> float:
    """The FSRS forgetting curve (whole days elapsed, as fsrs counts them)."""
    return float((1 + FACTOR * days / stability) ** DECAY)


@pytest.fixture
def service(tmp_path: Path, clock: MovableClock) -> Service:
    return make_service(tmp_path, DECKS, clock)


def figures(
    service: Service,
    scope: Scope = EVERYTHING,
    log: list[LogRow] = LOG,
    memories: dict[str, Memory] = MEMORIES,
    flags: dict[str, Flags] = FLAGS,
) -> Stats:
    return compute(
        list(service.items.values()),
        memories,
        flags,
        log,
        scheduler=service.scheduler,
        clock=Clock(lambda: T0, UTC),
        day_starts_at=4,
        now=T0,
        scope=scope,
        deck_order=["a", "b"],
    )


def test_activity_calendar_and_streaks(service: Service) -> None:
    stats = figures(service)
    activity = stats.activity
    assert stats.today == date(2026, 3, 2)
    assert len(activity.days) == 365
    assert activity.days[0].day == date(2025, 3, 3) and activity.days[-1].day == date(2026, 3, 2)
    studied = {d.day: d.value for d in activity.days if d.value}
    assert studied == {
        date(2025, 12, 28): 1,
        date(2025, 12, 29): 1,
        date(2025, 12, 30): 1,
        date(2025, 12, 31): 1,
        date(2026, 1, 1): 1,
        date(2026, 1, 11): 1,
        date(2026, 2, 10): 1,
        date(2026, 2, 20): 2,
        date(2026, 2, 23): 2,
        date(2026, 2, 27): 2,
        date(2026, 2, 28): 1,
        date(2026, 3, 1): 1,
        date(2026, 3, 2): 1,
    }
    assert (activity.total, activity.studied_days) == (16, 13)
    assert activity.current_streak == 4  # 27 Feb .. 2 Mar
    assert activity.longest_streak == 5  # 28 Dec .. 1 Jan


def test_current_streak_counts_up_to_yesterday_while_today_is_open(service: Service) -> None:
    stats = figures(service, log=LOG[:-1])  # nothing answered yet today
    assert stats.activity.current_streak == 3
    stats = figures(service, log=LOG[:-2])  # nor yesterday
    assert stats.activity.current_streak == 0


def test_forecast(service: Service) -> None:
    stats = figures(service)
    assert [d.day for d in stats.forecast] == [
        date(2026, 3, 2) + timedelta(days=i) for i in range(30)
    ]
    due = {d.day: d.value for d in stats.forecast if d.value}
    # a1 overdue (1 Mar) and a2 (today 08:10) today; a3 buried to 5 Mar; a5 5 Mar;
    # b1 is after 30 days; b2 is suspended
    assert due == {date(2026, 3, 2): 2, date(2026, 3, 5): 2}
    assert stats.overdue == 1


def test_state_counts(service: Service) -> None:
    states = figures(service).states
    assert (states.new, states.learning, states.young, states.mature) == (
        2,
        1,
        2,
        2,
    )  # new: a4, b1#r
    assert (states.suspended, states.leech, states.total) == (1, 1, 8)


def test_true_retention_by_deck_and_interval(service: Service) -> None:
    retention = figures(service).retention
    assert retention.target == 0.9
    assert (retention.overall.passed, retention.overall.total) == (3, 4)
    assert retention.overall.rate == 0.75
    assert [(r.label, r.passed, r.total) for r in retention.by_deck] == [("a", 1, 2), ("b", 2, 2)]
    assert [(r.label, r.passed, r.total) for r in retention.by_interval] == [
        ("<1w", 1, 2),
        ("1w-1mo", 1, 1),
        ("1-3mo", 1, 1),
        (">3mo", 0, 0),
    ]
    assert retention.by_interval[-1].rate is None
    assert [label for label, _ in INTERVAL_RANGES] == ["<1w", "1w-1mo", "1-3mo", ">3mo"]


def test_time_spent(service: Service) -> None:
    time = figures(service).time
    assert (time.total_ms, time.answers, time.studied_days) == (61000, 16, 13)
    assert time.per_answer_ms == 61000 / 16
    assert time.per_day_ms == 61000 / 13
    assert len(time.days) == 30 and time.days[-1].day == date(2026, 3, 2)
    assert {d.day: d.value for d in time.days if d.value} == {
        date(2026, 2, 10): 3000,
        date(2026, 2, 20): 9000,
        date(2026, 2, 23): 11000,
        date(2026, 2, 27): 7000,
        date(2026, 2, 28): 10000,
        date(2026, 3, 1): 2000,
        date(2026, 3, 2): 6000,
    }


def test_hardest_items(service: Service) -> None:
    hardest = figures(service).hardest
    # a5 and a1 have the same recall (3 days at stability 2), below the target: a5 has more
    # lapses. b2 is suspended. b1 (0.917), a3 and a2 (answered less than a day ago: recall 1)
    # are above the target, never lapsed and never answered Again: not hard. The new items
    # are never hard.
    assert [h.key for h in hardest] == ["a/a5", "a/a1"]
    assert hardest[0].recall == pytest.approx(recall(3, 2.0))
    assert hardest[0].recall == pytest.approx(0.8698, abs=1e-4)
    assert (hardest[0].lapses, hardest[0].reps, hardest[0].prompt) == (3, 7, "Q5")
    assert (hardest[1].lapses, hardest[1].agains) == (1, 1)  # a1's Again of 23 Feb


def test_an_again_answer_makes_a_card_hard_and_ranks_it(service: Service) -> None:
    log = [*LOG, LogRow("a/a3", at("2026-03-01 20:05"), 1, 1000, None)]  # a3 missed once in cram
    stats = figures(service, log=log)
    assert [(h.key, h.agains) for h in stats.hardest] == [("a/a5", 0), ("a/a1", 1), ("a/a3", 1)]


def test_mastery_by_deck_and_tag(service: Service) -> None:
    stats = figures(service)
    # mastered (in review, recall >= 0.9): a3 (recall 1), b1 (0.917); not: a1, a5 (0.870),
    # a2 (learning, though its recall is 1), the new items, b2 (suspended)
    assert [(m.name, m.mastered, m.total) for m in stats.mastery_by_deck] == [
        ("a", 1, 5),
        ("b", 1, 3),
    ]
    assert [(m.name, m.mastered, m.total) for m in stats.mastery_by_tag] == [
        ("x", 1, 5),
        ("y", 1, 4),
    ]
    assert stats.mastery_by_deck[0].share == 0.2


def test_a_deck_scope_counts_only_its_items(service: Service) -> None:
    stats = figures(service, Scope(deck="a"))
    assert stats.activity.total == 7  # a1 x5, a3, a2
    assert (stats.activity.current_streak, stats.activity.longest_streak) == (2, 2)
    assert [(r.label, r.passed, r.total) for r in stats.retention.by_deck] == [("a", 1, 2)]
    assert stats.states.total == 5
    assert [m.name for m in stats.mastery_by_deck] == ["a"]
    assert [h.key for h in stats.hardest] == ["a/a5", "a/a1"]


def test_a_tag_scope(service: Service) -> None:
    stats = figures(service, Scope(tag="y"))
    assert stats.activity.total == 1  # a3 on 1 Mar
    assert stats.states.total == 4  # a3, a4, a5, b2
    assert [(m.name, m.mastered, m.total) for m in stats.mastery_by_deck] == [
        ("a", 1, 3),
        ("b", 0, 1),
    ]
    assert stats.scope.label() == "tag y"


def test_empty_history(service: Service) -> None:
    stats = figures(service, log=[], memories={}, flags={})
    assert stats.activity.total == 0 and all(d.value == 0 for d in stats.activity.days)
    assert (stats.activity.current_streak, stats.activity.longest_streak) == (0, 0)
    assert sum(d.value for d in stats.forecast) == 0 and stats.overdue == 0
    assert (stats.states.new, stats.states.total) == (8, 8)
    assert stats.retention.overall.rate is None
    assert (stats.time.total_ms, stats.time.per_answer_ms, stats.time.per_day_ms) == (0, 0.0, 0.0)
    assert stats.hardest == ()
    assert [(m.name, m.mastered, m.total) for m in stats.mastery_by_deck] == [
        ("a", 0, 5),
        ("b", 0, 3),
    ]
    assert json.loads(json.dumps(stats.to_dict()))["retention"]["overall"][0]["rate"] is None


def test_json_form(service: Service) -> None:
    data = json.loads(json.dumps(figures(service).to_dict()))
    assert data["scope"] == {"deck": None, "tag": None, "label": "all decks"}
    assert data["today"] == "2026-03-02"
    assert data["states"]["total"] == 8
    assert data["activity"]["current_streak"] == 4
    assert data["forecast"][0] == {"day": "2026-03-02", "value": 2}
    assert data["retention"]["overall"] == [{"label": "all", "passed": 3, "total": 4, "rate": 0.75}]
    assert data["time"]["per_answer_ms"] == 3812
    assert data["hardest"][0]["key"] == "a/a5" and data["hardest"][0]["recall"] == 0.8698
    assert data["mastery_by_tag"][0] == {"name": "x", "mastered": 1, "total": 5, "share": 0.2}


def test_study_days_follow_the_local_rollover() -> None:
    hanoi = Clock(lambda: T0, timezone(timedelta(hours=7)))
    days = StudyDays(hanoi, 4)
    assert days(at("2026-03-01 20:30")) == date(2026, 3, 1)  # 03:30 in Hanoi: still 1 Mar
    assert days(at("2026-03-01 21:30")) == date(2026, 3, 2)  # 04:30
    assert days(at("2026-03-01 20:59")) == date(2026, 3, 1)  # cached bounds, same answer
    assert days.starts(date(2026, 3, 2), 2) == [at("2026-03-01 21:00"), at("2026-03-02 21:00")]


def test_collect_reads_the_store_and_skips_undone_answers(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = make_service(tmp_path, DECKS, clock)
    session = service.start_review(["a"])
    first = session.current
    assert first is not None
    session.answer(Rating.GOOD, duration_ms=4000)
    session.answer(Rating.AGAIN, duration_ms=9000)
    session.undo()  # the undone answer counts nowhere
    practice = service.start_practice(["b"], seed=1)
    practice.answer(Rating.AGAIN, duration_ms=2500)
    stats = service.stats()
    assert stats.activity.total == 2
    assert stats.time.total_ms == 6500
    assert stats.states.learning == 1 and stats.states.new == 7
    assert stats.retention.overall.total == 0
    assert service.stats(Scope(deck="b")).activity.total == 1


# --- the text charts ---------------------------------------------------------


def test_text_chart_helpers() -> None:
    assert hbar(0.5, 4) == "██  "
    assert hbar(0.125, 4) == "▌   "
    assert hbar(0, 3) == "   "
    assert columns([0, 1, 2, 4], 2) == ["   █", " ▄██"]
    assert columns([1], 1, maximum=100) == ["▁"]  # anything above zero shows
    assert [level(v, 8) for v in (0, 1, 2, 3, 5, 8)] == [0, 1, 1, 2, 3, 4]
    assert (duration(8500), duration(90_000), duration(12_000_000)) == ("8.5s", "2m", "3h 20m")


def test_calendar_layout() -> None:
    days = [
        Day(date(2026, 2, 26) + timedelta(days=i), i) for i in range(5)
    ]  # Thu 26 Feb .. Mon 2 Mar
    grid = calendar(days)
    assert [len(row) for row in grid] == [2] * 7
    assert (
        grid[3][0] == days[0]
        and grid[0][1] == days[4]
        and grid[0][0] is None
        and grid[1][1] is None
    )
    assert month_labels(days) == "Mar"  # 1 Mar is in the first week: it names the column
    lines = heatmap_text(days)
    assert lines[1] == "Mon  █" and lines[4] == "    ·"  # Thursday, unlabelled


# --- exams ------------------------------------------------------------------


def test_exam_history_by_scope_and_the_exam_day_forecast(service: Service) -> None:
    from study.core.exams.record import ExamRow, save_exam
    from study.core.exams.spec import ExamSpec

    store = service.store
    deck_a = json.dumps(ExamSpec(decks=("a",)).to_dict())
    every = json.dumps(ExamSpec().to_dict())
    save_exam(
        store,
        ExamRow(0, moment("2026-02-20 10:00"), moment("2026-02-20 10:30"), "a", deck_a, 20, 12.5),
        [],
    )
    save_exam(
        store,
        ExamRow(
            0, moment("2026-02-10 10:00"), moment("2026-02-10 10:30"), "all decks", every, 10, 4
        ),
        [],
    )
    stats = service.stats()
    assert [(e.finished.day, e.title, e.share) for e in stats.exams] == [
        (10, "all decks", 0.4),
        (20, "a", 0.625),
    ]
    assert [e.title for e in service.stats(Scope(deck="a")).exams] == ["a"]
    assert service.stats(Scope(deck="b")).exams == ()
    assert stats.exam_forecast is None  # no exam date set

    service.set_exam_date(date(2026, 3, 12))
    upcoming = service.stats(Scope(deck="a")).exam_forecast
    assert upcoming is not None
    assert (upcoming.items, upcoming.new_items, upcoming.days_left) == (5, 5, 10)
    assert upcoming.expected_score == 0.0  # nothing studied: every item counts 0
    data = json.loads(json.dumps(service.stats().to_dict()))
    assert (
        data["exam_forecast"]["exam_date"] == "2026-03-12" and data["exam_forecast"]["items"] == 8
    )
    assert data["exams"][1] == {
        "finished": "2026-02-20T10:30:00+00:00",
        "title": "a",
        "questions": 20,
        "score": 12.5,
        "share": 0.625,
    }

    service.set_exam_date(date(2026, 3, 1))  # in the past: no forecast
    assert service.stats().exam_forecast is None
