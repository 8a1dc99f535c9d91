"""The daily review: today's queue, the study session, counts, and the card browser.

``queue`` builds today's queue, ``session`` runs a study session (an answer goes from here to
the store), ``counts`` tallies items by state, ``quickstart`` answers counts and the queue from
the catalog before the decks load, ``choices`` makes multiple-choice options, ``search`` parses
the card query language, ``browse`` and ``card_actions`` are the browser's model and its actions.

May import: ``decks``, ``progress``, ``scheduling``, ``grading`` and the basics.

The face lists the modules; import names from them. It imports nothing itself, so that
loading one module does not load its neighbours (start-up time).
"""

__all__ = [
    "browse",
    "card_actions",
    "choices",
    "counts",
    "queue",
    "quickstart",
    "search",
    "session",
]
