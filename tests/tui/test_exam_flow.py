"""Mock exams in the app, driven with real key presses and clicks: what is shown, what is saved."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, Static

from study.core.exams.paper import letter
from study.core.exams.questions import Question, QuestionKind
from study.core.exams.record import exam_history
from study.core.exams.sitting import ExamSession
from study.core.exams.spec import ExamSpec
from study.core.service import Service
from study.tui.app import StudyApp
from study.tui.dialogs.exam_prompts import AskDialog, GotoDialog
from study.tui.dialogs.exam_setup import ExamSetupDialog
from study.tui.factory import make_app
from study.tui.screens.exam import ExamScreen
from study.tui.screens.exam_results import ExamHistoryScreen, ExamResultsScreen
from study.tui.screens.home import HomeScreen
from study.tui.widgets.exam_nav import Cell, ExamNavigator
from tests.conftest import MovableClock, make_service

EXAM_DECK = (
    """\
title: Exam practice
id: practice
sources:
  - {id: wp, title: White Paper, author: Ministry, date: "2019"}
cards:
"""
    + "".join(
        f"  - {{id: d{n}, front: 'When was document {n} signed?', back: '{d} March {2000 + n}', "
        f"tags: [dates], source: {{id: wp, at: 'page {n}'}}, explain: 'Note {n}.'}}\n"
        for n, d in zip(range(1, 9), (3, 5, 7, 9, 11, 13, 15, 17), strict=False)
    )
    + """\
  - id: colours
    type: list
    front: Name the three colours
    items: [red, green, blue]
    tags: [lists]
  - id: seasons
    type: list
    front: Name the four seasons
    items: [spring, summer, autumn, winter]
    tags: [lists]
  - id: years
    type: order
    front: Order these years
    items: ["1995", "2007", "2013", "2025"]
  - id: steps
    type: order
    front: Order these steps
    items: [plan, build, test, ship]
  - id: body
    type: choice
    front: Which body issued Resolution 806?
    answer: Central Military Commission
    distractors: [Politburo, National Assembly, Secretariat]
