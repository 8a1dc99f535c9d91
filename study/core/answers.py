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


@dataclass(frozen=True, slots=True)
class ListGrade:
    """The grade of a typed list: which line matched each item, the lines matching nothing, the
    credit."""

    matched: tuple[int | None, ...]
    extra: tuple[str, ...]
    share: float


@dataclass(frozen=True, slots=True)
class OrderGrade:
    """The grade of an ordering: whether each position holds the right item, and the credit."""

    correct: tuple[bool, ...]
    share: float


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
_DATE_FILLER = frozenset("the of on in st nd rd th year ngay thang nam".split())
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
_BULLET = re.compile(r"^\s*(?:[-*•·]+|\(?[0-9]{1,2}[.)])\s+(?=\S)")
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
    chars = [c if c.isalnum() else " percent " if c == "%" else " " for c in _fold(text)]
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
    tokens = norm.split()
    while len(tokens) > 1 and tokens[0] in _ARTICLES:
        tokens.pop(0)
    return tokens


@dataclass(frozen=True, slots=True)
class _Answer:
    """An accepted answer, prepared once."""

    raw: str
    norm: str
    kind: Kind
    key: object
    tokens: tuple[str, ...]


@lru_cache(maxsize=4096)
def _prepare(answer: str) -> _Answer:
    norm = normalise(answer)
    kind = answer_kind(answer)
    return _Answer(answer, norm, kind, _key(kind, norm.split()), tuple(_text_tokens(norm)))


def _key(kind: Kind, tokens: Sequence[str]) -> object:
    if kind in (Kind.DATE, Kind.YEAR):
        return _parse_date(tokens)
    if kind is Kind.NUMBER:
        return _parse_number(tokens)
    return _doc_key(tokens) if kind is Kind.DOCUMENT else None


def _similarity(a: str, b: str) -> float:
    return float(Levenshtein.normalized_similarity(a[:_MAX_COMPARE], b[:_MAX_COMPARE]))


def _judge(given: str, gnorm: str, answer: _Answer) -> tuple[Verdict, float]:
    """Verdict and score of a given answer (with its normal form) against one accepted answer."""
    if not answer.norm:  # an answer without letters or digits: compare as typed
        same = bool(given.strip()) and given.strip().casefold() == answer.raw.strip().casefold()
        return (Verdict.EXACT, 1.0) if same else (Verdict.WRONG, 0.0)
    if not gnorm:
        return Verdict.WRONG, 0.0
    if answer.kind is not Kind.TEXT:
        if gnorm == answer.norm:
            return Verdict.EXACT, 1.0
        gtokens = gnorm.split()
        gkey = _key(answer.kind, gtokens)
        if answer.kind is Kind.NUMBER and isinstance(gkey, tuple) and isinstance(answer.key, tuple):
            ok = gkey[0] == answer.key[0] and gkey[1] in (False, answer.key[1])
        else:
            ok = gkey is not None and gkey == answer.key
        if not ok and answer.kind is Kind.YEAR and isinstance(answer.key, tuple):
            ok = _parse_number(gtokens) == (Decimal(answer.key[0]), False)  # 2,013 for 2013
        if ok:
            return Verdict.EXACT, 1.0
        return Verdict.WRONG, min(
            0.99, _similarity(gnorm.replace(" ", ""), answer.norm.replace(" ", ""))
        )
    tokens = _text_tokens(gnorm)
    a, b = "".join(tokens), "".join(answer.tokens)
    same_numbers = _numbers(tokens) == _numbers(answer.tokens)
    if a == b and same_numbers:
        return Verdict.EXACT, 1.0
    score = min(0.99, _similarity(a, b))
    allowed = 0 if len(b) < 5 else 1 if len(b) < 8 else max(2, int(0.15 * max(len(a), len(b))))
    if (
        same_numbers
        and allowed
        and len(a) <= len(b) + allowed
        and Levenshtein.distance(a[:_MAX_COMPARE], b[:_MAX_COMPARE], score_cutoff=allowed)
        <= allowed
    ):
        return Verdict.CLOSE, score
    return Verdict.WRONG, score


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


def grade_typed(given: str, expected: str, accept: Sequence[str] = ()) -> Grade:
    """Grade a typed answer against ``expected`` and its ``accept`` alternatives.

    The best one wins.
    """
    gnorm = normalise(given)
    best: tuple[Verdict, float, str] | None = None
    for answer in (expected, *accept):
        verdict, score = _judge(given, gnorm, _prepare(answer))
        if best is None or (_RANK[verdict], score) > (_RANK[best[0]], best[1]):
            best = (verdict, score, answer)
    assert best is not None
    verdict, score, answer = best
    return Grade(verdict, answer, score, _diff(given, answer, by_word=score < 0.5))


def rating_for(grade: Grade, seconds: float, fast_seconds: float = 6.0) -> int:
    """FSRS rating of a typed answer: 1 Again (wrong), 2 Hard (close), 3 Good, 4 Easy (exact and
    fast)."""
    if grade.verdict is Verdict.EXACT:
        return 4 if seconds <= fast_seconds else 3
    return 2 if grade.verdict is Verdict.CLOSE else 1


def grade_list(given_lines: Sequence[str], items: Sequence[str], ordered: bool) -> ListGrade:
    """Grade typed lines against the items of a list.

    Blank lines and leading bullets (``-``, ``*``, ``1.``, ``(2)``) are ignored. Each item earns
    1 when matched EXACT, 0.75 when CLOSE; in an ordered list, times 0.5 when the line is not at
    the item's position (counting non-blank lines). Lines are matched greedily, best credit first.
    ``share`` is the credit over (items + extra lines): guessing costs.
    """
    lines = [(i, _BULLET.sub("", line)) for i, line in enumerate(given_lines)]
    lines = [(i, line) for i, line in lines if normalise(line)]
    candidates: list[tuple[float, float, int, int]] = []
    for pos, (_, line) in enumerate(lines):
        gnorm = normalise(line)
        for j, item in enumerate(items):
            verdict, score = _judge(line, gnorm, _prepare(item))
            if verdict is not Verdict.WRONG:
                credit = (1.0 if verdict is Verdict.EXACT else 0.75) * (
                    0.5 if ordered and pos != j else 1.0
                )
                candidates.append((-credit, -score, pos, j))
    matched: list[int | None] = [None] * len(items)
    used: set[int] = set()
    total = 0.0
    for neg_credit, _, pos, j in sorted(candidates):
        if matched[j] is None and pos not in used:
            matched[j], total = lines[pos][0], total - neg_credit
            used.add(pos)
    extra = tuple(line.strip() for pos, (_, line) in enumerate(lines) if pos not in used)
    denominator = len(items) + len(extra)
    share = total / denominator if denominator else 1.0
    return ListGrade(tuple(matched), extra, min(1.0, max(0.0, share)))


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
