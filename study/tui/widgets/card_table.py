"""The card browser's table: one row per item found, a mark column, a title per sort order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual import events, on
from textual.message import Message
from textual.widgets import DataTable

from study.core.clock import Clock
from study.core.review.browse import Column, Row

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


class Cell:
    """A cell's text, drawn as rich Text (never parsed as markup) but never measured.

    The table measures every cell it is given (``DataTable._update_dimensions``), which took
    a quarter of a second for 500 rows of Text here; the columns have fixed widths, and a
    renderable without ``__rich_measure__`` is not measured.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = Text(text, no_wrap=True, overflow="ellipsis")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text

    def __str__(self) -> str:
        return self.text.plain


class CardTable(DataTable[Cell]):
    """Rows of ``Row``s, keyed by their index in the card index; a click on a title sorts."""

    @dataclass
    class SortRequested(Message):
        """A column's title was clicked."""

        column: Column

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.order: list[int] = []
        """The index of the item on each row, top down."""
        self._shown: tuple[list[Row], set[int], Column | None, bool, Clock] | None = None
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
        fixed = sum(width + 2 for _, _, width in COLUMNS) + 3
        card_width = max(12, self.size.width - fixed - 2)
        titles = (card_width, sort_by, descending)
        shown = (list(rows), set(marked), sort_by, descending, clock)
        if shown == self._shown and titles == self._titles:
            return  # the same rows (typing on often finds the same first ones): nothing to redo
        self.order = list(order[: len(rows)])
        self._shown = shown
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
            cells = [Cell(c) for c in row.cells(clock, now)]
            self.add_row(Cell("●" if i in marked else ""), *cells, key=str(i))
        if self.row_count:
            self.move_cursor(row=min(cursor, self.row_count - 1))

    def set_mark(self, index: int, marked: bool) -> None:
        """Show or hide the mark of the row of item ``index``."""
        self.update_cell(str(index), MARK, Cell("●" if marked else ""))
        if self._shown is not None:
            self._shown[1].symmetric_difference_update({index})

    @property
    def highlighted(self) -> int | None:
        """The index of the item under the cursor, if there is a row."""
        if not self.row_count or self.cursor_row >= len(self.order):
            return None
        return self.order[self.cursor_row]

    def on_resize(self, event: events.Resize) -> None:
        if self._shown is not None:
            rows, marked, sort_by, descending, clock = self._shown
            self._titles = None  # the card column's width follows the table's
            self.show(rows, self.order, marked, sort_by, descending, clock)

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        key = event.column_key.value
        if key is not None and key != MARK:
            self.post_message(self.SortRequested(Column(key)))
