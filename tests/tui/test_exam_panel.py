"""The exam date on the home screen: the date form, the two-line panel, the full forecast, and
the forecast changing after studying."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Static

from study.core.service import Service
from study.tui.app import StudyApp
from study.tui.dialogs.exam_date import ExamDateDialog, ForecastDialog
from study.tui.factory import make_app
from study.tui.screens.home import HomeScreen
from study.tui.screens.study import StudyScreen
from study.tui.widgets.exam_panel import ExamPanel
from tests.conftest import MovableClock, make_service

DATES = "title: Dates\nid: dates\ncards:\n" + "".join(
    f"  - {{id: d{n}, front: 'When was document {n} signed?', back: '{n + 2} May {1990 + n}'}}\n"
    for n in range(1, 9)
)
SIZE = (80, 24)


@pytest.fixture
def service(tmp_path: Path, clock: MovableClock) -> Service:
    return make_service(tmp_path, {"dates.yaml": DATES}, clock)


def plain(renderable: object, width: int = 80) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


def panel_text(app: StudyApp) -> str:
    panel = app.screen.query_one(ExamPanel)
    return plain(panel.render(), panel.size.width)


async def settle(pilot: Pilot[int]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_d_sets_the_date_with_inline_checks_and_the_panel_shows_the_forecast(
    service: Service,
) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert not app.screen.query_one(ExamPanel).display  # no date: no panel
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExamDateDialog)
        check = dialog.query_one("#date-check", Static)
        await pilot.press(*"2026-13-01")
        assert "is not a date: write it as 2027-01-31, 31/01/2027" in str(
            check.render()
        ) and check.has_class("error")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and service.exam_date is None
        dialog.query_one(Input).value = "2026-02-27"  # the clock says 2 March 2026
        await pilot.pause()
        assert "27 February 2026 has passed" in str(check.render())
        dialog.query_one(Input).value = "9999-12-31"  # was set, then forecast for 20 s
        await pilot.pause()
        assert str(check.render()) == (
            "The exam date 9999-12-31 is more than 10 years away; give a date up to 2036-03-02."
        ) and check.has_class("error")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and service.exam_date is None
        dialog.query_one(Input).value = "16/03/2026"  # the forms the rest of the tool reads
        await pilot.pause()
        assert "Monday 16 March 2026" in str(check.render())
        dialog.query_one(Input).value = "2026-03-16"
        await pilot.pause()
        assert str(check.render()) == "Monday 16 March 2026: in 14 days." and not check.has_class(
            "error"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert service.exam_date == date(2026, 3, 16)
        forecast = service.forecast()
        panel = app.screen.query_one(ExamPanel)
        assert panel.display and panel.forecast == forecast
        shown = panel_text(app)
        assert shown.splitlines() == [
            (
                "Exam Mon 16 Mar, in 14 days · expected score 0% now, "
                f"{forecast.planned_score:.0%} on plan"
            ),
            (
                f"Plan: {forecast.new_per_day} new + ~{forecast.reviews_per_day:.0f} review a day "
                "· weakest: dates 0% · p plan · d date"
            ),
        ]
        assert forecast.new_per_day == 1 and round(forecast.reviews_per_day) == 1
        assert any("Exam date: Monday 16 March 2026" in n.message for n in app._notifications)


async def test_p_opens_the_full_forecast_and_d_there_clears_the_date(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = make_service(tmp_path, {"dates.yaml": DATES}, clock, new_per_day=2)
    service.set_exam_date(date(2026, 3, 4))
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = panel_text(app)
        assert (
            "⚠ 1 warning · p plan · d date" in shown
        )  # 8 new cards in 2 days at 2 a day: 4 left out
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ForecastDialog)
        text = plain(dialog.query_one("#forecast-text", Static).content, 96)
        assert "Exam on Wednesday 04 March 2026: in 2 days." in text
        assert "8 items, 8 never studied." in text
        assert "⚠ 4 new items cannot be introduced before 2026-03-04" in text
        assert "Decks, weakest first" in text and "dates" in text
        assert "The next days" in text
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ExamDateDialog)
        assert app.screen.query_one(Input).value == "2026-03-04"
        await pilot.click("#date-clear")
        await settle(pilot)
        assert service.exam_date is None
        assert not app.screen.query_one(ExamPanel).display


async def test_a_date_in_the_past_says_so_in_the_panel(service: Service) -> None:
    service.set_exam_date(date(2026, 2, 1))
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = panel_text(app)
        assert shown.splitlines() == [
            "Exam Sun 01 Feb 2026: the exam date 2026-02-01 is in the past",
            "d: set a new date or clear it",
        ]


async def test_the_forecast_changes_after_studying(service: Service) -> None:
    service.set_exam_date(date(2026, 3, 16))
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.screen.query_one(ExamPanel).forecast
        assert before is not None and before.expected_score == 0.0
        assert "expected score 0% now" in panel_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        for _ in range(4):
            await pilot.press("space", "3")
            await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        after = app.screen.query_one(ExamPanel).forecast
        assert after is not None and after == service.forecast()
        assert after.expected_score > 0 and after.new_items == 4
        assert f"expected score {after.expected_score:.0%} now" in panel_text(app)