"""
)
ALL_KINDS = ExamSpec(questions=8, minutes=30, seed=2)
"""Eight questions of all six kinds: match, order, typed, choice, choice, list, truefalse, order."""
SIZE = (100, 30)


@pytest.fixture
def service(tmp_path: Path, clock: MovableClock) -> Service:
    return make_service(tmp_path, {"practice.yaml": EXAM_DECK}, clock)


def text_of(app: StudyApp, selector: str) -> str:
    """What a Static shows, as plain text (Rich renderables printed at the widget's width)."""
    widget = app.screen.query_one(selector, Static)
    console = Console(width=max(widget.size.width, 40), record=True, file=io.StringIO())
    console.print(widget.content)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


async def settle(pilot: Pilot[int]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def sit(app: StudyApp, pilot: Pilot[int], spec: ExamSpec) -> ExamSession:
    """Open the exam screen on the exam ``spec`` makes."""
    await settle(pilot)
    session = app.service.build_exam(spec)
    app.push_screen(ExamScreen(app.service, session))
    await settle(pilot)
    assert isinstance(app.screen, ExamScreen)
    return session


def right_keys(q: Question) -> list[str]:
    """The keys that answer ``q`` right (from the question as first shown)."""
    if q.kind is QuestionKind.TYPED:
        return [*q.answers[0], "enter"]
    if q.kind is QuestionKind.CHOICE:
        return [str(q.solution[0] + 1)]
    if q.kind is QuestionKind.TRUE_FALSE:
        return ["t" if q.solution == (1,) else "f"]
    if q.kind is QuestionKind.LIST:
        return [key for item in q.answers for key in (*item, "enter")] + ["enter"]
    if q.kind is QuestionKind.MATCH:
        return [letter(s).lower() for s in q.solution] + ["enter"]
    order, keys, cursor = list(range(len(q.options))), [], 0
    for target, wanted in enumerate(q.solution):  # bring each item up to its place
        at = order.index(wanted)
        keys += ["down" if at > cursor else "up"] * abs(at - cursor)
        keys += ["shift+up"] * (at - target)
        order.insert(target, order.pop(at))
        cursor = target
    return [*keys, "enter"]


def wrong_keys(q: Question) -> list[str]:
    """Keys that answer ``q`` wrong (no credit, or only part of it)."""
    if q.kind is QuestionKind.TYPED:
        return [*"no idea", "enter"]
    if q.kind is QuestionKind.CHOICE:
        return [str((q.solution[0] + 1) % len(q.options) + 1)]
    if q.kind is QuestionKind.TRUE_FALSE:
        return ["f" if q.solution == (1,) else "t"]
    if q.kind is QuestionKind.LIST:
        return [*q.answers[0], "enter", "enter"]
    if q.kind is QuestionKind.MATCH:
        return [letter((s + 1) % len(q.options)).lower() for s in q.solution] + ["enter"]
    return ["enter"]  # the shuffled order, never the right one


async def hand_in(pilot: Pilot[int]) -> str:
    """ctrl+s, read the question asked, say yes."""
    await pilot.press("ctrl+s")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, AskDialog)
    asked = str(dialog.query_one("#ask-text", Static).render())
    await pilot.press("y")
    await settle(pilot)
    return asked


# --- setting up ----------------------------------------------------------------------


async def test_x_opens_the_form_and_start_builds_the_exam_asked_for(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExamSetupDialog)
        assert "All decks (13 cards)" in text_of(app, "#setup-scope")
        assert dialog.query_one("#setup-questions", Input).value == "20"
        assert dialog.query_one("#setup-minutes", Input).value == "30"
        dialog.query_one("#setup-questions", Input).value = "4"
        dialog.query_one("#setup-minutes", Input).value = "10"
        dialog.query_one("#setup-seed", Input).value = "7"
        for kind in ("typed", "truefalse", "list", "order", "match"):
            await pilot.click(f"#kind-{kind}")
        await pilot.click("#setup-feedback")
        await pilot.click("#setup-start")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        spec = screen.session.exam.spec
        assert (spec.questions, spec.minutes, spec.seed, spec.kinds, spec.instant_feedback) == (
            4,
            10.0,
            7,
            (QuestionKind.CHOICE,),
            True,
        )
        assert [q.kind for q in screen.session.questions] == [QuestionKind.CHOICE] * 4
        assert text_of(app, "#exam-position") == "Question 1 of 4"
        assert text_of(app, "#exam-clock") == "10:00 left"
        assert "Multiple choice" in text_of(app, "#exam-meta")


async def test_enter_on_a_ticked_box_starts_and_space_ticks_it(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExamSetupDialog)
        dialog.query_one("#setup-questions", Input).value = "3"
        box = dialog.query_one("#kind-typed", Checkbox)
        box.focus()
        await pilot.press("space")  # Space ticks (here: unticks)
        assert box.value is False
        await pilot.press("enter")  # Enter starts, the box left as it is
        await settle(pilot)
        assert box.value is False
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        assert QuestionKind.TYPED not in screen.session.exam.spec.kinds


async def test_enter_on_cancel_cancels(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#setup-cancel").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, (ExamSetupDialog, ExamScreen))


async def test_the_form_says_what_is_wrong_and_an_exam_that_cannot_be_made(
    service: Service,
) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExamSetupDialog)
        dialog.query_one("#setup-questions", Input).value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Questions: give a number from 1" in text_of(app, "#setup-error")
        dialog.query_one("#setup-questions", Input).value = "5"
        dialog.query_one("#setup-tags", Input).value = "lists nosuch"
        await pilot.pause()
        assert "No tag is called 'nosuch'" in text_of(app, "#setup-error")
        dialog.query_one("#setup-tags", Input).value = "lists"
        await pilot.pause()
        assert text_of(app, "#setup-scope") == "#lists (2 cards)"
        for checkbox in dialog.query(Checkbox):
            checkbox.value = False
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Tick at least one kind" in text_of(app, "#setup-error")
        dialog.query_one(
            "#kind-typed", Checkbox
        ).value = True  # list cards are never typed questions
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "No typed question can be made" in text_of(app, "#setup-error")
        assert any(
            "No exam: no typed question can be made" in n.message for n in app._notifications
        )
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert service.exam_history() == []


# --- sitting ---------------------------------------------------------------------------


async def test_every_kind_answered_with_the_keyboard_scores_full_marks(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        session = await sit(app, pilot, ALL_KINDS)
        assert {q.kind for q in session.questions} == set(QuestionKind)
        for n, q in enumerate(session.questions):
            assert text_of(app, "#exam-position") == f"Question {n + 1} of 8"
            assert text_of(app, "#exam-prompt") == q.prompt
            await pilot.press(*right_keys(q))
            await pilot.pause()
        assert isinstance(app.screen, AskDialog)  # after the last answer: hand in?
        assert "All 8 questions are answered." in str(
            app.screen.query_one("#ask-text", Static).render()
        )
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ExamResultsScreen)
        assert "Score 8 / 8  (100%)" in text_of(app, "#results-score")
        assert "No mistakes." in text_of(app, "#results-mistakes-title")
        [row] = exam_history(service.store)
        assert (row.questions, row.score, row.timed_out) == (8, 8.0, False)


async def test_flag_skip_go_to_and_revisit_then_hand_in_says_what_is_left(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        session = await sit(app, pilot, ALL_KINDS)
        await pilot.press("f")  # question 1 (matching): flagged
        assert session.flagged == {0}
        assert "⚑ flagged" in text_of(app, "#exam-meta")
        await pilot.press("right")  # 2 (order): skipped
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert session.index == 2 and session.skipped == [0, 1]
        await pilot.press(*"draft answer", "tab")  # 3 (typed): typed, not sent, kept on leaving
        await pilot.pause()
        assert session.responses[2] == "draft answer"
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GotoDialog)
        await pilot.press("9", "enter")
        await pilot.pause()
        assert "from 1 to 8" in text_of(app, "#goto-error")
        await pilot.press("backspace", "6", "enter")
        await pilot.pause()
        assert session.index == 5
        nav = app.screen.query_one(ExamNavigator)
        assert nav.cells[:3] == (Cell.FLAGGED, Cell.OPEN, Cell.ANSWERED) and nav.current == 5
        await pilot.click(ExamNavigator, offset=(nav.cell_width * 2 + 1, 0))  # the number 3
        await pilot.pause()
        assert session.index == 2
        assert app.screen.query_one(Input).value == "draft answer"  # shown again as typed
        await pilot.press("ctrl+s")
        await pilot.pause()
        asked = str(app.screen.query_one("#ask-text", Static).render())
        assert "7 unanswered: 1, 2, 4, 5, 6, 7, 8" in asked and "1 flagged: 1" in asked
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen) and not session.finished
        await pilot.press("left")  # in the box: the cursor moves, not the question
        assert session.index == 2
        await pilot.press("escape")  # leaves the box; then ← is the previous question
        await pilot.press("left")
        await pilot.pause()
        assert session.index == 1
        await hand_in(pilot)
        assert isinstance(app.screen, ExamResultsScreen)
        [row] = exam_history(service.store)
        assert row.questions == 8 and row.score == 0.0
        result = service.exam_result(row.id)
        assert result is not None
        assert [m.flagged for m in result.marks][:2] == [True, False]
        assert result.marks[2].response == "draft answer"


