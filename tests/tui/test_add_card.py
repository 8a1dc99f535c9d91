"""The add-card form: live errors as the linter words them, saving byte for byte.

The card saved can be studied at once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Select, Static

from study.core.decks.loader import load_decks
from study.core.service import Service
from study.tui.app import StudyApp
from study.tui.dialogs.add_card import AddCardDialog, DiscardDialog
from study.tui.factory import make_app
from study.tui.screens.home import HomeScreen
from study.tui.screens.study import StudyScreen
from tests.conftest import MovableClock, make_service

DECK = """\
# My deck: a comment that must survive
title: Mine
sources:
  - {id: book, title: The book}
cards:
  - id: first
    front: Capital of Vietnam?   # trailing comment
    back: Hanoi
"""
OTHER = "title: Other\ncards:\n  - {id: x, front: q, back: a}\n"


@pytest.fixture(autouse=True)
def _no_watching(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        StudyApp, "WATCH_SECONDS", 0
    )  # these tests reload by saving, not by watching


@pytest.fixture
def service(tmp_path: Path, clock: MovableClock) -> Service:
    return make_service(tmp_path, {"mine.yaml": DECK}, clock)


def deck_file(tmp_path: Path, name: str = "mine.yaml") -> Path:
    return tmp_path / "decks" / name


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until the form's pending check (and any reload) has finished."""
    for _ in range(100):
        await pilot.pause(0.02)
        await pilot.app.workers.wait_for_complete()
        if not getattr(pilot.app.screen, "pending", False):
            break
    await pilot.pause()


async def open_form(pilot) -> AddCardDialog:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("n")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, AddCardDialog)
    return dialog


async def pick_type(pilot, dialog: AddCardDialog, name: str) -> None:  # type: ignore[no-untyped-def]
    """Choose a card type with keys: focus the type list, open it, move down to the name, Enter."""
    dialog.query_one("#type", Select).focus()
    await pilot.press("enter")
    await pilot.pause()
    for _ in range(["basic", "cloze", "typed", "choice", "list", "order"].index(name)):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)
    assert dialog.card_type.value == name


def problems(dialog: AddCardDialog) -> str:
    return str(dialog.query_one("#add-problems", Static).render())


def linter_errors(tmp_path: Path, text: str) -> list[str]:
    """What 'study lint' says about a deck file with this text."""
    path = tmp_path / "lint" / "mine.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return [p.message for p in load_decks([path]).errors]


