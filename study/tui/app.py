"""The Textual app: thin. Screens talk to the Service; the app wires them together.

It also keeps the decks in step with their files: every ``WATCH_SECONDS`` a
worker thread asks ``core.watch.DeckWatcher`` what changed (a cheap stat()
poll, see that module) and, when something did, reloads the decks in the same
thread, then tells the screens (``DecksReloaded``): the home screen refreshes
its counts and error panel, a study session swaps in the new version of its
cards. Progress is keyed by deck id + card id, so nothing is lost.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

from study.collector import resume_frozen
from study.core.decks.safe_text import strip_controls
from study.core.decks.watch import Changes, DeckWatcher, describe, errors_in
from study.core.progress.store import StoreError
from study.core.review.session import StudySession
from study.core.service import Service
from study.core.words import plural
from study.tui.syncing import FolderSync
from study.tui.text import visible

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from study.tui.screens.home import HomeScreen


class StudyApp(App[int]):
    """`study`: home, study sessions, help."""

    CSS_PATH = "study.tcss"
    TITLE = "study"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    WATCH_SECONDS = 1.0
    """How often the deck files are checked for changes (0: never)."""

    LOAD_AFTER_SECONDS = 2.0
    """With the decks' catalog open (nothing changed since the last run), how long after the
    start the decks themselves are loaded: the first card and the counts need only the catalog,
    so the load waits until the first screen is up and then runs politely in the background."""

    @dataclass
    class DecksReloaded(Message):
        """The decks were read again (posted from the loading thread)."""

        changes: Changes
        forced: bool
        """Asked for (a key, an edit, a saved card) rather than noticed by the watcher."""
        note: str | None = None
        carried: tuple[str, ...] = ()
        """Progress carried over to edited cards without an id, one message each."""
        first: bool = False
        """The first load, after the app's first paint: nothing to announce but the notices."""

    def __init__(
        self,
        service: Service,
        notices: Sequence[str] = (),
        *,
        load_decks: bool = False,
        review: Sequence[str] | None = None,
    ) -> None:
        super().__init__()
        self.service = service
        self.notices = list(notices)
        self.load_decks = load_decks
        """Load the decks in a worker once the home screen is painted (a fast start on big decks).
        """
        self.review = None if review is None else list(review)
        """Open straight into today's review of these decks or folders (every deck: empty), as
        ``study review`` does; None once it has started (or when the app opens on the home
        screen)."""
        self._said: list[tuple[str, str]] = []
        """Why the review did not open, said once the app is up (message, severity)."""
        self.watcher = DeckWatcher(service.deck_roots, scan_now=False)
        if service.catalog is not None:
            self.watcher.snapshot = dict(
                service.catalog_files
            )  # a change since the catalog is a change
        elif not load_decks or service.ready:
            self.watcher.poll()
        self._loading = threading.Lock()
        self._load_started = False
        self.folder_sync = FolderSync(self)
        """Syncing through ``sync_folder`` while the app runs (``study.tui.syncing``)."""
        self.crashed: Exception | None = None
        """The unexpected error that ended the app: ``run_app`` raises it again for the entry
        point, which writes it to the crash log and prints one line."""

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error ends the app, as in Textual, but without its traceback on screen.

        Textual would print a traceback with the local variables of every frame (card text,
        settings) and exit 0; the error is kept for ``run_app`` instead, and (as Textual does)
        for ``run_test``, which raises it in the test that drove the app.
        """
        self._return_code = 70
        if self.crashed is None:
            self.crashed = error
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A toast, always as plain text: its message quotes file names, cards and errors.

        ``markup`` is ignored: ``[/x]`` in a deck file made the "Deck files changed" toast
        raise MarkupError, and ``[@click=app.quit]`` became an action. Control characters
        are written out (``\\u001b``). Every widget's and screen's ``notify`` comes here.
        """
        super().notify(
            visible(message),
            title=visible(title, lines=False),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    async def on_event(self, event: events.Event) -> None:
        """Pasted text loses its control characters before any input box sees it.

        A paste is the one way a raw ``ESC`` reaches an answer box or the add-card form
        (keys arrive as key names); the boxes would draw it as it is.
        """
        if isinstance(event, events.Paste):
            event.text = strip_controls(event.text)
        await super().on_event(event)

    def get_default_screen(self) -> Screen[Any]:
        """The first screen: the home screen, or the first card of the review asked for.

        (A study screen that is the first of the stack stays under the session's summary
        and the home screen that follow it: the first screen cannot be replaced.)
        """
        if self.review is not None and self.service.can_review():
            first = self._review_screen()
            if first is not None:
                return first
        from study.tui.screens.home import HomeScreen

        return HomeScreen(self.service)

    def _review_screen(self) -> Screen[Any] | None:
        """The study screen of the review asked for.

        None (and why, for on_mount) if there is nothing.
        """
        from study.tui.screens.study import StudyScreen, nothing_to_study

        ids, title, unknown = self.service.scope(self.review or ())
        self.review = None
        if unknown:
            names = ", ".join(repr(name) for name in unknown)
            message = (
                f"No deck or folder is named {names}: the decks are listed here "
                "('study decks' prints their ids)."
            )
            self._said.append((message, "error"))
            return None
        session = self.service.start_review(ids)
        if session.current is None:
            self._said.append((nothing_to_study(session, title, self.service.clock), "information"))
            return None
        return StudyScreen(self.service, session, title)

    def on_mount(self) -> None:
        self.call_after_refresh(resume_frozen)  # first of all the after-refresh calls
        from study.tui.theme import follow_theme

        follow_theme(self, self.service)
        for notice in self.notices:
            self.notify(notice, title="Progress kept", timeout=10)
        for notice in self.service.notices:
            self.notify(notice[0].upper() + notice[1:] + ".", title="Data folder", markup=False)
        self.service.notices.clear()
        self._say()
        if self.load_decks:
            if self.service.catalog is not None:
                self.set_timer(self.LOAD_AFTER_SECONDS, self.ensure_loaded)
            elif self.service.ready:
                # read before the app (`study review NAME` checks its names in them): the
                # load's other work is still to do, the carry-over, the catalog (without it
                # every later start reads every deck again) and the day's backup
                self._load_started = True
                self.call_after_refresh(self._first_load)
            else:
                self.call_after_refresh(
                    self.ensure_loaded
                )  # the first frame is painted before the work starts
        if self.WATCH_SECONDS:
            self.set_interval(self.WATCH_SECONDS, self.check_decks)
        self.call_after_refresh(self._warm_up)
        self.folder_sync.start()  # its first sync after the first frame, like the warm-up

    def on_unmount(self) -> None:
        self.folder_sync.close()

    def _say(self) -> None:
        for message, severity in self._said:
            self.notify(message, title="Review", severity=severity, timeout=8)  # type: ignore[arg-type]
        self._said.clear()

    @work(thread=True, group="warm-up")
    def _warm_up(self) -> None:
        """While the first screen waits for a key: import the study screen, the scheduler's fsrs
        and the grader, so the first card and the first answer do not wait for them."""
        import importlib

        for module in (
            "study.tui.screens.study",
            "study.tui.screens.summary",
            "study.tui.screens.home",
            "fsrs",
            "study.core.grading.answers",
        ):
            importlib.import_module(module)  # the screens first; the grader only at an answer

    def ensure_loaded(self, why: str | None = None) -> bool:
        """True if the decks are loaded.

        Otherwise start loading them (once) and say ``why`` waits.
        """
        if self.service.ready:
            return True
        if not self._load_started:
            self._load_started = True
            self._first_load()
        if why:
            self.notify(f"The decks are still loading: {why} in a moment.")
        return False

    # --- keeping the decks in step with their files ------------------------------

    def check_decks(self) -> None:
        """Reload the decks if a deck file was added, changed or removed (skipped while a load
        runs)."""
        if not self._loading.locked():
            self._reload(forced=False)

    @work(thread=True, group="decks")
    def _first_load(self) -> None:
        """Read the decks, keep edited cards' progress and make the day's backup, off the
        UI thread."""
        with self._loading:
            changes = self.watcher.poll()
            if changes or not self.service.ready:
                self.service.load(
                    polite=self.service.catalog is not None, files=self.watcher.snapshot
                )
            notices = self._reconcile()
            # after the carry-over: a catalog is only used once it is done
            self.service.save_catalog()
            from study.core.progress.backup import BackupError

            try:
                self.service.auto_backup()
            except BackupError as exc:  # studying goes on; say why there is no backup today
                notices.append(f"No backup today: {exc}")
        self.post_message(self.DecksReloaded(Changes(), True, None, tuple(notices), first=True))

    def reload_decks(self, note: str | None = None) -> None:
        """Read the deck files again now; ``note`` replaces the usual message."""
        self._reload(forced=True, note=note)

    @work(thread=True, group="decks")
    def _reload(self, forced: bool, note: str | None = None) -> None:
        with self._loading:
            changes = (
                self.watcher.poll()
            )  # before loading: a change made during the load is seen next time
            if not (changes or forced):
                return
            self.service.load(files=self.watcher.snapshot)
            carried = tuple(self._reconcile())
            self.service.save_catalog()
        self.post_message(self.DecksReloaded(changes, forced, note, carried))

    def _reconcile(self) -> list[str]:
        """The service's carry-over of edited cards' progress; when it cannot be written, why."""
        try:
            return self.service.reconcile()
        except StoreError as exc:  # a full disk, say: studying goes on, and the next load retries
            return [f"Progress of edited cards not carried over yet: {exc}"]

    @on(DecksReloaded)
    def _decks_reloaded(self, event: DecksReloaded) -> None:
        for screen in self.screen_stack:  # the home, study and browser screens
            reloaded = getattr(screen, "decks_reloaded", None)
            if callable(reloaded):
                reloaded()
        problems = self.service.problems
        for message in event.carried:
            self.notify(message, title="Progress kept", timeout=10)
        if event.first:
            if self.review is not None:  # `study review` with no catalog to start from: now it can
                first = self._review_screen()
                if first is not None:
                    self.push_screen(first)
                self._say()
            return
        if event.note:
            self.notify(event.note)
        elif event.changes:
            errors = errors_in(event.changes, problems)
            self.notify(
                describe(event.changes, problems),
                title="Deck files changed",
                severity="warning" if errors else "information",
                timeout=8 if errors else 4,
            )
        else:
            count = len(self.service.decks)
            self.notify(f"Reloaded {plural(count, 'deck')} (no deck file had changed).")

    def on_stats_screen_cram_requested(self, message: Message) -> None:
        """Practise the cards the statistics screen listed as hardest (the schedule is not
        changed)."""
        keys: tuple[str, ...] = getattr(message, "item_keys", ())
        self.pop_screen()
        session = self.service.practice_items(keys)
        if session.current is None:
            self.notify("No cards to cram.")
            return
        self.start_session(session, "Cram: hardest cards")

    def action_help(self) -> None:
        from study.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def start_session(self, session: StudySession, title: str) -> None:
        """Show a study session; the home screen refreshes when it ends."""
        from study.tui.screens.study import StudyScreen

        self.push_screen(StudyScreen(self.service, session, title))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys and how studying works", self.action_help)
        from study.tui.screens.study import StudyScreen

        if isinstance(screen, StudyScreen):
            for action, title, help_text in (
                (
                    "reveal",
                    "Show the answer",
                    "Reveal a basic or cloze card; accept the suggested rating",
                ),
                ("rate(1)", "Rate: Again", "Forgotten: the card comes back soon"),
                ("rate(2)", "Rate: Hard", "Recalled with difficulty"),
                ("rate(3)", "Rate: Good", "Recalled"),
                ("rate(4)", "Rate: Easy", "Recalled at once"),
                ("override", "I was right", "Count an automatically graded answer as Good"),
                (
                    "undo",
                    "Undo",
                    "Take back what was done last (an answer, a flag, a bury or a suspend)",
                ),
                ("edit", "Edit the card", "Open the card's file in $EDITOR at its line"),
                ("source", "Show the source", "Where the card comes from, and its note"),
                ("flag", "Flag the card", "Mark the card to look at later"),
                ("bury", "Bury the card", "Hide the card until tomorrow"),
                ("suspend", "Suspend the card", "Hide the card until you unsuspend it"),
                ("finish", "End the session", "Stop and see the summary"),
            ):
                yield SystemCommand(title, help_text, partial(screen.run_action, action))
        home = self._home()
        if home is not None and screen is home:
            yield SystemCommand(
                "Study all due cards",
                "Today's reviews and new cards, every deck",
                home.action_study_all,
            )
            yield SystemCommand(
                "Study selected deck",
                "Reviews and new cards of the highlighted deck",
                home.action_study,
            )
            yield SystemCommand(
                "Cram selected deck",
                "Practise every card; the schedule is not changed",
                home.action_cram,
            )
            yield SystemCommand(
                "Cram hardest cards",
                "Practise the cards you are most likely to forget",
                home.action_cram_hardest,
            )
            yield SystemCommand(
                "Add a card to the highlighted deck",
                "A form: pick the type, fill the fields, see errors as you type",
                home.action_add_card,
            )
            yield SystemCommand(
                "Browse cards",
                "Every card of the highlighted deck: search, sort, unsuspend, forget, history",
                home.action_browse,
            )
            yield SystemCommand("Reload decks", "Read the deck files again", home.action_reload)
            yield SystemCommand(
                "Settings",
                "Retention and its workload, steps, limits, day start, theme, deck folders",
                home.action_settings,
            )
            yield SystemCommand(
                "Statistics",
                "Reviews, retention, forecast, hardest cards, mastery",
                home.action_stats,
            )
            yield SystemCommand(
                "Mock exam",
                "A timed test of the highlighted deck: choose the questions",
                home.action_exam,
            )
            yield SystemCommand(
                "Mock exam history", "Past exams and their results", home.action_exam_history
            )
            yield SystemCommand(
                "Exam date", "Set or clear the date of the exam", home.action_exam_date
            )
            yield SystemCommand(
                "Exam plan", "Readiness on the exam day and the daily plan", home.action_exam_plan
            )
        commands = getattr(screen, "system_commands", None)
        if callable(commands):
            yield from commands()

    def go_home(self) -> None:
        """Back to the home screen from a screen on top of it (made now if the app opened on a
        review)."""
        from study.tui.screens.home import HomeScreen

        if self._home() is not None:
            self.pop_screen()
        else:
            self.switch_screen(HomeScreen(self.service))

    def _home(self) -> HomeScreen | None:
        from study.tui.screens.home import HomeScreen

        return next((s for s in self.screen_stack if isinstance(s, HomeScreen)), None)


def run_app(service: Service, review: Sequence[str] | None = None) -> int:
    """Open the app on a service whose progress database is open; returns the exit code.

    ``review``: open straight into today's review of these decks or folders (all: empty).
    """
    from study.tui.picture import prepare

    prepare(service.deck_roots())  # before the app reads the terminal's input; see picture.py
    app = StudyApp(service, load_decks=True, review=review)
    try:
        app.run()
    finally:
        resume_frozen()
        service.close()
    if app.crashed is not None:
        raise app.crashed  # the entry point: one line, the details in the crash log
    return 0
