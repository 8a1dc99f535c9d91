"""Grading one typed answer: the verdict, its score, what it was read as, and the diff.

The rules, in short:

* Case, diacritics (``đ`` too), punctuation and spacing never matter: every decision is taken
  on :func:`~study.core.grading.folding.normalise` of the given answer, so two spellings with
  the same normal form get the same verdict. A consequence: a sign or decimal point is
  punctuation too (``-5`` == ``5``, ``2.5`` == ``2,5``, the Vietnamese decimal comma), and
  ``1.500`` is read as 1500.
* The expected answer's :class:`~study.core.grading.kind.Kind` says how to read the given one.
  Dates, years, document numbers and numbers are parsed and compared by value, and are only ever
  EXACT or WRONG: a near miss on a figure is a wrong fact. Dates are day-first except ISO
  ``YYYY-MM-DD``; a date only matches at its own precision (``2013`` is wrong for ``December
  2013``, and so is ``31 December 2013``). A number may leave out the expected ``%``, not add one.
* Text: leading articles and spaces are ignored (``Ha Noi`` == ``Hanoi``). It is CLOSE within
  1 edit for 5-7 characters, 2 edits from 8, or 15% of the length on longer answers; never for
  answers under 5 characters, nor when the numbers in it differ.

Beside it: ``folding`` (the normal form), ``kind`` (kinds of answer and their keys), ``credit``
(lists, orders and the rating from a share), ``reading`` (an answer read by meaning).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Literal

from rapidfuzz.distance import Levenshtein

from study.core.decks.formatting import strip_markup
from study.core.grading.figure import may_hold_figure, read_figure
from study.core.grading.folding import _fold, normalise
from study.core.grading.kind import (
    _DOC_RE,
    Kind,
    _doc_key,
    _key,
    _numbers,
    _parse_number,
    _show_date,
    answer_kind,
)
from study.core.grading.lexicon import fold_spelling
from study.core.grading.reading import (
    document_kind,
    read_document,
    read_name,
    read_ordinal,
    read_span,
)

__all__ = [
    "Grade",
    "Segment",
    "Verdict",
    "grade_typed",
    "rating_for",
]


class Verdict(StrEnum):
    """How good a typed answer is."""

    EXACT = "exact"
    CLOSE = "close"
    WRONG = "wrong"


Op = Literal["equal", "missing", "extra"]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the diff: ``equal`` (shown as expected), ``missing`` (expected only), ``extra``
    (given only)."""

    text: str
    op: Op


@dataclass(frozen=True, slots=True)
class Grade:
    """The grade of one typed answer against the closest accepted answer ``expected``."""

    verdict: Verdict
    expected: str
    score: float
    """Similarity in [0, 1]: 1.0 exactly when EXACT."""
    diff: tuple[Segment, ...]
    """Joining every segment but the ``extra`` ones gives ``expected`` back."""
    read_as: str = ""
    """What a right answer not written as ``expected`` was read as (``185 of 193``), or ''."""


_ARTICLES = frozenset({"the", "a", "an"})
_MAX_READ = 40  # words: longer answers are compared as typed only
_MAX_COMPARE = 5000  # characters compared by edit distance / diff; longer is truncated / coarse


def _text_tokens(norm: str) -> list[str]:
    """Tokens compared as text: leading articles dropped, British spellings made American."""
    tokens = norm.split()
    while len(tokens) > 1 and tokens[0] in _ARTICLES:
        tokens.pop(0)
    return [fold_spelling(t) for t in tokens]


@dataclass(frozen=True, slots=True)
class _Answer:
    """An accepted answer, prepared once."""

    raw: str
    norm: str
    kind: Kind
    key: object
    tokens: tuple[str, ...]
    doc: tuple[tuple[str, ...], str | None] | None
    """The document number in it (key and kind of document), if any."""


@lru_cache(maxsize=4096)
def _prepare(answer: str) -> _Answer:
    norm = normalise(answer)
    kind = answer_kind(answer)
    tokens = norm.split()
    doc: tuple[tuple[str, ...], str | None] | None = None
    match = _DOC_RE.search(_fold(answer)) if len(answer) <= 200 else None
    if kind is Kind.DOCUMENT or (match and re.search(r"[a-z]", match.group())):
        key = _doc_key(normalise(match.group()).split()) if match else None
        if key:
            doc = (key, document_kind(tokens))
    return _Answer(answer, norm, kind, _key(kind, tokens), tuple(_text_tokens(norm)), doc)


