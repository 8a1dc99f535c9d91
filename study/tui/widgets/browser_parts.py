"""The card browser's small parts: its search box, the hint, the status line and the preview.

Text only (no service): the browser screen gives them what they show.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Input

from study.core.decks.model import Item
from study.core.review.browse import Column
from study.core.review.card_actions import cards

HINT = 'Search as you type: words "a phrase" deck:ID tag:NAME is:due|suspended|… -not (? for help)'


LIST_ACTIONS = {
    "mark",
    "mark_all",
    "act",
    "undo",
    "forget",
    "edit",
    "cram",
    "history",
    "sort",
    "reverse",
}
"""The actions of the list of cards (their keys type text while the search box is focused)."""


class SearchBox(Input):
    """The query, searched as it is typed; ↓ or Enter goes to the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.focus_table", "The cards", key_display="↓"),
    ]


def status_line(
    count: int,
    total: int,
    limit: int,
    query: str,
    sort_by: Column | None,
    descending: bool,
    marked: int,
) -> str:
    """How many cards were found (of how many), shown, in which order, and marked."""
    what = f" matching “{query}”" if query else ""
    line = (
        f"Showing {min(count, limit):,} of {cards(count)}{what}"
        if count > limit
        else f"{cards(count)}{what}"
    )
    if what:
        line += f" (of {total:,})"
    if sort_by is not None:
        line += f" · by {sort_by.value} {'▼' if descending else '▲'}"
    if marked:
        line += f" · {marked:,} marked"
    return line


def preview_text(item: Item) -> Text:
    """The whole question and answer of a card, on two lines cut to the width."""
    answer = " ".join(item.answer.replace("\n", " · ").split())
    return Text.assemble(
        ("Q ", "bold"),
        " ".join(item.prompt.split()),
        "\n",
        ("A ", "bold"),
        answer,
        no_wrap=True,
        overflow="ellipsis",
    )
