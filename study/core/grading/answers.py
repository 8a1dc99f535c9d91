"""Grading typed answers: normalisation, kinds of answer, verdicts, diffs, lists and orders.

The rules, in short:

* Case, diacritics (``đ`` too), punctuation and spacing never matter: every decision is taken
  on :func:`normalise` of the given answer, so two spellings with the same normal form get the
  same verdict. A consequence: a sign or decimal point is punctuation too (``-5`` == ``5``,
  ``2.5`` == ``2,5``, the Vietnamese decimal comma), and ``1.500`` is read as 1500.
* The expected answer's :class:`Kind` says how to read the given one. Dates, years, document
  numbers and numbers are parsed and compared by value, and are only ever EXACT or WRONG: a
  near miss on a figure is a wrong fact. Dates are day-first except ISO ``YYYY-MM-DD``; a date
  only matches at its own precision (``2013`` is wrong for ``December 2013``, and so is
  ``31 December 2013``). A number may leave out the expected ``%``, not add one.
* Text: leading articles and spaces are ignored (``Ha Noi`` == ``Hanoi``). It is CLOSE within
  1 edit for 5-7 characters, 2 edits from 8, or 15% of the length on longer answers; never for
  answers under 5 characters, nor when the numbers in it differ.
"""

from __future__ import annotations

import calendar
import difflib
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Literal

from rapidfuzz.distance import Levenshtein

from study.core.decks.formatting import strip_markup
from study.core.grading.lexicon import fold_spelling
from study.core.grading.reading import (
    document_kind,
    may_hold_figure,
    read_document,
    read_figure,
    read_name,
    read_ordinal,
    read_span,
)

__all__ = [
    "Grade",
    "Kind",
    "ListGrade",
    "OrderGrade",
    "Segment",
    "Verdict",
    "answer_kind",
    "grade_list",
    "grade_order",
    "grade_typed",
    "normalise",
    "rating_for",
    "rating_for_share",
]


class Verdict(StrEnum):
    """How good a typed answer is."""

    EXACT = "exact"
    CLOSE = "close"
    WRONG = "wrong"


class Kind(StrEnum):
    """What kind of answer a text is.

    Decides how answers are compared (and which distractors fit).
    """

    DATE = "date"
    YEAR = "year"
    DOCUMENT = "document"
    NUMBER = "number"
    TEXT = "text"


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


@dataclass(frozen=True, slots=True)
class ListGrade:
    """The grade of a typed list: which line matched each item, the lines matching nothing, the
    credit."""

    matched: tuple[int | None, ...]
    """Per item, the index of the given line that matched it, or None."""
    extra: tuple[str, ...]
    """The lines (or parts of lines) that matched no item."""
    share: float
    credits: tuple[float, ...] = ()
    """Per item, the credit it earned (0 to 1)."""
    given: tuple[str, ...] = ()
    """Per item, the text credited to it (a line, a part of one, or two lines), or ''."""
    hows: tuple[str, ...] = ()
    """Per item, how the text matched (``as written``, ``2 of its 3 words``), or ''."""
    how: str = ""
    """How the share was counted, in words."""


@dataclass(frozen=True, slots=True)
class OrderGrade:
    """The grade of an ordering: whether each position holds the right item, and the credit."""

    correct: tuple[bool, ...]
    share: float


