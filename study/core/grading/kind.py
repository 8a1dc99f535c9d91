"""What kind of answer a text is, and its key: dates, years, document numbers, numbers, text.

The expected answer's :class:`Kind` says how a given answer is read. Dates, years, document numbers
and numbers are parsed into a key compared by value (``_parse_date``, ``_parse_number``,
``_doc_key``); dates are day-first except ISO ``YYYY-MM-DD``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum

from study.core.grading.folding import _fold, normalise

__all__ = [
    "Kind",
    "answer_kind",
]


class Kind(StrEnum):
    """What kind of answer a text is.

    Decides how answers are compared (and which distractors fit).
    """

    DATE = "date"
    YEAR = "year"
    DOCUMENT = "document"
    NUMBER = "number"
    TEXT = "text"


_NUM = re.compile(r"[0-9]+")


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


def _key(kind: Kind, tokens: Sequence[str]) -> object:
    if kind in (Kind.DATE, Kind.YEAR):
        return _parse_date(tokens)
    if kind is Kind.NUMBER:
        return _parse_number(tokens)
    return _doc_key(tokens) if kind is Kind.DOCUMENT else None


def _show_date(key: tuple[int, ...]) -> str:
    if len(key) == 3:
        return f"{key[2]} {calendar.month_name[key[1]]} {key[0]}"
    return f"{calendar.month_name[key[1]]} {key[0]}" if len(key) == 2 else str(key[0])
