"""The exam date: a small form to set or clear it, and the full forecast with the daily plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from study.core.exams.plan import Forecast, PlanError, Readiness, check_exam_date, parse_exam_date
from study.core.words import plural
from study.tui.text import plain

DAYS_SHOWN = 7
"""Days of the plan listed in the forecast."""
TAGS_SHOWN = 8


def days_left(days: int) -> str:
    """'today', 'tomorrow' or 'in N days'."""
    return {0: "today", 1: "tomorrow"}.get(days, f"in {plural(days, 'day')}")


@dataclass(frozen=True, slots=True)
class DateChosen:
    """What the date form closed with: a date, or None to clear it."""

    day: date | None


class ExamDateDialog(ModalScreen[DateChosen | None]):
    """Set the exam date (today or later, in any form ``parse_exam_date`` reads) or clear it;
    Esc leaves it as it was."""

    DEFAULT_CSS = """
    ExamDateDialog { align: center middle; }
    ExamDateDialog #exam-date { width: 60; max-width: 98%; height: auto; border: round $accent;
        background: $panel; padding: 0 1; }
    ExamDateDialog #date-title { text-style: bold; margin-bottom: 1; }
    ExamDateDialog #date-check { height: auto; color: $text-muted; }
    ExamDateDialog #date-check.error { color: $text-error; }
    ExamDateDialog #date-buttons { height: 1; align: right middle; margin-top: 1; }
    ExamDateDialog #date-buttons Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: date | None, today: date) -> None:
        super().__init__()
        self.current = current
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="exam-date"):
            yield Static("When is the exam?", id="date-title")
            yield Input(
                self.current.isoformat() if self.current else "",
                placeholder="2027-01-31, 31/01/2027 or 31 January 2027",
                id="date-input",
                compact=True,
            )
            yield Static(id="date-check")
            with Horizontal(id="date-buttons"):
                yield Button("Set (Enter)", id="date-set", variant="primary", compact=True)
                if self.current is not None:
                    yield Button("Clear the date", id="date-clear", variant="warning", compact=True)
                yield Button("Cancel (Esc)", id="date-cancel", compact=True)

    def on_mount(self) -> None:
        self._check(self.query_one(Input).value)

    def _parse(self, text: str) -> date:
        """The date typed; ValueError with a one-line reason."""
        day = parse_exam_date(text)
        if day < self.today:
            raise ValueError(
                f"{day:%d %B %Y} has passed: give today ({self.today.isoformat()}) or a later day"
            )
        try:
            check_exam_date(day, self.today)
        except PlanError as exc:
            raise ValueError(str(exc)) from None
        return day

    def _check(self, text: str) -> date | None:
        widget = self.query_one("#date-check", Static)
        if not text.strip():
            widget.update(
                "Type a date such as "
                + self.today.replace(year=self.today.year + 1).isoformat()
                + (", or clear the date." if self.current else ".")
            )
            widget.remove_class("error")
            return None
        try:
            day = self._parse(text)
        except ValueError as exc:
            widget.update(plain(str(exc)[:1].upper() + str(exc)[1:] + "."))  # quotes what was typed
            widget.add_class("error")
            return None
        widget.update(f"{day:%A %d %B %Y}: {days_left((day - self.today).days)}.")
        widget.remove_class("error")
        return day

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if 0 < len(event.value.strip()) < len("YYYY-MM-DD"):  # still typing: no error yet
            self.query_one("#date-check", Static).update(
                "A date such as 2027-01-31 or 31/01/2027, then Enter."
            )
            self.query_one("#date-check").remove_class("error")
            return
        self._check(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_set()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "date-set":
            self.action_set()
        elif event.button.id == "date-clear":
            self.dismiss(DateChosen(None))
        else:
            self.action_cancel()

    def action_set(self) -> None:
        """Set the date typed (an empty box clears the date)."""
        text = self.query_one(Input).value
        if not text.strip():
            if self.current is not None:
                self.dismiss(DateChosen(None))
            return
        day = self._check(text)
        if day is not None:
            self.dismiss(DateChosen(day))

    def action_cancel(self) -> None:
        """Leave the date as it was."""
        self.dismiss(None)


def _readiness(
    title: str, column: str, groups: tuple[Readiness, ...], limit: int | None = None
) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=None,
        padding=(0, 1),
        show_edge=False,
        header_style="dim",
    )
    table.add_column(column)
    for name in ("items", "new", "now", "on plan", "below target"):
        table.add_column(name, justify="right")
    for r in groups[:limit]:
        table.add_row(
            plain(r.name, lines=False),
            str(r.items),
            str(r.new),
            f"{r.recall:.0%}",
            f"{r.planned:.0%}",
            str(r.below),
        )
    return table


def forecast_text(f: Forecast, new_limit: int) -> Group:
    """The forecast and the plan, as the dialog shows them."""
    head = Text.assemble(
        (f"Exam on {f.exam_date:%A %d %B %Y}: {days_left(f.days_left)}.", "bold"),
        f" Target recall {f.target:.0%}.\n",
        f"{plural(f.items, 'item')}, {f.new_items} never studied.\n",
        "Expected score if you stop now: ",
        (f"{f.expected_score:.0%}", "bold"),
        "; if you keep the plan: ",
        (f"{f.planned_score:.0%}", "bold"),
        ".",
    )
    if f.days:
        head.append(
            f"\nPlan: {plural(f.new_per_day, 'new item')} a day (your limit: {new_limit}), about "
            f"{plural(round(f.reviews_per_day), 'review')} a day (at most {f.peak_reviews:.0f})."
        )
    parts: list[Text | Table] = [head, Text()]
    for warning in f.warnings:
        parts += [plain(f"⚠ {warning}", "bold"), Text()]
    parts += [_readiness("Decks, weakest first", "deck", f.decks), Text()]
    if f.tags:
        parts += [_readiness("Tags, weakest first", "tag", f.tags, TAGS_SHOWN), Text()]
    if f.days:
        days = Table(
            title="The next days",
            title_justify="left",
            title_style="bold",
            box=None,
            padding=(0, 1),
            show_edge=False,
            header_style="dim",
        )
        for name in ("day", "new", "reviews"):
            days.add_column(name, justify="left" if name == "day" else "right")
        for d in f.days[:DAYS_SHOWN]:
            days.add_row(f"{d.day:%a %d %b}", str(d.new), f"{d.reviews:.0f}")
        parts.append(days)
    return Group(*parts)


class ForecastDialog(ModalScreen[bool]):
    """The whole forecast; ``d`` closes it asking for a new date (True), Esc just closes it."""

    DEFAULT_CSS = """
    ForecastDialog { align: center middle; }
    ForecastDialog #forecast { width: 96%; max-width: 100; height: 96%; max-height: 40;
        border: round $accent; background: $panel; padding: 0 1; }
    ForecastDialog #forecast-keys { height: 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,p,q", "close", "Close"),
        Binding("d", "change_date", "Change the date"),
    ]
    AUTO_FOCUS = "#forecast"

    def __init__(self, forecast: Forecast, new_limit: int) -> None:
        super().__init__()
        self.forecast = forecast
        self.new_limit = new_limit

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="forecast"):
            yield Static(forecast_text(self.forecast, self.new_limit), id="forecast-text")
            yield Static("d: change or clear the date · Esc: close", id="forecast-keys")

    def action_close(self) -> None:
        """Close."""
        self.dismiss(False)

    def action_change_date(self) -> None:
        """Close and ask for a new date."""
        self.dismiss(True)