async def test_cloze_with_an_error_then_fixed_is_saved_byte_for_byte_and_studyable(
    service: Service, tmp_path: Path
) -> None:
    before = deck_file(tmp_path).read_bytes()
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_form(pilot)
        assert "Add a card to Mine (mine.yaml)" in str(
            dialog.query_one("#add-title", Static).render()
        )
        await pick_type(pilot, dialog, "cloze")
        assert (
            not dialog.query_one("#field-front").display and dialog.query_one("#field-text").display
        )
        assert "{{c1::" in str(dialog.query_one("#text-hint", Static).render())
        await pilot.press("tab", *"Hanoi is the capital")
        await settle(pilot)
        expected = linter_errors(
            tmp_path,
            DECK + "  - id: hanoi-capital\n    type: cloze\n    text: Hanoi is the capital\n",
        )
        assert expected == ["a cloze needs a deletion such as {{c1::answer}}"]
        assert problems(dialog) == expected[0]
        assert dialog.query_one("#save", Button).disabled
        assert dialog.query_one("#text").has_class("error")
        await pilot.press("ctrl+s")  # refused: the file is not touched
        await pilot.pause()
        assert isinstance(app.screen, AddCardDialog)
        assert deck_file(tmp_path).read_bytes() == before
        await pilot.press(*["backspace"] * len("capital"), *"{{c1::capital}}")
        await settle(pilot)
        assert problems(dialog) == "✓ The card is valid: ctrl+s saves it."
        assert not dialog.query_one("#save", Button).disabled
        assert dialog.query_one("#id").placeholder.startswith("hanoi-capital (suggested")  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert deck_file(tmp_path).read_bytes() == before + (
            b"  - id: hanoi-capital\n    type: cloze\n    text: Hanoi is the {{c1::capital}}\n"
        )
        assert "mine/hanoi-capital#c1" in service.items
        assert "2 new" in str(app.screen.query_one("#status", Static).render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        await pilot.press("space", "3")
        await pilot.pause()
        assert "Hanoi is the [...]" in str(app.screen.query_one("#prompt", Static).render())
        await pilot.press("space", "3")
        assert [r.item for r in service.store.reviews()] == ["mine/first", "mine/hanoi-capital#c1"]


async def test_every_field_of_a_choice_card_with_source_tags_and_id(
    service: Service, tmp_path: Path
) -> None:
    before = deck_file(tmp_path).read_bytes()
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_form(pilot)
        await pick_type(pilot, dialog, "choice")
        await pilot.press("tab", *"Which city is the capital?", "tab", *"Hanoi", "tab")
        await pilot.press(*"Hue", "enter", *"Hanoi")  # a distractor equal to the answer
        await settle(pilot)
        assert problems(dialog) == "the answer 'Hanoi' is also a distractor: remove it"
        assert dialog.query_one("#distractors").has_class("error")
        await pilot.press(*["backspace"] * 5, *"Da Nang")
        dialog.query_one("#source", Select).value = "book"
        dialog.query_one("#tags").focus()
        await pilot.press(
            *"geo capitals", "tab", "tab", *"p. 3", "tab", *"Since 1976.", "tab", *"capital-city"
        )
        await settle(pilot)
        assert not dialog.query_one("#save", Button).disabled
        await pilot.click("#save")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    added = deck_file(tmp_path).read_bytes()
    assert added.startswith(before)
    assert added[len(before) :].decode() == (
        "  - id: capital-city\n    type: choice\n    front: Which city is the capital?\n"
        "    answer: Hanoi\n    distractors: [Hue, Da Nang]\n    tags: [geo, capitals]\n"
        "    source: {id: book, at: p. 3}\n    explain: Since 1976.\n"
    )
    card = next(i.card for i in service.items.values() if i.card.id == "capital-city")
    assert (
        card.source is not None
        and card.source.at == "p. 3"
        and card.distractors == ("Hue", "Da Nang")
    )


async def test_duplicate_id_is_reported_as_the_linter_does(
    service: Service, tmp_path: Path
) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_form(pilot)
        assert (
            problems(dialog) == "a basic card needs 'front': add it"
        )  # shown before anything is typed
        await pilot.press("tab", *"Q", "tab", *"A")
        dialog.query_one("#id").focus()
        await pilot.press(*"first")
        await settle(pilot)
        expected = linter_errors(
            tmp_path, DECK + "  - id: first\n    type: basic\n    front: Q\n    back: A\n"
        )
        assert (
            problems(dialog)
            == expected[0]
            == "duplicate card id 'first', first at line 6: make it unique"
        )
        assert dialog.query_one("#id").has_class("error")


async def test_escape_asks_before_discarding_a_filled_form(
    service: Service, tmp_path: Path
) -> None:
    before = deck_file(tmp_path).read_bytes()
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_form(pilot)
        await pilot.press("escape")  # nothing typed: closes at once
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await open_form(pilot)
        await pilot.press("tab", *"half a question", "escape")
        await pilot.pause()
        assert isinstance(app.screen, DiscardDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, AddCardDialog)
        assert app.screen.query_one("#front").value == "half a question"  # type: ignore[attr-defined]
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert deck_file(tmp_path).read_bytes() == before


async def test_folder_or_all_decks_asks_which_deck(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"mine.yaml": DECK, "other.yaml": OTHER}, clock)
    before = deck_file(tmp_path, "other.yaml").read_bytes()
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_form(pilot)  # the cursor is on "All decks"
        assert app.focused is dialog.query_one("#deck", Select)
        assert problems(dialog) == "pick the deck the card goes to"
        assert not dialog.query_one("#field-source").display  # no deck yet: no sources to pick
        assert not dialog.query_one("#source-note").display
        dialog.query_one("#deck", Select).value = "other"
        await settle(pilot)
        assert "Add a card to Other (other.yaml)" in str(
            dialog.query_one("#add-title", Static).render()
        )
        assert dialog.query_one("#source-note").display  # why there is no source to pick
        dialog.query_one("#front").focus()
        await pilot.press(*"Q2", "tab", *"A2", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert deck_file(tmp_path, "other.yaml").read_bytes() == before + (
        b'  - {id: "q2", type: "basic", front: "Q2", back: "A2"}\n'
    )  # the deck writes cards in flow style
    assert "other/q2" in service.items


async def test_command_palette_opens_the_form(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Add a card")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AddCardDialog)


async def test_cards_are_not_added_to_the_bundled_decks(
    tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An update of study replaces its bundled decks: a card added to one would be lost."""
    service = make_service(tmp_path, {"mine.yaml": DECK, "bundled/other.yaml": OTHER}, clock)
    monkeypatch.setattr("study.core.paths.bundled_decks", lambda: tmp_path / "decks" / "bundled")
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_form(pilot)  # "All decks": only the user's own deck is offered
        assert [d.id for d in dialog.decks] == ["mine"]
    monkeypatch.setattr("study.core.paths.bundled_decks", lambda: tmp_path / "decks")
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        [note] = [str(n.message) for n in app._notifications]
        assert (
            note.startswith("The bundled decks are replaced when study is updated")
            and "study new NAME" in note
        )
