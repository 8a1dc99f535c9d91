"""How far a decks folder is searched: the bounds shared by the loader and the watcher.

A decks folder holds deck files and folders of them. A link in it to a folder of
the system (``/proc``, whose ``self/root`` leads back to ``/``) or to a huge tree
made ``study decks`` walk for more than a minute and 850 MB. The walk is bounded:
the system's virtual folders are not entered (through a link or not), folders deeper than
MAX_DEPTH are not entered, and after MAX_ENTRIES names under one root the search
stops. The loader says what it skipped in one line each; the watcher
(``watch.scan``) applies the same rules so that it sees exactly the same files.
"""

from __future__ import annotations

MAX_DEPTH = 16
"""Deepest folder searched below a decks folder (a folder of decks needs two or three)."""

MAX_ENTRIES = 20_000
"""Most names (files and folders) looked at under one decks folder: a collection of
2,000 deck files in 200 folders is a tenth of it."""

SYSTEM_FOLDERS = ("/proc", "/sys", "/dev")
"""Virtual folders of the system: endless or looping, never decks; never entered."""


def system_folder(real: str) -> str | None:
    """The system folder that the real path of a folder is in (or is), or None."""
    for folder in SYSTEM_FOLDERS:
        if real == folder or real.startswith(folder + "/"):
            return folder
    return None


def depth_of(relative: str) -> int:
    """How many folders below its root a folder is (``""`` or ``"."`` is the root, 0)."""
    return 0 if relative in ("", ".") else relative.count("/") + 1


__all__ = ["MAX_DEPTH", "MAX_ENTRIES", "SYSTEM_FOLDERS", "depth_of", "system_folder"]
