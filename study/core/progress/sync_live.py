"""Syncing while the app runs: the same ``sync`` as ``study sync``, on a connection of its
own, from a worker thread, one at a time, never raising.

The app's own connection answers the key presses; this one writes the merge. In WAL mode
a reader never waits for a writer, so the screen keeps reading while a sync lands; an
answer given meanwhile waits only for the sync's transaction: milliseconds for the answers
of a day, and a large merge lands in batches of ``LiveSync.BATCH`` events, each in a
transaction of its own.
Whatever goes wrong (the folder unmounted, a file that cannot be read, a full disk, a line
no sync tool should have written) becomes a message of the result: the app shows it once
and studying goes on.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime
from pathlib import Path

from study.core.progress.store import Store, StoreError
from study.core.progress.sync import SyncResult, sync_here
from study.core.scheduling.scheduler import Scheduler


class LiveSync:
    """Syncs the database at ``database`` through a folder, on its own connection."""

    BATCH = 2000
    """A larger merge lands in transactions of about this many events (about 0.2 s each on
    a 2-core machine): an answer given meanwhile waits for one of them at most."""

    def __init__(self, database: Path, id_path: Path) -> None:
        self.database = database
        self.id_path = id_path
        self._store: Store | None = None
        self._running = threading.Lock()
        self.closed = False

    def run(self, folder: str, scheduler: Scheduler, now: datetime) -> SyncResult | None:
        """Sync once through ``folder`` (``~`` expanded); None when a sync is already running
        or the folder setting is empty."""
        if not folder.strip() or self.closed or not self._running.acquire(blocking=False):
            return None
        try:
            path = Path(folder).expanduser()
            try:
                if self._store is None:
                    self._store = Store(self.database)
                return sync_here(self._store, path, self.id_path, scheduler, now, self.BATCH)
            except OSError as exc:
                problem = f"cannot sync through {path}: {exc.strerror or exc}"
            except StoreError as exc:
                problem = f"not synced: {exc}"
            except (sqlite3.Error, ValueError, OverflowError) as exc:
                problem = f"not synced: a file in {path} holds an event that cannot be used ({exc})"
            return SyncResult(messages=[problem], failed=True)
        finally:
            self._running.release()

    def close(self) -> None:
        """Close the connection (after a running sync ends); no sync runs after."""
        with self._running:
            self.closed = True
            if self._store is not None:
                self._store.close()
                self._store = None
