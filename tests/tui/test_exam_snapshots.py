"""Snapshots of the exam screens and the home panel at 80x24 (fixed clock and seed, no blinking)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from study.tui.app import StudyApp
from study.tui.factory import make_app
from study.tui.screens.exam import ExamScreen
from tests.conftest import MovableClock, make_service
from tests.tui.test_exam_flow import ALL_KINDS, EXAM_DECK, right_keys, wrong_keys
from tests.tui.test_exam_panel import DATES

SIZE = (80, 24)


def _app(tmp_path: Path, decks: dict[str, str]) -> StudyApp:
    app = make_app(make_service(tmp_path, decks, MovableClock()))
    app.WATCH_SECONDS = 0
    return app


async def _steady(pilot: Pilot[int]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


async def _sit(pilot: Pilot[int]) -> ExamScreen:
    await _steady(pilot)
    app = pilot.app
    assert isinstance(app, StudyApp)
    screen = ExamScreen(app.service, app.service.build_exam(ALL_KINDS))
    app.push_screen(screen)
    await _steady(pilot)
    return screen


def test_exam_choice_question_with_answered_flagged_and_open_ones(
    snap_compare, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    async def run(pilot: Pilot[int]) -> None:
        screen = await _sit(pilot)
        await pilot.press(*right_keys(screen.session.questions[0]))  # 1 answered
        await pilot.press("f", "right")  # 2 flagged, left open
        await pilot.press(*"15 March", "enter")  # 3 answered
        await _steady(pilot)

    assert snap_compare(
        _app(tmp_path, {"practice.yaml": EXAM_DECK}), terminal_size=SIZE, run_before=run
    )


def test_exam_matching_question(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def run(pilot: Pilot[int]) -> None:
        await _sit(pilot)
        await pilot.press("b", "a")
        await _steady(pilot)

    assert snap_compare(
        _app(tmp_path, {"practice.yaml": EXAM_DECK}), terminal_size=SIZE, run_before=run
    )


def test_exam_results(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def run(pilot: Pilot[int]) -> None:
        screen = await _sit(pilot)
        for n, question in enumerate(screen.session.questions):
            await pilot.press(*(wrong_keys(question) if n in (0, 2) else right_keys(question)))
            await pilot.pause()
        await pilot.press("y")
        await _steady(pilot)

    assert snap_compare(
        _app(tmp_path, {"practice.yaml": EXAM_DECK}), terminal_size=SIZE, run_before=run
    )


def test_home_with_the_exam_panel(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = _app(tmp_path, {"dates.yaml": DATES, "practice.yaml": EXAM_DECK})
    app.service.set_exam_date(date(2026, 3, 16))
    assert snap_compare(app, terminal_size=SIZE, run_before=_steady)
