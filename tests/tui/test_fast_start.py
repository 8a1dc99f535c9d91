"""The app opened from the decks' catalog (nothing changed since the last run), and its footer."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from study.core.service import Service
from study.tui.app import StudyApp
from study.tui.factory import make_app
from study.tui.screens.study import StudyScreen
from study.tui.widgets.keybar import KeyBar
from tests.conftest import MovableClock, make_service
from tests.tui.test_study_flow import DECK


def SlowLoadApp(service: Service, *, load_decks: bool) -> StudyApp:
    """The app with the decks' load put off beyond the test: what it does comes from the catalog."""
    app = make_app(service, load_decks=load_decks)
    app.LOAD_AFTER_SECONDS = 600.0
    return app


async def test_home_and_a_review_session_come_from_the_catalog_before_the_load(
    from_catalog: Service,
) -> None:
    app = SlowLoadApp(from_catalog, load_decks=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.query_one("#status", Static).render())
        assert status.startswith("2 decks, 12 cards.") and "12 new" in status
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert not from_catalog.ready, "the session started without loading the decks"
        await pilot.press("space", "3")
        await pilot.pause()
        assert [r.rating for r in from_catalog.store.reviews()] == [3]


async def test_what_needs_the_decks_starts_their_load_and_says_so(from_catalog: Service) -> None:
    app = SlowLoadApp(from_catalog, load_decks=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("x")  # a mock exam needs every card
        await pilot.pause()
        assert any("still loading" in str(n.message) for n in app._notifications)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert from_catalog.ready
        await pilot.press("x")
        await pilot.pause()
        assert type(app.screen).__name__ == "ExamSetupDialog"


async def test_a_session_from_the_catalog_takes_the_cards_of_the_load(
    from_catalog: Service,
) -> None:
    app = SlowLoadApp(from_catalog, load_decks=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        shown = screen.session.current
        app.ensure_loaded()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert from_catalog.ready and screen.session.current is from_catalog.items[shown.key]  # type: ignore[union-attr]


async def test_a_click_on_a_key_in_the_footer_presses_it(
    tmp_path: Path, clock: MovableClock
) -> None:
    app = make_app(make_service(tmp_path, {"demo.yaml": DECK}, clock))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        start = next(start for start, _, key in bar._keys if key == "a")
        await pilot.click(KeyBar, offset=(start + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        bar = app.screen.query_one(KeyBar)
        assert "Show answer" in str(bar.render()) and "palette" in str(bar.render())