@lru_cache(maxsize=1024)
def _words(text: str) -> tuple[str, ...]:
    return tuple(normalise(text).split())


def _similarity(a: str, b: str) -> float:
    return float(Levenshtein.normalized_similarity(a[:_MAX_COMPARE], b[:_MAX_COMPARE]))


_FRACTION = re.compile(r"(?<=\d)\s*/\s*(?=\d)")


def _read(
    given: str,
    gtokens: Sequence[str],
    answer: _Answer,
    prompt: Sequence[str],
    others: Sequence[str],
    primary: bool,
) -> tuple[bool, str] | None:
    """The given answer read by meaning against one accepted answer (see ``grading.reading``).

    A shorter form is read only against the ``primary`` answer, not the accepted forms (a
    short form of a short form loses what made it unambiguous).
    """
    if max(len(gtokens), len(answer.tokens)) > _MAX_READ or len(given) > 20 * _MAX_READ:
        return None  # a paragraph is not read as a figure, a date or a name
    if answer.doc is not None:
        found = read_document(gtokens, *answer.doc)
        if found is not None:
            return found[0], answer.raw
    atokens = answer.norm.split()
    if not (may_hold_figure(gtokens) or may_hold_figure(atokens)):
        atokens = []  # no figure on either side: only a name can be read (a fast path)
    found = read_span(gtokens, atokens) if atokens else None
    if found is not None:
        return found[0], " to ".join(str(y) for y in sorted(int(t) for t in gtokens if t.isdigit()))
    found = read_ordinal(gtokens, atokens, prompt, others) if atokens else None
    if found is not None:
        return found
    if atokens and answer.kind in (Kind.NUMBER, Kind.TEXT, Kind.YEAR):
        ftokens = _words(_FRACTION.sub(" of ", given)) if "/" in given else gtokens
        found = read_figure(ftokens, atokens, prompt)
        if found is not None:
            return found
    if answer.kind is Kind.TEXT and primary:
        found = read_name(_text_tokens(" ".join(gtokens)), list(answer.tokens), prompt)
        if found is not None:
            return found[0], f"{answer.raw} ({found[1]})"
    return None


def _judge(
    given: str,
    gnorm: str,
    answer: _Answer,
    prompt: Sequence[str] = (),
    others: Sequence[str] = (),
    primary: bool = True,
) -> tuple[Verdict, float, str]:
    """Verdict, score and what it was read as, of a given answer against one accepted answer."""
    if not answer.norm:  # an answer without letters or digits: compare as typed
        same = bool(given.strip()) and given.strip().casefold() == answer.raw.strip().casefold()
        return (Verdict.EXACT, 1.0, "") if same else (Verdict.WRONG, 0.0, "")
    if not gnorm:
        return Verdict.WRONG, 0.0, ""
    gtokens = gnorm.split()
    if answer.kind is not Kind.TEXT:
        if gnorm == answer.norm:
            return Verdict.EXACT, 1.0, ""
        gkey = _key(answer.kind, gtokens)
        if answer.kind is Kind.NUMBER and isinstance(gkey, tuple) and isinstance(answer.key, tuple):
            ok = gkey[0] == answer.key[0] and gkey[1] in (False, answer.key[1])
        else:
            ok = gkey is not None and gkey == answer.key
        if not ok and answer.kind is Kind.YEAR and isinstance(answer.key, tuple):
            ok = _parse_number(gtokens) == (Decimal(answer.key[0]), False)  # 2,013 for 2013
        if ok:
            shown = _show_date(gkey) if isinstance(gkey, tuple) and answer.kind is Kind.DATE else ""
            return Verdict.EXACT, 1.0, shown
        score = min(0.99, _similarity(gnorm.replace(" ", ""), answer.norm.replace(" ", "")))
        reading = _read(given, gtokens, answer, prompt, others, primary)
        if reading is not None and reading[0]:
            return Verdict.EXACT, 1.0, reading[1]
        return Verdict.WRONG, score, ""
    tokens = _text_tokens(gnorm)
    a, b = "".join(tokens), "".join(answer.tokens)
    same_numbers = _numbers(tokens) == _numbers(answer.tokens)
    if a == b and same_numbers:
        return Verdict.EXACT, 1.0, ""
    score = min(0.99, _similarity(a, b))
    reading = _read(given, gtokens, answer, prompt, others, primary)
    if reading is not None:
        return (Verdict.EXACT, 1.0, reading[1]) if reading[0] else (Verdict.WRONG, score, "")
    allowed = 0 if len(b) < 5 else 1 if len(b) < 8 else max(2, int(0.15 * max(len(a), len(b))))
    if (
        same_numbers
        and allowed
        and len(a) <= len(b) + allowed
        and Levenshtein.distance(a[:_MAX_COMPARE], b[:_MAX_COMPARE], score_cutoff=allowed)
        <= allowed
    ):
        return Verdict.CLOSE, score, ""
    return Verdict.WRONG, score, ""


