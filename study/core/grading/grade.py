"""Grading one study item's answer: the one place the study screen, ``study grade`` and the
grading benchmark go through, so that all three grade alike.

A typed answer is graded against the item's answer and (on the front side) the card's
``accept`` forms, with the question as context; a list against the items, each with its
``accept`` forms. See :mod:`study.core.grading.answers` and :mod:`study.core.grading.listing`
for the rules.
"""

from __future__ import annotations

from collections.abc import Sequence

from study.core.decks.model import Card, Item
from study.core.grading.answers import Grade, grade_typed
from study.core.grading.credit import ListGrade
from study.core.grading.listing import grade_list

__all__ = ["grade_item_list", "grade_item_typed"]


def grade_item_typed(item: Item, given: str) -> Grade:
    """A typed answer to a study item (a typed card, either side)."""
    accept = item.card.accept if item.variant != "r" else ()
    return grade_typed(given, item.answer, accept, prompt=item.prompt)


def grade_item_list(card: Card, lines: Sequence[str]) -> ListGrade:
    """The typed lines of a list card."""
    return grade_list(lines, card.items, card.ordered, card.item_accept, prompt=card.front)
