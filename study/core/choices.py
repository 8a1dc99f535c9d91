"""Options for multiple-choice cards: the card's own distractors, or answers of the same kind.

A choice card without ``distractors`` borrows them from the answers of similar
cards in its deck: dates from dates, document numbers from document numbers,
names from names. A distractor is never the answer and never repeated.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from study.core.answers import answer_kind, normalise
from study.core.model import Card, CardType

CHOICES = 4
"""Options shown: the answer and three distractors."""


def same_kind_answers(card: Card, pool: Sequence[Card]) -> list[str]:
    """Answers of other cards in ``pool`` of the same kind as ``card``'s answer, each once."""
    kind = answer_kind(card.expected)
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