_SIGNS = {"%": " percent ", "+": " plus ", "&": " and "}
"""Signs that are words: ``ADMM+`` is ``ADMM plus``, never ``ADMM``."""
_SPLIT = re.compile(r"(?<=[0-9])(?=[^\W\d_])|(?<=[^\W\d_])(?=[0-9])")
_NUM = re.compile(r"[0-9]+")
_SPECIAL = {"đ": "d", "ı": "i"}  # no decomposition under NFD
_MONTHS = {
    n: i
    for i, names in enumerate(
        (
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sep sept",
            "october oct",
            "november nov",
            "december dec",
        ),
        1,
    )
    for n in names.split()
}
_DATE_FILLER = frozenset(
    "the of on in st nd rd th year by since from onwards onward as ngay thang nam".split()
)
_SMALL = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
} | {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_SCALES = {"thousand": 3, "million": 6, "billion": 9}
_DOC_PREFIX = frozenset(
    "the no number nr so resolution directive conclusion decision decree law "
    "circular nghi quyet chi thi ket luan dinh luat thong tu".split()
)
_DOC_RE = re.compile(
    r"(?:(?:resolution|directive|conclusion|decision|decree|law|circular)\s+)?"
    r"(?:(?:no|number|so)\.?\s*)?[0-9]+(?:\s*[-/‐‑–—]\s*[0-9a-z]+)+"
)
_ARTICLES = frozenset({"the", "a", "an"})
_MAX_READ = 40  # words: longer answers are compared as typed only
_MAX_COMPARE = 5000  # characters compared by edit distance / diff; longer is truncated / coarse


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


def _parse_date(tokens: Sequence[str]) -> tuple[int, ...] | None:
    """(year,), (year, month) or (year, month, day) from normalised tokens, or None."""
    toks = [t for t in tokens if t not in _DATE_FILLER]
    if not 1 <= len(toks) <= 3 or not all(t in _MONTHS or _NUM.fullmatch(t) for t in toks):
        return None
    names = [i for i, t in enumerate(toks) if t in _MONTHS]
    nums = [t for t in toks if t not in _MONTHS]
    day: str | None = None
    month: str | int | None = None
    if len(names) > 1:
        return None
    if names:
        month, at = _MONTHS[toks[names[0]]], names[0]
        if len(nums) == 1 and at == 0:
            year = nums[0]  # December 2013
        elif len(nums) == 2 and (at == 0 or len(nums[0]) <= 2):
            day, year = nums  # December 31 2013, 31 December 2013
        elif len(nums) == 2 and at == 1:
            year, day = nums  # 2013 December 31
        else:
            return None
    elif len(nums) == 1:
        year = nums[0]
    elif len(nums) == 2:
        year, month = nums if len(nums[0]) == 4 else nums[::-1]
    else:
        year, month, day = nums if len(nums[0]) == 4 else nums[::-1]
        if len(nums[0]) != 4 and int(month) > 12 >= int(day):
            month, day = day, month  # 12/31/2013: month first, as only it can be
    if len(year) != 4 or int(year) < 1 or (isinstance(month, str) and len(month) > 2):
        return None
    if month is None:
        return (int(year),)
    y, m = int(year), int(month)
    if not 1 <= m <= 12:
        return None
    if day is None:
        return (y, m)
    if len(day) > 2 or not 1 <= int(day) <= calendar.monthrange(y, m)[1]:
        return None
    return (y, m, int(day))


def full_date(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a whole date in any form a typed answer may take (2027-01-31,
    31/01/2027 (day first), 31 January 2027, January 31, 2027), or None."""
    parsed = _parse_date(normalise(text).split())
    return (parsed[0], parsed[1], parsed[2]) if parsed is not None and len(parsed) == 3 else None


def _groups(toks: Sequence[str]) -> str | None:
    """Digit groups as one integer (``1 000 000``), or None when they are not thousands groups."""
    if len(toks) == 1 or (len(toks[0]) <= 3 and all(len(t) == 3 for t in toks[1:])):
        return "".join(toks)
    return None


def _parse_number(tokens: Sequence[str]) -> tuple[Decimal, bool] | None:
    """(value, is a percentage) from normalised tokens: digits, number words, scales, percent."""
    toks = list(tokens)
    percent = bool(toks) and toks[-1] == "percent"
    if percent:
        toks.pop()
    exp = 0
    if len(toks) >= 2 and toks[-1] in _SCALES and _NUM.fullmatch(toks[-2]):
        exp = _SCALES[toks.pop()]
    if not toks:
        return None
    if all(_NUM.fullmatch(t) for t in toks):
        whole, frac = _groups(toks), "0"
        if whole is None:
            whole, frac = _groups(toks[:-1]), toks[-1]
        return None if whole is None else (Decimal(f"{whole}.{frac}e{exp}"), percent)
    if set(toks) <= {"and"}:
        return None
    total = current = 0
    for tok in toks:
        if tok in _SMALL:
            current += _SMALL[tok]
        elif tok == "hundred":
            current = (current or 1) * 100
        elif tok in _SCALES:
            total, current = total + (current or 1) * 10 ** _SCALES[tok], 0
        elif tok != "and":
            return None
    return (Decimal(total + current), percent)


def _doc_key(tokens: Sequence[str]) -> tuple[str, ...] | None:
    """A document number without its prefix (No., Resolution...), adjacent letter runs joined."""
    i = 0
    while i < len(tokens) and tokens[i] in _DOC_PREFIX:
        i += 1
    key: list[str] = []
    for tok in tokens[i:]:
        if key and not tok[0].isdigit() and not key[-1][0].isdigit():
            key[-1] += tok
        else:
            key.append(tok)
    return tuple(key) if key and key[0].isdigit() else None


def answer_kind(text: str) -> Kind:
    """Classify an (expected) answer as a date, year, document number, number or text."""
    tokens = normalise(text).split()
    date = _parse_date(tokens)
    if date is not None and (len(date) > 1 or 1000 <= date[0] <= 2199):
        return Kind.DATE if len(date) > 1 else Kind.YEAR
    folded = _fold(text).strip()
    if _parse_number(tokens) is not None and not re.search(r"(?<=\S)[-/:‐‑–—]", folded):
        return Kind.NUMBER
    if _DOC_RE.fullmatch(folded) and re.search(r"[a-z]", folded) and re.search(r"[A-Z]", text):
        return Kind.DOCUMENT
    return Kind.TEXT


def _numbers(tokens: Sequence[str]) -> tuple[str, ...]:
    """The numbers in a text, thousands groups joined, leading zeros dropped."""
    out: list[str] = []
    run: list[str] = []
    for tok in (*tokens, ""):
        if _NUM.fullmatch(tok):
            run.append(tok)
            continue
        if run:
            joined = _groups(run)
            out.extend(n.lstrip("0") or "0" for n in ([joined] if joined else run))
            run = []
    return tuple(out)


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


def _key(kind: Kind, tokens: Sequence[str]) -> object:
    if kind in (Kind.DATE, Kind.YEAR):
        return _parse_date(tokens)
    if kind is Kind.NUMBER:
        return _parse_number(tokens)
    return _doc_key(tokens) if kind is Kind.DOCUMENT else None


def _similarity(a: str, b: str) -> float:
    return float(Levenshtein.normalized_similarity(a[:_MAX_COMPARE], b[:_MAX_COMPARE]))


def _show_date(key: tuple[int, ...]) -> str:
    if len(key) == 3:
        return f"{key[2]} {calendar.month_name[key[1]]} {key[0]}"
    return f"{calendar.month_name[key[1]]} {key[0]}" if len(key) == 2 else str(key[0])


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


def grade_list(
    given_lines: Sequence[str],
    items: Sequence[str],
    ordered: bool,
    accept: Sequence[Sequence[str]] = (),
    prompt: str = "",
) -> ListGrade:
    """Grade typed lines against the items of a list (see :mod:`study.core.grading.listing`)."""
    from study.core.grading.listing import grade_list as grade  # it builds on this module

    return grade(given_lines, items, ordered, accept, prompt)


def grade_order(given: Sequence[int], n: int) -> OrderGrade:
    """Grade an ordering; ``given[p]`` is the index (in the correct order) of the item put at ``p``.

    ``correct`` is per position. ``share`` credits relative order, so one item moved does not
    ruin the rest: the longest run of items kept in increasing order, over n; 1.0 only when all
    positions are right.
    """
    n = max(n, 0)
    correct = tuple(p < len(given) and given[p] == p for p in range(n))
    tails: list[int] = []  # longest strictly increasing subsequence
    for value in given:
        if 0 <= value < n:
            k = bisect_left(tails, value)
            tails[k : k + 1] = [value]
    if all(correct):
        return OrderGrade(correct, 1.0)
    return OrderGrade(correct, min(len(tails), n - 1) / n)


def rating_for_share(share: float) -> int:
    """FSRS rating from partial credit: 3 Good when all right (>= 0.999), 2 Hard from 0.75, else 1
    Again."""
    if share >= 0.999:
        return 3
    return 2 if share >= 0.75 else 1
