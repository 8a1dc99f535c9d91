"""The service's base: the settings, the scheduler, the clock and the progress store.

``Base`` holds the parts every core feature takes (``paths``, ``clock``, ``config``,
``scheduler`` and ``store``, the progress database opened on first use); ``decks.DeckPart``
adds the decks, and ``facade.Service`` the features on top.

May import: the basics, ``progress.store`` and ``scheduling``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from study.core.clock import Clock
from study.core.config import Config, load_config
from study.core.decks.model import Problem
from study.core.paths import Paths
from study.core.progress.store import QuickCheck, Store, StoreError
from study.core.scheduling.scheduler import Scheduler


def _scheduler(
    config: Config, clock: Clock, path: Path, problems: list[Problem]
) -> tuple[Scheduler, Config]:
    """The scheduler of these settings, and the settings it uses: fitted parameters the fsrs
    package refuses are reported (in ``problems``) and the defaults used instead."""
    try:
        return Scheduler(config, clock=clock), config
    except ValueError as exc:
        if not config.parameters:
            raise
        reason = str(exc).splitlines()[-1].strip()
        problems.append(
            Problem(str(path), 1, 1, f"parameters are not usable ({reason}); using the default ()")
        )
        config = replace(config, parameters=())
        return Scheduler(config, clock=clock), config


class Base:
    """The settings, the scheduler, the clock and the store, for the parts built on them."""

    def __init__(
        self, paths: Paths, *, clock: Clock | None = None, config: Config | None = None
    ) -> None:
        self.paths = paths
        self.clock = clock or Clock()
        self.config_problems: list[Problem] = []
        if config is None:
            config, self.config_problems = load_config(paths.config)
        self.scheduler, config = _scheduler(config, self.clock, paths.config, self.config_problems)
        self.config = config
        self._store: Store | None = None
        self.quick_check: QuickCheck | None = None
        """A check of the database already under way (the app starts one before importing Textual).
        """
        self._store_lock = threading.Lock()
        self.notices: list[str] = []
        """Things done on the user's behalf that they should hear of once (loose permissions
        tightened when the database was opened), kept for the front end to show."""
        self.tell: Callable[[str], None] = self.notices.append
        """Where such a notice goes (the command line prints it at once instead)."""

    def save_config(self, config: Config) -> None:
        """Write these settings to config.toml (its comments kept) and use them from now on: the
        scheduler is made again. SettingsError (one line) if the file cannot be written."""
        from study.core.settings import save_settings  # tomlkit: 7 ms, when settings are saved

        scheduler = Scheduler(config)
        save_settings(self.paths.config, config)
        self.config_problems = load_config(self.paths.config)[1]
        self.config, self.scheduler = config, scheduler

    @property
    def store(self) -> Store:
        """The progress database, opened on first use."""
        with self._store_lock:
            if self._store is None:
                try:
                    self.paths.ensure()
                except OSError as exc:
                    raise StoreError(
                        f"cannot use {self.paths.data} as the data folder "
                        f"({exc.strerror or exc}): choose another with --data or STUDY_HOME"
                    ) from None
                fixed = self.paths.tighten()
                if fixed:  # said once: the next start finds nothing to change
                    self.tell(
                        f"the data folder {self.paths.data} was open to other users: it and the "
                        f"progress files in it are now owner-only ({len(fixed)} changed)"
                        if all("readable by others" in line for line in fixed)
                        else "; ".join(fixed)
                    )
                self._store = Store(self.paths.database, self.quick_check)
                if self._store.recreated:
                    self._recreated(self._store)
                self._store.rebuild_pending(self.scheduler)  # once, after a migration asks
            return self._store

    def _recreated(self, store: Store) -> None:
        """Tables that had gone from the database were made again: rebuild the states, say so."""
        tables = store.recreated
        if "item_state" in tables:
            count = store.rebuild(self.scheduler)
            self.tell(
                f"the card states had gone from {self.paths.database}: {count} rebuilt "
                "from the review log"
            )
        lost = [t for t in tables if t != "item_state"]
        if lost:
            self.tell(
                f"{'the table' if len(lost) == 1 else 'the tables'} {', '.join(lost)} had gone "
                f"from {self.paths.database}: "
                "made again, empty (flags, exam history or settings in them are lost; "
                "'study restore' puts back a backup)"
            )

    def close(self) -> None:
        """Close the database."""
        if self._store is not None:
            self._store.close()
            self._store = None
