"""The app syncs while it runs: answers another data folder writes into the shared sync
folder reach the running app (its counts change) without a restart; its own answers go out
when a session ends; a bad file is one notice, never a crash."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest

from study.core.config import Config
from study.core.progress.store import Store
from study.core.progress.sync import sync
from study.core.scheduling.scheduler import Rating, Scheduler
from study.core.service import Service
from study.tui.app import StudyApp
from study.tui.factory import make_app
from study.tui.screens.home import HomeScreen
from study.tui.syncing import FolderSync
from tests.conftest import T0, MovableClock, make_service
from tests.tui.test_study_flow import DECK, text_of

SCHEDULER = Scheduler(Config(fuzz=False))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "shared"


@pytest.fixture
def service(tmp_path: Path, clock: MovableClock, folder: Path) -> Service:
    return make_service(tmp_path, {"demo.yaml": DECK}, clock, sync_folder=str(folder))


def other_machine_answers(tmp_path: Path, folder: Path, *items: str) -> None:
    """Another data folder answers ``items`` (a day ago) and syncs into the shared folder."""
    store = Store(tmp_path / "laptop" / "progress.sqlite3")
    for n, item in enumerate(items):
        at = T0 - timedelta(days=1) + timedelta(minutes=n)
        store.record_answer(item, at, Rating.GOOD, 1000, None, SCHEDULER, 8)
    sync(store, folder, "laptop", SCHEDULER, T0 - timedelta(hours=20))
    store.close()


async def settle(app: StudyApp, pilot, until: str, seconds: float = 10.0) -> str:  # type: ignore[no-untyped-def]
    """Let the workers run until the home screen's status holds ``until``."""
    deadline = time.monotonic() + seconds
    while True:
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = text_of(app, "#status")
        if until in status or time.monotonic() > deadline:
            return status
        await pilot.pause(0.05)


async def test_answers_from_another_machine_arrive_while_the_app_runs(
    tmp_path: Path, service: Service, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FolderSync, "SECONDS", 0.2)
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        status = await settle(app, pilot, "6 new")
        assert isinstance(app.screen, HomeScreen) and "6 new" in status
        assert folder.is_dir(), "the first sync ran after the first frame"
        other_machine_answers(tmp_path, folder, "demo/basic", "demo/typed")
        status = await settle(app, pilot, "4 new")
        assert "4 new" in status, status
        assert app.folder_sync.received == 2
        assert any(n.title == "Synced" for n in app._notifications)
    assert len(service.store.reviews()) == 2


async def test_a_finished_session_sends_its_answers(
    tmp_path: Path, service: Service, folder: Path
) -> None:
    app = make_app(service)  # the timer at its 60 s: only the start and the session's end
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot, "6 new")
        await pilot.press("enter", "space", "3")  # one card answered
        await pilot.pause()
        await pilot.press("escape", "escape")  # leave the answer box, end the session
        await pilot.pause()
        await app.workers.wait_for_complete()
        own = list(folder.glob("*.jsonl"))
        assert len(own) == 1 and own[0].read_text(encoding="utf-8").count("\n") == 1


async def test_a_bad_file_is_one_notice_and_studying_goes_on(
    tmp_path: Path, service: Service, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FolderSync, "SECONDS", 0.2)
    folder.mkdir()
    (folder / "junk.jsonl").write_bytes(b'\xff\xfe{"id": 3}\n{"id": "x", "item": 5}\n')
    (folder / "worse.jsonl").write_text(
        '{"id":"w:1","item":"demo/basic","at":1,"rating":9,"mode":"review","due":2}\n',
        encoding="utf-8",
    )
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(app, pilot, "6 new")
        await pilot.pause(0.5)  # a few more syncs: the same problems are not said again
        await app.workers.wait_for_complete()
        notices = [n for n in app._notifications if n.title == "Sync"]
        assert len(notices) == 1, [n.message for n in notices]
        assert "not a sync event" in notices[0].message and "2 more" in notices[0].message
        await pilot.press("enter", "space", "3")
        await pilot.pause()
    assert len(service.store.reviews()) == 1
