"""``study review``: the app opened straight on today's first card."""

from __future__ import annotations

import os
from datetime import UTC
from pathlib import Path

from study.core.clock import Clock
from study.core.config import Config
from study.core.paths import Paths
from study.core.scheduling.scheduler import Rating
from study.core.service import Service
from study.tui.app import StudyApp
from study.tui.factory import make_app
from study.tui.screens.home import HomeScreen
from study.tui.screens.study import StudyScreen
from study.tui.screens.summary import SummaryScreen
from tests.conftest import MovableClock, make_service
from tests.tui.conftest import OLD_NS
from tests.tui.test_study_flow import DECK


def review_app(service: Service, names: list[str], *, load_decks: bool = True) -> StudyApp:
    """The app as ``study review NAMES`` opens it, the background load put off beyond the test."""
    app = make_app(service, load_decks=load_decks, review=names)
    app.LOAD_AFTER_SECONDS = 600.0
    return app


def messages(app: StudyApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_the_first_screen_is_the_first_card_and_the_session_ends_on_the_home_screen(
    from_catalog: Service,
) -> None:
    app = review_app(from_catalog, [])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.title_text == "All decks"
        assert not from_catalog.ready, "the first card came from the catalog"
        await pilot.press("space", "3")
        await pilot.pause()
        assert [r.rating for r in from_catalog.store.reviews()] == [Rating.GOOD]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("a")  # the home screen works as usual
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert [type(s) for s in app.screen_stack] == [StudyScreen, HomeScreen], (
            "the first screen stays below"
        )


async def test_a_folder_or_a_deck_id_narrows_the_review(from_catalog: Service) -> None:
    for names, decks, title in (
        (["more"], {"other"}, "more"),
        (["demo"], {"demo"}, "Demo"),
        (["more/", "demo"], {"demo", "other"}, "more/, demo"),
    ):
        app = review_app(from_catalog, names)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, StudyScreen) and screen.title_text == title
            session = screen.session
            shown = [session.current, *session.queue]
            assert {item.card.deck_id for item in shown if item is not None} == decks


async def test_an_unknown_name_opens_the_home_screen_and_says_so(from_catalog: Service) -> None:
    app = review_app(from_catalog, ["demo", "nosuch"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("No deck or folder is named 'nosuch'" in m for m in messages(app))


async def test_with_nothing_due_the_home_screen_says_so(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = make_service(tmp_path, {"demo.yaml": DECK}, clock)
    service.load()
    session = service.start_review()
    while session.current is not None:  # everything answered Easy: nothing comes back today
        session.answer(Rating.EASY)
    app = review_app(service, [], load_decks=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Nothing to study in All decks right now. Press c to cram it." in messages(app)


async def test_without_a_catalog_the_review_opens_once_the_decks_are_loaded(
    tmp_path: Path, clock: MovableClock
) -> None:
    make_service(tmp_path, {"demo.yaml": DECK}, clock).close()  # a first run that left no catalog
    service = Service(
        Paths.resolve(tmp_path / "data"),
        clock=Clock(clock, UTC),
        deck_roots=[tmp_path / "decks"],
        config=Config(fuzz=False),
    )
    assert not service.open_catalog() and not service.ready
    app = review_app(service, ["demo"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert service.ready and isinstance(app.screen, StudyScreen)
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen), (
            "the home screen under the review is the first one"
        )


async def test_decks_read_before_the_app_still_leave_a_catalog_for_the_next_start(
    tmp_path: Path, clock: MovableClock
) -> None:
    """``study review NAME`` without a catalog reads the decks before the screen (to check the
    names); the app must still save the catalog (and make the day's backup), or every later
    start reads every deck again."""
    make_service(tmp_path, {"demo.yaml": DECK}, clock).close()  # a first run that left no catalog
    for path in (tmp_path / "decks").rglob("*.yaml"):
        os.utime(path, ns=(OLD_NS, OLD_NS))  # settled files: a catalog may be written

    def opened() -> Service:
        return Service(
            Paths.resolve(tmp_path / "data"),
            clock=Clock(clock, UTC),
            deck_roots=[tmp_path / "decks"],
            config=Config(fuzz=False),
        )

    service = opened()
    assert not service.open_catalog()
    service.load()  # as the command line does, to check the names
    service.store.record_answer(  # some progress, which the day's backup keeps
        "demo/basic", service.clock.now(), Rating.GOOD, 0, None, service.scheduler, 8
    )
    app = review_app(service, ["demo"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
    service.close()
    again = opened()
    assert again.open_catalog(), "no catalog was saved: the next start reads every deck again"
    assert list(again.paths.backups.glob("*")), "no backup was made today"
    again.close()
