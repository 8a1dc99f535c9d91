"""The exam screen: one question at a time, a countdown, a strip of question numbers, hand in.

It drives an :class:`~study.core.exams.sitting.ExamSession`: answers are kept in the session
as they are given (and what was typed is kept on leaving a question); the session is looked
at once a second, and when its time is up it hands itself in and the results are shown.
Nothing says right or wrong before the end unless the exam was set up with instant
feedback. Esc leaves an answer box first (so the letter keys work), then asks before
abandoning the exam (an abandoned exam is not kept).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import ClassVar

from textual import on
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.widgets import Button, Input, Static

from study.core.exams.marking import ExamResult, Response
from study.core.exams.questions import QuestionKind
from study.core.exams.spec import ExamError
from study.core.words import plural
from study.tui.screens.exam_question import QuestionScreen
from study.tui.widgets.answer import ChoiceAnswer, ListAnswer, OrderAnswer, TypedAnswer
from study.tui.widgets.exam_answers import (
    MatchAnswer,
)
from study.tui.widgets.exam_nav import ExamNavigator
from study.tui.widgets.exam_text import feedback_text

LOW_SECONDS = 300
"""Below this the countdown turns to the warning colour (below 60 s, the error colour)."""


class ExamScreen(QuestionScreen):
    """Sit a mock exam."""

    DEFAULT_CSS = """
    ExamScreen #exam-top { height: 1; background: $boost; padding: 0 1; }
    ExamScreen #exam-title { width: 1fr; text-style: bold; }
    ExamScreen #exam-position, ExamScreen #exam-counts { width: auto; margin-right: 2; }
    ExamScreen #exam-clock { width: auto; text-style: bold; }
    ExamScreen #exam-clock.low { color: $text-warning; }
    ExamScreen #exam-clock.urgent { color: $text-error; text-style: bold reverse; }
    ExamScreen #exam-nav { margin: 0 1; }
    ExamScreen #exam-card { height: 1fr; border: round $primary; padding: 0 1; }
    ExamScreen #exam-meta { color: $text-muted; }
    ExamScreen #exam-prompt { text-style: bold; margin-bottom: 1; }
    ExamScreen #exam-response { height: auto; }
    ExamScreen #exam-response OptionList { height: auto; max-height: 14; }
    ExamScreen #exam-response ListAnswer, ExamScreen #exam-response ExamOrder { height: auto; }
    ExamScreen #exam-response #lines { height: auto; }
    ExamScreen .exam-order-buttons { height: 1; }
    ExamScreen .exam-order-buttons Button { margin-right: 2; }
    ExamScreen #exam-feedback { margin-top: 1; height: auto; }
    ExamScreen #exam-bottom { height: auto; padding: 0 1; }
    ExamScreen #exam-hint { width: 1fr; color: $text-muted; }
    ExamScreen #hand-in { margin-left: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "next", "Answer / next", show=False),
        Binding("tab,right", "next", "Next", key_display="→"),
        Binding("shift+tab,left", "previous", "Back", key_display="←"),
        Binding("f,ctrl+f,asterisk", "flag", "Flag"),
        Binding("s", "next", "Skip", show=False),
        Binding("g,ctrl+g", "goto", "Go to"),
        Binding("ctrl+s", "hand_in", "Hand in", priority=True),
        Binding("escape", "leave", "Leave"),
    ]

    def on_mount(self) -> None:
        self.query_one("#hand-in", Button).can_focus = False
        self.set_interval(1.0, self.tick)
        self.show_question()
        spec, made = self.session.exam.spec, len(self.session.questions)
        if not spec.retake and made < spec.questions:
            self.notify(
                f"Only {plural(made, 'question')} could be made from these cards "
                f"({spec.questions} asked).",
                timeout=6,
            )

    def system_commands(self) -> Iterable[SystemCommand]:
        """The exam's actions, for the command palette."""
        for action, title, help_text in (
            ("hand_in", "Hand in the exam", "Mark it and see the results (asks first)"),
            ("flag", "Flag this question", "Come back to it before handing in"),
            ("goto", "Go to a question", "By its number"),
            ("next", "Next question", "Keeps what you typed"),
            ("previous", "Previous question", "Keeps what you typed"),
            ("leave", "Abandon the exam", "It is not kept (asks first)"),
        ):
            yield SystemCommand(title, help_text, partial(self.run_action, action))

    # --- the clock -------------------------------------------------------------

    def tick(self) -> None:
        """Look at the session's clock: show the time left, or the results once the time is up."""
        if self.done:
            return
        if self.session.tick() is not None:
            self._finished()
            return
        self._show_clock()

    def go(self, index: int) -> None:
        """Show question ``index`` (keeping the answer being typed)."""
        if self.done:
            return
        self._keep_draft()
        if self.session.goto(index) is None:
            self._finished()
            return
        self.show_question()

    def _advance(self) -> None:
        """The next question.

        From the last one, the first open one, or hand in when none is left.
        """
        session = self.session
        if session.index < len(session.questions) - 1:
            self.go(session.index + 1)
        else:
            self._next_open()

    def _next_open(self) -> None:
        """After an answer: the next question without one (wrapping round), or hand in when none is
        left."""
        session = self.session
        self._keep_draft()
        following = session.next_open()
        if following is None or following == session.index:
            self._show_status()
            self.action_hand_in()
            return
        if following < session.index:
            self.notify(f"Question {following + 1} has no answer yet.", timeout=3)
        self.go(following)

    def action_next(self) -> None:
        """The next question (from the last one: the first open one, or hand in)."""
        self._advance()

    def action_previous(self) -> None:
        """The previous question."""
        self.go(max(0, self.session.index - 1))

    @on(ExamNavigator.Picked)
    def _picked_number(self, event: ExamNavigator.Picked) -> None:
        self.go(event.index)

    def action_goto(self) -> None:
        """Ask which question to go to."""
        from study.tui.dialogs.exam_prompts import GotoDialog

        def chosen(index: int | None) -> None:
            if index is not None:
                self.go(index)

        self.app.push_screen(GotoDialog(len(self.session.questions)), chosen)

    def action_flag(self) -> None:
        """Flag the question to come back to it (or take the flag off)."""
        flagged = self.session.flag()
        self.notify(
            f"Question {self.session.index + 1} flagged ⚑" if flagged else "Flag taken off.",
            timeout=2,
        )
        self._show_status()

    # --- answering -------------------------------------------------------------

    def _answer(self, response: Response) -> None:
        session = self.session
        try:
            marked = session.answer(session.index, response)
        except ExamError as exc:
            self.notify(str(exc), severity="warning")
            return
        if session.finished:
            self._finished()
            return
        if marked is not None:
            self.query_one("#exam-feedback", Static).update(
                feedback_text(marked.question, marked.response, self._colors())
            )
            self._show_status()
            if self.answer_widget is not None:
                self._lock(self.answer_widget, marked.question, marked.response)
            return
        self._next_open()

    @on(TypedAnswer.Answered)
    def _typed(self, event: TypedAnswer.Answered) -> None:
        event.stop()
        if event.text.strip():
            self._answer(event.text)
        elif not self.session.instant_feedback:
            self._advance()

    @on(ChoiceAnswer.Picked)
    def _chosen(self, event: ChoiceAnswer.Picked) -> None:
        event.stop()
        tf = self.session.current.kind is QuestionKind.TRUE_FALSE
        self._answer(event.index == 0 if tf else event.index)

    @on(ListAnswer.Submitted)
    def _listed(self, event: ListAnswer.Submitted) -> None:
        event.stop()
        if event.lines:
            self._answer(tuple(event.lines))
        elif not self.session.instant_feedback:
            self._keep_draft()
            self._advance()

    @on(OrderAnswer.Submitted)
    def _ordered(self, event: OrderAnswer.Submitted) -> None:
        event.stop()
        self._answer(tuple(event.order))

    @on(MatchAnswer.Changed)
    def _matching(self, event: MatchAnswer.Changed) -> None:
        event.stop()
        session = self.session
        if session.instant_feedback or session.finished:
            return
        if any(c is not None for c in event.choices):
            session.answer(session.index, event.choices)
        else:
            session.clear(session.index)
        self._show_status()

    @on(MatchAnswer.Submitted)
    def _matched(self, event: MatchAnswer.Submitted) -> None:
        event.stop()
        if any(c is not None for c in event.choices):
            self._answer(event.choices)
        elif not self.session.instant_feedback:
            self._advance()

    # --- handing in ------------------------------------------------------------

    @on(Button.Pressed, "#hand-in")
    def _hand_in_button(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_hand_in()

    def action_hand_in(self) -> None:
        """Ask, saying what is unanswered or flagged; then hand in and show the results."""
        from study.tui.dialogs.exam_prompts import AskDialog

        self._keep_draft()
        if self.session.tick() is not None:
            self._finished()
            return
        session = self.session
        open_, flagged = session.unanswered, sorted(session.flagged)
        lines = ["Hand in the exam now?"]
        if open_:
            lines.append(f"{len(open_)} unanswered: {_numbers(open_)}")
        if flagged:
            lines.append(f"{len(flagged)} flagged: {_numbers(flagged)}")
        if not open_ and not flagged:
            lines.append(
                "The question is answered."
                if len(session.questions) == 1
                else f"All {plural(len(session.questions), 'question')} are answered."
            )

        def answered(yes: bool | None) -> None:
            if yes and not self.done:
                session.submit()
                self._finished()

        self.app.push_screen(AskDialog("\n".join(lines), "Hand in", "Keep going"), answered)

    def action_leave(self) -> None:
        """Leave the answer box (so the letter keys work), or ask before abandoning the exam."""
        from study.tui.dialogs.exam_prompts import AskDialog

        focused = self.focused
        if isinstance(focused, Input) and not focused.disabled:
            self.set_focus(None)
            self.notify(
                "Keys now: f flag · g go to · ← → move · s skip · ctrl+s hand in. "
                "Tab goes on; Esc again abandons the exam.",
                timeout=5,
            )
            return
        answered = len(self.session.questions) - len(self.session.unanswered)

        def answer(yes: bool | None) -> None:
            if yes and not self.done:
                self.done = True
                self.dismiss()

        self.app.push_screen(
            AskDialog(
                f"Abandon this exam? It is not kept ({answered} answered so far).",
                "Abandon",
                "Keep going",
            ),
            answer,
        )

    def _finished(self) -> None:
        """The session has its result (handed in or timed out): show it."""
        from study.tui.screens.exam_results import ExamResultsScreen

        if self.done:
            return
        self.done = True
        result: ExamResult | None = self.session.result
        assert result is not None
        if result.timed_out:
            self.notify("Time is up: the exam was handed in.", title="Mock exam", timeout=8)
        while self.app.screen is not self and len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        self.app.switch_screen(ExamResultsScreen(self.service, result, self.session))


def _numbers(indices: list[int], most: int = 12) -> str:
    """Question numbers, 1-based, the first ``most`` of them."""
    shown = ", ".join(str(i + 1) for i in indices[:most])
    return shown + (f" and {len(indices) - most} more" if len(indices) > most else "")