async def test_esc_asks_before_abandoning_and_nothing_is_kept(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        session = await sit(app, pilot, ALL_KINDS)
        await pilot.press("b")  # one pair of the matching question
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AskDialog)
        assert "1 answered so far" in str(app.screen.query_one("#ask-text", Static).render())
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not session.finished and exam_history(service.store) == []


async def test_time_up_hands_the_exam_in_and_shows_the_results(
    service: Service, clock: MovableClock
) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        session = await sit(
            app, pilot, ExamSpec(questions=3, minutes=1, seed=4, kinds=(QuestionKind.CHOICE,))
        )
        q = session.current
        await pilot.press(str(q.solution[0] + 1))
        await pilot.pause()
        clock.advance(seconds=45)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        screen.tick()
        assert text_of(app, "#exam-clock") == "0:15 left"
        assert screen.query_one("#exam-clock").has_class("urgent")
        await pilot.press("ctrl+s")  # the question is open when the time runs out
        await pilot.pause()
        clock.advance(seconds=20)
        screen.tick()
        await settle(pilot)
        assert isinstance(app.screen, ExamResultsScreen)
        assert "time ran out" in text_of(app, "#results-title")
        assert any("Time is up" in n.message for n in app._notifications)
        [row] = exam_history(service.store)
        assert row.timed_out and row.score == 1.0 and row.questions == 3


