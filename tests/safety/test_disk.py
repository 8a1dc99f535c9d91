"""A disk that fails under a sound database: full, read-only, the data folder deleted.

The answer is then NOT saved and the user is told so on one line, the app keeps
running with the card on screen, and no message calls the database damaged or
suggests moving it aside. A full disk is simulated with SQLite's own limit on the
file's size (``PRAGMA max_page_count``: the real ``SQLITE_FULL``), or with a
connection whose commit fails as SQLite's does on a full disk.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from study.core.config import Config
from study.core.progress.store import Store, StoreError, WriteError
from study.core.scheduling.scheduler import Rating, Scheduler
from study.core.service import Service
from study.tui.app import StudyApp
from study.tui.factory import make_app
from study.tui.screens.study import StudyScreen
from tests.conftest import T0, MovableClock, make_service

DECK = "title: D\nid: d\ncards:\n" + "".join(
    f"  - {{id: c{n}, front: 'Question {n}', back: 'Answer {n}'}}\n" for n in range(6)
)
SCHEDULER = Scheduler(Config(fuzz=False))
DAMAGE_WORDS = ("is damaged", "aside", "afresh", "restore")


def full(message: str = "database or disk is full", name: str = "SQLITE_FULL") -> sqlite3.Error:
    """An error as SQLite raises it (with its error name)."""
    error = sqlite3.OperationalError(message)
    error.sqlite_errorname = name
    return error


class FailingCommits:
    """A connection whose COMMIT fails (as on a full disk) while ``failing`` is set."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.failing = True

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if self.failing and sql == "COMMIT":
            raise full()
        return self.db.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)


def answer(store: Store, n: int, text: str | None = None) -> int:
    at = T0 + timedelta(minutes=n)
    return store.record_answer(f"d/c{n % 5}", at, Rating.GOOD, 900, text, SCHEDULER, 8)[0]


def replay_matches(store: Store) -> bool:
    return store.replay_all(SCHEDULER) == store.memories()


# --- the store ---------------------------------------------------------------------


def test_a_full_disk_refuses_the_answer_and_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    store = Store(tmp_path / "progress.sqlite3")
    answer(store, 0)
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk is nearly full
    saved = 1
    with pytest.raises(WriteError) as info:
        for n in range(1, 100):
            answer(store, n, "x" * 3000)  # a page or so per answer
            saved += 1
    assert 1 <= saved < 100
    assert "is full: free some space" in str(info.value) and info.value.retry
    assert not any(word in str(info.value) for word in DAMAGE_WORDS)
    assert not store.db.in_transaction
    assert store.db.execute("SELECT COUNT(*) FROM review").fetchone()[0] == saved
    assert store.integrity_check() == [] and replay_matches(store)
    store.db.execute("PRAGMA max_page_count = 1000000")  # space freed: the same answer works
    answer(store, saved, "x" * 3000)
    assert store.db.execute("SELECT COUNT(*) FROM review").fetchone()[0] == saved + 1
    store.close()


def test_a_failed_commit_is_rolled_back_and_reported(tmp_path: Path) -> None:
    store = Store(tmp_path / "progress.sqlite3")
    store.db = FailingCommits(store.db)  # type: ignore[assignment]
    with pytest.raises(WriteError, match="is full"):
        answer(store, 0)
    assert not store.db.in_transaction
    store.db.failing = False  # type: ignore[attr-defined]
    answer(store, 1)
    assert [r.item for r in store.reviews()] == ["d/c1"]
    store.close()


def test_an_error_that_is_not_the_disk_is_not_disguised(tmp_path: Path) -> None:
    store = Store(tmp_path / "progress.sqlite3")
    with pytest.raises(sqlite3.OperationalError, match="no such table"), store.transaction() as db:
        db.execute("INSERT INTO missing VALUES (1)")
    store.close()


def test_a_deleted_data_folder_stops_the_answers_being_saved_into_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    store = Store(folder / "progress.sqlite3")
    answer(store, 0)
    shutil.rmtree(folder)  # SQLite would go on writing to the open, deleted file
    with pytest.raises(WriteError) as info:
        answer(store, 1)
    assert "was deleted or moved away" in str(info.value) and "start study again" in str(info.value)
    assert not info.value.retry
    store.close()


