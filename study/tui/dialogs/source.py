"""Where a card comes from, and its explanation."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from study.core.decks.model import Deck, Item
from study.tui.text import plain


class SourceDialog(ModalScreen[None]):
    """The card's source (title, author, publication, date, where in it) and its explain note."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,s,space", "dismiss", "Close")]

    def __init__(self, item: Item, deck: Deck | None) -> None:
        super().__init__()
        self.item = item
        self.deck = deck

    def compose(self) -> ComposeResult:
        card = self.item.card
        head = plain(f"{card.deck_id}/{card.id}", "bold", lines=False)
        lines: list[str] = []
        for number, ref in enumerate(card.citations):
            source = self.deck.source(ref.id) if self.deck else None
            if number:
                lines.append("")
            lines.append(f"Source: {source.describe() if source else ref.id}")
            if ref.at:
                lines.append(f"Where: {ref.at}")
            if source is not None and source.url:
                lines.append(f"URL: {source.url}")
        if not card.citations:
            lines.append("This card cites no source.")
        if card.explain:
            lines += ["", card.explain]
        text = Text.assemble(head, f"  ({card.type}, line {card.line})\n", plain("\n".join(lines)))
        if self.deck is not None:
            text.append_text(Text("\n\n").append_text(plain(self.deck.display, "dim", lines=False)))
        with Vertical(id="source-dialog"):
            yield Static(text)
            yield Static(Text("Esc to close", style="dim"))
