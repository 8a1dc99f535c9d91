"""Opening the terminal app: ``study`` (or ``study tui``) and ``study review [DECK ...]``.

This is how the tool is opened many times a day: the module imports only what the app's
start needs (no other command module, no exam or authoring code).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from study.commands._common import CommandError, UsageError
from study.core.clock import Clock
from study.core.paths import Paths
from study.core.progress.lock import AppLock, LockedError
from study.core.progress.store import QuickCheck

if TYPE_CHECKING:
    import argparse


def cmd_tui(args: argparse.Namespace) -> int:
    """Open the terminal app."""
    return _open_app(args, None)


def cmd_review(args: argparse.Namespace) -> int:
    """Open the terminal app straight on today's first card (of the named decks or folders)."""
    return _open_app(args, args.names)


def _open_app(args: argparse.Namespace, review: list[str] | None) -> int:
    """Open the app (on the home screen, or on the review of ``review``'s decks).

    SQLite's quick check of the progress database reads the whole file (a quarter of a
    second with a million reviews); it runs in a thread while Textual is imported (SQLite
    lets Python go on, so the two share the machine's cores). The app opens the database
    with its result: nothing is written to a damaged file, as before. Deck names are
    checked before the screen opens when the decks' catalog knows them (otherwise the app
    says so once the decks are loaded).
    """
    paths = Paths.resolve(args.data)
    lock = AppLock(paths.app_lock)
    try:
        paths.data.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock.acquire()  # one app per data folder: a second one would show the same cards
    except LockedError as exc:
        raise CommandError(str(exc)) from None
    except OSError:
        pass  # a folder that cannot be written: opening the database says why
    try:
        return _run_app(args, review, paths)
    finally:
        lock.release()


def _run_app(args: argparse.Namespace, review: list[str] | None, paths: Paths) -> int:
    """The app on ``paths``, once the data folder's app lock is held."""
    check = QuickCheck(paths.database) if paths.database.is_file() else None
    # imported once the quick check runs in its thread, so the two overlap (see above)
    from study.core.service import Service
    from study.tui.factory import run_app

    svc = Service(
        paths, clock=Clock(), deck_roots=[Path(p) for p in args.decks] if args.decks else None
    )
    svc.quick_check = check
    _ = svc.store  # open (and check) the database before the screen takes over
    # nothing changed since the last run: the first card needs no deck read; otherwise decks
    # named are looked for in the decks themselves, read now (the app then reads them no more)
    if not svc.open_catalog() and review:
        svc.load()
    if review:
        unknown = svc.scope(review)[2]
        if unknown:
            svc.close()
            raise UsageError(
                f"no deck or folder is named {', '.join(map(repr, unknown))} "
                "('study decks' lists the deck ids)"
            )
    return run_app(svc, review)
