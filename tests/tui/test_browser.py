"""The card browser driven with key presses: search as you type, sorting, marking, the actions."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from study.core.progress.store import FORGET
from study.core.scheduling.scheduler import Rating
from study.core.service import Service
from study.tui.app import StudyApp
from study.tui.dialogs.exam_prompts import AskDialog
from study.tui.dialogs.history import HistoryDialog
from study.tui.factory import make_app
from study.tui.screens.browser import LIMIT, BrowserScreen
from study.tui.screens.home import HomeScreen
from study.tui.screens.study import StudyScreen
from study.tui.widgets.card_table import CardTable
from tests.conftest import MovableClock, make_service
from tests.core.review.test_browse import DECK, OTHER


def many(count: int) -> str:
    cards = "".join(
        f"  - id: q{n}\n    front: question {n}\n    back: answer {n}\n" for n in range(count)
    )
    return f"title: Many\nid: many\ncards:\n{cards}"


@pytest.fixture
def service(tmp_path: Path, clock: MovableClock) -> Service:
    return make_service(tmp_path, {"demo.yaml": DECK, "group/other.yaml": OTHER}, clock)


def status(app: StudyApp) -> str:
    return str(app.screen.query_one("#browser-status", Static).render())


def listed(app: StudyApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, BrowserScreen) and screen.index is not None
    return [screen.index.keys[i] for i in screen.query_one(CardTable).order]


async def settle(app: StudyApp, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def open_browser(app: StudyApp, pilot) -> BrowserScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("b")
    await settle(app, pilot)
    assert isinstance(app.screen, BrowserScreen)
    return app.screen


async def type_query(app: StudyApp, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    box = app.screen.query_one("#query", Input)
    box.focus()
    box.value = ""
    await pilot.press(
        *[{" ": "space", '"': "quotation_mark", "-": "minus"}.get(c, c) for c in text]
    )
    await settle(app, pilot)


async def test_b_lists_every_card_of_the_highlighted_deck(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browser(app, pilot)
        assert listed(app) == [
            "demo/capital",
            "demo/resolution",
            "demo/resolution#r",
            "demo/motto#c1",
            "demo/motto#c2",
            "other/one",
        ]
        assert status(app) == "6 cards"
        assert "Capital of Việt Nam?" in str(app.screen.query_one("#browser-preview").render())
        await pilot.press("escape", "escape")  # out of the search box, then back home
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_search_as_you_type_and_a_bad_query_with_its_column(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browser(app, pilot)
        await type_query(app, pilot, "friends")
        assert listed(app) == ["demo/motto#c1", "demo/motto#c2"]
        assert status(app) == "2 cards matching “friends” (of 6)"
        await type_query(app, pilot, "viet -deck:other")
        assert listed(app) == ["demo/capital"]
        app.screen.query_one("#query", Input).value = "viet is:nothing"  # pasted, say
        await settle(app, pilot)
        assert status(app).startswith("Query: column 9: is:nothing is not a state")
        assert listed(app) == ["demo/capital"]  # the last results stay
        app.screen.query_one("#query", Input).value = "deck:nosuch"
        await settle(app, pilot)
        assert "column 6: no deck or folder is named 'nosuch'" in status(app)


async def test_sorting_with_o_and_by_clicking_a_title(service: Service) -> None:
    service.store.record_answer(
        "other/one", service.clock.now(), Rating.GOOD, 0, None, service.scheduler, 8
    )
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browser(app, pilot)
        await pilot.press("down")  # to the list
        await pilot.press("o")  # by card
        await settle(app, pilot)
        assert listed(app)[:2] == ["demo/resolution#r", "other/one"]
        assert "by card ▲" in status(app)
        await pilot.press("O")
        await settle(app, pilot)
        assert listed(app)[-2:] == ["other/one", "demo/resolution#r"]
        await pilot.click("#cards", offset=(54, 0))  # the title of the due column
        await settle(app, pilot)
        assert "by due ▲" in status(app)
        assert listed(app)[0] == "other/one"  # the only one with a due date
        await pilot.click("#cards", offset=(54, 0))
        await settle(app, pilot)
        assert "by due ▼" in status(app)
        assert listed(app)[-1] == "other/one"


async def test_mark_suspend_unsuspend_and_unflag(service: Service) -> None:
    service.store.set_flag("demo/resolution", flagged=True)
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await open_browser(app, pilot)
        await pilot.press("down", "space", "space")  # mark the first two (the cursor moves on)
        assert "2 marked" in status(app)
        await pilot.press("s")
        await settle(app, pilot)
        flags = service.store.flags()
        assert flags["demo/capital"].suspended and flags["demo/resolution"].suspended
        assert not flags.get("demo/resolution#r") or not flags["demo/resolution#r"].suspended
        assert any(n.message == "Suspended 2 cards; u undoes it." for n in app._notifications)
        await type_query(app, pilot, "is:suspended")
        assert listed(app) == ["demo/capital", "demo/resolution"]
        await pilot.press("down", "a")  # mark every card found
        assert "2 marked" in status(app)
        await pilot.press("U")
        await settle(app, pilot)
        assert not any(f.suspended for f in service.store.flags().values())
        assert listed(app) == []  # none is suspended any more
        await type_query(app, pilot, "is:flagged")
        await pilot.press("down", "f")  # no mark: the highlighted card
        await settle(app, pilot)
        assert not service.store.flag("demo/resolution").flagged
        assert screen.marked == set()


async def test_u_undoes_the_browser_actions_one_by_one_and_says_what(service: Service) -> None:
    store = service.store
    store.set_flag("demo/resolution", flagged=True)
    store.set_flag("demo/capital", suspended=True)
    before = store.flags()
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await open_browser(app, pilot)
        await pilot.press("down", "a", "s")  # suspend every card (one was suspended already)
        await settle(app, pilot)
        assert all(f.suspended for f in store.flags().values())
        await type_query(app, pilot, "is:flagged")
        await pilot.press("down", "f")  # unflag the highlighted card
        await settle(app, pilot)
        assert not store.flag("demo/resolution").flagged
        await pilot.press("u")  # the unflag first
        await settle(app, pilot)
        assert store.flag("demo/resolution").flagged
        assert app._notifications and list(app._notifications)[-1].message == (
            "Undid: unflag of 1 card (flagged again)."
        )
        await pilot.press("u")  # then the suspend: only the cards it changed
        await settle(app, pilot)
        assert store.flags() == before
        assert "Undid: suspend of" in list(app._notifications)[-1].message
        await pilot.press("u")
        await settle(app, pilot)
        assert list(app._notifications)[-1].message.startswith("Nothing to undo here")
        assert store.flags() == before


async def test_forget_asks_first_then_resets_keeping_the_log_and_u_undoes_it(
    service: Service,
) -> None:
    store = service.store
    store.record_answer(
        "demo/capital", service.clock.now(), Rating.GOOD, 0, None, service.scheduler, 8
    )
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browser(app, pilot)
        await pilot.press("down", "F")
        await pilot.pause()
        assert isinstance(app.screen, AskDialog)
        await pilot.press("n")
        await settle(app, pilot)
        assert store.memory("demo/capital") is not None
        await pilot.press("F")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert store.memory("demo/capital") is None
        assert [r.mode for r in store.reviews()] == ["review", FORGET]
        assert store.memories() == store.replay_all(service.scheduler)
        assert listed(app)[0] == "demo/capital"
        assert "new" in str(app.screen.query_one(CardTable).get_row_at(0)[3])
        await pilot.press("u")  # the forget undone: the answer counts again
        await settle(app, pilot)
        assert store.memory("demo/capital") is not None
        assert [r.mode for r in store.reviews()] == ["review"]
        assert store.memories() == store.replay_all(service.scheduler)


async def test_history_dialog_lists_the_answers(service: Service) -> None:
    store = service.store
    store.record_answer(
        "demo/capital", service.clock.now(), Rating.AGAIN, 0, "Saigon", service.scheduler, 8
    )
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browser(app, pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HistoryDialog)
        table = app.screen.query_one("#history-steps")
        assert [str(c) for c in table.get_row_at(0)] == [
            "2026-03-02 09:00",
            "Again",
            "review",
            "Saigon",
            "1m",
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)


async def test_cram_the_cards_found(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browser(app, pilot)
        await type_query(app, pilot, "friends")
        await pilot.press("down", "c")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.session.left == 2
        assert app.screen.item is not None and app.screen.item.key == "demo/motto#c1"


async def test_edit_opens_the_editor_at_the_card_line(
    service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "editor.sh"
    script.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$(dirname "$0")/editor-args"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browser(app, pilot)
        await pilot.press("down", "down", "e")  # the second card: demo/resolution, line 8
        await settle(app, pilot)
        args = (tmp_path / "editor-args").read_text().split()
        assert args == ["+8", str(tmp_path / "decks" / "demo.yaml")]
        assert isinstance(app.screen, BrowserScreen)


async def test_a_large_collection_lists_the_first_rows_and_counts_the_rest(
    tmp_path: Path, clock: MovableClock
) -> None:
    assert LIMIT < 600
    service = make_service(tmp_path, {"many.yaml": many(600)}, clock)
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browser(app, pilot)
        assert status(app) == f"Showing {LIMIT} of 600 cards"
        assert len(listed(app)) == LIMIT
        await type_query(app, pilot, '"question 59"')  # 59, 590-599
        assert status(app) == '11 cards matching “"question 59"” (of 600)'
        await pilot.press("down", "a", "s")  # every card found, not only those listed
        await settle(app, pilot)
        assert sum(f.suspended for f in service.store.flags().values()) == 11
