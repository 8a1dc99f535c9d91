"""Hostile text in the app (issue 16): markup in files is shown as written, never parsed;
no control character reaches the terminal raw."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static
from textual.widgets._toast import Toast

from study.tui.app import StudyApp
from study.tui.screens.home import HomeScreen
from tests.conftest import MovableClock, make_service
from tests.tui.test_live_reload import check, edit
from tests.tui.test_study_flow import DECK

MARKUP = ("[/x]", "[link=https://evil.example]x[/link]", "[@click=app.quit]quit[/]", "[b]")


@pytest.fixture(autouse=True)
def _no_timer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StudyApp, "WATCH_SECONDS", 0)


def toasts(app: StudyApp) -> str:
    return "\n".join(str(toast.render()) for toast in app.screen.query(Toast))


@pytest.mark.parametrize("markup", MARKUP)
async def test_markup_in_a_changed_deck_file_is_shown_as_written(
    tmp_path: Path, clock: MovableClock, markup: str
) -> None:
    service = make_service(tmp_path, {"demo.yaml": DECK}, clock)
    app = StudyApp(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        edit(tmp_path / "decks" / "demo.yaml", "    type: typed\n", f"    type: {markup!r}\n")
        await check(pilot)
        assert app.is_running and isinstance(app.screen, HomeScreen)
        assert f"unknown card type {markup!r}" in toasts(app)  # the toast, as written
        problems = str(app.screen.query_one("#problems", Static).render())
        assert f"unknown card type {markup!r}" in problems
    assert app.return_code in (None, 0)


async def test_a_file_name_with_markup_and_escapes_is_shown_literally(
    tmp_path: Path, clock: MovableClock
) -> None:
    name = "[@click=app.quit]x\x1b]0;pwned\x07[/].yaml"
    service = make_service(tmp_path, {"demo.yaml": DECK, name: "title: T\ncards: 3\n"}, clock)
    app = StudyApp(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        problems = str(app.screen.query_one("#problems", Static).render())
        assert "[@click=app.quit]x\\u001b]0;pwned\\u0007[/].yaml" in problems
        assert "\x1b" not in problems and "\x07" not in problems
