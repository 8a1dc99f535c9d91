"""The card browser's table: one row per item found, a mark column, a title per sort order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.message import Message
from textual.widgets import DataTable

from study.core.browse import Column, Row
from study.core.clock import Clock

COLUMNS: tuple[tuple[Column, str, int], ...] = (
    (Column.CARD, "card", 0),  # the rest of the width
    (Column.DECK, "deck", 12),
    (Column.STATE, "state", 14),
    (Column.DUE, "due", 10),
    (Column.STABILITY, "stab.", 5),
    (Column.RECALL, "recall", 6),
    (Column.LAPSES, "lapses", 6),
    (Column.LAST, "last", 9),
)
"""Each column: what it shows, its title, its width (the card column takes what is left)."""

MARK = "mark"
"""The key of the first, one-cell column: ● on a marked row."""


class CardTable(DataTable[Text]):
    """Rows of ``Row``s, keyed by their index in the card index; a click on a title sorts."""

    @dataclass
    class SortRequested(Message):
        """A column's title was clicked."""

        column: Column

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.order: list[int] = []
        """The index of the item on each row, top down."""
        self._shown: tuple[Sequence[Row], set[int], Column | None, bool, Clock] | None = None
        self._titles: tuple[int, Column | None, bool] | None = None

    def show(
        self,
        rows: Sequence[Row],
        order: Sequence[int],
        marked: set[int],
        sort_by: Column | None,
        descending: bool,
        clock: Clock,
    ) -> None:
        """List these rows (``order[n]`` is the index of ``rows[n]``); the cursor stays put."""
        self.order = list(order[: len(rows)])
        self._shown = (rows, marked, sort_by, descending, clock)
        fixed = sum(width + 2 for _, _, width in COLUMNS) + 3
        card_width = max(12, self.size.width - fixed - 2)
        titles = (card_width, sort_by, descending)
        cursor = self.cursor_row
        self.clear(columns=titles != self._titles)
        if titles != self._titles:
            self._titles = titles
            self.add_column("", width=1, key=MARK)
            for column, title, width in COLUMNS:
                arrow = (" ▼" if descending else " ▲") if column is sort_by else ""
                self.add_column(f"{title}{arrow}", width=width or card_width, key=column.value)
        now = clock.now()
        for i, row in zip(self.order, rows, strict=True):
            cells = [Text(c, no_wrap=True, overflow="ellipsis") for c in row.cells(clock, now)]
            self.add_row(Text("●" if i in marked else ""), *cells, key=str(i))
        if self.row_count:
            self.move_cursor(row=min(cursor, self.row_count - 1))

    def set_mark(self, index: int, marked: bool) -> None:
        """Show or hide the mark of the row of item ``index``."""
        self.update_cell(str(index), MARK, Text("●" if marked else ""))

    @property
    def highlighted(self) -> int | None:
        """The index of the item under the cursor, if there is a row."""
        if not self.row_count or self.cursor_row >= len(self.order):
            return None
        return self.order[self.cursor_row]

    def on_resize(self, event: events.Resize) -> None:
        if self._shown is not None:
            rows, marked, sort_by, descending, clock = self._shown
            self.show(rows, self.order, marked, sort_by, descending, clock)

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        key = event.column_key.value
        if key is not None and key != MARK:
            self.post_message(self.SortRequested(Column(key)))