def _fold_unit(unit: str) -> str:
    """How a displayed character (or word) compares in the diff: folded, punctuation as a space."""
    folded = _fold(unit)
    return "".join(c if c.isalnum() else " " for c in folded) if folded else ""


def _units(text: str, by_word: bool) -> list[str]:
    return re.findall(r"\s+|\S+", text) if by_word else list(text)


def _diff(given: str, expected: str, by_word: bool) -> tuple[Segment, ...]:
    """Segments turning ``given`` into ``expected``, compared folded, ``equal`` shown as
    expected."""
    units_a, units_b = _units(given, by_word), _units(expected, by_word)
    keys_a, keys_b = [_fold_unit(u) for u in units_a], [_fold_unit(u) for u in units_b]
    if keys_a == keys_b:
        return (Segment(expected, "equal"),) if expected else ()
    if len(units_a) + len(units_b) > _MAX_COMPARE:
        raw: list[Segment] = [Segment(given, "extra"), Segment(expected, "missing")]
    else:
        raw = []
        matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                raw.append(Segment("".join(units_b[j1:j2]), "equal"))
                continue
            raw.append(Segment("".join(units_a[i1:i2]), "extra"))
            raw.append(Segment("".join(units_b[j1:j2]), "missing"))
    out: list[Segment] = []
    for seg in raw:
        if seg.text and out and out[-1].op == seg.op:
            out[-1] = Segment(out[-1].text + seg.text, seg.op)
        elif seg.text:
            out.append(seg)
    return tuple(out)


_RANK = {Verdict.WRONG: 0, Verdict.CLOSE: 1, Verdict.EXACT: 2}


def grade_typed(given: str, expected: str, accept: Sequence[str] = (), prompt: str = "") -> Grade:
    """Grade a typed answer against ``expected`` and its ``accept`` alternatives; the best one wins.

    ``prompt`` is the question: words it gives away may be left out of a name, and a figure may
    carry the qualifier it asks with (``more than how many``).
    """
    gnorm = normalise(given)
    expected, prompt = strip_markup(expected), strip_markup(prompt)  # **bold** reads as bold
    accept = [strip_markup(a) for a in accept]
    ptokens = _words(prompt) if prompt else ()
    answers = (expected, *accept)
    others = tuple(t for a in answers for t in _words(a))
    best: tuple[Verdict, float, str, str] | None = None
    for n, answer in enumerate(answers):
        verdict, score, read_as = _judge(given, gnorm, _prepare(answer), ptokens, others, n == 0)
        rank = (_RANK[verdict], score, not read_as)  # as written beats a reading
        if best is None or rank > (_RANK[best[0]], best[1], not best[3]):
            best = (verdict, score, answer, read_as)
    assert best is not None
    verdict, score, answer, read_as = best
    return Grade(verdict, answer, score, _diff(given, answer, by_word=score < 0.5), read_as)


def rating_for(grade: Grade, seconds: float, fast_seconds: float = 6.0) -> int:
    """FSRS rating of a typed answer: 1 Again (wrong), 2 Hard (close), 3 Good, 4 Easy (exact and
    fast)."""
    if grade.verdict is Verdict.EXACT:
        return 4 if seconds <= fast_seconds else 3
    return 2 if grade.verdict is Verdict.CLOSE else 1
