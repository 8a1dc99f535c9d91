"""Grading answers: typed, list and order answers, read by meaning.

``grade`` grades one study item's answer (the one entry point), ``answers`` normalises and
judges typed answers, ``reading`` reads figures, dates and document numbers, ``listing``
matches list lines to items, ``lexicon`` holds stems, spelling variants and number words.

May import: ``decks.model``, ``rapidfuzz``, the stemmers and the standard library.

The face lists the modules; import names from them. It imports nothing itself, so that
loading one module does not load its neighbours (start-up time).
"""

__all__ = [
    "answers",
    "grade",
    "lexicon",
    "listing",
    "reading",
]
