"""Hostile text in the app (issue 16): markup in files is shown as written, never parsed;
no control character reaches the terminal raw."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Static
from textual.widgets._toast import Toast

from study.core.scheduling.scheduler import Rating
from study.tui.app import StudyApp
from study.tui.factory import make_app
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
    app = make_app(service)
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
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        problems = str(app.screen.query_one("#problems", Static).render())
        assert "[@click=app.quit]x\\u001b]0;pwned\\u0007[/].yaml" in problems
        assert "\x1b" not in problems and "\x07" not in problems


MARKUP_DECK = """\
title: "[/b]Deck [@click=app.quit]q[/]"
id: m
sources:
  - {id: s, title: "[/i]Book", url: "[link=https://evil.example]u[/link]"}
cards:
  - {id: a, front: "[/x]front [link=https://evil.example]l[/link]", back: "[b]back",
     source: {id: s, at: "[@click=app.quit]p[/]"}, explain: "[@click=app.quit]why[/]"}
  - {id: b, type: choice, front: "pick [red]", answer: "[/]right", distractors: ["[/x]", "[b]"]}
  - {id: c, type: typed, front: "type [/]", back: "[/x]"}
"""


def rendered(app: StudyApp) -> str:
    """Every line on the screen as text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_markup_in_cards_is_shown_as_written_on_every_screen(
    tmp_path: Path, clock: MovableClock
) -> None:
    from study.tui.screens.stats import StatsScreen
    from study.tui.screens.summary import SummaryScreen

    service = make_service(tmp_path, {"m.yaml": MARKUP_DECK}, clock)
    assert service.problems == []
    app = make_app(service, review=["m"])
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert "[/x]front [link=https://evil.example]l[/link]" in rendered(app)
        await pilot.press("s")  # the source dialog: was markup, and '[/x]' raised MarkupError
        await pilot.pause()
        shown = rendered(app)
        assert "Source: “[/i]Book”" in shown and "Where: [@click=app.quit]p[/]" in shown
        assert "[@click=app.quit]why[/]" in shown and "[link=https://evil.example]u" in shown
        await pilot.press("escape", "space")
        await pilot.pause()
        assert "[b]back" in rendered(app)
        await pilot.press("4")
        await pilot.pause()
        assert "[/x]" in rendered(app) and "[b]" in rendered(app)  # the choice options
        await pilot.press("1", "4")
        await pilot.pause()
        app.post_message(events.Paste("[/]typed\x1b[2J"))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "you wrote [/]typed[2J" in rendered(app)  # pasted ESC dropped, markup kept
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)  # its title was '[b]...[/b]' markup
        assert "Session finished: [/b]Deck [@click=app.quit]q[/]" in rendered(app)
        # a lapse makes the first card one of the hardest (only studied hard cards are listed)
        service.store.record_answer(
            "m/a", clock.moment, Rating.AGAIN, 1000, None, service.scheduler, 8
        )
        app.push_screen(StatsScreen(service))
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        app.screen.query_one("#hardest").scroll_visible(animate=False)
        await pilot.pause()
        shown = rendered(app)
        assert "[/x]front [link=https://evil.example]l[/link]" in shown  # the hardest cards
        assert app.is_running
