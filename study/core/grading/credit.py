"""Partial credit: lists and orders graded, and the FSRS rating from a share.

The grading of a list line by line lives in :mod:`study.core.grading.listing`; this module holds
its result (:class:`ListGrade`), the grading of an order and the rating from a share.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ListGrade",
    "OrderGrade",
    "grade_order",
    "rating_for_share",
]


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
