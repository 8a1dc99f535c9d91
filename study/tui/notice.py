"""One "NOT saved" toast for a write failure that repeats, instead of a pile of them.

On a full disk every answer, flag or undo fails the same way; a toast each covered the
screen in a few seconds. A :class:`NotSavedNotice` shows the first failure as it is
("Your answer was NOT saved: the disk … is full: free some space, then answer again.") and
replaces that toast, while the same problem goes on, by one that counts what was refused:
"Still NOT saved (3 answers, 1 flag): …". A write that goes through (``saved``) ends the
run: its toast is taken down and the next failure starts afresh.

Textual has no public call to update a toast: the notice posts its own ``Notification``
(as ``App.notify`` does) so that it can take it down again (``App._unnotify``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from textual.app import App
from textual.notifications import Notification, Notify

from study.core.decks.safe_text import visible
from study.core.progress.store import WriteError
from study.core.words import plural

TIMEOUT = 15.0
"""Seconds a "NOT saved" toast stays up: long enough to read, and to free some space."""


class NotSavedNotice:
    """The "NOT saved" toast of one screen, replaced while the same failure repeats."""

    def __init__(self) -> None:
        self.shown: Notification | None = None
        """The toast up now (or last put up)."""
        self.problem = ""
        """The problem it reports."""
        self.counts: Counter[str] = Counter()
        """What was refused since the problem began, by noun ("answer", "flag")."""

    def show(self, app: App[Any], what: str, noun: str, exc: WriteError, retry: str) -> None:
        """Say that ``what`` (one ``noun``) was NOT saved, why, and ``retry``: what to do."""
        then = f", then {retry}" if exc.retry else ""
        repeat = (
            self.shown is not None
            and self.shown in app._notifications
            and exc.problem == self.problem
        )
        if not repeat:
            self.counts.clear()
        self.counts[noun] += 1
        if self.shown is not None:
            app._unnotify(self.shown)
        if repeat:
            refused = ", ".join(plural(n, word) for word, n in self.counts.items())
            message = f"Still NOT saved ({refused}): {exc.problem}{then}."
        else:
            message = f"{what} was NOT saved: {exc.problem}{then}."
        self.shown = Notification(visible(message), "Not saved", "error", TIMEOUT)
        self.problem = exc.problem
        app.post_message(Notify(self.shown))

    def saved(self, app: App[Any]) -> None:
        """A write went through: the failure is over, its toast (no longer true) is taken
        down, and the next failure gets a toast of its own."""
        if self.shown is not None and self.shown in app._notifications:
            app._unnotify(self.shown)
        self.shown = None
        self.counts.clear()
        self.problem = ""
