"""The four ratings under a revealed card, each with its key and the interval it would give.

Drawn as one line by one widget: four Textual ``Button`` widgets (and the seven
kilobytes of CSS that come with the first one) made the study screen take about a
third longer to appear. A click on a rating rates, as the key does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from study.core.scheduling.scheduler import Rating, format_interval

NAMES = {Rating.AGAIN: "Again", Rating.HARD: "Hard", Rating.GOOD: "Good", Rating.EASY: "Easy"}
WIDTH = 16
"""The least width of a rating, so that the four do not move as their intervals change."""
GAP = 2


class RatingBar(Widget):
    """``1 Again · 1m   2 Hard · 6m   3 Good · 10m   4 Easy · 4d``, centred.

    The suggested one marked.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"ratingbar--{name.lower()}" for name in NAMES.values()
    } | {"ratingbar--suggested"}
    DEFAULT_CSS = """
    RatingBar {
        height: 1;
        margin: 1 0 0 0;
        text-wrap: nowrap;
        .ratingbar--again { background: $error-muted; color: $text; }
        .ratingbar--hard { background: $warning-muted; color: $text; }
        .ratingbar--good { background: $success-muted; color: $text; }
        .ratingbar--easy { background: $primary-muted; color: $text; }
        .ratingbar--suggested { text-style: bold reverse; }
    }
    """

    @dataclass
    class Rated(Message):
        """A rating was clicked."""

        rating: Rating

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.intervals: dict[Rating, timedelta] = {}
        self.suggested: Rating | None = None
        self._spans: list[tuple[int, int, Rating]] = []
        """(first cell, cell after the last, rating) of each rating, as last drawn."""

    def show(self, intervals: dict[Rating, timedelta], suggested: Rating | None) -> None:
        """Label the ratings with their intervals; mark the suggested one."""
        self.intervals, self.suggested = dict(intervals), suggested
        self.refresh()

    def label(self, rating: Rating) -> str:
        """``1 Again · 1m``, with ``◂`` after the suggested rating."""
        interval = (
            f" · {format_interval(self.intervals[rating])}" if rating in self.intervals else ""
        )
        star = " ◂" if rating == self.suggested else ""
        return f"{int(rating)} {NAMES[rating]}{interval}{star}"

    def _layouts(self) -> Iterator[tuple[dict[Rating, str], int]]:
        """The labels and the gap between them, widest first: padded, then not, then without
        intervals."""
        yield {rating: f" {self.label(rating)} ".center(WIDTH) for rating in NAMES}, GAP
        yield {rating: f" {self.label(rating)} " for rating in NAMES}, 1
        yield {rating: f" {int(rating)} {NAMES[rating]} " for rating in NAMES}, 1

    def render(self) -> Text:
        for labels, gap in self._layouts():  # the first that fits (the last one if none does)
            width = sum(map(len, labels.values())) + gap * (len(labels) - 1)
            if width <= self.size.width:
                break
        line = Text(" " * max(0, (self.size.width - width) // 2), no_wrap=True, overflow="crop")
        self._spans = []
        for rating, label in labels.items():
            style = self.get_component_rich_style(f"ratingbar--{NAMES[rating].lower()}")
            if rating == self.suggested:
                style += self.get_component_rich_style("ratingbar--suggested")
            start = line.cell_len
            line.append(label, style)
            self._spans.append((start, line.cell_len, rating))
            line.append(" " * gap, Style())
        return line

    def on_click(self, event: events.Click) -> None:
        """A click on a rating rates."""
        for start, end, rating in self._spans:
            if start <= event.x < end:
                event.stop()
                self.post_message(self.Rated(rating))
                return
