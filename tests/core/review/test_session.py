"""The study day, the daily limits, the sibling rule, practice mode, and sessions over a reload."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from study.core.clock import Clock, fixed_clock
from study.core.config import Config
from study.core.paths import Paths
from study.core.review.session import StudySession
from study.core.scheduling.scheduler import NEW, Phase, Rating
from study.core.service import Service
from tests.conftest import T0, MovableClock, make_service


def zone(name: str) -> ZoneInfo:
    """A time zone from the system's database (skips the test if it is missing)."""
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        pytest.skip(f"no time zone data for {name}")


def keys(session: StudySession) -> list[str]:
    """Every item key the session will show: the current one, learning, then the queue."""
    current = [session.current.key] if session.current else []
    return current + [entry[2].key for entry in session.learning] + [i.key for i in session.queue]


def basic_deck(count: int, deck_id: str = "d") -> str:
    """A deck of ``count`` basic cards with ids c0, c1, ..."""
    cards = "".join(
        f"  - id: c{n}\n    front: question {n}\n    back: answer {n}\n" for n in range(count)
    )
    return f"title: Deck {deck_id}\nid: {deck_id}\ncards:\n{cards}"


def answer_all(session: StudySession, rating: Rating) -> list[str]:
    """Answer every item the session shows now with ``rating``; returns the keys answered."""
    answered = []
    while session.current is not None:
        answered.append(session.current.key)
        session.answer(rating)
    return answered


SIBLINGS = """title: Siblings
id: s
cards:
  - id: pair
    front: Number of the resolution
    back: 806-NQ/QUTW
    reverse: true
  - id: motto
    text: More {{c1::friends}}, fewer {{c2::enemies}}, {{c3::peace}}.
  - id: single
    front: Year of the first white paper
    back: "1998"
"""


# --- the clock and the study day ---------------------------------------------


def test_clock_now_is_utc_and_whole_milliseconds() -> None:
    moment = datetime(2026, 3, 2, 16, 0, 0, 123_456, tzinfo=zone("Asia/Ho_Chi_Minh"))
    now = Clock(lambda: moment).now()
    assert now == datetime(2026, 3, 2, 9, 0, 0, 123_000, tzinfo=UTC)
    assert now.tzinfo is UTC
    assert fixed_clock(T0).now() == T0


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (datetime(2026, 3, 2, 3, 59, 59, tzinfo=UTC), date(2026, 3, 1)),
        (datetime(2026, 3, 2, 4, 0, tzinfo=UTC), date(2026, 3, 2)),
        (datetime(2026, 3, 2, 23, 59, tzinfo=UTC), date(2026, 3, 2)),
        (datetime(2026, 3, 3, 0, 30, tzinfo=UTC), date(2026, 3, 2)),
    ],
)
def test_study_day_starts_at_four_in_utc(moment: datetime, day: date) -> None:
    clock = fixed_clock(moment, UTC)
    assert clock.study_day(moment, 4) == day
    start, end = clock.day_bounds(moment, 4)
    assert start == datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=4)
    assert end - start == timedelta(days=1)
    assert start <= moment < end


def test_study_day_starting_at_midnight_is_the_calendar_day() -> None:
    clock = fixed_clock(T0, UTC)
    assert clock.study_day(datetime(2026, 3, 2, 0, 0, tzinfo=UTC), 0) == date(2026, 3, 2)
    assert clock.day_bounds(T0, 0) == (
        datetime(2026, 3, 2, tzinfo=UTC),
        datetime(2026, 3, 3, tzinfo=UTC),
    )


def test_study_day_in_ha_noi() -> None:
    clock = fixed_clock(T0, zone("Asia/Ho_Chi_Minh"))  # UTC+7, no daylight saving
    before = datetime(2026, 3, 2, 20, 30, tzinfo=UTC)  # 03:30 on 3 March in Ha Noi
    after = datetime(2026, 3, 2, 21, 0, tzinfo=UTC)  # 04:00 on 3 March in Ha Noi
    assert clock.study_day(before, 4) == date(2026, 3, 2)
    assert clock.study_day(after, 4) == date(2026, 3, 3)
    assert clock.day_bounds(before, 4) == (
        datetime(2026, 3, 1, 21, 0, tzinfo=UTC),
        datetime(2026, 3, 2, 21, 0, tzinfo=UTC),
    )
    assert clock.day_bounds(after, 4)[0] == after
    assert clock.local(after).hour == 4


