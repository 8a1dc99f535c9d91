"""The question half of the exam screen: the question on screen, its answer box, the strip of
numbers, the clock line, and moving between questions. ``ExamScreen`` (``study.tui.screens.exam``)
adds the keys, the answers, handing in and the results."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Container, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static

from study.core.exams.marking import Response, mark, pair_marks
from study.core.exams.questions import Question
from study.core.exams.sitting import ExamSession
from study.core.exams.spec import ExamError
from study.core.service import Service
from study.tui.text import marked as marked_text
from study.tui.text import plain
from study.tui.widgets.answer import TypedAnswer
from study.tui.widgets.exam_answers import (
    ExamListAnswer,
    ExamOrder,
    MatchAnswer,
    answer_widget,
)
from study.tui.widgets.exam_nav import Cell, ExamNavigator
from study.tui.widgets.exam_text import HINTS, KIND_NAMES, clock_text, feedback_text
from study.tui.widgets.keybar import KeyBar

LOW_SECONDS = 300
"""Below this the countdown turns to the warning colour (below 60 s, the error colour)."""


class QuestionScreen(Screen[None]):
    """One question of an exam session on screen (the keys are ``ExamScreen``'s)."""

    def __init__(self, service: Service, session: ExamSession) -> None:
        super().__init__()
        self.service = service
        self.session = session
        self.answer_widget: Widget | None = None
        self.done = False
        """The results were shown (or the exam abandoned): the screen does nothing more."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="exam-top"):
            yield Static(
                plain(f"Mock exam: {self.session.exam.title}", lines=False), id="exam-title"
            )
            yield Static(id="exam-position")
            yield Static(id="exam-counts")
            yield Static(id="exam-clock")
        yield ExamNavigator(id="exam-nav")
        with VerticalScroll(id="exam-card"):
            yield Static(id="exam-meta")
            yield Static(id="exam-prompt")
            yield Container(id="exam-response")
            yield Static(id="exam-feedback")
        with Horizontal(id="exam-bottom"):
            yield Static(id="exam-hint")
            yield Button("Hand in (ctrl+s)", id="hand-in", variant="primary", compact=True)
        yield KeyBar()

    def _show_clock(self) -> None:
        widget = self.query_one("#exam-clock", Static)
        left = self.session.time_left()
        if left is None:
            spent = (self.session.clock.now() - self.session.started).total_seconds()
            widget.update(f"{clock_text(spent)} (no limit)")
            return
        seconds = left.total_seconds()
        widget.update(f"{clock_text(seconds)} left")
        widget.set_class(seconds < LOW_SECONDS, "low")
        widget.set_class(seconds < 60, "urgent")

    # --- showing ---------------------------------------------------------------

    def _colors(self) -> dict[str, str]:
        return self.app.get_css_variables()

    def _cells(self) -> list[Cell]:
        session = self.session
        cells = []
        for i, (question, response) in enumerate(
            zip(session.questions, session.responses, strict=False)
        ):
            if i in session.flagged:
                cells.append(Cell.FLAGGED)
            elif response is None:
                cells.append(Cell.OPEN)
            elif session.instant_feedback:
                cells.append(Cell.RIGHT if mark(question, response) >= 0.999 else Cell.WRONG)
            else:
                cells.append(Cell.ANSWERED)
        return cells

    def _show_status(self) -> None:
        session = self.session
        total = len(session.questions)
        self.query_one("#exam-position", Static).update(f"Question {session.index + 1} of {total}")
        answered = total - len(session.unanswered)
        flagged = f" · {len(session.flagged)} flagged" if session.flagged else ""
        self.query_one("#exam-counts", Static).update(f"{answered}/{total} answered{flagged}")
        self.query_one(ExamNavigator).show(self._cells(), session.index)
        question = session.current
        meta = [KIND_NAMES[question.kind], ", ".join(question.decks)]
        if question.tags:
            meta.append(" ".join(f"#{t}" for t in question.tags[:3]))
        if session.index in session.flagged:
            meta.append("⚑ flagged")
        self.query_one("#exam-meta", Static).update(
            plain(" · ".join(m for m in meta if m), lines=False)
        )
        self._show_clock()

    def show_question(self) -> None:
        """Put the current question on screen with the answer given so far."""
        session = self.session
        question, index = session.current, session.index
        self._show_status()
        self.query_one("#exam-prompt", Static).update(marked_text(question.prompt))
        self.query_one("#exam-hint", Static).update(HINTS[question.kind])
        response = session.responses[index]
        marked = session.instant_feedback and response is not None
        feedback = self.query_one("#exam-feedback", Static)
        feedback.update(feedback_text(question, response, self._colors()) if marked else "")
        widget = answer_widget(question, response)
        container = self.query_one("#exam-response", Container)
        container.remove_children()
        container.mount(widget)
        self.answer_widget = widget
        self.query_one("#exam-card", VerticalScroll).scroll_home(animate=False)
        if marked:
            self._lock(widget, question, response)
        else:
            self.call_after_refresh(widget.focus, False)

    def _lock(self, widget: Widget, question: Question, response: Response | None) -> None:
        """A question marked with instant feedback: its answer can no longer change."""
        if isinstance(widget, MatchAnswer):
            self.call_after_refresh(widget.show_marks, pair_marks(question, response))
        widget.disabled = True
        self.set_focus(None)

    # --- moving ----------------------------------------------------------------

    def _keep_draft(self) -> None:
        """Keep what was typed or moved but not sent (not with instant feedback: only sent answers
        count)."""
        session, widget = self.session, self.answer_widget
        if session.instant_feedback or session.finished or widget is None:
            return
        index = session.index
        stored = session.responses[index]
        draft: Response | None = None
        if isinstance(widget, TypedAnswer):
            draft = widget.value if widget.value.strip() else None
        elif isinstance(widget, ExamListAnswer):
            draft = widget.draft or None
        elif isinstance(widget, ExamOrder):
            draft = widget.order if widget.touched else stored
        else:
            return
        try:
            if draft is None and stored is not None:
                session.clear(index)
            elif draft is not None and draft != stored:
                session.answer(index, draft)
        except ExamError as exc:
            self.notify(f"Not kept: {exc}", severity="warning")
