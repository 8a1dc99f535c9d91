"""Small questions the exam screen asks: hand in or abandon (yes or no), and which question to go
to."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class AskDialog(ModalScreen[bool]):
    """A yes-or-no question: y or Enter for yes, n or Esc for no (or the buttons)."""

    DEFAULT_CSS = """
    AskDialog { align: center middle; }
    AskDialog #ask { width: 64; max-width: 96%; height: auto; border: round $warning;
        background: $panel; padding: 0 1; }
    AskDialog #ask-buttons { height: 1; margin-top: 1; align: right middle; }
    AskDialog #ask-buttons Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str | Text, yes: str, no: str) -> None:
        super().__init__()
        self.question = question
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="ask"):
            yield Static(self.question, id="ask-text")
            with Horizontal(id="ask-buttons"):
                yield Button(f"{self.yes} (y)", id="ask-yes", variant="warning", compact=True)
                yield Button(f"{self.no} (n)", id="ask-no", compact=True)

    def on_mount(self) -> None:
        self.set_focus(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "ask-yes")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)


class GotoDialog(ModalScreen[int | None]):
    """Which question to go to: a number and Enter (Esc: stay)."""

    DEFAULT_CSS = """
    GotoDialog { align: center middle; }
    GotoDialog #goto { width: 40; height: auto; border: round $accent; background: $panel;
        padding: 0 1; }
    GotoDialog #goto-error { color: $text-error; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Stay")]

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def compose(self) -> ComposeResult:
        with Vertical(id="goto"):
            yield Static(f"Go to question (1-{self.count}), Enter; Esc stays:")
            yield Input(type="integer", id="goto-number", compact=True)
            yield Static(id="goto-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if text.isdigit() and 1 <= int(text) <= self.count:
            self.dismiss(int(text) - 1)
            return
        self.query_one("#goto-error", Static).update(f"Type a number from 1 to {self.count}.")

    def action_cancel(self) -> None:
        """Stay on the question."""
        self.dismiss(None)
