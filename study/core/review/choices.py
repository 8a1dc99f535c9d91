"""Options for multiple-choice cards: the card's own distractors, or answers of the same kind.

A choice card without ``distractors`` borrows them from the answers of similar
cards in its deck: dates from dates, document numbers from document numbers,
names from names. A distractor is never the answer and never repeated.

Text answers must also have the same shape (``same_shape``, used by the mock exams too): an
answer to a "who" question only for another "who" question (and likewise "where" or "which
country", "when" or "which year", "how many"), years and numbers in the same places, an
ordinal ("the third") for an ordinal, a sentence for a sentence and a short phrase for a
short phrase, a name for a name.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from study.core.decks.model import Card, CardType
from study.core.grading.folding import normalise
from study.core.grading.kind import Kind, answer_kind

_CUES = (
    ("who", re.compile(r"\b(who|whom|whose)\b|\bwhich (person|minister|leader|official)\b")),
    ("where", re.compile(r"\bwhere\b|\bwhich (country|countries|city|cities|place|capital)\b")),
    ("when", re.compile(r"\bwhen\b|\b(which|what) (year|years|date|day|month|period)\b")),
    ("how many", re.compile(r"\bhow (many|much|long|often)\b")),
)
_ORDINAL = re.compile(
    r"^(the )?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)\b"
)
_YEAR = re.compile(r"^(1\d{3}|2[01]\d{2})$")


def cue(question: str) -> str:
    """What a question asks for: 'who', 'where', 'when', 'how many', or '' for anything else."""
    folded = question.casefold()
    return next((name for name, pattern in _CUES if pattern.search(folded)), "")


def _numbers(text: str) -> tuple[str, ...]:
    """Each number of a text as Y (a year) or N, with the word after it if that is no number
    (its unit: '3 years' is N years)."""
    words = [*normalise(text).split(), ""]
    return tuple(
        ("Y" if _YEAR.match(word) else "N") + ("" if words[i + 1].isdigit() else words[i + 1])
        for i, word in enumerate(words[:-1])
        if word.isdigit()
    )


def _named(text: str) -> bool:
    """Whether a text is a name (most of its words after the first capitalised: The Moscow
    International Security Conference, Prime Minister Nguyen Tan Dung)."""
    rest = [w for w in text.split()[1:] if w[:1].isalpha() and len(w) > 3]
    return bool(rest) and sum(w[0].isupper() for w in rest) * 2 > len(rest)


def same_shape(answer: str, asks: str, other: str, other_asks: str) -> bool:
    """Whether ``other`` (an answer to a question that asks ``other_asks``) is a fitting wrong
    option for ``answer`` (to a question that asks ``asks``): see the module's docstring.
    Answers that are not text (dates, years, documents, numbers) are matched by kind alone."""
    if answer_kind(answer) is not Kind.TEXT:
        return True
    if asks != other_asks:
        return False
    if _numbers(answer) != _numbers(other):
        return False
    a, b = normalise(answer), normalise(other)
    if bool(_ORDINAL.match(a)) != bool(_ORDINAL.match(b)) or _named(answer) != _named(other):
        return False
    length_a, length_b = len(a.split()), len(b.split())
    if max(length_a, length_b) > 3 * min(length_a, length_b) + 1:
        return False
    return (
        answer.rstrip().endswith(".") == other.rstrip().endswith(".") or min(length_a, length_b) > 4
    )


CHOICES = 4
"""Options shown: the answer and three distractors."""


def same_kind_answers(card: Card, pool: Sequence[Card]) -> list[str]:
    """Answers of other cards in ``pool`` of the same kind as ``card``'s answer, each once."""
    kind = answer_kind(card.expected)
    asks = cue(card.front)
    seen = {normalise(card.expected)}
    out: list[str] = []
    for other in pool:
        if other.key == card.key or other.type not in (
            CardType.BASIC,
            CardType.TYPED,
            CardType.CHOICE,
        ):
            continue
        candidate = other.expected
        norm = normalise(candidate)
        if not norm or norm in seen or answer_kind(candidate) is not kind:
            continue
        if not same_shape(card.expected, asks, candidate, cue(other.front)):
            continue
        seen.add(norm)
        out.append(candidate)
    return out


def choice_options(card: Card, pool: Sequence[Card], seed: str | int) -> list[str]:
    """The shuffled options of a choice card (answer included), stable for a given seed."""
    rng = random.Random(f"{seed}:{card.key}")
    distractors = list(card.distractors)
    if len(distractors) < CHOICES - 1:
        extra = [
            a
            for a in same_kind_answers(card, pool)
            if normalise(a) not in {normalise(d) for d in distractors}
        ]
        rng.shuffle(extra)
        distractors += extra[: CHOICES - 1 - len(distractors)]
    else:
        distractors = (
            rng.sample(distractors, CHOICES - 1) if len(distractors) > CHOICES - 1 else distractors
        )
    options = [card.answer or card.expected, *distractors]
    rng.shuffle(options)
    return options
