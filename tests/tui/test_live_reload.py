"""Deck files changed while the app runs: errors come and go on the home screen, the rest goes on.

Sessions and progress go on through the changes.

Most tests call ``app.check_decks()`` (what the timer calls every second) so they
do not depend on time; one test lets the real timer find the change.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from study.core.service import Service
from study.tui.app import StudyApp
from study.tui.factory import make_app
from study.tui.screens.home import HomeScreen
from study.tui.screens.study import StudyScreen
from tests.conftest import MovableClock, make_service
from tests.tui.test_study_flow import DECK

BROKEN = (
    "title: Mottos\ncards:\n  - id: m1\n    front: Four no's?\n"
    "  - id: m2\n    text: no deletion here\n"
)
FIXED = (
    "title: Mottos\ncards:\n  - id: m1\n    front: Four no's?\n    back: no alliances\n"
    "  - id: m2\n    text: More {{c1::friends}}\n"
)


@pytest.fixture(autouse=True)
def _no_timer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StudyApp, "WATCH_SECONDS", 0)


@pytest.fixture
def service(tmp_path: Path, clock: MovableClock) -> Service:
    return make_service(tmp_path, {"demo.yaml": DECK}, clock)


def decks(tmp_path: Path) -> Path:
    return tmp_path / "decks"


def text_of(app: StudyApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def messages(app: StudyApp) -> list[str]:
    return [n.message for n in app._notifications]


async def check(pilot) -> None:  # type: ignore[no-untyped-def]
    """One tick of the watcher, then wait for the reload and the counts it starts."""
    pilot.app.check_decks()
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def edit(path: Path, old: str, new: str) -> None:
    """Change a deck file as an editor would (a new modification time, even within a clock tick)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    before = path.stat().st_mtime_ns
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


