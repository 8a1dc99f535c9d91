"""The progress store: durable answers, undo, rebuild from the log, schema versions, leeches."""

from __future__ import annotations

import os
import random
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from study.core.config import Config
from study.core.progress.schema import MIGRATIONS, SCHEMA_VERSION
from study.core.progress.store import (
    Flags,
    Store,
    StoreError,
    from_ms,
    to_ms,
)
from study.core.review.session import StudySession
from study.core.scheduling.scheduler import NEW, Memory, Phase, Rating, Scheduler
from study.core.service import Service
from tests.conftest import T0, MovableClock, make_service

DECK = "title: D\nid: d\ncards:\n" + "".join(
    f"  - id: c{n}\n    front: question {n}\n    back: answer {n}\n" for n in range(12)
)
ONE_CARD = DECK.split("  - id: c1")[0]
SIBLINGS = """title: S
id: s
cards:
  - id: pair
    front: front
    back: back
    reverse: true
  - id: motto
    text: More {{c1::friends}}, fewer {{c2::enemies}}.
"""


@pytest.fixture
def umask() -> Iterator[None]:
    """A usual umask (022) for the permission tests, restored afterwards."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def raw(path: Path) -> sqlite3.Connection:
    """A second, independent connection to a progress database."""
    return sqlite3.connect(path)


def count_rows(path: Path, table: str = "review") -> int:
    with raw(path) as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def database(service: Service) -> Path:
    return service.paths.database


# --- opening -------------------------------------------------------------------------


def test_a_fresh_database_has_the_current_schema(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    assert store.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
    assert SCHEMA_VERSION >= 1
    with raw(tmp_path / "p.sqlite3") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"meta", "review", "item_state", "item_flag"} <= tables
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    assert (
        Store(tmp_path / "p.sqlite3").schema_version == SCHEMA_VERSION
    )  # reopening changes nothing


def test_a_version_1_database_is_migrated_and_keeps_its_log(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with raw(path) as db:
        db.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
        db.execute(
            "INSERT INTO review (item, at, rating, mode, due) VALUES ('d/a', 1, 3, 'review', 2)"
        )
    store = Store(path)
    assert store.schema_version == SCHEMA_VERSION
    assert [r.item for r in store.reviews()] == ["d/a"]


def test_the_study_day_migration_rebuilds_states_and_keeps_the_log(
    tmp_path: Path, clock: MovableClock
) -> None:
    """A version-4 file with states computed in whole 24-hour days: opening it rebuilds every
    state with elapsed study days (the issue's example: 10.97, not 7.32), keeps the log as it
    was and the due dates as logged, and does it once."""
    evening = datetime(2026, 3, 2, 21, 0, tzinfo=UTC)
    answers = [evening, evening + timedelta(minutes=10), datetime(2026, 3, 4, 8, 0, tzinfo=UTC)]
    old = Scheduler(Config(fuzz=False, day_starts_at=0))  # midnight, in UTC: 24-hour days
    memory = NEW
    for at in answers[:2]:
        memory = old.review(memory, Rating.GOOD, at)
    logged_due = datetime(2026, 3, 15, 8, 0, tzinfo=UTC)  # as a fuzzed review might have set it
    path = tmp_path / "data" / "progress.sqlite3"
    path.parent.mkdir(parents=True)
    with raw(path) as db:
        for statement in MIGRATIONS[:4]:
            db.executescript(statement)
        db.execute("PRAGMA user_version = 4")
        for at, due in zip(
            answers, [answers[1], answers[1] + timedelta(days=2), logged_due], strict=True
        ):
            db.execute(
                "INSERT INTO review (item, at, rating, mode, due) "
                "VALUES ('d/c0', ?, 3, 'review', ?)",
                (to_ms(at), to_ms(due)),
            )
        db.execute(
            "INSERT INTO item_state VALUES ('d/c0', 2, NULL, 7.32, ?, ?, ?, 3, 0)",
            (memory.difficulty, to_ms(logged_due), to_ms(answers[2])),
        )
        log = db.execute("SELECT * FROM review ORDER BY id").fetchall()
    service = make_service(tmp_path, {"d.yaml": DECK}, clock)
    assert service.paths.database == path
    state = service.store.memory("d/c0")
    assert state is not None and state.stability == pytest.approx(10.97, abs=0.005)
    assert state.due == logged_due and state.last_review == answers[2] and state.reps == 3
    assert service.store.schema_version == SCHEMA_VERSION
    assert service.store.get_meta("pending_rebuild") is None
    assert service.store.rebuild_pending(service.scheduler) is None  # done once
    with raw(path) as db:
        assert db.execute("SELECT * FROM review ORDER BY id").fetchall() == log


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    Store(path).close()
    with raw(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError) as info:
        Store(path)
    message = str(info.value)
    assert f"newer version of study (schema {SCHEMA_VERSION + 1})" in message
    assert "upgrade study" in message
    assert "\n" not in message
    with raw(path) as db:  # and it was left as it was
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    path.write_bytes(b"this is not SQLite, just some text that fills the header page" * 100)
    with pytest.raises(StoreError) as info:
        Store(path)
    message = str(info.value)
    assert str(path) in message and "not a database" in message and "\n" not in message
    assert path.read_bytes().startswith(b"this is not SQLite")  # left as it was


def test_files_are_private_to_their_owner(tmp_path: Path, clock: MovableClock, umask: None) -> None:
    service = make_service(tmp_path, {"d.yaml": DECK}, clock)
    service.start_review().answer(Rating.GOOD)
    data = service.paths.data
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE(database(service).stat().st_mode) == 0o600
    for extra in ("-wal", "-shm"):  # SQLite gives its side files the database's mode
        side = database(service).with_name(database(service).name + extra)
        if side.exists():
            assert stat.S_IMODE(side.stat().st_mode) == 0o600


def test_a_store_in_a_new_folder_creates_it_private(tmp_path: Path, umask: None) -> None:
    Store(tmp_path / "new" / "p.sqlite3").close()
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "new" / "p.sqlite3").stat().st_mode) == 0o600


def test_times_round_trip_through_milliseconds() -> None:
    moment = datetime(2026, 3, 2, 9, 0, 0, 123_000, tzinfo=UTC)
    assert to_ms(moment) == 1_772_442_000_123
    assert from_ms(to_ms(moment)) == moment
    assert from_ms(None) is None


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


# --- rebuild ----------------------------------------------------------------------------------


def study_days(service: Service, clock: MovableClock, rng: random.Random, days: int) -> int:
    """Study every day for ``days`` days, random answers and some undos; returns answers given."""
    answers = 0
    for _ in range(days):
        session = service.start_review()
        for _ in range(400):
            if session.current is None:
                break
            if session.history and rng.random() < 0.08:
                session.undo()
                continue
            session.answer(
                rng.choices(list(Rating), weights=[2, 1, 6, 2])[0],
                duration_ms=rng.randint(500, 20_000),
            )
            answers += 1
            clock.advance(seconds=rng.randint(5, 400))
        if rng.random() < 0.3:
            practice = service.start_practice(limit=5, seed=rng.randint(0, 99))
            while practice.current is not None:
                practice.answer(rng.choice(list(Rating)))
        clock.moment = clock.moment.replace(hour=9, minute=0) + timedelta(
            days=rng.choice([1, 1, 2, 3]), minutes=rng.randint(0, 600)
        )
    return answers


@pytest.mark.parametrize("fuzz", [False, True], ids=["fuzz-off", "fuzz-on"])
def test_rebuild_from_the_log_equals_the_live_state(
    tmp_path: Path, clock: MovableClock, fuzz: bool
) -> None:
    random.seed(99)  # fsrs draws its fuzz from the random module
    service = make_service(
        tmp_path, {"d.yaml": DECK, "s.yaml": SIBLINGS}, clock, fuzz=fuzz, new_per_day=4
    )
    answers = study_days(service, clock, random.Random(2026), days=40)
    store = service.store
    live = store.memories()
    assert answers > 150
    assert len(live) == len(service.items)
    assert Phase.REVIEW in {m.phase for m in live.values()}
    assert any(m.lapses for m in live.values())
    assert store.replay_all(service.scheduler) == live
    assert store.rebuild(service.scheduler) == 0
    assert store.memories() == live
    # a damaged state table is put right from the log
    with raw(database(service)) as db:
        db.execute("UPDATE item_state SET stability = 1000, due = 0 WHERE item = 'd/c0'")
        db.execute("DELETE FROM item_state WHERE item = 'd/c1'")
        db.execute("INSERT INTO item_state VALUES ('d/ghost', 2, NULL, 1, 5, 0, 0, 1, 0)")
    assert store.rebuild(service.scheduler) == 3
    assert store.memories() == live


def test_rebuild_with_other_settings_recomputes_memory_but_keeps_logged_dues(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = make_service(tmp_path, {"d.yaml": DECK}, clock)
    study_days(service, clock, random.Random(1), days=5)
    live = service.store.memories()
    changed = service.store.rebuild(Scheduler(Config(fuzz=False, desired_retention=0.8)))
    rebuilt = service.store.memories()
    assert {k: m.due for k, m in rebuilt.items()} == {k: m.due for k, m in live.items()}
    assert changed == sum(1 for k in live if rebuilt[k] != live[k])


# --- leeches and flags ----------------------------------------------------------------------------


def lapse(service: Service, clock: MovableClock, key: str) -> StudySession:
    """Move to when ``key`` is due and forget it (Again); returns the session."""
    memory = service.store.memory(key)
    assert memory is not None and memory.phase is Phase.REVIEW and memory.due is not None
    clock.moment = max(clock.moment, memory.due)
    session = service.start_review()
    assert session.current is not None and session.current.key == key
    session.answer(Rating.AGAIN)
    return session


def test_a_leech_is_flagged_and_suspended_and_undo_clears_it(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = make_service(tmp_path, {"d.yaml": ONE_CARD}, clock)
    store = service.store
    session = service.start_review()
    session.answer(Rating.EASY)  # d/c0 is in review
    for number in range(1, 8):
        session = lapse(service, clock, "d/c0")
        assert store.flags().get("d/c0", Flags()) == Flags()
        assert session.current is not None  # relearning: back in ten minutes
        clock.advance(minutes=10)
        session.answer(Rating.GOOD)
        assert store.memory("d/c0").lapses == number  # type: ignore[union-attr]
    before = store.memory("d/c0")
    session = lapse(service, clock, "d/c0")  # the eighth lapse
    assert store.memory("d/c0").lapses == 8  # type: ignore[union-attr]
    assert store.flags()["d/c0"] == Flags(leech=True, suspended=True)
    assert session.current is None  # not shown again
    assert service.start_review().current is None
    assert session.undo() is not None
    assert store.flags()["d/c0"] == Flags()
    assert store.memory("d/c0") == before
    assert service.start_review().current is not None


def test_unsuspending_a_leech_clears_the_leech_mark(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    store.record("d/a", T0, Rating.AGAIN, 0, "review", None, Memory(Phase.RELEARNING), leech=True)
    assert store.flags()["d/a"] == Flags(leech=True, suspended=True)
    store.set_flag("d/a", suspended=False)
    assert store.flags()["d/a"] == Flags()
    store.set_flag("d/a", flagged=True, buried_until=T0)
    assert store.flags()["d/a"] == Flags(flagged=True, buried_until=T0)
    store.set_flag("d/a", buried_until=None)
    assert store.flags()["d/a"] == Flags(flagged=True)


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
