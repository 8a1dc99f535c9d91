"""The exam-date strip of the home screen: days left, expected score, weakest decks, the daily plan.

Two lines, shown only while an exam date is set. The forecast (``Service.forecast``) is
computed in a thread (``recompute``), so the home screen never waits for it; the screen asks
again when it comes back into view (after studying) and when the decks are reloaded. The
full forecast opens in :class:`~study.tui.dialogs.exam_date.ForecastDialog` (``show_forecast``),
and ``choose_date`` sets or clears the date (a date the disk refuses is said NOT saved, and
the form opens on it again).
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import work
from textual.widget import Widget

from study.core.exams.plan import Forecast, PlanError
from study.core.progress.store import WriteError
from study.core.service import Service
from study.core.words import plural
from study.tui.dialogs.exam_date import DateChosen, ExamDateDialog, ForecastDialog, days_left
from study.tui.notice import NotSavedNotice
from study.tui.text import plain

WEAKEST = 3
"""Decks named on the second line."""


def fit(parts: list[Text], width: int, separator: str = " · ") -> Text:
    """The parts joined, as many as fit in ``width`` (the first always, cut if need be)."""
    line = Text()
    for n, part in enumerate(parts):
        extra = len(separator) if n else 0
        if n and line.cell_len + extra + part.cell_len > width:
            break
        if n:
            line.append(separator, style="dim")
        line.append_text(part)
    line.truncate(width, overflow="ellipsis")
    return line


class ExamPanel(Widget):
    """Readiness for the exam date, in two lines."""

    DEFAULT_CSS = """
    ExamPanel { height: auto; padding: 0 1; background: $boost; display: none; }
    """

    def __init__(self, service: Service, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.service = service
        self.day: date | None = None
        self.forecast: Forecast | None = None
        self.error: str | None = None
        self.computing = False
        self.unsaved_day: date | None = None
        """A date the disk refused: the form opens on it again, so Enter retries."""
        self.notice = NotSavedNotice()

    # --- the forecast ------------------------------------------------------------

    def recompute(self) -> None:
        """Compute the forecast again (in a thread) and show it."""
        self.computing = True
        self._compute()

    @work(thread=True, exclusive=True, group="exam-forecast")
    def _compute(self) -> None:
        day = self.service.exam_date
        forecast: Forecast | None = None
        error: str | None = None
        if day is not None:
            try:
                forecast = self.service.forecast(day)
            except PlanError as exc:
                error = str(exc)
        self.app.call_from_thread(self._show, day, forecast, error)

    def _show(self, day: date | None, forecast: Forecast | None, error: str | None) -> None:
        self.day, self.forecast, self.error = day, forecast, error
        self.computing = False
        self.display = day is not None
        self.refresh(layout=True)

    # --- drawing -------------------------------------------------------------------

    def render(self) -> Text:
        width = max(20, self.content_size.width or 80)
        colors = self.app.get_css_variables()
        keys = Text("p plan · d date", style="dim")
        if self.day is None:
            return Text()
        if self.forecast is None:
            if self.error is None:
                return Text.assemble(
                    (f"Exam {self.day:%a %d %b %Y}", "bold"), ": working out the forecast…"
                )
            first = Text.assemble(
                (f"Exam {self.day:%a %d %b %Y}: ", "bold"), plain(self.error.split(";")[0])
            )
            return Text.assemble(
                fit([first], width), "\n", Text("d: set a new date or clear it", style="dim")
            )
        f = self.forecast
        score_color = colors.get("success" if f.expected_score >= f.target else "warning", "")
        first = fit(
            [
                Text.assemble(
                    (f"Exam {f.exam_date:%a %d %b}", "bold"), f", {days_left(f.days_left)}"
                ),
                Text.assemble(
                    "expected score ",
                    (f"{f.expected_score:.0%}", f"bold {score_color}"),
                    " now, ",
                    (f"{f.planned_score:.0%}", "bold"),
                    " on plan",
                ),
            ],
            width,
        )
        reviews = round(f.reviews_per_day)
        head = [
            Text(f"Plan: {f.new_per_day} new + ~{plural(reviews, 'review')} a day")
            if f.days
            else Text("Exam day: no plan left")
        ]
        tail = [keys]
        if f.warnings:
            tail.insert(
                0,
                Text(
                    f"⚠ {len(f.warnings)} warning{'s' if len(f.warnings) > 1 else ''}",
                    style=f"bold {colors.get('warning', 'yellow')}",
                ),
            )
        weakest = plain(
            "weakest: " + ", ".join(f"{r.name} {r.recall:.0%}" for r in f.decks[:WEAKEST]),
            lines=False,
        )
        room = width - sum(t.cell_len + 3 for t in [*head, *tail])
        if room >= 16:
            weakest.truncate(room, overflow="ellipsis")
            head.append(weakest)
        second = fit([*head, *tail], width)
        return Text.assemble(first, "\n", second)

    # --- the dialogs -----------------------------------------------------------------

    def choose_date(self) -> None:
        """Ask for the exam date; set or clear it, then show the new forecast."""
        service = self.service
        today = service.clock.study_day(service.clock.now(), service.config.day_starts_at)

        def chosen(choice: DateChosen | None) -> None:
            if choice is None:
                return
            try:
                service.set_exam_date(choice.day)
            except WriteError as exc:  # the date stays as it was; d opens the form on this one
                self.unsaved_day = choice.day
                self.notice.show(self.app, "The exam date", "attempt", exc, "press d and Enter")
                return
            self.unsaved_day = None
            self.notice.saved(self.app)
            if choice.day is None:
                self.notify("The exam date is cleared.")
            else:
                self.notify(
                    f"Exam date: {choice.day:%A %d %B %Y}. Studying now favours the cards you are "
                    "likeliest to forget by then. p: the full plan.",
                    timeout=6,
                )
            self.recompute()

        shown = self.unsaved_day if self.unsaved_day is not None else service.exam_date
        self.app.push_screen(ExamDateDialog(shown, today), chosen)

    def show_forecast(self) -> None:
        """The full forecast and plan (or the date form when no date is set)."""
        if self.forecast is None:
            if self.day is not None and self.computing:
                self.notify("The forecast is still being worked out.")
                return
            self.choose_date()
            return

        def closed(change: bool | None) -> None:
            if change:
                self.choose_date()

        self.app.push_screen(ForecastDialog(self.forecast, self.service.config.new_per_day), closed)
