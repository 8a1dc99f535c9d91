"""Statistics: the figures (frozen values) and how they are computed from the log.

``figures`` holds the frozen values, ``history`` sums the review log in one pass, ``items``
computes the items' figures, ``compute`` puts them together (``collect`` reads them from a
service).

May import: ``decks``, ``progress``, ``review``, ``scheduling``, ``exams`` and the basics.

The face lists the modules; import names from them. It imports nothing itself, so that
loading one module does not load its neighbours (start-up time).
"""

__all__ = [
    "compute",
    "figures",
    "history",
    "items",
]
