"""The app in a narrow terminal: boxes fit the width, nothing is cut off."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._toast import Toast

from study.core.service import Service
from study.tui.app import StudyApp
from study.tui.factory import make_app
from study.tui.screens.summary import SummaryScreen
from study.tui.widgets.rating import RatingBar
from tests.conftest import MovableClock, make_service
from tests.tui.test_study_flow import DECK, start

BORDERS = "│╭╮╰╯─▔▁▎▊"


@pytest.fixture
def service(tmp_path: Path, clock: MovableClock) -> Service:
    long_title = DECK.replace("Demo", "Resolutions of the Central Military Commission")
    return make_service(tmp_path, {"demo.yaml": long_title}, clock)


def screen_text(app: StudyApp) -> str:
    """What the terminal shows, line by line, as plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def words_shown(app: StudyApp) -> str:
    """The screen's words in reading order, borders left out (a wrapped line reads on)."""
    return " ".join(screen_text(app).translate(str.maketrans("", "", BORDERS)).split())


@pytest.mark.parametrize("width", [60, 44])
async def test_the_summary_box_fits_a_narrow_terminal(service: Service, width: int) -> None:
    app = make_app(service)
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down")  # the deck, whose long title the summary names
        await start(app, pilot)
        await pilot.press("space", "4", "escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        box = app.screen.query_one("#summary")
        assert box.region.x >= 0 and box.region.right <= width, box.region
        shown = words_shown(app)
        for words in (
            "Session finished: Resolutions of the Central Military Commission",
            "Cards studied: 1",
            "Accuracy: 100% (answers other than Again)",
            "Due by the end of tomorrow:",
        ):
            assert words in shown, shown


@pytest.mark.parametrize("width", [100, 60])
async def test_a_toast_on_the_study_screen_leaves_the_ratings_visible(
    service: Service, width: int
) -> None:
    app = make_app(service)
    async with app.run_test(size=(width, 30), notifications=True) as pilot:
        await start(app, pilot)
        await pilot.press("space", "asterisk")  # the answer, then a flag: "Flagged ★"
        await pilot.pause()
        toasts = list(app.screen.query(Toast))
        assert toasts, "no toast shown"
        ratings = app.screen.query_one(RatingBar)
        assert ratings.display and ratings.region.height == 1
        for toast in toasts:
            assert not toast.region.overlaps(ratings.region), (toast.region, ratings.region)
