"""The app's half that keeps the decks in step with their files: loading and reloading them.

Every ``WATCH_SECONDS`` a worker thread asks ``core.decks.watch.DeckWatcher`` what changed (a
cheap stat() poll, see that module) and, when something did, reloads the decks in the same
thread, then tells the app (``DecksReloaded``), which tells the screens: the home screen refreshes
its counts and error panel, a study session swaps in the new version of its cards. Progress is
keyed by deck id + card id, so nothing is lost. ``StudyApp`` (``study.tui.app``) is this class
with the screens.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from textual import work
from textual.app import App
from textual.message import Message

from study.core.decks.watch import Changes, DeckWatcher
from study.core.progress.store import StoreError
from study.core.service import Service


class LoadingApp(App[int]):
    """An app over a service whose decks it loads in the background and keeps in step."""

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

    def __init__(self, service: Service, *, load_decks: bool = False) -> None:
        super().__init__()
        self.service = service
        self.load_decks = load_decks
        """Load the decks in a worker once the home screen is painted (a fast start on big decks).
        """
        self.watcher = DeckWatcher(service.deck_roots, scan_now=False)
        if service.catalog is not None:
            self.watcher.snapshot = dict(
                service.catalog_files
            )  # a change since the catalog is a change
        elif not load_decks or service.ready:
            self.watcher.poll()
        self._loading = threading.Lock()
        self._load_started = False

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
