"""Reading a figure by its meaning: a qualifier, a number (digits or words), a whole, unit words.

``parse_figure`` reads ``more than 185 of 193 countries`` into a :class:`Figure`; ``read_figure``
says whether a given answer's figure means the accepted one (the value compared exactly, the
qualifier left out or of the kind the answer or the question uses). The other readers (ordinals,
document numbers, year spans, names) are ``reading``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from study.core.grading.lexicon import ORDINALS

__all__ = [
    "QUALIFIERS",
    "may_hold_figure",
    "read_figure",
]


QUALIFIERS: dict[tuple[str, ...], str] = {
    **{
        tuple(q.split()): "more"
        for q in (
            "over",
            "more than",
            "above",
            "in excess of",
            "upwards of",
            "exceeding",
            "greater than",
            "at least",
            "no fewer than",
            "no less than",
            "not less than",
            "well over",
            "just over",
        )
    },
    **{
        tuple(q.split()): "less"
        for q in ("under", "less than", "fewer than", "below", "at most", "up to", "just under")
    },
    **{
        tuple(q.split()): "about"
        for q in (
            "about",
            "around",
            "approximately",
            "roughly",
            "some",
            "circa",
            "nearly",
            "almost",
            "close to",
            "approx",
            "near",
        )
    },
}
"""Qualifiers of a figure by kind: ``more`` (over, more than...), ``less`` and ``about``."""


_MAX_QUALIFIER = max(len(q) for q in QUALIFIERS)


_WHOLE = (("out", "of"), ("of",), ("in",))


_SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()


_NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_SMALL)} | {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}


_SPANS = {"decade": 10, "decades": 10, "century": 100, "centuries": 100}
"""Spans of years: ``a decade`` and ``four decades`` are figures of years (10, 40)."""


_SCALE = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}


_FIGURE_WORDS = frozenset(_NUMBER_WORDS) | frozenset(ORDINALS) | frozenset(_SPANS)


def may_hold_figure(tokens: Sequence[str]) -> bool:
    """Whether tokens hold a digit, a number word, an ordinal word or a span (``decade``):
    without one on either side, no figure, ordinal or year span can be read, so a caller may
    skip those readers (they would all return None)."""
    return any(t in _FIGURE_WORDS or not t.isalpha() for t in tokens)  # tokens are alphanumeric


def _qualifier(tokens: Sequence[str]) -> tuple[str | None, int]:
    for size in range(_MAX_QUALIFIER, 0, -1):
        kind = QUALIFIERS.get(tuple(tokens[:size]))
        if kind:
            return kind, size
    return None, 0


def _number(tokens: Sequence[str]) -> tuple[Decimal, int] | None:
    """A number at the start of ``tokens``: digit groups (``1 100``, ``2 5`` as 2.5 only when
    written so), or number words (``ninety five``, ``one hundred and five``); tokens used."""
    if not tokens:
        return None
    if tokens[0].isdigit():
        used, digits = 1, tokens[0]
        while (
            used < len(tokens)
            and len(tokens[used]) == 3
            and tokens[used].isdigit()
            and len(tokens[0]) <= 3
        ):
            digits += tokens[used]
            used += 1
        if len(digits) > 30:
            return None  # no figure of the decks has 30 digits
        value = Decimal(digits)
        if used < len(tokens) and tokens[used] in ("million", "billion", "thousand"):
            value, used = value * _SCALE[tokens[used]], used + 1
        return value, used
    total = current = used = 0
    while used < len(tokens):
        tok = tokens[used]
        if tok in _NUMBER_WORDS:
            current += _NUMBER_WORDS[tok]
        elif tok == "hundred" and used:
            current = (current or 1) * 100
        elif tok in _SCALE and tok != "hundred" and used:
            total, current = total + (current or 1) * _SCALE[tok], 0
        elif not (tok == "and" and used and used + 1 < len(tokens)):
            break
        used += 1
    if not used:
        return None
    return Decimal(total + current), used


class Figure:
    """A figure read from tokens: qualifier kind, value, whole (``of 193``), percent, unit words."""

    __slots__ = ("percent", "qualifier", "unit", "value", "whole")

    def __init__(
        self,
        qualifier: str | None,
        value: Decimal,
        whole: Decimal | None,
        percent: bool,
        unit: tuple[str, ...],
    ) -> None:
        self.qualifier, self.value, self.whole = qualifier, value, whole
        self.percent, self.unit = percent, unit

    def describe(self) -> str:
        """How the figure reads: ``over 1,100``, ``185 of 193``."""
        parts = [] if self.qualifier is None else [_QUALIFIER_SHOWN[self.qualifier]]
        parts.append(_show(self.value) + ("%" if self.percent else ""))
        if self.whole is not None:
            parts.append(f"of {_show(self.whole)}")
        return " ".join(parts)


_QUALIFIER_SHOWN = {"more": "more than", "less": "less than", "about": "about"}


def _show(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return format(value.normalize(), "f")


def parse_figure(tokens: Sequence[str]) -> Figure | None:
    """A figure from normalised tokens (articles allowed in front), or None."""
    toks = list(tokens)
    while toks and toks[0] in ("the", "a", "an", "only", "just", "exactly", "in", "total"):
        if toks[0] == "just" and _qualifier(toks)[0]:
            break
        toks.pop(0)
    qualifier, size = _qualifier(toks)
    toks = toks[size:]
    number = _number(toks)
    if number is None and toks and toks[0] in _SPANS and tokens and tokens[0] in ("a", "one"):
        number = (Decimal(1), 0)  # "a decade"
    if number is None:
        return None
    value, used = number
    toks = toks[used:]
    if toks and toks[0] in _SPANS:
        value, toks = value * _SPANS[toks[0]], ["years", *toks[1:]]
    percent = bool(toks) and toks[0] == "percent"
    if percent:
        toks = toks[1:]
    whole: Decimal | None = None
    for word in _WHOLE:
        if tuple(toks[: len(word)]) == word:
            rest = toks[len(word) :]
            while rest and rest[0] in ("the", "all"):
                rest = rest[1:]
            found = _number(rest)
            if found is not None:
                whole, toks = found[0], rest[found[1] :]
            break
    if any(t.isdigit() for t in toks) or len(toks) > 8:
        return None
    try:
        return Figure(qualifier, value, whole, percent, tuple(toks))
    except InvalidOperation:  # pragma: no cover - Decimal of digits never fails
        return None


def _prompt_qualifier(prompt: Sequence[str]) -> str | None:
    """The qualifier a question asks with: ``more than how many`` -> ``more``."""
    for i, tok in enumerate(prompt):
        if tok in ("how", "what") and i:
            kind, _ = _qualifier(prompt[max(0, i - _MAX_QUALIFIER) : i][-2:])
            kind = kind or _qualifier(prompt[i - 1 : i])[0]
            if kind:
                return kind
    return None


def read_figure(
    given: Sequence[str], expected: Sequence[str], prompt: Sequence[str]
) -> tuple[bool, str] | None:
    """Whether a figure means the expected one, and how it was read; None if either is none."""
    want = parse_figure(expected)
    got = parse_figure(given)
    if want is None or got is None:
        return None
    if any(t in _SPANS for t in given) and not {"year", "years"} & {*expected, *prompt}:
        return False, ""  # decades are years, not meetings or countries
    asked = want.qualifier or _prompt_qualifier(prompt)
    whole_asked = "of how many" in " ".join(prompt) or "out of how many" in " ".join(prompt)
    value_ok = got.value == want.value
    if not value_ok and whole_asked and want.whole is None:
        value_ok = got.whole == want.value  # "185 of 193" when asked out of how many
    elif want.whole is not None and got.whole is not None:
        value_ok = value_ok and got.whole == want.whole
    ok = (
        value_ok
        and (got.qualifier is None or got.qualifier == asked)
        and (not got.percent or want.percent)
    )
    return ok, got.describe()
