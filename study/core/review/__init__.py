"""The daily review: today's queue, the study session, counts, and the card browser.

``queue`` builds today's queue and ``counts`` tallies items by state, one way whether the decks
are loaded or their catalog stands in (``decks.collection``); ``session`` runs a study session
(an answer goes from here to the store), ``practice`` builds practice (cram) sessions,
``choices`` makes multiple-choice options, ``search`` parses the card query language,
``browse`` and ``card_actions`` are the browser's model and its actions.

May import: ``decks``, ``progress``, ``scheduling``, ``grading`` and the basics.

The face lists the modules; import names from them. It imports nothing itself, so that
loading one module does not load its neighbours (start-up time).
"""

__all__ = [
    "browse",
    "card_actions",
    "choices",
    "counts",
    "practice",
    "queue",
    "search",
    "session",
]
