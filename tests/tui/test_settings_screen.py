"""The settings screen: checked as typed, saved with the comments kept, in effect at once;
the theme persists."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from study.core.config import load_config
from study.core.service import Service
from study.tui.app import StudyApp
from study.tui.factory import make_app
from study.tui.screens.home import HomeScreen
from study.tui.screens.settings import SettingsScreen
from tests.conftest import MovableClock, make_service

DECK = "title: Mine\ncards:\n  - {id: a, front: q, back: a}\n  - {id: b, front: r, back: b}\n"


@pytest.fixture(autouse=True)
def _no_watching(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StudyApp, "WATCH_SECONDS", 0)


@pytest.fixture
def service(tmp_path: Path, clock: MovableClock) -> Service:
    svc = make_service(tmp_path, {"mine.yaml": DECK}, clock)
    svc.paths.config.parent.mkdir(parents=True, exist_ok=True)
    svc.paths.config.write_text("# keep me\nnew_per_day = 20  # mine\n", encoding="utf-8")
    return svc


def error(screen: SettingsScreen, name: str) -> str:
    return str(screen.query_one(f"#error-{name}", Static).render())


async def test_edits_are_checked_saved_and_used_at_once(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        retention = screen.query_one("#field-desired_retention", Input)
        assert retention.has_focus and retention.value == "0.9"
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "reviews a day over the next year (2 study items, 20 new a day)" in str(
            screen.query_one("#workload", Static).render()
        )
        retention.value = "0.5"
        await pilot.pause()
        assert error(screen, "desired_retention") == "Must be between 0.7 and 0.99"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen  # refused
        assert "Not saved: fix Desired retention first." in [n.message for n in app._notifications]
        retention.value = "0.95"
        screen.query_one("#field-new_per_day", Input).value = "7"
        await pilot.pause()
        assert error(screen, "desired_retention") == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    text = service.paths.config.read_text(encoding="utf-8")
    assert text.startswith("# keep me\nnew_per_day = 7  # mine\n")
    assert "desired_retention = 0.95" in text
    assert load_config(service.paths.config)[0] == service.config
    assert service.config.desired_retention == 0.95 and service.config.new_per_day == 7
    assert service.scheduler.desired_retention == 0.95  # the scheduler was made again


async def test_esc_with_unsaved_changes_asks_once(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#field-day_starts_at", Input).value = "5"
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert service.config.day_starts_at == 4
    assert "day_starts_at" not in service.paths.config.read_text(encoding="utf-8")


async def test_the_chosen_theme_persists(service: Service, tmp_path: Path) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.theme = "nord"  # as the palette's "Change theme" does
        await pilot.pause()
    assert 'theme = "nord"' in service.paths.config.read_text(encoding="utf-8")
    assert service.config.theme == "nord"
    again = Service(service.paths, clock=service.clock, deck_roots=service.deck_roots())
    again.load()
    app = make_app(again)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
    again.close()
