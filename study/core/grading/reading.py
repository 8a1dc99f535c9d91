"""Reading a typed answer by its meaning: figures, ordinals, document numbers, year spans, names.

Each reader takes the normalised tokens of the given answer and of one accepted answer (and
of the question, when known) and returns what the given answer was read as when it means the
accepted one, else None. A reader never forgives a different value: a figure, an ordinal, a
year or a document number is compared exactly, so a near miss stays wrong. The rules:

* **Figures**: an optional qualifier (``over``, ``more than``, ``about``...), a number (digits
  or words), an optional whole (``of 193``, ``185/193``) and unit words (``95 years``);
  ``a decade``, ``four decades`` and ``a century`` are years (10, 40, 100) where the question
  or the answer counts years. The
  qualifier may be left out, or must be of the kind the answer or the question uses
  (``more than`` for ``over``); an answer that adds one the card does not use is wrong.
  This reader (``read_figure``) lives in :mod:`study.core.grading.figure`.
* **Ordinals**: ``12th``, ``twelfth``, ``the 12th Shangri-La Dialogue``, ``ADMM-7``: the one
  number given is the one expected, and the other words are the answer's or the question's.
* **Documents**: ``Resolution 806`` and ``806`` read as ``806-NQ/QUTW``; a suffix given must
  be the expected one, and a kind of document named must not contradict it (``Directive 806``).
* **Year spans**: ``from 1975 to 2025`` for ``1975-2025``; ``2024 and 2022``.
* **Names**: a shorter form whose words are all in the answer (or in the question) and which
  keeps every word of the answer that the question does not give away (``Xiangshan`` for
  ``Beijing Xiangshan Forum`` when asked which Beijing forum); an acronym of the answer
  (``APSC``). A ``plus`` (from ``+``) is never left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from study.core.grading.lexicon import STOP_WORDS, ordinal_value, stem

__all__ = [
    "read_document",
    "read_name",
    "read_ordinal",
    "read_span",
]

_DOC_KINDS = {
    "resolution": "resolution",
    "nghi": "resolution",
    "directive": "directive",
    "chi": "directive",
    "conclusion": "conclusion",
    "ket": "conclusion",
    "decision": "decision",
    "decree": "decree",
    "law": "law",
    "circular": "circular",
}
_DOC_CODES = {"nq": "resolution", "ct": "directive", "kl": "conclusion", "qd": "decision"}
_DOC_FILLER = frozenset("the no number nr so quyet thi luan".split())
_SPAN_WORDS = frozenset("from to until till through and between the in years period of".split())


def _ordinals(tokens: Sequence[str]) -> tuple[list[int], list[str]]:
    """The ordinals and bare numbers in tokens, and the other tokens."""
    values: list[int] = []
    rest: list[str] = []
    i = 0
    while i < len(tokens):
        found = ordinal_value(tokens[i:])
        if found is not None:
            values.append(found[0])
            i += found[1]
            continue
        tok = tokens[i]
        if tok.isdigit() and len(tok) <= 30:
            values.append(int(tok))
        else:
            rest.append(tok)
        i += 1
    return values, rest


def _is_ordinal(tokens: Sequence[str]) -> bool:
    return any(ordinal_value(tokens[i:]) for i in range(len(tokens)))


def _stems(tokens: Sequence[str]) -> set[str]:
    return {stem(t) for t in tokens if t not in STOP_WORDS}


def read_ordinal(
    given: Sequence[str], expected: Sequence[str], prompt: Sequence[str], others: Sequence[str]
) -> tuple[bool, str] | None:
    """An ordinal (with its noun) against an expected ordinal; ``others`` are words the answer
    may also use (the other accepted forms). None when the expected is no ordinal."""
    want, want_rest = _ordinals(expected)
    if len(set(want)) != 1 or not (_is_ordinal(expected) or _is_ordinal(others)):
        return None
    got, rest = _ordinals(given)
    prompt_numbers = {int(t) for t in prompt if t.isdigit()}
    got = [g for g in got if g not in prompt_numbers or g == want[0]]
    if not got:
        return None
    if len(set(got)) != 1:
        return False, ""
    if got[0] != want[0]:
        return False, ""
    suffixes = {"th", "st", "nd", "rd"}
    if not (_stems(want_rest) - suffixes - _stems(prompt)) <= _stems(rest):
        return None  # the words with the ordinal are not given: not read as one
    allowed = _stems(want_rest) | _stems(others) | _stems(prompt)
    if _stems(rest) - allowed - suffixes and prompt:
        return False, ""
    return True, f"the {_ordinal_text(got[0])}"


def _ordinal_text(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def read_document(
    given: Sequence[str], expected_key: Sequence[str], expected_kind: str | None
) -> tuple[bool, str] | None:
    """A document given by its number (``Resolution 806``) against an expected document key
    (``("806", "nqqutw")``) and kind. None when the given answer is no document number."""
    kinds = {_DOC_KINDS[t] for t in given if t in _DOC_KINDS}
    toks = [t for t in given if t not in _DOC_KINDS and t not in _DOC_FILLER]
    if not toks or not toks[0].isdigit():
        return None
    key: list[str] = []
    for tok in toks:
        if key and not tok[0].isdigit() and not key[-1][0].isdigit():
            key[-1] += tok
        else:
            key.append(tok)
    if not expected_key:
        return None
    code = next((_DOC_CODES[c] for c in _DOC_CODES if expected_key[-1].startswith(c)), None)
    kind = expected_kind or code
    if len(kinds) > 1 or (kinds and kind and kinds != {kind}):
        return False, ""
    ok = tuple(key) == tuple(expected_key) or (len(key) == 1 and key[0] == expected_key[0])
    return ok, ""


def document_kind(tokens: Sequence[str]) -> str | None:
    """The kind of document an answer names (``Resolution 806-NQ/QUTW``: resolution)."""
    return next((_DOC_KINDS[t] for t in tokens if t in _DOC_KINDS), None)


def _years(tokens: Sequence[str]) -> tuple[int, ...] | None:
    years: list[int] = []
    for tok in tokens:
        if tok.isdigit() and len(tok) == 4:
            years.append(int(tok))
        elif tok not in _SPAN_WORDS:
            return None
    return tuple(sorted(years)) if len(years) >= 2 else None


def read_span(given: Sequence[str], expected: Sequence[str]) -> tuple[bool, str] | None:
    """Years given together (``from 1975 to 2025``, ``2024 and 2022``) against expected ones."""
    want = _years(expected)
    if want is None:
        return None
    got = _years(given)
    if got is None:
        return None
    return got == want, ""


def _initials(tokens: Sequence[str]) -> set[str]:
    words = [t for t in tokens if not t.isdigit()]
    content = [t for t in words if t not in STOP_WORDS]
    return {"".join(w[0] for w in ws) for ws in (words, content) if len(ws) >= 2}


def read_name(
    given: Sequence[str], expected: Sequence[str], prompt: Sequence[str]
) -> tuple[bool, str] | None:
    """A shorter form or an acronym of a name; None when it is neither (the caller goes on)."""
    if len(given) == 1 and len(given[0]) >= 3 and given[0] in _initials(expected):
        return True, "an acronym"
    gstems, estems = _stems(given), _stems(expected)
    pstems = _stems(prompt)
    if not gstems or not gstems <= estems | pstems:
        return None
    needed = {t for t in expected if t not in STOP_WORDS and stem(t) not in pstems}
    if "plus" in expected:
        needed.add("plus")
    own = [t for t in given if t not in STOP_WORDS and stem(t) in estems - pstems]
    if not needed or not all(_has(given, t) for t in needed) or not _in_sequence(own, expected):
        return None
    return True, "a short form"


def _has(given: Sequence[str], word: str) -> bool:
    """The word is given as written, or (5 letters or more) in another form of it: ``Laos`` is
    not ``Lao``, but ``exhibitions`` is ``exhibition``."""
    return word in given or (len(word) >= 5 and any(stem(g) == stem(word) for g in given))


def _in_sequence(words: Sequence[str], expected: Sequence[str]) -> bool:
    """Whether the words come in the expected answer's order (``fewer friends, more enemies``
    is not a short form of ``more friends, fewer enemies``)."""
    rest = iter(stem(t) for t in expected)
    return all(any(stem(w) == e for e in rest) for w in words)