def test_a_study_day_across_a_daylight_saving_change_is_23_hours() -> None:
    clock = fixed_clock(T0, zone("America/New_York"))  # clocks go forward at 02:00 on 8 March 2026
    start, end = clock.day_bounds(datetime(2026, 3, 7, 12, 0, tzinfo=UTC), 4)
    assert start == datetime(2026, 3, 7, 9, 0, tzinfo=UTC)  # 04:00 EST
    assert end == datetime(2026, 3, 8, 8, 0, tzinfo=UTC)  # 04:00 EDT
    assert end - start == timedelta(hours=23)
    assert clock.day_bounds(end, 4)[1] - end == timedelta(hours=24)


# --- daily limits --------------------------------------------------------------


def test_new_per_day_limit_and_the_rollover_at_four(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"d.yaml": basic_deck(5)}, clock, new_per_day=2)
    session = service.start_review()
    assert keys(session) == ["d/c0", "d/c1"]
    assert answer_all(session, Rating.EASY) == ["d/c0", "d/c1"]
    assert keys(service.start_review()) == []  # the limit is used up for today
    clock.moment = datetime(2026, 3, 3, 3, 59, tzinfo=UTC)
    assert keys(service.start_review()) == []  # 03:59: still Monday's study day
    clock.moment = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)
    assert keys(service.start_review()) == ["d/c2", "d/c3"]


def test_new_per_day_counts_items_first_answered_today_only(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = make_service(tmp_path, {"d.yaml": basic_deck(4)}, clock, new_per_day=2)
    session = service.start_review()
    session.answer(Rating.GOOD)  # d/c0: learning, back in 10 minutes
    assert keys(service.start_review()) == ["d/c1", "d/c0"]  # one new left; c0 waits 10 minutes
    clock.advance(minutes=10)
    session = service.start_review()
    assert keys(session) == ["d/c0", "d/c1"]
    session.answer(Rating.GOOD)  # d/c0 graduates: a second answer, not new
    assert keys(service.start_review()) == ["d/c1"]


def test_reviews_per_day_limit(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(
        tmp_path, {"d.yaml": basic_deck(5)}, clock, new_per_day=5, reviews_per_day=3
    )
    answer_all(service.start_review(), Rating.EASY)  # all five due in 8 days
    clock.advance(days=8)
    session = service.start_review()
    assert keys(session) == ["d/c0", "d/c1", "d/c2"]
    session.answer(Rating.GOOD)
    assert keys(service.start_review()) == ["d/c1", "d/c2"]  # three a day, one done
    clock.advance(days=1)
    assert len(keys(service.start_review())) == 3  # a new day: three more


def test_new_items_are_mixed_among_reviews(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"d.yaml": basic_deck(6)}, clock, new_per_day=3)
    answer_all(service.start_review(), Rating.EASY)  # c0-c2, due in 8 days
    clock.advance(days=8)
    assert keys(service.start_review()) == ["d/c3", "d/c0", "d/c4", "d/c1", "d/c5", "d/c2"]


def test_suspended_and_buried_items_are_left_out(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"d.yaml": basic_deck(3)}, clock)
    service.store.set_flag("d/c0", suspended=True)
    service.store.set_flag("d/c1", buried_until=T0 + timedelta(hours=19))
    assert keys(service.start_review()) == ["d/c2"]
    clock.advance(days=1)
    assert keys(service.start_review()) == ["d/c1", "d/c2"]


def test_a_learning_item_comes_back_in_the_same_session(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = make_service(tmp_path, {"d.yaml": basic_deck(1)}, clock)
    session = service.start_review()
    assert session.answer(Rating.AGAIN) is not None  # back in one minute: shown early
    assert session.current is not None and session.current.key == "d/c0"
    clock.advance(minutes=1)
    session.answer(Rating.GOOD)  # ten minutes: still within learn-ahead
    clock.advance(minutes=10)
    assert session.answer(Rating.GOOD) is None  # graduated: due after today
    memory = service.store.memory("d/c0")
    assert memory is not None and memory.phase is Phase.REVIEW
    assert session.day_end is not None and memory.due is not None and memory.due > session.day_end
    assert session.answered == 3 and session.correct == 2


# --- siblings -----------------------------------------------------------------------


def test_siblings_are_never_in_the_same_queue(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"s.yaml": SIBLINGS}, clock)
    assert len(service.items) == 6
    assert keys(service.start_review()) == ["s/pair", "s/motto#c1", "s/single"]


