"""The Textual app: thin. Screens talk to the Service; the app wires them together.

What it adds to ``LoadingApp`` (``study.tui.loading``: the decks loaded in the background and kept
in step with their files): the first screen (home, or the review ``study review`` asked for),
plain-text toasts, errors kept for the entry point, the help and the command palette
(``study.tui.palette``). Screens reach it through ``study.tui.host``; ``study.tui.factory`` builds
it, for the entry point and the tests alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

from study.collector import resume_frozen
from study.core.decks.safe_text import strip_controls
from study.core.decks.watch import describe, errors_in
from study.core.review.session import StudySession
from study.core.service import Service
from study.core.words import plural
from study.tui.loading import LoadingApp
from study.tui.palette import system_commands
from study.tui.syncing import FolderSync
from study.tui.text import visible

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from study.tui.screens.exam_results import ExamResultsScreen
    from study.tui.screens.home import HomeScreen


class StudyApp(LoadingApp):
    """`study`: home, study sessions, help."""

    CSS_PATH = "study.tcss"
    TITLE = "study"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        service: Service,
        notices: Sequence[str] = (),
        *,
        load_decks: bool = False,
        review: Sequence[str] | None = None,
    ) -> None:
        super().__init__(service, load_decks=load_decks)
        self.notices = list(notices)
        self.review = None if review is None else list(review)
        """Open straight into today's review of these decks or folders (every deck: empty), as
        ``study review`` does; None once it has started (or when the app opens on the home
        screen)."""
        self._said: list[tuple[str, SeverityLevel]] = []
        """Why the review did not open, said once the app is up (message, severity)."""
        self.folder_sync = FolderSync(self, service)
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
        from study.tui.screens.study import StudyScreen
        from study.tui.screens.study_card import nothing_to_study

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
            self.notify(message, title="Review", severity=severity, timeout=8)
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

    @on(LoadingApp.DecksReloaded)
    def _decks_reloaded(self, event: LoadingApp.DecksReloaded) -> None:
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

    def on_exam_results_screen_retake_made(self, message: ExamResultsScreen.RetakeMade) -> None:
        """Sit the exam of a result's mistakes in place of the results."""
        from study.tui.screens.exam import ExamScreen

        self.switch_screen(ExamScreen(self.service, message.session))

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
        yield from system_commands(screen, self._home(), self.action_help)

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
