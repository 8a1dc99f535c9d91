"""``u`` on the study screen undoes what was done last, and says what it undid."""

from __future__ import annotations

from study.core.progress.store import Flags
from study.core.service import Service
from study.tui.app import StudyApp
from study.tui.factory import make_app
from study.tui.screens.study import StudyScreen
from tests.tui.test_study_flow import service, start, text_of

__all__ = ["service"]  # the fixture


def notices(app: StudyApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_u_after_a_suspend_undoes_the_suspend_not_the_answer_before(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        await pilot.press("space", "3")  # the basic card, answered
        await pilot.pause()
        assert "more friends" not in text_of(app, "#prompt")  # the cloze: its deletion hidden
        await pilot.press("at")  # suspend the cloze card
        await pilot.pause()
        assert service.store.flag("demo/cloze#c1").suspended
        await pilot.press("escape", "u")  # out of the next card's answer box, then undo
        await pilot.pause()
        assert notices(app)[-1] == "Undid: suspend of “Viet Nam wants [...], fewer enemies.”."
        assert service.store.flag("demo/cloze#c1") == Flags()
        assert [r.item for r in service.store.reviews()] == ["demo/basic"]  # still answered
        assert "Viet Nam wants" in text_of(app, "#prompt")
        await pilot.press("u")  # then the answer before it
        await pilot.pause()
        assert notices(app)[-1] == "Undid: answer of “Capital of Vietnam?”."
        assert service.store.reviews() == []
        assert "Capital of Vietnam?" in text_of(app, "#prompt")


async def test_u_while_the_answer_is_shown_hides_it_again(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        await pilot.press("space", "3")  # the basic card, answered
        await pilot.press("space")  # the cloze card's answer shown
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.revealed
        await pilot.press("u")
        await pilot.pause()
        assert not screen.revealed
        assert screen.item is not None and screen.item.key == "demo/cloze#c1"
        assert notices(app)[-1].startswith("Undid: your answer to “Viet Nam wants")
        assert [r.item for r in service.store.reviews()] == ["demo/basic"]  # nothing undone there
        await pilot.press("u")
        await pilot.pause()
        assert service.store.reviews() == []


async def test_u_after_a_flag_on_a_shown_answer_undoes_the_flag_and_keeps_the_answer(
    service: Service,
) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        await pilot.press("space", "asterisk")
        await pilot.pause()
        assert service.store.flag("demo/basic").flagged
        await pilot.press("u")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.revealed
        assert not service.store.flag("demo/basic").flagged
        assert notices(app)[-1] == "Undid: flag of “Capital of Vietnam?”."
        await pilot.press("u")  # now the answer shown
        await pilot.pause()
        assert not screen.revealed


async def test_u_after_a_bury_brings_the_card_back(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        await pilot.press("minus")
        await pilot.pause()
        assert "Capital of Vietnam?" not in text_of(app, "#prompt")
        await pilot.press("u")
        await pilot.pause()
        assert notices(app)[-1] == "Undid: bury of “Capital of Vietnam?”."
        assert "Capital of Vietnam?" in text_of(app, "#prompt")
        assert service.store.flag("demo/basic") == Flags()
