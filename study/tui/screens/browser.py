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

from study.core.review.browse import CardIndex, Column, Row
from study.core.review.card_actions import Action, Outcome, cards, undoable
from study.core.review.search import Query, QueryError, narrows, parse
from study.core.service import Service
from study.tui.host import host
from study.tui.widgets.browser_parts import HINT, LIST_ACTIONS, SearchBox, preview_text, status_line
from study.tui.widgets.card_table import CardTable
from study.tui.widgets.keybar import KeyBar

LIMIT = 200
"""The most rows the table holds (the results beyond are counted and acted on, not listed):
Textual's DataTable takes about 0.2 ms per row it is given, so 200 rows keep a keystroke's
repaint short at any size of collection."""


class BrowserScreen(Screen[None]):
    """Search, sort and act on the cards of the selection."""

    DEFAULT_CSS = """
    BrowserScreen #browser-title { height: 1; background: $boost; padding: 0 1; text-style: bold; }
    BrowserScreen #query { margin: 0; }
    BrowserScreen #browser-status { height: 1; padding: 0 1; color: $text-muted; }
    BrowserScreen #browser-status.error { color: $text-error; }
    BrowserScreen #cards { height: 1fr; }
    BrowserScreen #browser-preview { height: 2; padding: 0 1; background: $boost;
        text-wrap: nowrap; text-overflow: ellipsis; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("space", "mark", "Mark"),
        Binding("a", "mark_all", "Mark all", show=False),
        Binding("s", "act('suspend')", "Suspend"),
        Binding("U", "act('unsuspend')", "Unsuspend"),
        Binding("u", "undo", "Undo"),
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
        self._wanted: Query | None = self.query_shown
        """The query last asked for (None: the text in the box is not a query)."""
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
        self.done: list[Outcome] = []
        """What was done here (suspend, unsuspend, unbury, unflag, forget), latest last: ``u``
        takes it back, one action at a time."""

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Cards: {self.title_text}"), id="browser-title")
        yield SearchBox(placeholder=HINT, id="query", compact=True)
        yield Static(Text("Reading the cards…"), id="browser-status")
        yield CardTable(id="cards")
        yield Static(id="browser-preview")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.service.ready:
            self._build()
        else:  # the app is loading them (a fast start reads no deck): decks_reloaded follows
            self._say(Text("Reading the decks…"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the search box is focused, the footer offers the way to the list, not its keys."""
        return not (isinstance(self.focused, Input) and action in LIST_ACTIONS)

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
            if self.index is not None:
                self.index.check(query)
        except QueryError as exc:
            self._wanted = None  # a search still running for an earlier text is not shown
            self._say(Text(f"Query: {exc}"), error=True)
            return
        self._wanted = query
        if self.index is None:
            return
        among = None if fresh or not narrows(self.query_shown, query) else self.found
        self._run(self.index, query, among, self.sort_by, self.descending)

    def _again(self, *, research: bool) -> None:
        """List the results again (sorted anew; with ``research``, searched anew: the cards'
        states changed)."""
        if self.index is None:
            return
        query = self._wanted = self._wanted or self.query_shown
        among = self.found if query is self.query_shown and not research else None
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
        if query is not self._wanted:
            return  # the text was changed since: its own search follows, or it is not a query
        self.query_shown, self.found, self.ordered = query, found, ordered
        if self.marked:
            self.marked &= set(found)
        self.rows = rows
        self._fill()

    def _fill(self) -> None:
        """Put the rows in the table, then say what they are."""
        if self.index is None:
            return
        table = self.query_one(CardTable)
        table.show(
            self.rows, self.ordered, self.marked, self.sort_by, self.descending, self.service.clock
        )
        self._status()
        self._preview()

    def _status(self) -> None:
        index = self.index
        if index is None:
            return
        query = self.query_shown.text.strip() if self.query_shown.terms else ""
        line = status_line(
            len(self.found),
            len(index),
            LIMIT,
            query,
            self.sort_by,
            self.descending,
            len(self.marked),
        )
        self._say(Text(line))

    def _say(self, text: Text, *, error: bool = False) -> None:
        status = self.query_one("#browser-status", Static)
        status.set_class(error, "error")
        status.update(text)

    # --- sorting ------------------------------------------------------------------

    @on(CardTable.SortRequested)
    def _sort_requested(self, event: CardTable.SortRequested) -> None:
        same = event.column is self.sort_by
        self._sort(event.column, not self.descending if same else False)

    def action_sort(self) -> None:
        """Sort by the next column (after the last one: deck order again)."""
        order = list(Column)
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
        self._again(research=False)

    # --- marking and acting ---------------------------------------------------------

    def _cursor(self) -> int | None:
        """The index of the highlighted card, if any."""
        return self.query_one(CardTable).highlighted

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
        self.query_one(CardTable).focus()

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
        table = self.query_one(CardTable)
        table.set_mark(here, here in self.marked)
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
        self.app.call_from_thread(self._acted, outcome.describe(), outcome)

    def _acted(self, message: str, outcome: Outcome | None = None) -> None:
        if outcome is not None and undoable(outcome):
            self.done.append(outcome)
            message = f"{message[:-1]}; u undoes it."
        self.notify(message)
        self._again(research=True)

    def action_undo(self) -> None:
        """Take back the last action done here (a forget too), and say so."""
        if not self.done:
            self.notify("Nothing to undo here.")
        elif self.index is not None:
            self._undo(self.index, self.done.pop())

    @work(thread=True, exclusive=True, group="browser-act")
    def _undo(self, index: CardIndex, outcome: Outcome) -> None:
        self.app.call_from_thread(self._acted, index.undo(outcome))

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
        host(self).start_session(session, f"Cram: {cards(len(chosen))} from the browser")

    @on(DataTable.RowHighlighted, "#cards")
    def _preview(self) -> None:
        """Show the whole question and answer of the highlighted card under the list."""
        here = self._cursor()
        preview = self.query_one("#browser-preview", Static)
        if here is None or self.index is None:
            preview.update("")
            return
        preview.update(preview_text(self.index.items[here]))

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