async def test_instant_feedback_marks_each_answer_and_locks_it(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        spec = ExamSpec(
            questions=3,
            seed=5,
            kinds=(QuestionKind.CHOICE, QuestionKind.TYPED),
            instant_feedback=True,
        )
        session = await sit(app, pilot, spec)
        first, second = session.questions[:2]
        assert (first.kind, second.kind) == (QuestionKind.TYPED, QuestionKind.CHOICE)
        assert text_of(app, "#exam-feedback") == ""  # nothing before an answer
        await pilot.press(*wrong_keys(first))
        await pilot.pause()
        feedback = text_of(app, "#exam-feedback")
        assert "✗ Wrong" in feedback and f"The answer: {first.expected}" in feedback
        assert session.index == 0 and app.screen.query_one(ExamNavigator).cells[0] is Cell.WRONG
        box = app.screen.query_one(Input)
        assert box.disabled
        await pilot.press("x")
        assert box.value == "no idea" and session.responses[0] == "no idea"
        await pilot.press("enter")
        await pilot.pause()
        assert session.index == 1
        await pilot.press(*right_keys(second))
        await pilot.pause()
        assert "✓ Right" in text_of(app, "#exam-feedback") and session.index == 1
        await pilot.press(*wrong_keys(second))  # marked: no second try
        assert session.responses[1] == second.solution[0]
        assert app.screen.query_one(ExamNavigator).cells[:2] == (Cell.WRONG, Cell.RIGHT)
        await pilot.press("left")
        await pilot.pause()
        assert "✗ Wrong" in text_of(app, "#exam-feedback")  # shown again on a revisit
        assert app.screen.query_one(Input).value == "no idea"


# --- results, retake and history --------------------------------------------------------


async def test_results_show_mistakes_then_retake_them_then_history(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        session = await sit(app, pilot, ALL_KINDS)
        typed = next(n for n, q in enumerate(session.questions) if q.kind is QuestionKind.TYPED)
        for n, q in enumerate(session.questions):
            await pilot.press(*(wrong_keys(q) if n in (0, typed) else right_keys(q)))
            await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ExamResultsScreen)
        result = app.screen.result
        assert len(result.mistakes) == 2 and result.exam_id == 1
        assert "Mistakes (2)" in text_of(app, "#results-mistakes-title")
        mistakes = text_of(app, "#results-mistakes")
        typed_q = session.questions[typed]
        page = typed_q.items[0][-1]
        for label, value in (
            ("given:", "no idea"),
            ("right:", typed_q.expected),
            ("source:", f"“White Paper”, Ministry, 2019 — page {page}"),
            ("note:", f"Note {page}."),
        ):
            assert any(line.split() == [label, *value.split()] for line in mistakes.splitlines()), (
                label,
                value,
            )
        assert "practice" in text_of(app, "#results-breakdown") and "dates" in text_of(
            app, "#results-breakdown"
        )
        await pilot.press("r")
        await settle(pilot)
        retake = app.screen
        assert isinstance(retake, ExamScreen)
        assert retake.session.exam.spec.retake_of == 1
        assert [(q.kind, set(q.items)) for q in retake.session.questions] == [
            (m.question.kind, set(m.question.items)) for m in result.mistakes
        ]
        for q in retake.session.questions:
            await pilot.press(*right_keys(q))
            await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ExamResultsScreen)
        assert "mistakes of exam 1" in text_of(app, "#results-title")
        history = exam_history(service.store)
        assert [(r.id, r.questions, r.score) for r in history] == [(2, 2, 2.0), (1, 8, 6.0)]
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, ExamHistoryScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen) and app.screen.result.exam_id == 1
        assert "Score 6 / 8  (75%)" in text_of(app, "#results-score")
        await pilot.press("escape", "escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_after_the_last_answer_the_open_questions_come_back_then_hand_in(
    service: Service,
) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        session = await sit(app, pilot, ALL_KINDS)
        await pilot.press("tab")  # question 1 left open
        await pilot.pause()
        for q in session.questions[1:]:
            await pilot.press(*right_keys(q))
            await pilot.pause()
        assert isinstance(app.screen, ExamScreen) and session.index == 0
        assert any("Question 1 has no answer yet" in n.message for n in app._notifications)
        await pilot.press(*right_keys(session.questions[0]))
        await pilot.pause()
        assert isinstance(app.screen, AskDialog)
        await pilot.press("y")
        await settle(pilot)
        [row] = exam_history(service.store)
        assert row.score == 8.0
