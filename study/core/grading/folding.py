"""Folding text for comparison: case, width, diacritics and punctuation dropped.

:func:`normalise` gives the form every grading decision is taken on: folded (no case, width or
diacritics, ``đ`` as ``d``), punctuation as spaces, ``%`` as ``percent``, digits apart from letters.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "normalise",
]


_SIGNS = {"%": " percent ", "+": " plus ", "&": " and "}
"""Signs that are words: ``ADMM+`` is ``ADMM plus``, never ``ADMM``."""


_SPLIT = re.compile(r"(?<=[0-9])(?=[^\W\d_])|(?<=[^\W\d_])(?=[0-9])")


_SPECIAL = {"đ": "d", "ı": "i"}  # no decomposition under NFD


def _fold(text: str) -> str:
    """Text without case, width or diacritics, digits in ASCII; other characters are kept."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold()):
        if unicodedata.category(ch)[0] == "M":
            continue
        if ch.isdecimal():
            ch = str(unicodedata.decimal(ch))
        out.append(_SPECIAL.get(ch, ch))
    return "".join(out)


def normalise(text: str) -> str:
    """The comparable form: folded, punctuation as spaces, ``%`` as ``percent``, digits apart from
    letters."""
    chars = [c if c.isalnum() else _SIGNS.get(c, " ") for c in _fold(text)]
    tokens = _SPLIT.sub(" ", "".join(chars)).split()
    merged: list[str] = []
    for tok in tokens:
        if tok == "cent" and merged and merged[-1] == "per":
            merged[-1] = "percent"
        else:
            merged.append(tok)
    return unicodedata.normalize("NFC", " ".join(merged))