def test_siblings_are_never_on_the_same_day(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"s.yaml": SIBLINGS}, clock)
    answer_all(service.start_review(), Rating.EASY)
    assert keys(service.start_review()) == []  # pair#r, motto#c2/c3 wait for tomorrow
    clock.advance(days=1)
    assert keys(service.start_review()) == ["s/pair#r", "s/motto#c2"]
    clock.advance(hours=2)
    assert keys(service.start_review()) == ["s/pair#r", "s/motto#c2"]  # nothing answered yet
    answer_all(service.start_review(), Rating.EASY)
    clock.advance(days=1)
    assert keys(service.start_review()) == ["s/motto#c3"]


def test_a_due_review_keeps_its_new_sibling_away(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"s.yaml": SIBLINGS}, clock)
    session = service.start_review()
    session.answer(Rating.EASY)  # s/pair: due in 8 days
    clock.advance(days=8)
    session = service.start_review()
    assert sorted(keys(session)) == ["s/motto#c1", "s/pair", "s/single"]  # not s/pair#r
    assert [i.key for i in session.queue][-1] == "s/pair"  # new ones mixed in


def test_a_sibling_answered_in_practice_does_not_block(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"s.yaml": SIBLINGS}, clock)
    practice = service.start_practice(seed=1)
    answer_all(practice, Rating.GOOD)
    assert keys(service.start_review()) == ["s/pair", "s/motto#c1", "s/single"]


# --- practice mode ---------------------------------------------------------------------


def test_practice_never_changes_the_schedule_but_logs_practice_rows(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = make_service(tmp_path, {"s.yaml": SIBLINGS, "d.yaml": basic_deck(3)}, clock)
    answer_all(service.start_review(["d"]), Rating.GOOD)
    store = service.store
    states = store.memories()
    assert set(states) == {"d/c0", "d/c1", "d/c2"}
    rows_before = len(store.reviews(include_undone=True))
    clock.advance(hours=1)
    session = service.start_practice(seed=7)
    assert sorted(keys(session)) == sorted(service.items)  # every item, siblings included
    assert session.preview() == {}
    session.answer(Rating.AGAIN)  # comes back within the session
    answered = answer_all(session, Rating.HARD)
    assert len(answered) == len(service.items)  # the rest, and the one again
    assert store.memories() == states
    assert session.memories == states
    rows = store.reviews(include_undone=True)[rows_before:]
    assert len(rows) == len(service.items) + 1
    assert {r.mode for r in rows} == {"practice"}
    assert all(r.due is None for r in rows)
    assert store.rebuild(service.scheduler) == 0
    assert store.memories() == states


def test_practice_undo_leaves_the_schedule_alone(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"d.yaml": basic_deck(2)}, clock)
    answer_all(service.start_review(), Rating.EASY)
    states = service.store.memories()
    session = service.start_practice(seed=3)
    first = session.current
    session.answer(Rating.GOOD)
    assert session.undo() is first
    assert service.store.memories() == states
    modes = [r.mode for r in service.store.reviews(include_undone=True)]
    assert modes[-1] == "practice" and len(service.store.reviews()) == 2  # the practice row undone


