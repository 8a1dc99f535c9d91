"""The app driven with real key presses: what is shown, and what is saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from study.core.service import Service
from study.tui.app import StudyApp
from study.tui.factory import make_app
from study.tui.screens.home import HomeScreen
from study.tui.screens.study import StudyScreen
from study.tui.screens.summary import SummaryScreen
from tests.conftest import MovableClock, make_service

DECK = """\
title: Demo
sources:
  - {id: s, title: The source, author: An Author, date: "2014"}
cards:
  - id: basic
    front: Capital of Vietnam?
    back: Hanoi
    source: {id: s, at: "first paragraph"}
    explain: The seat of government.
  - id: cloze
    text: Viet Nam wants {{c1::more friends}}, fewer enemies.
  - id: typed
    type: typed
    front: Date of Resolution 806-NQ/QUTW?
    back: 31 December 2013
  - id: choice
    type: choice
    front: Which body issued Resolution 806?
    answer: Central Military Commission
    distractors: [Politburo, National Assembly, Secretariat]
  - id: list
    type: list
    front: Three colours
    items: [red, green, blue]
  - id: order
    type: order
    front: Order these years
    items: ["2005", "2013", "2025"]
"""


@pytest.fixture
def service(tmp_path: Path, clock: MovableClock) -> Service:
    return make_service(tmp_path, {"demo.yaml": DECK}, clock)


def text_of(app: StudyApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def reviews(service: Service) -> list[tuple[str, int, str, str | None]]:
    return [(r.item, r.rating, r.mode, r.answer) for r in service.store.reviews()]


async def start(app: StudyApp, pilot, key: str = "enter") -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, StudyScreen)


async def test_home_lists_decks_and_totals(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        status = text_of(app, "#status")
        assert "1 deck, 6 cards" in status and "6 new" in status
        assert not app.screen.query_one("#problems").display


async def test_home_shows_deck_errors_and_keeps_good_decks(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = make_service(tmp_path, {"demo.yaml": DECK, "broken.yaml": "title: [oops\n"}, clock)
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        problems = text_of(app, "#problems")
        assert "broken.yaml:2:" in problems and "invalid YAML" in problems
        await start(app, pilot)


async def test_basic_card_reveal_and_rate_saves_before_next(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        assert "Capital of Vietnam?" in text_of(app, "#prompt")
        assert text_of(app, "#answer") == ""
        await pilot.press("space")
        assert "Hanoi" in text_of(app, "#answer")
        assert "seat of government" in text_of(app, "#answer")
        await pilot.press("3")
        assert reviews(service) == [("demo/basic", 3, "review", None)]
        assert "Viet Nam wants [...]" in text_of(app, "#prompt")


async def test_a_click_on_a_rating_rates_and_the_suggested_one_is_marked(service: Service) -> None:
    from study.tui.widgets.rating import RatingBar

    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("space")
        bar = app.screen.query_one(RatingBar)
        assert bar.display and [bar.label(r) for r in bar.intervals] == [
            "1 Again · 1m",
            "2 Hard · 6m",
            "3 Good · 10m",
            "4 Easy · 8d",
        ]
        start_x, _, rating = bar._spans[1]
        assert rating == 2
        assert "2 Hard · 6m" in str(bar.render())[start_x:]
        await pilot.click(RatingBar, offset=(start_x + 1, 0))
        await pilot.pause()
        assert reviews(service) == [("demo/basic", 2, "review", None)]
        await pilot.press("space", "3", "space", "3")  # the cloze, then a typed card answered wrong
        await pilot.press(*"1 January 2014", "enter")
        await pilot.pause()
        assert bar.suggested == 1 and bar.label(bar.suggested).endswith(" ◂")
        spans = bar.render().spans  # Again (suggested), Hard, Good, Easy
        assert [bool(s.style.reverse) for s in spans] == [True, False, False, False]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("columns", "shown"), [(100, "4 Easy · 8d"), (64, "4 Easy · 8d"), (44, "4 Easy")]
)
async def test_the_ratings_fit_a_narrow_terminal(
    service: Service, columns: int, shown: str
) -> None:
    from study.tui.widgets.rating import RatingBar

    app = make_app(service)
    async with app.run_test(size=(columns, 24)) as pilot:
        await start(app, pilot)
        await pilot.press("space")
        await pilot.pause()
        line = str(app.screen.query_one(RatingBar).render())
        assert line.rstrip().endswith(shown) and len(line) <= columns
        assert all(
            f"{n} {name}" in line for n, name in enumerate(("Again", "Hard", "Good", "Easy"), 1)
        )


async def test_cloze_blank_is_filled_in_place(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("space", "3")
        assert "Viet Nam wants [...], fewer enemies." in text_of(app, "#prompt")
        await pilot.press("space")
        assert "Viet Nam wants [more friends], fewer enemies." in text_of(app, "#prompt")


async def test_typed_answer_is_graded_and_stored(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("space", "3", "space", "3")
        assert "806-NQ/QUTW" in text_of(app, "#prompt")
        await pilot.pause()
        footer = text_of(app, "KeyBar")  # keys that type into the answer box are not offered
        assert "esc Leave the box" in footer and not any(
            k in footer for k in ("Bury", "Suspend", "Flag", "Undo", "Help")
        )
        await pilot.press(*"31/12/2013", "enter")
        await pilot.pause()
        assert "✓ Right" in text_of(app, "#answer")
        assert "- Bury" in text_of(app, "KeyBar")
        await pilot.press("enter")  # accept the suggested rating
        last = service.store.reviews()[-1]
        assert (last.item, last.answer) == ("demo/typed", "31/12/2013")
        assert last.rating in (3, 4)


async def test_wrong_typed_answer_suggests_again_and_override_counts_good(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("space", "3", "space", "3")
        await pilot.press(*"1 January 2014", "enter")
        await pilot.pause()
        assert "Not quite" in text_of(app, "#answer")
        screen = app.screen
        assert isinstance(screen, StudyScreen) and int(screen.suggested or 0) == 1
        await pilot.press("o")  # "I was right"
        assert service.store.reviews()[-1].rating == 3


async def test_choice_list_and_order_cards(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("space", "3", "space", "3", *"31 Dec 2013", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        from study.tui.widgets.answer import ChoiceAnswer

        choices = screen.query_one(ChoiceAnswer).choices
        right = choices.index("Central Military Commission") + 1
        await pilot.press(str(right))
        await pilot.pause()
        assert "✓ Right" in text_of(app, "#answer")
        await pilot.press("enter")
        assert service.store.reviews()[-1].answer == "Central Military Commission"
        await pilot.pause()
        for line in ("red", "blue", "purple"):
            await pilot.press(*line, "enter")
        await pilot.press("enter")
        await pilot.pause()
        answer = text_of(app, "#answer")
        assert "✗ 2. green" in answer and "matched no item: purple" in answer
        assert int(screen.suggested or 0) == 1
        await pilot.press("2")
        assert service.store.reviews()[-1].answer == "red\nblue\npurple"
        await pilot.pause()
        from study.tui.widgets.answer import OrderAnswer

        order = screen.query_one(OrderAnswer)
        while order.order != [0, 1, 2]:  # sort by moving items with the keys a person would use
            index = next(i for i in range(2) if order.order[i] > order.order[i + 1])
            order.highlighted = index
            await pilot.press("J")
        await pilot.press("enter")
        await pilot.pause()
        assert "3 of 3 in place" in text_of(app, "#answer")
        await pilot.press("enter")
        assert service.store.reviews()[-1].item == "demo/order"


async def test_undo_takes_back_the_last_answer(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("space", "4")
        assert len(service.store.reviews()) == 1
        await pilot.press("u")
        await pilot.pause()
        assert service.store.reviews() == []
        assert len(service.store.reviews(include_undone=True)) == 1  # the log only grows
        assert service.store.memory("demo/basic") is None
        assert "Capital of Vietnam?" in text_of(app, "#prompt")


async def test_escape_leaves_answer_box_then_letter_keys_work(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("space", "3", "space", "3")
        await pilot.press("u")  # typed into the answer box, not an undo
        assert len(service.store.reviews()) == 2
        await pilot.press("escape", "backspace")
        await pilot.press("u")
        await pilot.pause()
        assert len(service.store.reviews()) == 1
        assert isinstance(app.screen, StudyScreen)


async def test_flag_bury_and_suspend(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("asterisk")
        await pilot.pause()
        assert service.store.flags()["demo/basic"].flagged
        await pilot.press("minus")
        await pilot.pause()
        assert service.store.flags()["demo/basic"].buried_until is not None
        assert "Viet Nam wants" in text_of(app, "#prompt")
        await pilot.press("at")
        await pilot.pause()
        assert service.store.flags()["demo/cloze#c1"].suspended


async def test_source_dialog_and_help(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        body = str(app.screen.query(Static).first().render())
        assert "The source" in body and "first paragraph" in body and "seat of government" in body
        await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"


async def test_source_dialog_shows_every_source_of_a_card(
    tmp_path: Path, clock: MovableClock
) -> None:
    deck = (
        "title: Two\nsources:\n"
        "  - {id: a, title: The first text, date: '2016'}\n"
        "  - {id: b, title: The second text, date: '2025'}\n"
        "cards:\n  - id: c\n    front: Q?\n    back: A\n"
        "    source: [{id: a, at: 'paragraph 3'}, {id: b, at: 'endnote 1'}]\n"
    )
    app = make_app(make_service(tmp_path, {"two.yaml": deck}, clock))
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        body = str(app.screen.query(Static).first().render())
        assert "The first text" in body and "paragraph 3" in body
        assert "The second text" in body and "endnote 1" in body


async def test_cram_logs_practice_and_keeps_the_schedule(
    tmp_path: Path, clock: MovableClock
) -> None:
    basic = "title: B\ncards:\n" + "".join(
        f"  - {{id: b{n}, front: q{n}, back: a{n}}}\n" for n in range(5)
    )
    service = make_service(tmp_path, {"b.yaml": basic}, clock)
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await start(app, pilot, "c")
        assert "practice" in text_of(app, "#progress")
        await pilot.press("space", "1")
        assert reviews(service)[0][2] == "practice"
        assert service.store.memories() == {}


async def test_session_ends_with_a_summary(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("space", "4")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        body = text_of(app, "#summary-body")
        assert "Cards studied: 1" in body and "Accuracy: 100%" in body
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_after_grading_the_letter_keys_act_and_the_footer_shows_what_applies(
    service: Service,
) -> None:
    app = make_app(service)
    async with app.run_test(size=(120, 30)) as pilot:
        await start(app, pilot)
        footer = text_of(app, "KeyBar")
        assert "space Show answer" in footer and "Accept" not in footer  # a basic card
        await pilot.press("space")
        await pilot.pause()
        footer = text_of(app, "KeyBar")
        assert "⏎ Accept ◂" in footer and "Show answer" not in footer
        assert "I was right" not in footer  # a self-graded card
        await pilot.press("3", "space", "3")
        await pilot.pause()
        footer = text_of(app, "KeyBar")  # the typed card, its box focused
        assert "esc Leave the box" in footer and "Show answer" not in footer
        await pilot.press(*"31/12/2013", "enter")
        await pilot.pause()
        footer = text_of(app, "KeyBar")
        assert "⏎ Accept ◂" in footer and "o I was right" in footer and "esc End" in footer
        assert "Show answer" not in footer and "- Bury" in footer and "s Source" in footer
        await pilot.press("s")  # no Esc first
        await pilot.pause()
        assert type(app.screen).__name__ == "SourceDialog"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("asterisk")
        await pilot.pause()
        assert service.store.flags()["demo/typed"].flagged
        await pilot.press("enter", "enter")  # accept; the choice card: its first option
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        for line in ("red", "green"):
            await pilot.press(*line, "enter")
        await pilot.press("enter")
        await pilot.pause()
        assert "Credit: 2 of 3 items" in text_of(app, "#answer")
        await pilot.press("at")  # a list card graded: suspended at once
        await pilot.pause()
        assert service.store.flags()["demo/list"].suspended
        assert "Order these years" in text_of(app, "#prompt")


async def test_the_status_line_counts_the_new_cards_left_today(
    tmp_path: Path, clock: MovableClock
) -> None:
    service = make_service(tmp_path, {"demo.yaml": DECK}, clock, new_per_day=4)
    app = make_app(service)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = text_of(app, "#status")
        assert status.startswith("1 deck, 6 cards. 0 to review and 6 new (4 today).")
        await pilot.press("enter", "space", "4", "space", "4")  # two new cards seen
        await pilot.pause()
        await pilot.press("escape", "escape")  # leave the typed card's box, end the session
        await pilot.pause()
        await pilot.press("escape")  # the summary: back home
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "(2 today)" in text_of(app, "#status")
