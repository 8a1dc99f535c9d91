"""A full disk when a mock exam is handed in, or when the exam date is set.

The app used to end (one line, exit 1) and the result on screen was lost. Now the result
stays on screen, marked NOT saved with the reason on one line; ctrl+s (the hand-in key)
saves it once there is room, without storing it twice. A refused exam date is said NOT
saved and the form opens on it again. The full disk is simulated as in ``test_disk``: a
connection whose COMMIT fails as SQLite's does on a full disk.
"""

from __future__ import annotations

import io
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from study.cli import main
from study.core.exams.questions import QuestionKind
from study.core.exams.record import exam_history
from study.core.exams.spec import ExamSpec
from study.core.progress.store import WriteError
from study.core.service import Service
from study.tui.app import StudyApp
from study.tui.dialogs.exam_date import ExamDateDialog
from study.tui.dialogs.exam_prompts import AskDialog
from study.tui.factory import make_app
from study.tui.screens.exam import ExamScreen
from study.tui.screens.exam_results import ExamResultsScreen
from study.tui.screens.home import HomeScreen
from tests.conftest import MovableClock, make_service
from tests.safety.test_disk import DAMAGE_WORDS, full

DECK = "title: D\nid: d\ncards:\n" + "".join(
    f"  - {{id: c{n}, front: 'Question {n}', back: 'Answer {n}'}}\n" for n in range(6)
)
SPEC = ExamSpec(questions=3, minutes=30, seed=4, kinds=(QuestionKind.CHOICE,))


class FailingCommits:
    """A connection whose COMMITs fail (a full disk) once ``good`` of them have gone through."""

    def __init__(self, db: sqlite3.Connection, good: int = 0) -> None:
        self.db = db
        self.good = good
        self.failing = True

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if self.failing and sql == "COMMIT":
            if self.good <= 0:
                raise full()
            self.good -= 1
        return self.db.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)


@pytest.fixture
def service(tmp_path: Path, clock: MovableClock) -> Service:
    return make_service(tmp_path, {"d.yaml": DECK}, clock)


def said(app: StudyApp) -> list[str]:
    return [str(n.message) for n in app._notifications if "NOT saved" in str(n.message)]


