"""The exam-date strip of the home screen: days left, expected score, weakest decks, the daily plan.

Two lines, shown only while an exam date is set. The panel only draws what it is given
(``show``): the home screen works out the forecast (``Service.forecast``) in a thread, so it never
waits for it, when it comes back into view (after studying) and when the decks are reloaded; the
home screen's keys also open the full forecast and set or clear the date.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.widget import Widget

from study.core.exams.plan import Forecast
from study.core.words import plural
from study.tui.dialogs.exam_date import days_left
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

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.day: date | None = None
        """The exam date (None: no date, and no panel)."""
        self.forecast: Forecast | None = None
        """The readiness forecast for ``day`` (None until it is worked out, or when it failed)."""
        self.error: str | None = None
        """Why there is no forecast (``PlanError``)."""
        self.computing = False
        """The home screen is working out a new forecast."""

    def show(self, day: date | None, forecast: Forecast | None, error: str | None) -> None:
        """Show the forecast the home screen worked out for ``day`` (or why there is none)."""
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
