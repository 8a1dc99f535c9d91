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
from decimal import Decimal, InvalidOperation

from study.core.grading.lexicon import ORDINALS, STOP_WORDS, ordinal_value, stem

__all__ = [
    "QUALIFIERS",
    "may_hold_figure",
    "read_document",
    "read_figure",
    "read_name",
    "read_ordinal",
    "read_span",
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
