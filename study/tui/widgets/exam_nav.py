"""The question strip of the exam screen: one numbered cell per question, coloured by its state.

Open questions are plain, answered ones blue, flagged ones yellow (with instant feedback,
marked ones green or red); the question on screen is shown reversed. A click on a number
posts ``ExamNavigator.Picked``. The cells wrap onto more lines when they do not fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class Cell(StrEnum):
    """The state a question's number is drawn in."""

    OPEN = "open"
    ANSWERED = "answered"
    FLAGGED = "flagged"
    RIGHT = "right"
    WRONG = "wrong"


class ExamNavigator(Widget):
    """Numbers 1..N; the current one reversed; click one to go to it."""

    COMPONENT_CLASSES = {f"exam-nav--{cell.value}" for cell in Cell} | {"exam-nav--current"}
    DEFAULT_CSS = """
    ExamNavigator { height: auto; }
    ExamNavigator > .exam-nav--open { background: $boost; color: $text-muted; }
    ExamNavigator > .exam-nav--answered { background: $primary 60%; color: $text; }
    ExamNavigator > .exam-nav--flagged { background: $warning; color: $background;
        text-style: bold; }
    ExamNavigator > .exam-nav--right { background: $success 70%; color: $text; }
    ExamNavigator > .exam-nav--wrong { background: $error 70%; color: $text; }
    ExamNavigator > .exam-nav--current { text-style: bold reverse; }
    """

    cells: reactive[tuple[Cell, ...]] = reactive((), layout=True)
    """One state per question."""
    current: reactive[int] = reactive(0)
    """The question on screen (0-based)."""

    @dataclass
    class Picked(Message):
        """A question number was clicked."""

        index: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tooltip = (
            "Blue: answered · yellow: flagged · grey: not answered · reversed: this question. "
            "Click a number to go to it."
        )

    @property
    def cell_width(self) -> int:
        """Characters per number: the widest number and a space each side."""
        return len(str(max(len(self.cells), 1))) + 2

    def per_row(self, width: int) -> int:
        """Numbers on one line of this width."""
        return max(1, width // self.cell_width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, -(-len(self.cells) // self.per_row(width)))

    def show(self, cells: Sequence[Cell], current: int) -> None:
        """Draw these states with ``current`` as the question on screen."""
        self.cells = tuple(cells)
        self.current = current

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        digits = self.cell_width - 2
        per_row = self.per_row(self.content_size.width or 80)
        current_style = self.get_component_rich_style("exam-nav--current")
        for i, cell in enumerate(self.cells):
            if i and i % per_row == 0:
                text.append("\n")
            style = self.get_component_rich_style(f"exam-nav--{cell.value}")
            if i == self.current:
                style += current_style
            text.append(f" {i + 1:>{digits}} ", style=style)
        return text

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = offset.y * self.per_row(self.content_size.width) + offset.x // self.cell_width
        if offset.x < self.per_row(self.content_size.width) * self.cell_width and index < len(
            self.cells
        ):
            event.stop()
            self.post_message(self.Picked(index))
