"""Statistics: the figures (frozen values) and how they are computed from the log.

May import: ``decks``, ``progress``, ``review``, ``scheduling``, ``exams`` and the basics.

The face lists the modules; import names from them. It imports nothing itself, so that
loading one module does not load its neighbours (start-up time).
"""

__all__ = [
    "collect",
    "compute",
    "figures",
]