async def test_broken_file_shows_errors_then_fixed_they_go_and_progress_is_kept(
    service: Service, tmp_path: Path
) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("enter", "space", "3", "escape")  # answer one card, end the session
        await pilot.pause()
        await pilot.press("enter")
        await check(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not app.screen.query_one("#problems").display
        assert "5 new" in text_of(app, "#status")

        (decks(tmp_path) / "policy").mkdir()
        mottos = decks(tmp_path) / "policy" / "mottos.yaml"
        mottos.write_text(BROKEN, encoding="utf-8")
        await check(pilot)
        problems = text_of(app, "#problems")
        assert app.screen.query_one("#problems").display
        assert "policy/mottos.yaml:3: a basic card needs 'back': add it" in problems
        assert "policy/mottos.yaml:6: a cloze needs a deletion such as {{c1::answer}}" in problems
        assert messages(app)[-1] == (
            "Added policy/mottos.yaml: 2 errors\n"
            "policy/mottos.yaml:3: a basic card needs 'back': add it\n"
            "policy/mottos.yaml:6: a cloze needs a deletion such as {{c1::answer}}"
        )
        assert "5 new" in text_of(app, "#status")  # the good deck is still there, its progress too

        edit(mottos, BROKEN, FIXED)
        await check(pilot)
        assert not app.screen.query_one("#problems").display
        assert messages(app)[-1] == "Reloaded policy/mottos.yaml: no errors"
        assert "2 decks, 8 cards" in text_of(app, "#status") and "7 new" in text_of(app, "#status")
        assert service.store.memory("demo/basic") is not None

        await pilot.press("a")  # keep studying: the fixed deck's cards are there
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert "demo/basic" not in {i.key for i in app.screen.session.queue}
        keys = {app.screen.session.current.key} | {i.key for i in app.screen.session.queue}  # type: ignore[union-attr]
        assert {"mottos/m1", "mottos/m2#c1"} <= keys
        await pilot.press("space", "3")
        assert len(service.store.reviews()) == 2


async def test_nothing_changed_means_no_reload(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        loaded = service.loaded
        await check(pilot)
        assert service.loaded is loaded and messages(app) == []


async def test_the_timer_notices_a_change_by_itself(
    service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(StudyApp, "WATCH_SECONDS", 0.05)
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        (decks(tmp_path) / "broken.yaml").write_text("title: [oops\n", encoding="utf-8")
        panel = app.screen.query_one("#problems", Static)
        for _ in range(200):  # bounded: ten seconds at most
            await pilot.pause(0.05)
            if panel.display:
                break
        assert "broken.yaml:2:" in str(panel.render())


async def test_current_card_edited_in_the_file_shows_its_new_text(
    service: Service, tmp_path: Path
) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "Capital of Vietnam?" in text_of(app, "#prompt")
        edit(
            decks(tmp_path) / "demo.yaml",
            "Capital of Vietnam?",
            "Which city is the capital of Viet Nam?",
        )
        await check(pilot)
        assert isinstance(app.screen, StudyScreen)
        assert "Which city is the capital of Viet Nam?" in text_of(app, "#prompt")
        await pilot.press("space", "3")
        assert [r.item for r in service.store.reviews()] == [
            "demo/basic"
        ]  # same card, same progress


async def test_deleted_cards_leave_the_queue_and_an_unchanged_card_keeps_the_typed_answer(
    service: Service, tmp_path: Path
) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "space", "3", "space", "3")  # now on the typed card
        await pilot.pause()
        screen = app.screen
        assert (
            isinstance(screen, StudyScreen)
            and screen.item is not None
            and screen.item.key == "demo/typed"
        )
        await pilot.press(*"31 Dec")
        left = screen.session.left
        edit(
            decks(tmp_path) / "demo.yaml",
            "  - id: list\n    type: list\n    front: Three colours\n"
            "    items: [red, green, blue]\n",
            "",
        )
        await check(pilot)
        assert screen.session.left == left - 1
        assert "demo/list" not in {i.key for i in screen.session.queue}
        assert (
            screen.query_one(Input).value == "31 Dec"
        )  # the card on screen did not change: kept as is
        assert f"{left - 1} left" in text_of(app, "#progress")


async def test_the_card_on_screen_deleted_moves_on(service: Service, tmp_path: Path) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        edit(
            decks(tmp_path) / "demo.yaml",
            "  - id: basic\n    front: Capital of Vietnam?\n    back: Hanoi\n"
            '    source: {id: s, at: "first paragraph"}\n'
            "    explain: The seat of government.\n",
            "",
        )
        await check(pilot)
        assert "Viet Nam wants [...]" in text_of(app, "#prompt")
        assert "The card on screen was removed from its deck file." in messages(app)


async def test_a_half_edited_deck_keeps_its_cards_in_the_session_until_it_is_fixed(
    service: Service, tmp_path: Path
) -> None:
    deck = decks(tmp_path) / "demo.yaml"
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        left = screen.session.left
        edit(deck, "cards:\n", "cards: [oops\n")  # saved halfway: the whole file fails
        await check(pilot)
        assert service.decks == [] and isinstance(app.screen, StudyScreen)
        assert screen.session.left == left and "Capital of Vietnam?" in text_of(app, "#prompt")
        edit(deck, "cards: [oops\n", "cards:\n")
        edit(
            deck,
            "  - id: cloze\n    text: Viet Nam wants {{c1::more friends}}, fewer enemies.\n",
            "",
        )
        await check(pilot)  # fixed, and one card really deleted: that one leaves
        assert screen.session.left == left - 1
        assert "demo/cloze#c1" not in {i.key for i in screen.session.queue}
        await pilot.press("space", "3")
        await pilot.pause()
        assert "806-NQ/QUTW" in text_of(app, "#prompt")


def editor_script(tmp_path: Path) -> Path:
    """An $EDITOR that records its arguments and rewrites the card's question (as sed -i would)."""
    script = tmp_path / "editor.sh"
    script.write_text(
        '#!/bin/sh\nprintf "%s\\n" "$@" > "$(dirname "$0")/editor-args"\n'
        'sed -i "s/Capital of Vietnam?/Capital city of Vietnam?/" "$2"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


async def edit_with_e(app: StudyApp, pilot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert "Capital of Vietnam?" in text_of(app, "#prompt")
    await pilot.press("e")
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, StudyScreen)
    assert "Capital city of Vietnam?" in text_of(app, "#prompt")
    deck = decks(tmp_path) / "demo.yaml"
    assert (tmp_path / "editor-args").read_text().split() == [
        "+5",
        str(deck),
    ]  # the card's line, its file


async def test_e_without_a_terminal_to_lend_runs_the_editor_anyway_and_reloads(
    service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under run_test the driver cannot suspend (SuspendNotSupported): the editor runs detached."""
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor_script(tmp_path)))
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await edit_with_e(app, pilot, tmp_path)
        assert any("without the terminal" in m for m in messages(app))


async def test_e_with_a_terminal_suspends_runs_the_editor_and_reloads(
    service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor_script(tmp_path)))
    app = make_app(service)
    suspended: list[bool] = []

    @contextlib.contextmanager
    def suspend():  # type: ignore[no-untyped-def]
        suspended.append(True)
        yield

    monkeypatch.setattr(app, "suspend", suspend)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await edit_with_e(app, pilot, tmp_path)
        assert suspended == [True]
        assert not any("without the terminal" in m for m in messages(app))


async def test_e_with_a_missing_editor_says_so(
    service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("e")
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        assert isinstance(app.screen, StudyScreen)
        assert any(
            m.startswith(f"Cannot run the editor '{tmp_path / 'no-such-editor'}'")
            for m in messages(app)
        )
