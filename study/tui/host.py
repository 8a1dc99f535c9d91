"""What a screen may ask of the app: a typed face, so that screens need no import of the app.

The app (``study.tui.app.StudyApp``) imports the screens it opens; a screen importing the app back
would make an import loop. A screen reaches the app through ``host(self)`` instead, typed by
:class:`Host`, which ``StudyApp`` is checked (by mypy) to satisfy.
"""

from __future__ import annotations

from typing import Protocol, cast

from textual.dom import DOMNode

from study.core.review.session import StudySession
from study.core.service import Service


class Host(Protocol):
    """The app's methods the screens call (attributes down, the app's work up here)."""

    service: Service
    """The service the app was made with."""

    def ensure_loaded(self, why: str | None = None) -> bool:
        """True if the decks are loaded; otherwise start loading them and say ``why`` waits."""
        ...

    def reload_decks(self, note: str | None = None) -> None:
        """Read the deck files again now; ``note`` replaces the usual message."""
        ...

    def start_session(self, session: StudySession, title: str) -> None:
        """Show a study session; the home screen refreshes when it ends."""
        ...

    def go_home(self) -> None:
        """Back to the home screen."""
        ...


def host(node: DOMNode) -> Host:
    """The app running ``node``, as the screens see it (always a ``StudyApp``)."""
    return cast(Host, node.app)
