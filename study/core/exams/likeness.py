"""How alike two answers look, for choosing distractors: words, numbers, shapes, nearby values.

Used by ``maker``; imports only the grading's reading of kinds and the deck model.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from study.core.decks.model import Deck, Item
from study.core.grading.answers import Verdict, grade_typed
from study.core.grading.folding import normalise
from study.core.grading.kind import Kind


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A possible distractor: an answer found in the decks."""

    text: str
    kind: Kind
    deck: str
    tags: frozenset[str]
    reverse: bool
    cloze: bool
    words: frozenset[str]
    """The words of the question it answers."""
    asks: str = ""
    """What that question asks for (``choices.cue``: who, where, when, how many, or '')."""


def _words(text: str) -> frozenset[str]:
    """The words of a question, normalised, short ones left out."""
    return frozenset(w for w in normalise(text).split() if len(w) > 3)


def _source_lines(item: Item, decks: Mapping[str, Deck]) -> list[str]:
    """One line per source the item's card cites: the source described, then where in it."""
    deck = decks.get(item.card.deck_id)
    if deck is None:
        return []
    lines = []
    for ref in item.card.citations:
        source = deck.source(ref.id)
        described = source.describe() if source else ref.id
        lines.append(f"{described} — {ref.at}" if ref.at else described)
    return lines


def _number(text: str) -> float | None:
    digits = re.findall(r"\d+", text.replace(",", "").replace(".", ""))
    return float(digits[0]) if digits else None


def _shape(text: str) -> str:
    """Letters and digits replaced by classes: '57-KL/TW' -> '9-A/A'."""
    return re.sub(r"[^\W\d_]+", "A", re.sub(r"\d+", "9", text))


def _likeness(target: str, kind: Kind, other: str) -> float:
    """How alike two answers of one kind look (0 to 3)."""
    if kind in (Kind.YEAR, Kind.NUMBER):
        a, b = _number(target), _number(other)
        if a is not None and b is not None:
            return 3.0 / (1.0 + abs(math.log((a + 1) / (b + 1))) * (10 if kind is Kind.YEAR else 1))
    words_a, words_b = len(target.split()), len(other.split())
    score = min(len(target), len(other)) / max(len(target), len(other), 1)
    score += min(words_a, words_b) / max(words_a, words_b, 1)
    score += 2.0 if _shape(target) == _shape(other) else 0.0
    if kind is Kind.TEXT and target.split()[:1] == other.split()[:1]:
        score += 0.5
    return score


def _same(a: str, b: str) -> bool:
    """Whether two texts would be marked as the same answer (either way round)."""
    if normalise(a) == normalise(b):
        return True
    return (
        grade_typed(a, b).verdict is not Verdict.WRONG
        or grade_typed(b, a).verdict is not Verdict.WRONG
    )


def _nearby(answer: str, kind: Kind) -> list[str]:
    """Made-up values close to a year or a plain whole number."""
    if not re.fullmatch(r"\d{1,9}", answer.strip()):
        return []
    value = int(answer)
    if kind is Kind.YEAR:
        return [str(value + d) for d in (-1, 1, -2, 2, -3, 3, -5, 5)]
    if kind is Kind.NUMBER:
        near = [value + 1, value - 1, value + 2, value * 2, value + 5, value // 2, value + 10]
        return [str(n) for n in dict.fromkeys(near) if n > 0 and n != value]
    return []
