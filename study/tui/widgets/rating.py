"""The four rating buttons, each labelled with the interval it would give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from study.core.scheduling import Rating, format_interval

NAMES = {Rating.AGAIN: "Again", Rating.HARD: "Hard", Rating.GOOD: "Good", Rating.EASY: "Easy"}
VARIANTS = {Rating.AGAIN: "error", Rating.HARD: "warning", Rating.GOOD: "success", Rating.EASY: "primary"}


class RatingBar(Horizontal):
    """Again / Hard / Good / Easy, clickable, with the key and interval on each."""

    @dataclass
    class Rated(Message):
        """A rating button was pressed."""

        rating: Rating

    def compose(self) -> ComposeResult:
        for rating, name in NAMES.items():
            yield Button(f"{int(rating)} {name}", id=name.lower(), variant=VARIANTS[rating])  # type: ignore[arg-type]

    def show(self, intervals: dict[Rating, timedelta], suggested: Rating | None) -> None:
        """Label the buttons with their intervals; mark the suggested rating."""
        for rating, name in NAMES.items():
            button = self.query_one(f"#{name.lower()}", Button)
            interval = f" · {format_interval(intervals[rating])}" if rating in intervals else ""
            star = " ◂" if rating == suggested else ""
            button.label = f"{int(rating)} {name}{interval}{star}"
            button.set_class(rating == suggested, "suggested")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        rating = next(r for r, n in NAMES.items() if n.lower() == event.button.id)
        self.post_message(self.Rated(rating))
