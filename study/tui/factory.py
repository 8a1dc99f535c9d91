"""One way to build the app: ``make_app``, used by the entry point (``run_app``) and the tests."""

from __future__ import annotations

from collections.abc import Sequence

from study.collector import resume_frozen
from study.core.service import Service
from study.tui.app import StudyApp
from study.tui.host import Host

_HOST: type[Host] = StudyApp
"""The app gives the screens what ``Host`` promises (checked by mypy)."""


def make_app(
    service: Service,
    notices: Sequence[str] = (),
    *,
    load_decks: bool = False,
    review: Sequence[str] | None = None,
) -> StudyApp:
    """The app over ``service``: the entry point's (``run_app``) and the tests'.

    ``notices``: said at the start (progress kept); ``load_decks``: load the decks in the
    background once the first screen is painted; ``review``: open straight into today's review of
    these decks or folders (all: empty), as ``study review`` does.
    """
    return StudyApp(service, notices, load_decks=load_decks, review=review)


def run_app(service: Service, review: Sequence[str] | None = None) -> int:
    """Open the app on a service whose progress database is open; returns the exit code.

    ``review``: open straight into today's review of these decks or folders (all: empty).
    """
    from study.tui.picture import prepare

    prepare(service.deck_roots())  # before the app reads the terminal's input; see picture.py
    app = make_app(service, load_decks=True, review=review)
    try:
        app.run()
    finally:
        resume_frozen()
        service.close()
    if app.crashed is not None:
        raise app.crashed  # the entry point: one line, the details in the crash log
    return 0