def test_a_replaced_database_file_is_noticed_too(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    store = Store(path)
    answer(store, 0)
    os.replace(path, tmp_path / "moved.sqlite3")
    Store(path).close()  # a new file at the same path
    with pytest.raises(WriteError, match="deleted or moved away"):
        answer(store, 1)
    store.close()


def test_the_check_costs_one_stat_on_the_answer_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer path has a budget of 1 ms; the check for a vanished file is one stat()."""
    store = Store(tmp_path / "progress.sqlite3")
    calls: list[object] = []
    real_stat = os.stat

    def counting_stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        calls.append(path)
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", counting_stat)
    for _ in range(10):
        store._check_in_place()
    monkeypatch.undo()
    assert calls == [store.path] * 10
    store.close()


# --- opening on a failing disk -----------------------------------------------------


def _open_failing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: sqlite3.Error, free: int
) -> str:
    path = tmp_path / "progress.sqlite3"
    Store(path).close()

    def check(self: Store) -> None:
        raise error

    monkeypatch.setattr(Store, "_check_sound", check)
    monkeypatch.setattr(
        "study.core.disk.os.statvfs",
        lambda folder: SimpleNamespace(f_bavail=free, f_frsize=4096, f_flag=0),
    )
    with pytest.raises(StoreError) as info:
        Store(path)
    return str(info.value)


def test_starting_on_a_full_disk_is_not_called_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite says "disk I/O error" when it cannot grow its shared-memory file on a full disk."""
    message = _open_failing(
        tmp_path, monkeypatch, full("disk I/O error", "SQLITE_IOERR_SHMSIZE"), free=0
    )
    assert "is full: free some space, then try again" in message, message
    assert "not damaged" in message and not any(w in message for w in ("aside", "afresh"))


def test_a_disk_i_o_error_with_room_left_is_not_called_damage_either(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = _open_failing(
        tmp_path, monkeypatch, full("disk I/O error", "SQLITE_IOERR_READ"), free=1 << 20
    )
    assert "disk I/O error" in message and "check the disk" in message, message
    assert not any(w in message for w in ("aside", "afresh", "is damaged"))


def test_creating_the_database_on_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def no_space(path: Any, flags: int, *args: Any) -> int:
        if str(path).endswith("progress.sqlite3") and flags & os.O_CREAT:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr("study.core.progress.database.os.open", no_space)
    with pytest.raises(StoreError) as info:
        Store(tmp_path / "progress.sqlite3")
    assert "is full: free some space" in str(info.value)
    assert not any(w in str(info.value) for w in DAMAGE_WORDS)


# --- the app -------------------------------------------------------------------------


@pytest.fixture
def service(tmp_path: Path, clock: MovableClock) -> Service:
    return make_service(tmp_path, {"d.yaml": DECK}, clock)


def messages(app: StudyApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _reveal(app: StudyApp, pilot: Any) -> StudyScreen:
    await pilot.pause()
    await pilot.press("enter")  # study the highlighted deck
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, StudyScreen)
    await pilot.press("space")
    await pilot.pause()
    return screen


async def test_the_app_says_an_answer_was_not_saved_and_keeps_the_card(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await _reveal(app, pilot)
        shown = screen.item
        failing = FailingCommits(service.store.db)
        service.store.db = failing  # type: ignore[assignment]
        await pilot.press("3")
        await pilot.pause()
        [said] = [m for m in messages(app) if "NOT saved" in m]
        assert said.startswith("Your answer was NOT saved: the disk that holds ")
        assert said.endswith("is full: free some space, then answer again.")
        assert "\n" not in said and not any(w in said for w in DAMAGE_WORDS)
        assert app.screen is screen and screen.item is shown and screen.revealed
        assert service.store.reviews() == []
        failing.failing = False  # space freed: the same key saves it
        await pilot.press("3")
        await pilot.pause()
        assert [r.item for r in service.store.reviews()] == [shown.key]  # type: ignore[union-attr]
        assert screen.item is not shown


async def test_the_app_says_answers_stop_being_saved_when_the_data_folder_goes(
    service: Service,
) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await _reveal(app, pilot)
        shutil.rmtree(service.paths.data)
        await pilot.press("3")
        await pilot.pause()
        [said] = [m for m in messages(app) if "NOT saved" in m]
        assert "was deleted or moved away" in said and said.endswith("start study again.")
        assert app.screen is screen and screen.revealed and app.is_running


async def test_an_undo_or_flag_that_cannot_be_written_changes_nothing(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await _reveal(app, pilot)
        await pilot.press("3")
        await pilot.pause()
        service.store.db = FailingCommits(service.store.db)  # type: ignore[assignment]
        await pilot.press("u", "asterisk")
        await pilot.pause()
        [said] = [m for m in messages(app) if "NOT saved" in m]  # one toast for the two
        assert said.startswith("Still NOT saved (1 undo, 1 flag): the disk that holds ")
        assert said.endswith("is full: free some space, then press * again.")
        assert len(screen.session.history) == 1 and len(service.store.reviews()) == 1


async def test_repeated_failures_make_one_toast_that_counts_them(service: Service) -> None:
    """On a full disk each answer made a toast of its own: five covered the screen."""
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await _reveal(app, pilot)
        failing = FailingCommits(service.store.db)
        service.store.db = failing  # type: ignore[assignment]
        for _ in range(5):
            await pilot.press("3")
            await pilot.pause()
        [said] = [m for m in messages(app) if "NOT saved" in m]
        assert said.startswith("Still NOT saved (5 answers): the disk that holds ")
        assert said.endswith("is full: free some space, then answer again.")
        assert len(app.screen.query("Toast")) == 1
        failing.failing = False  # saved: the next failure is a new one
        await pilot.press("3")
        await pilot.pause()
        assert screen.session.history
        assert not [m for m in messages(app) if "NOT saved" in m]  # no longer true: taken down
        failing.failing = True
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        [said] = [m for m in messages(app) if "NOT saved" in m]
        assert said.startswith("Your answer was NOT saved: ")