def test_practice_order_is_seeded_and_hardest_first_takes_only_hard_studied_cards(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = make_service(tmp_path, {"d.yaml": basic_deck(8)}, clock, new_per_day=8)
    assert keys(service.start_practice(seed=5)) == keys(service.start_practice(seed=5))
    assert keys(service.start_practice(seed=5)) != keys(service.start_practice(seed=6))
    session = service.start_review()
    for rating in [Rating.EASY, Rating.EASY, Rating.AGAIN]:
        session.answer(rating)  # c0, c1 easy; c2 forgotten
    clock.advance(days=3)
    order = keys(service.start_practice(seed=5, hardest_first=True))
    # c2 was answered Again; c0 and c1 (Easy, still above the target) and the unseen c3-c7
    # are not hard
    assert order == ["d/c2"]
    clock.advance(days=60)  # long overdue: every studied card is now below the target
    order = keys(service.start_practice(seed=5, hardest_first=True))
    recalls = [
        service.scheduler.retrievability(service.store.memory(k) or NEW, clock.moment)
        for k in order
    ]
    assert set(order) == {"d/c0", "d/c1", "d/c2"} and recalls == sorted(recalls)
    assert len(keys(service.start_practice(limit=3, seed=1))) == 3


# --- progress follows the ids --------------------------------------------------------


def reviewed(service: Service, key: str) -> None:
    """Answer ``key`` Easy in a review session of its deck (it must be offered)."""
    session = service.start_review()
    while session.current is not None and session.current.key != key:
        session.skip()
    assert session.current is not None, f"{key} not offered"
    session.answer(Rating.EASY)


def test_progress_is_kept_when_a_card_text_is_edited(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"d.yaml": basic_deck(2)}, clock)
    reviewed(service, "d/c1")
    state = service.store.memory("d/c1")
    (tmp_path / "decks" / "d.yaml").write_text(
        basic_deck(2).replace("question 1", "Which year, exactly?").replace("answer 1", "1998")
    )
    service.load()
    assert service.items["d/c1"].prompt == "Which year, exactly?"
    assert service.store.memory("d/c1") == state
    clock.advance(days=8)
    due = service.due_items()
    assert [(i.key, i.prompt) for i, _ in due] == [("d/c1", "Which year, exactly?")]


def test_progress_is_kept_when_cards_are_reordered_or_moved(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = make_service(tmp_path, {"d.yaml": basic_deck(3)}, clock)
    reviewed(service, "d/c0")
    decks = tmp_path / "decks"
    text = basic_deck(3)
    header, cards = text.split("cards:\n")
    blocks = ["  - id" + b for b in cards.split("  - id") if b]
    (decks / "d.yaml").unlink()
    (decks / "moved").mkdir()
    (decks / "moved" / "renamed.yaml").write_text(header + "cards:\n" + "".join(reversed(blocks)))
    service.load()
    assert service.problems == []
    assert [c.id for c in service.decks[0].cards] == ["c2", "c1", "c0"]
    assert service.decks[0].group == "moved"
    clock.advance(days=8)
    assert [i.key for i, _ in service.due_items()] == ["d/c0"]
    assert keys(service.start_review()) == [
        "d/c2",
        "d/c1",
        "d/c0",
    ]  # two new (in file order), one due


def test_renaming_a_file_without_an_id_loses_its_progress(
    tmp_path: Path, clock: MovableClock
) -> None:
    text = basic_deck(1).replace("id: d\n", "")
    service = make_service(tmp_path, {"docs.yaml": text}, clock)
    reviewed(service, "docs/c0")
    (tmp_path / "decks" / "docs.yaml").rename(tmp_path / "decks" / "documents.yaml")
    service.load()
    assert list(service.items) == ["documents/c0"]
    assert keys(service.start_review()) == ["documents/c0"]  # new again: set 'id:' to avoid this


def test_a_session_in_another_time_zone_rolls_over_at_four_local(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "d.yaml").write_text(basic_deck(4))
    moving = MovableClock(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))  # 19:00 in Ha Noi
    service = Service(
        Paths.resolve(tmp_path / "data"),
        clock=Clock(moving, zone("Asia/Ho_Chi_Minh")),
        deck_roots=[folder],
        config=Config(fuzz=False, new_per_day=1),
    )
    service.load()
    answer_all(service.start_review(), Rating.EASY)
    moving.moment = datetime(2026, 3, 2, 20, 59, tzinfo=UTC)  # 03:59 local
    assert keys(service.start_review()) == []
    moving.moment = datetime(2026, 3, 2, 21, 0, tzinfo=UTC)  # 04:00 local
    assert keys(service.start_review()) == ["d/c1"]


def test_an_undone_answer_does_not_keep_siblings_away(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"s.yaml": SIBLINGS}, clock)
    session = service.start_review()
    session.answer(Rating.EASY)
    assert service.store.studied_since(T0) == {"s/pair"}
    session.undo()
    assert service.store.studied_since(T0) == set()
    assert keys(service.start_review()) == ["s/pair", "s/motto#c1", "s/single"]
