"""Grading answers: typed, list and order answers, read by meaning.

``grade`` grades one study item's answer (the one entry point), ``answers`` judges a typed
answer (verdict, score, diff), ``folding`` gives the normal form every decision is taken on,
``kind`` tells a date, year, document number, number or text apart and reads its key,
``figure`` reads figures and ``reading`` ordinals, document numbers, year spans and names by
meaning, ``listing`` assigns list lines to items (``matching``: one line's credit for one
item), ``credit`` holds list and order grades and the rating from a share, ``lexicon`` holds
stems, spelling variants and number words.

May import: ``decks.model``, ``rapidfuzz``, the stemmers and the standard library.

The face lists the modules; import names from them. It imports nothing itself, so that
loading one module does not load its neighbours (start-up time).
"""

__all__ = [
    "answers",
    "credit",
    "figure",
    "folding",
    "grade",
    "kind",
    "lexicon",
    "listing",
    "matching",
    "reading",
]