async def settle(pilot: Pilot[int]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def hand_in_on_a_full_disk(app: StudyApp, pilot: Pilot[int]) -> FailingCommits:
    """Sit a three-question exam, answer the first one right, and hand it in: the disk is full."""
    await settle(pilot)
    session = app.service.build_exam(SPEC)
    app.push_screen(ExamScreen(app.service, session))
    await settle(pilot)
    await pilot.press(str(session.current.solution[0] + 1))
    await pilot.pause()
    failing = FailingCommits(app.service.store.db)
    app.service.store.db = failing  # type: ignore[assignment]
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(app.screen, AskDialog)
    await pilot.press("y")
    await settle(pilot)
    return failing


# --- the core --------------------------------------------------------------------------


def test_the_session_keeps_a_refused_result_and_saves_it_once_later(service: Service) -> None:
    session = service.build_exam(SPEC)
    session.answer(0, session.current.solution[0])
    failing = FailingCommits(service.store.db)
    service.store.db = failing  # type: ignore[assignment]
    result = session.submit()  # used to raise WriteError
    assert result is session.result and not result.exam_id and result.score == 1.0
    assert session.save_error is not None and "is full" in session.save_error.problem
    assert session.save() is not None  # still full: still kept, still unsaved
    failing.failing = False
    assert session.save() is None and session.save_error is None
    assert session.result is not None and session.result.exam_id
    assert session.save() is None  # saving again stores nothing more
    assert [r.score for r in exam_history(service.store)] == [1.0]


def test_time_running_out_on_a_full_disk_keeps_the_result_too(
    service: Service, clock: MovableClock
) -> None:
    """The clock hands the exam in from the screen's timer: a raise there ended the app."""
    session = service.build_exam(SPEC)
    session.answer(0, session.current.solution[0])
    service.store.db = FailingCommits(service.store.db)  # type: ignore[assignment]
    clock.advance(minutes=31)
    result = session.tick()
    assert result is not None and result.timed_out and not result.exam_id
    assert session.save_error is not None and session.finished


def test_a_retry_after_the_exam_row_was_written_only_adds_the_reviews(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = make_service(tmp_path, {"d.yaml": DECK}, clock, exam_counts_as_review=True)
    session = service.build_exam(SPEC)
    for n in range(3):
        session.answer(n, session.questions[n].solution[0])
    failing = FailingCommits(service.store.db, good=2)  # the exam and one review go through
    service.store.db = failing  # type: ignore[assignment]
    session.submit()
    assert session.save_error is not None and session.result is not None
    first_id = session.result.exam_id
    assert first_id and len(service.store.reviews()) == 1
    failing.failing = False
    assert session.save() is None
    assert [r.id for r in exam_history(service.store)] == [first_id]  # not stored twice
    assert len(service.store.reviews()) == 3  # each item counted once


# --- the app ---------------------------------------------------------------------------


async def test_handing_in_on_a_full_disk_keeps_the_results_and_ctrl_s_saves_them(
    service: Service,
) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        failing = await hand_in_on_a_full_disk(app, pilot)
        assert app.is_running
        screen = app.screen
        assert isinstance(screen, ExamResultsScreen) and screen.unsaved
        [line] = said(app)
        assert line.startswith("The exam result was NOT saved: the disk that holds ")
        assert line.endswith("is full: free some space, then press ctrl+s (it stays on screen).")
        assert "\n" not in line and not any(w in line for w in DAMAGE_WORDS)
        assert "NOT saved" in str(screen.query_one("#results-title").render())
        assert "Score 1 / 3" in str(screen.query_one("#results-score").render())
        assert exam_history(service.store) == []
        await pilot.press("r")
        await pilot.pause()
        assert any(
            "not saved yet, so its mistakes cannot be retaken" in str(n.message)
            for n in app._notifications
        )
        await pilot.press("ctrl+s")  # still full: said again (one toast), still there
        await pilot.pause()
        [line] = said(app)
        assert line.startswith("Still NOT saved (2 attempts): the disk that holds ")
        assert app.screen is screen and screen.unsaved
        failing.failing = False  # space freed
        await pilot.press("ctrl+s")
        await pilot.pause()
        [row] = exam_history(service.store)
        assert not screen.unsaved and screen.result.exam_id == row.id
        assert f"Exam {row.id}:" in str(screen.query_one("#results-title").render())
        assert said(app) == []  # the NOT saved toast, no longer true, is taken down
        await pilot.press("ctrl+s")  # nothing left to save
        await pilot.pause()
        assert len(exam_history(service.store)) == 1


async def test_leaving_unsaved_results_asks_first(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await hand_in_on_a_full_disk(app, pilot)
        screen = app.screen
        await pilot.press("escape")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AskDialog)
        assert "NOT saved: leaving loses it" in str(dialog.query_one("#ask-text").render())
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is not screen and app.is_running


async def test_setting_the_exam_date_on_a_full_disk_says_so_and_d_tries_again(
    service: Service,
) -> None:
    app = make_app(service)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        failing = FailingCommits(service.store.db)
        service.store.db = failing  # type: ignore[assignment]
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExamDateDialog)
        await pilot.press(*"2026-03-16", "enter")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, HomeScreen)
        [line] = said(app)
        assert line.startswith("The exam date was NOT saved: the disk that holds ")
        assert line.endswith("is full: free some space, then press d and Enter.")
        assert service.exam_date is None
        failing.failing = False
        await pilot.press("d")  # the form opens on the date that was refused
        await pilot.pause()
        assert isinstance(app.screen, ExamDateDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert service.exam_date == date(2026, 3, 16) and said(app) == []


def test_the_command_line_prints_a_refused_result_then_says_it_was_not_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``study exam`` used to say 'nothing was saved' and drop the marked answers unseen."""
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "d.yaml").write_text(DECK, encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n1\n1\n"))

    def no_room(*args: Any) -> int:
        raise WriteError("the disk that holds /x is full: free some space")

    monkeypatch.setattr("study.core.exams.record.save_exam", no_room)
    argv = ["exam", "--seed", "1", "--questions", "3", "--kinds", "choice", "--decks", str(folder)]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 1 and "Score: " in out
    assert err.strip() == (
        "study: the exam result was NOT saved: the disk that holds /x is full: free some space"
    )
