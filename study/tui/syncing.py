"""The app's side of syncing through a folder (``sync_folder`` in the settings).

When the folder is set, the app syncs once its first screen (the first card, or the home
screen) is painted, then every ``FolderSync.SECONDS`` and when a session ends: in a
worker thread, on a connection of its own (``study.core.progress.sync_live``), so no key waits
for it. Answers that came from other machines refresh the home screen's counts and are
announced in one line; a problem (a file set aside, the folder gone) is one notice, said
once until it changes. The setting is read at each tick, so setting it in the settings
screen starts the syncing without a restart.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from study.core.words import plural

if TYPE_CHECKING:
    from textual.app import App

    from study.core.progress.sync import SyncResult
    from study.core.progress.sync_live import LiveSync
    from study.core.service import Service


class FolderSync:
    """Runs the app's syncs and shows what they brought."""

    SECONDS = 60.0
    """How often the app syncs while it runs (0: only at the start and after a session)."""

    def __init__(self, app: App[int], service: Service) -> None:
        self.app = app
        self.service = service
        self.live: LiveSync | None = None
        """Made at the first sync: the sync modules (json among them) load after the first
        frame, as the rest of what a first card does not need."""
        self.closed = False
        self._said: tuple[str, ...] = ()
        self.received = 0
        """Answers and flag changes landed from other machines since the app started."""

    def start(self) -> None:
        """Called at mount: the first sync after the first frame, then the timer."""
        self.app.call_after_refresh(self.now)
        if self.SECONDS:
            self.app.set_interval(self.SECONDS, self.now)

    def now(self) -> None:
        """Sync now in a worker thread, if the folder is set (and no sync is running)."""
        if not self.service.config.sync_folder.strip() or self.closed:
            return
        if self.live is None:
            from study.core.progress.sync_live import LiveSync

            paths = self.service.paths
            self.live = LiveSync(paths.database, paths.machine_id)
        self.app.run_worker(partial(self._run, self.live), thread=True, group="sync")

    def _run(self, live: LiveSync) -> None:
        service = self.service
        result = live.run(service.config.sync_folder, service.scheduler, service.clock.now())
        if result is not None and not self.closed:
            self.app.call_from_thread(self._show, result)

    def _show(self, result: SyncResult) -> None:
        if result.received:
            self.received += result.received
            from study.tui.screens.home import HomeScreen

            for screen in self.app.screen_stack:
                if isinstance(screen, HomeScreen):
                    screen.refresh_counts()
            self.app.notify(
                f"{plural(result.received, 'answer or change', 'answers or changes')} "
                "from your other machines.",
                title="Synced",
                timeout=4,
            )
        said = tuple(result.messages)
        if said and said != self._said:
            more = f" (and {len(said) - 1} more: 'study sync' lists them)" if len(said) > 1 else ""
            self.app.notify(
                said[0] + more, title="Sync", severity="warning", timeout=10, markup=False
            )
        self._said = said

    def close(self) -> None:
        """No sync after this; the connection closed once a running one ends."""
        self.closed = True
        if self.live is not None:
            self.live.close()
