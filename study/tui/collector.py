"""The garbage collector, paused by the entry point for the start, turned back on by the app."""

from __future__ import annotations

import gc


def collector_on() -> None:
    """Turn the garbage collector back on, if the entry point paused it for the start.

    Everything made while starting (modules, Textual, the first screen) lives as long as
    the app: it is moved out of the collector's sight first (``gc.freeze``), so that its
    full passes, which can fall in the middle of a keypress, do not walk it again.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
