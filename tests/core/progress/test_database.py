"""The progress database file: opening, schema versions and migrations, permissions, times."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from study.core.config import Config
from study.core.progress.schema import MIGRATIONS, SCHEMA_VERSION
from study.core.progress.store import (
    Store,
    StoreError,
    from_ms,
    to_ms,
)
from study.core.scheduling.scheduler import NEW, Rating, Scheduler
from tests.conftest import MovableClock, make_service
from tests.core.progress.stores import DECK, database, raw


@pytest.fixture
def umask() -> Iterator[None]:
    """A usual umask (022) for the permission tests, restored afterwards."""
    old = os.umask(0o022)
    yield
    os.umask(old)


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
