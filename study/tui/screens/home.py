"""The home screen: the deck tree with today's counts, totals, and deck-file errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static, Tree

from study.core.exams.plan import Forecast, PlanError
from study.core.progress.store import WriteError
from study.core.review.counts import DeckSummary
from study.core.service import Service
from study.core.words import plural
from study.tui.dialogs.exam_date import DateChosen, ExamDateDialog, ForecastDialog
from study.tui.host import host
from study.tui.notice import NotSavedNotice
from study.tui.text import visible
from study.tui.widgets.deck_tree import ALL, DeckTree, columns_header
from study.tui.widgets.exam_panel import ExamPanel
from study.tui.widgets.keybar import KeyBar
from study.tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from study.core.exams.sitting import ExamSession
    from study.core.review.session import StudySession


def short_path(path: str, roots: list[Path]) -> str:
    """A deck file's path relative to the decks folder it is in (as given when it is in none)."""
    for root in roots:
        try:
            relative = Path(path).relative_to(root)
        except ValueError:
            continue
        return relative.as_posix() if root.is_dir() else Path(path).name
    return path


class HomeScreen(Screen[None]):
    """Pick what to study."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "study", "Study", show=True, priority=True),
        Binding("a", "study_all", "All due"),
        Binding("c", "cram", "Cram"),
        Binding("x", "exam", "Exam"),
        Binding("d", "exam_date", "Exam date", show=False),
        Binding("p", "exam_plan", "Exam plan", show=False),
        Binding("h", "cram_hardest", "Cram hardest", show=False),
        Binding("n", "add_card", "Add"),
        Binding("b", "browse", "Browse"),
        Binding("t", "stats", "Stats"),
        Binding("r", "reload", "Reload", show=False),
        Binding("s", "settings", "Settings", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, service: Service) -> None:
        super().__init__()
        self.service = service
        self.summaries: list[DeckSummary] = []
        self.unsaved_day: date | None = None
        """An exam date the disk refused: the form opens on it again, so Enter retries."""
        self.notice = NotSavedNotice()

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="decks"):
            yield Static(id="columns")
            yield DeckTree("All decks", id="tree", data=ALL)
        yield ExamPanel(id="exam-panel")
        yield Static(id="status")
        yield Static(id="problems")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(DeckTree).focus()
        self.show_problems()  # the counts come with on_screen_resume, which follows at once

    def on_screen_resume(self) -> None:
        self.refresh_counts()

    def on_resize(self) -> None:
        self.query_one("#columns", Static).update(
            columns_header(self.query_one(DeckTree).size.width)
        )

    @work(thread=True, exclusive=True, group="counts")
    def refresh_counts(self) -> None:
        """Recompute the counts off the UI thread, then show them."""
        summaries = self.service.summaries()
        new_left = self.service.new_left_today()
        self.app.call_from_thread(self._show_counts, summaries, new_left)

    def _show_counts(self, summaries: list[DeckSummary], new_left: int) -> None:
        self.summaries = summaries
        if not self.is_current:
            # a session (or a dialog) covers the home screen: the counts are read again on return
            return
        if not self.service.can_review():
            self.query_one("#status", Static).update("Loading the decks…")
            return
        if self.service.ready:
            self.recompute_forecast()
        tree = self.query_one(DeckTree)
        tree.show(summaries, self.app.get_css_variables())
        self.query_one("#columns", Static).update(columns_header(tree.size.width))
        due = sum(s.counts.due + s.counts.learning for s in summaries)
        new = sum(s.counts.new for s in summaries)
        cards = sum(s.cards for s in summaries)
        left = new_left
        if due or new:
            message = (
                f"{due} to review and {new} new ({min(new, left)} today). "
                "Enter: study the highlighted deck · a: everything due"
            )
        else:
            message = "Nothing left for today. c: cram a deck without changing its schedule"
        self.query_one("#status", Static).update(
            f"{plural(len(summaries), 'deck')}, {plural(cards, 'card')}. {message}"
        )

    def show_problems(self) -> None:
        """List deck-file errors (the good decks stay usable), paths relative to their
        decks folder."""
        errors = [p for p in self.service.problems if p.severity >= 2]
        panel = self.query_one("#problems", Static)
        panel.display = bool(errors)
        if errors:
            roots = self.service.deck_roots()
            text = Text.assemble(("Problems in deck files", "bold"), f" ({len(errors)})")
            for problem in errors[:50]:
                where = f"{short_path(problem.path, roots)}:{problem.line}: {problem.message}"
                text.append("\n" + visible(where, lines=False))
            if len(errors) > 50:
                text.append(f"\n… and {len(errors) - 50} more (study lint)")
            panel.update(text)

    # --- actions ---------------------------------------------------------------

    def _scope(self) -> tuple[list[str], str]:
        """Deck ids under the cursor, and a title for them."""
        node = self.query_one(DeckTree).cursor_node
        data = node.data if node is not None else ALL
        if data is None or data == ALL:
            return [], "All decks"
        if data.endswith("/"):
            tree = self.query_one(DeckTree)
            head = tree.heads.get(data)
            title = next((s.deck.title for s in self.summaries if s.deck.id == head), data)
            return tree.folder_decks(data), title
        title = next((s.deck.title for s in self.summaries if s.deck.id == data), data)
        return [data], title

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        self.action_study()

    def action_study(self) -> None:
        """Study the highlighted deck (or folder, or everything)."""
        ids, title = self._scope()
        if self._can_review():
            self._start(self.service.start_review(ids), title)

    def action_study_all(self) -> None:
        """Study everything due."""
        if self._can_review():
            self._start(self.service.start_review(), "All decks")

    def action_cram(self) -> None:
        """Practise every card of the highlighted deck, schedule untouched."""
        ids, title = self._scope()
        if self._loaded("cramming can start"):
            self._start(self.service.start_practice(ids), f"Cram: {title}")

    def action_cram_hardest(self) -> None:
        """Practise the cards with the lowest predicted recall first."""
        ids, title = self._scope()
        if self._loaded("cramming can start"):
            self._start(
                self.service.start_practice(ids, hardest_first=True, limit=50),
                f"Cram hardest: {title}",
            )

    def _can_review(self) -> bool:
        """Reviews can start from the decks' catalog, before the decks themselves are loaded."""
        if self.service.can_review():
            return True
        return self._loaded("studying can start")

    def _loaded(self, why: str) -> bool:
        """Whether the decks are loaded.

        If not, the load is started and the user told ``why`` waits.
        """
        return host(self).ensure_loaded(why)

    def _start(self, session: StudySession, title: str) -> None:
        if session.current is None:
            from study.tui.screens.study_card import nothing_to_study

            self.notify(nothing_to_study(session, title, self.service.clock), title="All done")
            return
        host(self).start_session(session, title)

    def action_stats(self) -> None:
        """Statistics for the highlighted deck (or everything)."""
        from study.tui.screens.stats import StatsScreen

        ids, _ = self._scope()
        if self._loaded("the statistics open"):
            self.app.push_screen(StatsScreen(self.service, ids[0] if len(ids) == 1 else None))

    def action_browse(self) -> None:
        """The card browser over the highlighted deck (or folder, or everything)."""
        from study.tui.screens.browser import BrowserScreen  # not needed at start

        ids, title = self._scope()
        host(self).ensure_loaded()  # the browser waits for the decks
        self.app.push_screen(BrowserScreen(self.service, ids, title))

    def action_reload(self) -> None:
        """Read the deck files again (the app also does it by itself when a file changes)."""
        host(self).reload_decks()

    def action_settings(self) -> None:
        """The settings (config.toml) as a form."""
        from study.tui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen(self.service))

    def decks_reloaded(self) -> None:
        """The decks were read again: show their problems and counts as they are now."""
        self.show_problems()
        self.refresh_counts()

    def action_add_card(self) -> None:
        """Add a card to the highlighted deck (for a folder or All decks, the form asks which)."""
        from study.tui.dialogs.add_card import AddCardDialog

        ids, _ = self._scope()
        if not self._loaded("the form opens"):
            return
        from study.core.paths import BUNDLED_READ_ONLY, is_bundled

        decks = [d for d in self.service.decks if not ids or d.id in ids]
        own = [d for d in decks if not is_bundled(d.path)]
        if not own:
            why = (
                BUNDLED_READ_ONLY.format(folder=self.service.paths.user_decks)
                if decks
                else "there is no deck to add a card to: create one with 'study new NAME'"
            )
            self.notify(why[0].upper() + why[1:] + ".", severity="warning", timeout=10)
            return
        decks = own

        def added(note: str | None) -> None:
            if note:
                host(self).reload_decks(note)

        self.app.push_screen(AddCardDialog(decks), added)

    # --- mock exams and the exam date -----------------------------------------------

    def action_exam(self) -> None:
        """Set up a mock exam on the highlighted deck (or folder, or everything), then sit it."""
        from study.tui.dialogs.exam_setup import ExamSetupDialog
        from study.tui.screens.exam import ExamScreen

        ids, title = self._scope()
        if not self._loaded("a mock exam can be set"):
            return

        def built(session: ExamSession | None) -> None:
            if session is not None:
                self.app.push_screen(ExamScreen(self.service, session))

        self.app.push_screen(ExamSetupDialog(self.service, ids, title), built)

    def action_exam_history(self) -> None:
        """Past mock exams and their results."""
        from study.tui.screens.exam_results import ExamHistoryScreen

        if not self._loaded("the exam history opens"):
            return
        self.app.push_screen(ExamHistoryScreen(self.service))

    def recompute_forecast(self) -> None:
        """Work out the exam-date forecast again (in a thread) and show it in the panel."""
        self.query_one(ExamPanel).computing = True
        self._compute_forecast()

    @work(thread=True, exclusive=True, group="exam-forecast")
    def _compute_forecast(self) -> None:
        day = self.service.exam_date
        forecast: Forecast | None = None
        error: str | None = None
        if day is not None:
            try:
                forecast = self.service.forecast(day)
            except PlanError as exc:
                error = str(exc)
        self.app.call_from_thread(self._show_forecast, day, forecast, error)

    def _show_forecast(
        self, day: date | None, forecast: Forecast | None, error: str | None
    ) -> None:
        self.query_one(ExamPanel).show(day, forecast, error)

    def action_exam_date(self) -> None:
        """Set or clear the exam date (a date the disk refuses is said NOT saved, and the form
        opens on it again), then show the new forecast."""
        service = self.service
        today = service.clock.study_day(service.clock.now(), service.config.day_starts_at)

        def chosen(choice: DateChosen | None) -> None:
            if choice is None:
                return
            try:
                service.set_exam_date(choice.day)
            except WriteError as exc:  # the date stays as it was; d opens the form on this one
                self.unsaved_day = choice.day
                self.notice.show(self.app, "The exam date", "attempt", exc, "press d and Enter")
                return
            self.unsaved_day = None
            self.notice.saved(self.app)
            if choice.day is None:
                self.notify("The exam date is cleared.")
            else:
                self.notify(
                    f"Exam date: {choice.day:%A %d %B %Y}. Studying now favours the cards you are "
                    "likeliest to forget by then. p: the full plan.",
                    timeout=6,
                )
            self.recompute_forecast()

        shown = self.unsaved_day if self.unsaved_day is not None else service.exam_date
        self.app.push_screen(ExamDateDialog(shown, today), chosen)

    def action_exam_plan(self) -> None:
        """The readiness forecast and the daily plan for the exam date (or the date form when no
        date is set)."""
        if not self._loaded("the plan opens"):
            return
        panel = self.query_one(ExamPanel)
        if panel.forecast is None:
            if panel.day is not None and panel.computing:
                self.notify("The forecast is still being worked out.")
                return
            self.action_exam_date()
            return

        def closed(change: bool | None) -> None:
            if change:
                self.action_exam_date()

        self.app.push_screen(
            ForecastDialog(panel.forecast, self.service.config.new_per_day), closed
        )
