"""The card browser (Anki's Browse): every card of the selection, searched as you type, sorted
by any column, and acted on (suspend, unsuspend, unbury, unflag, forget, edit, cram, history).

The index of the cards is read in a thread (a 100,000-card collection takes a moment) and
each search runs in a thread too, so typing never waits. The table holds the first ``LIMIT``
rows of the results, in the order chosen; the status line says how many there are in all,
and the actions and cramming take all of them (or the marked ones).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from study.core.browse import Action, CardIndex, Column, Row, cards
from study.core.search import Query, QueryError, narrows, parse
from study.core.service import Service
from study.tui.widgets.keybar import KeyBar

LIMIT = 500
"""The most rows the table holds (the results beyond are counted, acted on, not listed)."""

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

HINT = (
    'words, "a phrase", deck:ID, tag:NAME, '
    "is:due|new|learning|review|suspended|buried|flagged|leech, -not"
)


class BrowserScreen(Screen[None]):
    """Search, sort and act on the cards of the selection."""

    DEFAULT_CSS = """
    BrowserScreen #browser-title { height: 1; background: $boost; padding: 0 1; text-style: bold; }
    BrowserScreen #query { margin: 0; }
    BrowserScreen #browser-status { height: 1; padding: 0 1; color: $text-muted; }
    BrowserScreen #browser-status.error { color: $text-error; }
    BrowserScreen #cards { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("down", "focus_table", "Cards", show=False),
        Binding("space", "mark", "Mark"),
        Binding("a", "mark_all", "Mark all", show=False),
        Binding("s", "act('suspend')", "Suspend"),
        Binding("u", "act('unsuspend')", "Unsuspend"),
        Binding("b", "act('unbury')", "Unbury", show=False),
        Binding("f", "act('unflag')", "Unflag", show=False),
        Binding("F", "forget", "Forget"),
        Binding("e", "edit", "Edit"),
        Binding("c", "cram", "Cram"),
        Binding("h", "history", "History"),
        Binding("o", "sort", "Sort"),
        Binding("O", "reverse", "Reverse", show=False),
    ]
    AUTO_FOCUS = "#query"

    def __init__(self, service: Service, deck_ids: Sequence[str], title: str) -> None:
        super().__init__()
        self.service, self.deck_ids, self.title_text = service, list(deck_ids), title
        self.index: CardIndex | None = None
        self.query_shown = Query("")
        """The query whose results are listed."""
        self.found: list[int] = []
        """The results of ``query_shown``, in deck order."""
        self.ordered: list[int] = []
        """The same in the order chosen (the table lists the first ``LIMIT``)."""
        self.rows: list[Row] = []
        """The rows listed: those of the first ``LIMIT`` of ``ordered``."""
        self.sort_by: Column | None = None
        self.descending = False
        self.marked: set[int] = set()
        self.stale = False
        """Something done from here (cramming) changed the cards: read them again on return."""
        self._card_width = 0

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Cards: {self.title_text}"), id="browser-title")
        yield Input(placeholder=f"Search: {HINT}", id="query", compact=True)
        yield Static(Text("Reading the cards…"), id="browser-status")
        yield DataTable(id="cards", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self._build()

    def on_resize(self) -> None:
        if self.index is not None:
            self._fill()

    def on_screen_resume(self) -> None:
        if self.stale:
            self.stale = False
            self._build()

    def decks_reloaded(self) -> None:
        """The decks were read again (an edit, say): read the cards again, keep the search."""
        self._build()

    # --- reading and searching ----------------------------------------------------

    @work(thread=True, exclusive=True, group="browser-index")
    def _build(self) -> None:
        """Index the cards off the UI thread, show them, then read their text for searching."""
        index = self.service.card_index(self.deck_ids)
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._indexed, index)
        index.warm()

    def _indexed(self, index: CardIndex) -> None:
        self.index = index
        self.found = []
        self._search(self.query_one("#query", Input).value, fresh=True)

    @on(Input.Changed, "#query")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        self.action_focus_table()

    def _search(self, text: str, *, fresh: bool = False) -> None:
        """Run the query in ``text`` (a bad one is shown with its column; the results stay)."""
        try:
            query = parse(text)
        except QueryError as exc:
            self._say(Text(f"Query: {exc}"), error=True)
            return
        if self.index is None:
            return
        among = None if fresh or not narrows(self.query_shown, query) else self.found
        self._run(self.index, query, among, self.sort_by, self.descending)

    @work(thread=True, exclusive=True, group="browser-search")
    def _run(
        self,
        index: CardIndex,
        query: Query,
        among: list[int] | None,
        column: Column | None,
        descending: bool,
    ) -> None:
        found = index.search(query, among)
        ordered = index.sort(found, column, descending) if column else found
        rows = index.rows(ordered[:LIMIT])
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, query, found, ordered, rows)

    def _show(self, query: Query, found: list[int], ordered: list[int], rows: list[Row]) -> None:
        self.query_shown, self.found, self.ordered = query, found, ordered
        if self.marked:
            self.marked &= set(found)
        self.rows = rows
        self._fill()

    def _fill(self) -> None:
        """Put the rows in the table (columns first when the width or the order changed)."""
        index = self.index
        if index is None:
            return
        table = self.query_one("#cards", DataTable)
        fixed = sum(width + 2 for _, _, width in COLUMNS) + 3
        card_width = max(12, table.size.width - fixed - 2)
        cursor = table.cursor_row
        table.clear(columns=card_width != self._card_width or not table.columns)
        if not table.columns:
            self._card_width = card_width
            table.add_column("", width=1, key=MARK)
            for column, title, width in COLUMNS:
                arrow = (" ▼" if self.descending else " ▲") if column is self.sort_by else ""
                table.add_column(f"{title}{arrow}", width=width or card_width, key=column.value)
        clock, now = self.service.clock, index.now
        for i, row in zip(self.ordered, self.rows, strict=False):
            cells = [
                Text(cell, no_wrap=True, overflow="ellipsis") for cell in row.cells(clock, now)
            ]
            table.add_row(Text("●" if i in self.marked else ""), *cells, key=str(i))
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        self._status()

    def _status(self) -> None:
        index = self.index
        if index is None:
            return
        count, total = len(self.found), len(index)
        shown = min(count, LIMIT)
        what = f" matching “{self.query_shown.text.strip()}”" if self.query_shown.terms else ""
        line = (
            f"Showing {shown:,} of {cards(count)}{what}"
            if count > LIMIT
            else f"{cards(count)}{what}"
        )
        if what:
            line += f" (of {total:,})"
        if self.sort_by is not None:
            line += f" · by {self.sort_by.value} {'▼' if self.descending else '▲'}"
        if self.marked:
            line += f" · {len(self.marked):,} marked"
        self._say(Text(line))

    def _say(self, text: Text, *, error: bool = False) -> None:
        status = self.query_one("#browser-status", Static)
        status.set_class(error, "error")
        status.update(text)

    # --- sorting ------------------------------------------------------------------

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        key = event.column_key.value
        if key is None or key == MARK:
            return
        column = Column(key)
        self._sort(column, not self.descending if column is self.sort_by else False)

    def action_sort(self) -> None:
        """Sort by the next column (after the last one: deck order again)."""
        order = [c for c, _, _ in COLUMNS]
        if self.sort_by is None:
            self._sort(order[0], False)
        elif self.sort_by is order[-1]:
            self._sort(None, False)
        else:
            self._sort(order[order.index(self.sort_by) + 1], False)

    def action_reverse(self) -> None:
        """Reverse the order."""
        self._sort(self.sort_by or Column.CARD, not self.descending)

    def _sort(self, column: Column | None, descending: bool) -> None:
        self.sort_by, self.descending = column, descending
        self._card_width = 0  # the titles change: the columns are made again
        if self.index is not None:
            self._run(self.index, self.query_shown, self.found, column, descending)

    # --- marking and acting ---------------------------------------------------------

    def _cursor(self) -> int | None:
        """The index of the highlighted card, if any."""
        table = self.query_one("#cards", DataTable)
        if not table.row_count:
            return None
        return self.ordered[table.cursor_row] if table.cursor_row < len(self.ordered) else None

    def _targets(self) -> list[int]:
        """The marked cards (in the order shown), or else the highlighted one."""
        if self.marked:
            return [i for i in self.ordered if i in self.marked]
        here = self._cursor()
        return [] if here is None else [here]

    def action_search(self) -> None:
        """Go to the search box."""
        self.query_one("#query", Input).focus()

    def action_focus_table(self) -> None:
        """Go to the list of cards."""
        self.query_one("#cards", DataTable).focus()

    def action_back(self) -> None:
        """Leave the search box; from the list, go back."""
        if isinstance(self.focused, Input):
            self.action_focus_table()
        else:
            self.dismiss()

    def action_mark(self) -> None:
        """Mark or unmark the highlighted card, then go to the next one."""
        here = self._cursor()
        if here is None:
            return
        self.marked ^= {here}
        table = self.query_one("#cards", DataTable)
        table.update_cell(str(here), MARK, Text("●" if here in self.marked else ""))
        table.move_cursor(row=table.cursor_row + 1)
        self._status()

    def action_mark_all(self) -> None:
        """Mark every card found (not only those listed); again: unmark them all."""
        everything = set(self.found)
        self.marked = set() if self.marked >= everything else everything
        self._fill()

    def action_act(self, name: str) -> None:
        """Suspend, unsuspend, unbury or unflag the marked cards (or the highlighted one)."""
        targets = self._targets()
        if targets and self.index is not None:
            self._act(self.index, Action(name), targets)

    def action_forget(self) -> None:
        """Reset the marked cards (or the highlighted one) to new, after asking."""
        from study.tui.dialogs.exam_prompts import AskDialog

        targets, index = self._targets(), self.index
        if not targets or index is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._act(index, Action.FORGET, targets)

        question = (
            f"Forget {cards(len(targets))}? They become new cards. Their answers stay in the "
            "log (nothing is deleted), and the statistics keep them."
        )
        self.app.push_screen(AskDialog(question, "Forget", "Keep"), answered)

    @work(thread=True, exclusive=True, group="browser-act")
    def _act(self, index: CardIndex, action: Action, targets: list[int]) -> None:
        outcome = index.act(action, targets)
        self.app.call_from_thread(self._acted, outcome.describe())

    def _acted(self, message: str) -> None:
        self.notify(message)
        if self.index is not None:
            self._run(self.index, self.query_shown, None, self.sort_by, self.descending)

    def action_edit(self) -> None:
        """Open the highlighted card's file in $EDITOR at its line; the decks reload after."""
        from study.tui.editor import edit_at

        here = self._cursor()
        if here is None or self.index is None:
            return
        card = self.index.items[here].card
        deck = self.service.deck(card.deck_id)
        if deck is not None:
            edit_at(self, deck.path, card.line)

    def action_cram(self) -> None:
        """Practise the marked cards, or every card found, in the order shown."""
        index = self.index
        if index is None:
            return
        chosen = self._targets() if self.marked else self.ordered
        if not chosen:
            self.notify("No cards to cram.")
            return
        session = self.service.practice_items([index.keys[i] for i in chosen])
        self.stale = True
        self.app.start_session(session, f"Cram: {cards(len(chosen))} from the browser")  # type: ignore[attr-defined]

    @on(DataTable.RowSelected, "#cards")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_history()

    def action_history(self) -> None:
        """Every answer the highlighted card was given."""
        from study.tui.dialogs.history import HistoryDialog

        here = self._cursor()
        if here is not None and self.index is not None:
            item = self.index.items[here]
            steps = self.index.history(here)
            self.app.push_screen(HistoryDialog(item, steps, self.service.clock))
