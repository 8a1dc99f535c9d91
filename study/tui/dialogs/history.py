"""A card's history: every answer it was given, with the interval that followed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from study.core.clock import Clock
from study.core.decks.model import Item
from study.core.review.card_actions import Step
from study.core.scheduling.scheduler import format_interval
from study.core.words import plural


class HistoryDialog(ModalScreen[None]):
    """The log of one item, oldest first: time, rating, mode, the answer given, the interval."""

    DEFAULT_CSS = """
    HistoryDialog { align: center middle; }
    HistoryDialog #history-box { width: 96; max-width: 98%; height: auto; max-height: 90%;
        border: round $accent; background: $panel; padding: 0 1; }
    HistoryDialog #history-steps { height: auto; max-height: 20; }
    HistoryDialog .history-note { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,h,q", "dismiss", "Close"),
    ]

    def __init__(self, item: Item, steps: Sequence[Step], clock: Clock) -> None:
        super().__init__()
        self.item, self.steps, self.clock = item, list(steps), clock

    def compose(self) -> ComposeResult:
        card = self.item.card
        title = Text.assemble((" ".join(self.item.prompt.split()), "bold"), f"\n{self.item.key}")
        table: DataTable[Text] = DataTable(
            id="history-steps", cursor_type="row", zebra_stripes=True
        )
        table.add_column("when", width=16)
        table.add_column("rating", width=9)
        table.add_column("mode", width=8)
        table.add_column("answer given", width=30)
        table.add_column("next in", width=8)
        for step in self.steps:
            table.add_row(
                Text(f"{self.clock.local(step.at):%Y-%m-%d %H:%M}"),
                Text(step.rating),
                Text(step.mode),
                Text(
                    " / ".join((step.answer or "").split("\n")), overflow="ellipsis", no_wrap=True
                ),
                Text("-" if step.interval is None else format_interval(step.interval)),
            )
        note = (
            f"{plural(len(self.steps), 'answer')} ({card.type} card, "
            f"line {card.line}). Practice answers schedule nothing. Esc closes."
            if self.steps
            else "Never answered. Esc closes."
        )
        with Vertical(id="history-box"):
            yield Static(title)
            yield table
            yield Static(note, classes="history-note", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.row_count - 1))
