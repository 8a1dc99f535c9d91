"""The cyclic garbage collector at start: paused, then on again. Every switch is here.

Importing the program and Textual and drawing the first screen make a few hundred
thousand objects that all live on; the collector's passes over them are about a tenth of
the time to the first frame. So the entry point pauses it (``pause``); a command turns it
back on before it runs (``resume``); the app does so once its first frame is drawn
(``resume_frozen``). The deck loader's own pause while it reads is another matter
(``study.core.decks.loader``).
"""

from __future__ import annotations

import gc


def pause() -> None:
    """Pause the collector for the start (``study.__main__``, before anything is imported)."""
    gc.disable()


def resume() -> None:
    """Turn the collector back on: before a command other than the app runs."""
    gc.enable()


def resume_frozen() -> None:
    """Turn the collector back on, if the start paused it (the app, after its first frame).

    Everything made while starting (modules, Textual, the first screen) lives as long as
    the app: it is moved out of the collector's sight first (``gc.freeze``), so that its
    full passes, which can fall in the middle of a keypress, do not walk it again.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
