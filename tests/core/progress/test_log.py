"""The review log: durable answers, undo, a log that only grows, the activity of a day."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from study.core.config import Config
from study.core.progress.schema import SCHEMA_VERSION
from study.core.progress.store import (
    Store,
    to_ms,
)
from study.core.scheduling.scheduler import NEW, Memory, Rating, Scheduler
from tests.conftest import T0, MovableClock, make_service
from tests.core.progress.stores import DECK, ONE_CARD, count_rows, database, raw

# --- answers are durable -------------------------------------------------------------------


def test_every_answer_is_committed_before_answer_returns(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = make_service(tmp_path, {"d.yaml": DECK}, clock)
    session = service.start_review()
    other = Store(database(service))  # a second process would see the same
    for number in range(1, 4):
        key = session.current.key if session.current else ""
        session.answer(Rating.GOOD, duration_ms=1500, answer="typed text")
        with raw(database(service)) as db:
            rows = db.execute(
                "SELECT item, rating, mode, duration_ms, answer FROM review"
            ).fetchall()
        assert len(rows) == number
        assert rows[-1] == (key, 3, "review", 1500, "typed text")
        assert other.memory(key) == session.memories[key]
        clock.advance(seconds=20)


def test_record_returns_the_row_id_and_writes_state(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    scheduler = Scheduler(Config(fuzz=False))
    after = scheduler.review(NEW, Rating.GOOD, T0)
    first = store.record("d/a", T0, Rating.GOOD, 100, "review", None, after)
    second = store.record("d/a", T0, Rating.AGAIN, 100, "practice", "x", None)
    assert second == first + 1
    assert store.memory("d/a") == after
    assert store.memory("d/b") is None
    assert [r.mode for r in store.reviews()] == ["review", "practice"]
    assert [r.id for r in store.reviews_of("d/a")] == [first]  # practice does not count
    assert store.last_review() is not None and store.last_review().id == second  # type: ignore[union-attr]
    assert store.reviews(since=T0 + timedelta(seconds=1)) == []


def test_the_last_review_is_the_latest_by_time_not_by_insertion(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    today = store.record("d/a", T0, Rating.GOOD, 100, "review", None, None)
    store.record("d/b", T0 - timedelta(days=30), Rating.GOOD, 100, "review", None, None)  # imported
    assert store.last_review().id == today  # type: ignore[union-attr]


def test_in_memory_store() -> None:
    store = Store(":memory:")
    assert store.path is None and store.schema_version == SCHEMA_VERSION
    store.set_meta("exam_date", "2026-06-01")
    assert store.get_meta("exam_date") == "2026-06-01"
    store.set_meta("exam_date", None)
    assert store.get_meta("exam_date") is None


# --- undo ---------------------------------------------------------------------------------


def test_undo_restores_the_state_and_appends_a_row(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"d.yaml": ONE_CARD}, clock)
    store, path = service.store, database(service)
    session = service.start_review()
    first = session.current
    assert first is not None
    session.answer(Rating.GOOD)
    clock.advance(minutes=10)
    before = store.memory(first.key)
    rows = count_rows(path)
    assert session.current is first  # back after ten minutes
    session.answer(Rating.EASY)
    assert store.memory(first.key) != before
    assert session.undo() is first
    assert store.memory(first.key) == before
    assert session.memories[first.key] == before
    assert count_rows(path) == rows + 2  # the answer and its undo row
    with raw(path) as db:
        undo = db.execute(
            "SELECT item, rating, mode, undoes FROM review ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert undo[:3] == (first.key, 0, "undo")
    assert store.reviews_of(first.key)[-1].rating == Rating.GOOD
    assert session.undo() is first  # the first answer too: new again
    assert store.memory(first.key) is None
    assert session.memory(first) == NEW
    assert count_rows(path) == rows + 3
    assert session.undo() is None  # nothing left to undo


def test_the_log_only_grows(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"d.yaml": DECK}, clock, new_per_day=12)
    rng = random.Random(5)
    session = service.start_review()
    counts = [count_rows(database(service))]
    for _ in range(60):
        if session.history and rng.random() < 0.3:
            session.undo()
        elif session.current is not None:
            session.answer(rng.choice(list(Rating)))
        clock.advance(minutes=rng.randint(1, 15))
        counts.append(count_rows(database(service)))
    assert counts == sorted(counts) and counts[-1] == 60


def test_day_activity_and_items_studied(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"d.yaml": DECK}, clock, new_per_day=3)
    session = service.start_review()
    for rating in (Rating.EASY, Rating.EASY, Rating.GOOD):
        session.answer(rating)
    clock.advance(days=8)
    day_start = clock.moment.replace(hour=4)
    session = service.start_review()
    assert session.current is not None and session.current.key == "d/c2"  # overdue learning first
    session.answer(Rating.GOOD)
    assert service.store.day_activity(day_start) == (set(), 1)
    reviewed = 1
    while session.current is not None and session.current.key in ("d/c0", "d/c1"):
        session.answer(Rating.GOOD)
        reviewed += 1
    assert session.current is not None
    new_key = session.current.key
    session.answer(Rating.GOOD)
    assert service.store.day_activity(day_start) == ({new_key}, reviewed)
    assert service.store.studied_since(day_start) == {"d/c2", new_key} | {
        k for k in ("d/c0", "d/c1") if service.store.reviews_of(k)[-1].at >= day_start
    }
    assert service.store.items_with_progress() == {"d/c0", "d/c1", "d/c2", new_key}


def test_the_days_activity_read_from_the_days_rows_equals_a_scan_of_the_whole_log(
    tmp_path: Path,
) -> None:
    """day_activity and studied_since read the day's rows by index; the reference, the whole log."""
    counted = (
        "FROM review WHERE due IS NOT NULL AND mode != 'undo' "
        "AND id NOT IN (SELECT undoes FROM review WHERE undoes IS NOT NULL)"
    )
    store, scheduler, rng = (
        Store(tmp_path / "p.sqlite3"),
        Scheduler(Config(fuzz=False)),
        random.Random(5),
    )
    items = [f"d/c{n}" for n in range(40)] + [f"d/c{n}#r" for n in range(10)]
    memories: dict[str, Memory] = {}
    at = T0 - timedelta(days=3)
    for _ in range(600):
        at += timedelta(minutes=rng.randint(1, 30))
        item = rng.choice(items)
        roll = rng.random()
        if roll < 0.1:
            store.record(
                item, at, Rating.GOOD, 0, "practice", None, None
            )  # no due date: not counted
            continue
        after = scheduler.review(memories.get(item, NEW), rng.choice(list(Rating)), at)
        review_id = store.record(item, at, Rating.GOOD, 0, "review", None, after)
        memories[item] = after
        if roll > 0.9:
            store.undo(item, review_id, at, scheduler, 8)
            memories.pop(item, None)
    for start in [T0 - timedelta(days=d, hours=h) for d in range(4) for h in (0, 7, 13)]:
        first = store.db.execute(
            f"SELECT item, MIN(at) {counted} GROUP BY item HAVING MIN(at) >= ?", (to_ms(start),)
        )
        new_items = {row[0] for row in first}
        today = [
            row[0]
            for row in store.db.execute(f"SELECT item {counted} AND at >= ?", (to_ms(start),))
        ]
        assert store.day_activity(start) == (new_items, sum(1 for i in today if i not in new_items))
        assert store.studied_since(start) == set(today)
        assert new_items and today, "the sample should have activity on every day tried"
