"""The results of a mock exam, and the list of past exams.

Results: the score with partial credit, the breakdown by deck and by tag, the time spent on
each question and every mistake with the answer given beside the right one, its source and
note. ``r`` makes an exam of the mistakes (``Service.retake_mistakes``, built in a thread; the
app sits it, told by ``RetakeMade``), ``h`` lists past exams (``Service.exam_history``); Enter
there opens one's results (``Service.exam_result``). A result the disk refused (full, read-only,
folder gone) stays on screen, marked NOT saved; ctrl+s (the hand-in key) tries again, and
leaving asks first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.columns import Columns
from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from study.charts import duration, hbar
from study.core.exams.marking import ExamResult
from study.core.exams.record import ExamRow
from study.core.exams.sitting import ExamSession
from study.core.exams.spec import ExamError
from study.core.service import Service
from study.core.words import plural, points
from study.tui.notice import NotSavedNotice
from study.tui.text import plain
from study.tui.widgets.exam_report import mistake, symbol, tally_table
from study.tui.widgets.keybar import KeyBar

TAGS_SHOWN = 10
"""Tags in the breakdown (those with the most questions)."""


class ExamResultsScreen(Screen[None]):
    """A finished exam, marked."""

    DEFAULT_CSS = """
    ExamResultsScreen #results-title { height: 1; background: $boost; padding: 0 1;
        text-style: bold; }
    ExamResultsScreen #results-body { height: 1fr; padding: 0 1; }
    ExamResultsScreen #results-body > Static { margin-bottom: 1; }
    ExamResultsScreen .results-heading { text-style: bold; color: $primary; margin-bottom: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retake", "Retake my mistakes"),
        Binding("h", "history", "History"),
        Binding("escape", "close", "Back"),
        Binding("ctrl+s", "save", "Save again", priority=True),
    ]
    AUTO_FOCUS = "#results-body"

    @dataclass
    class RetakeMade(Message):
        """An exam of the mistakes is ready: the app sits it in place of these results."""

        session: ExamSession
        """The retake, not started."""

    def __init__(
        self, service: Service, result: ExamResult, session: ExamSession | None = None
    ) -> None:
        super().__init__()
        self.service = service
        self.result = result
        self.session = session
        """The sitting just handed in (None for a past exam): it saves the result again."""
        self.notice = NotSavedNotice()

    @property
    def unsaved(self) -> bool:
        """Whether the result on screen was handed in and the disk refused it."""
        return self.session is not None and self.session.save_error is not None

    def _title(self) -> Text:
        result = self.result
        spent = duration((result.finished - result.started).total_seconds() * 1000)
        if self.unsaved:
            number = "Exam (NOT saved: ctrl+s saves it)"
        else:
            number = f"Exam {result.exam_id}" if result.exam_id else "Exam (not kept)"
        when = self.service.clock.local(result.finished)
        return plain(
            f"{number}: {result.exam.title} · {when:%d %b %Y %H:%M} · {spent}"
            + (" · time ran out" if result.timed_out else ""),
            lines=False,
        )

    def compose(self) -> ComposeResult:
        result, colors = self.result, self.app.get_css_variables()
        yield Static(self._title(), id="results-title")
        with VerticalScroll(id="results-body"):
            yield Static(self._score(colors), id="results-score")
            tables = [tally_table("By deck", result, "deck")]
            if result.breakdown("tag"):
                tables.append(tally_table("By tag", result, "tag", TAGS_SHOWN))
            yield Static(Columns(tables, padding=(0, 4)), id="results-breakdown")
            yield Static("Time per question", classes="results-heading")
            yield Static(
                Columns(
                    [
                        Text.assemble(
                            f"{m.position + 1:>2} ",
                            symbol(m, colors),
                            f" {m.question.kind.value:<9}{duration(m.seconds * 1000):>5}",
                        )
                        for m in result.marks
                    ],
                    padding=(0, 3),
                ),
                id="results-times",
            )
            mistakes = result.mistakes
            yield Static(
                f"Mistakes ({len(mistakes)})" if mistakes else "No mistakes.",
                classes="results-heading",
                id="results-mistakes-title",
            )
            if mistakes:
                yield Static(Group(*(mistake(m, colors) for m in mistakes)), id="results-mistakes")
        yield KeyBar()

    def _score(self, colors: dict[str, str]) -> Text:
        result = self.result
        marks = result.marks
        right = sum(m.right for m in marks)
        partly = sum(m.answered and 0 < m.score < 0.999 for m in marks)
        open_ = sum(not m.answered for m in marks)
        wrong = len(marks) - right - partly - open_
        share = result.share
        color = colors.get(
            "success" if share >= 0.8 else "warning" if share >= 0.5 else "error", ""
        )
        text = Text.assemble(
            ("Score ", "bold"),
            (f"{points(result.score)} / {result.total}", "bold"),
            (f"  ({share:.0%})  ", "bold"),
            (hbar(share, 20), color),
            "\n",
        )
        text.append(f"{right} right · {partly} partly right · {wrong} wrong · {open_} unanswered")
        if result.exam.spec.instant_feedback:
            text.append(" · instant feedback", style="dim")
        if result.mistakes and result.exam_id:
            text.append("\nr: retake my mistakes", style="dim")
        return text

    def system_commands(self) -> Iterable[SystemCommand]:
        """The results' actions, for the command palette."""
        yield SystemCommand(
            "Retake my mistakes", "An exam of the questions missed here", self.action_retake
        )
        yield SystemCommand(
            "Mock exam history", "Past exams and their results", self.action_history
        )

    def on_mount(self) -> None:
        self._say_not_saved()

    def _say_not_saved(self) -> None:
        error = self.session.save_error if self.session is not None else None
        if error is not None:
            self.notice.show(
                self.app, "The exam result", "attempt", error, "press ctrl+s (it stays on screen)"
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ctrl+s only while the result is not saved."""
        return self.unsaved if action == "save" else True

    # --- keys ------------------------------------------------------------------

    def action_save(self) -> None:
        """Try again to save the result the disk refused."""
        if self.session is None or self.session.save() is not None:
            self._say_not_saved()
            return
        assert self.session.result is not None
        self.result = self.session.result
        self.query_one("#results-title", Static).update(self._title())
        self.query_one("#results-score", Static).update(self._score(self.app.get_css_variables()))
        self.refresh_bindings()
        self.notice.saved(self.app)
        self.notify(f"Saved: exam {self.result.exam_id}.", title="Saved")

    def action_close(self) -> None:
        """Back to where the results were opened from (asks first while they are not saved)."""
        from study.tui.dialogs.exam_prompts import AskDialog

        if not self.unsaved:
            self.dismiss()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss()

        self.app.push_screen(
            AskDialog(
                "This exam result is NOT saved: leaving loses it (ctrl+s tries to save it again).",
                "Leave",
                "Stay",
            ),
            answered,
        )

    def action_history(self) -> None:
        """Past exams (back to the list when these results were opened from it)."""
        stack = self.app.screen_stack
        if len(stack) > 1 and stack[-1] is self and isinstance(stack[-2], ExamHistoryScreen):
            self.dismiss()
            return
        self.app.push_screen(ExamHistoryScreen(self.service))

    def action_retake(self) -> None:
        """An exam of this one's mistakes: the same items, the same kinds of question."""
        if not self.result.mistakes:
            self.notify("No mistakes to retake.")
            return
        if self.unsaved and not self.result.exam_id:
            self.notify(
                "This exam is not saved yet, so its mistakes cannot be retaken: ctrl+s saves it.",
                severity="warning",
            )
            return
        if not self.result.exam_id:
            self.notify(
                "This exam was not kept, so its mistakes cannot be retaken.", severity="warning"
            )
            return
        self.notify(f"Making an exam of {plural(len(self.result.mistakes), 'mistake')}…", timeout=2)
        self._make_retake(self.result.exam_id, int(self.service.clock.now().timestamp()))

    @work(thread=True, exclusive=True, group="retake")
    def _make_retake(self, exam_id: int, seed: int) -> None:
        try:
            session = self.service.retake_mistakes(exam_id, seed)
        except ExamError as exc:
            self.app.call_from_thread(self.notify, f"Cannot retake: {exc}.", severity="error")
            return
        self.app.call_from_thread(self._sit, session)

    def _sit(self, session: ExamSession) -> None:
        if self.app.screen is self:
            self.post_message(self.RetakeMade(session))


class ExamHistoryScreen(Screen[None]):
    """Past exams, newest first; Enter opens one's results."""

    DEFAULT_CSS = """
    ExamHistoryScreen #history-title { height: 1; background: $boost; padding: 0 1;
        text-style: bold; }
    ExamHistoryScreen #history { height: 1fr; }
    ExamHistoryScreen #history-empty { padding: 1 2; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=True, priority=False),
        Binding("escape", "close", "Back"),
    ]
    AUTO_FOCUS = "#history"

    def __init__(self, service: Service) -> None:
        super().__init__()
        self.service = service
        self.rows: list[ExamRow] = []

    def compose(self) -> ComposeResult:
        yield Static(id="history-title")
        table: DataTable[str | Text] = DataTable(
            id="history", cursor_type="row", zebra_stripes=True
        )
        table.add_columns("exam", "date", "questions", "score", "%", "time", "covering")
        yield table
        yield Static("No exams yet: press x on the home screen to sit one.", id="history-empty")
        yield KeyBar()

    def on_mount(self) -> None:
        self.fill()

    def on_screen_resume(self) -> None:
        self.fill()

    def fill(self) -> None:
        """List the exams as they are now (a retake taken from here adds one)."""
        self.rows = self.service.exam_history()
        self.query_one("#history-title", Static).update(
            f"Past exams ({len(self.rows)}): Enter opens one"
        )
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in self.rows:
            spent = duration((row.finished - row.started).total_seconds() * 1000)
            table.add_row(
                str(row.id),
                f"{self.service.clock.local(row.finished):%Y-%m-%d %H:%M}",
                str(row.questions),
                f"{row.score:.4g}",
                f"{row.score / row.questions:.0%}" if row.questions else "-",
                spent + (" (time up)" if row.timed_out else ""),
                plain(row.title, lines=False),  # a DataTable reads a string as markup
                key=str(row.id),
            )
        table.move_cursor(row=min(cursor, max(len(self.rows) - 1, 0)))
        self.query_one("#history-empty").display = not self.rows

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.show_exam(int(event.row_key.value))

    def action_open(self) -> None:
        """Open the highlighted exam's results."""
        table = self.query_one(DataTable)
        if self.rows and 0 <= table.cursor_row < len(self.rows):
            self.show_exam(self.rows[table.cursor_row].id)

    def show_exam(self, exam_id: int) -> None:
        """The results of exam ``exam_id``."""
        result = self.service.exam_result(exam_id)
        if result is None:
            self.notify(f"There is no exam {exam_id}.", severity="error")
            return
        self.app.push_screen(ExamResultsScreen(self.service, result))

    def action_close(self) -> None:
        """Back."""
        self.dismiss()
