"""Words of an answer by meaning: spelling variants, stems, stop words, number and ordinal words.

The only module that imports the word libraries: ``breame`` (British and American spellings,
``defence`` -> ``defense``) and ``snowballstemmer`` (the English Snowball stemmer, so
``destroying mines`` and ``destroy a mine`` share their stems). Both ship their data; nothing
is downloaded. Tokens come in normalised (:func:`study.core.grading.folding.normalise`): folded, no
punctuation.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from breame.spelling import BRITISH_ENGLISH_SPELLINGS

__all__ = [
    "ORDINALS",
    "STOP_WORDS",
    "content_stems",
    "fold_spelling",
    "ordinal_value",
    "stem",
]

_SPELLING: dict[str, str] = {str(k): str(v) for k, v in BRITISH_ENGLISH_SPELLINGS.items()}

STOP_WORDS = frozenset(
    """a an the of to in on at by for from with and or as its it their his her our your this
    that these those be is are was were been being has have had do does did which who whom
    what when where how than then so such into onto upon about between among
    within through during both each all any some own same very can will shall
    would should may might also only just well there here via per s""".split()
)
"""Words that carry no content in a list item (``to learn`` is ``learn``)."""

_ORDINAL_WORDS = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()
_TENS_ORDINAL = {
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    "hundredth": 100,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
ORDINALS: dict[str, int] = {w: i for i, w in enumerate(_ORDINAL_WORDS)} | _TENS_ORDINAL
"""Ordinal words and their values (``twelfth`` 12); compounds are read by :func:`ordinal_value`."""
_SUFFIXES = frozenset({"st", "nd", "rd", "th"})


def ordinal_value(tokens: Sequence[str]) -> tuple[int, int] | None:
    """(value, tokens used) of an ordinal at the start of ``tokens``, or None.

    ``12 th``, ``twelfth``, ``twenty first`` (``twenty-first`` normalised) and a bare
    ``12`` followed by a suffix are ordinals; a bare number is not.
    """
    if not tokens:
        return None
    first = tokens[0]
    if first.isdigit() and len(first) <= 4:
        if len(tokens) > 1 and tokens[1] in _SUFFIXES:
            return int(first), 2
        return None
    if first in ORDINALS:
        return ORDINALS[first], 1
    if first in _TENS and len(tokens) > 1 and tokens[1] in ORDINALS and ORDINALS[tokens[1]] < 10:
        return _TENS[first] + ORDINALS[tokens[1]], 2
    return None


def fold_spelling(word: str) -> str:
    """The American spelling of a British one (``defence`` -> ``defense``), else the word."""
    return _SPELLING.get(word, word)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    """The Snowball English stemmer, built when first needed."""
    import snowballstemmer  # 13 ms: the package imports its 36 stemmers; only lists need it

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of a normalised word, after folding its spelling."""
    return str(_stemmer().stemWord(fold_spelling(word)))


_NEGATIONS = {"not": "no", "non": "no", "never": "no"}
"""Negations are content (``no foreign bases``), and all one word: ``not allowing`` is ``no``."""


def content_stems(tokens: Sequence[str]) -> tuple[str, ...]:
    """The stems of the content words (no stop words, negations as ``no``), in order, each once."""
    return tuple(dict.fromkeys(_NEGATIONS.get(t) or stem(t) for t in tokens if t not in STOP_WORDS))
