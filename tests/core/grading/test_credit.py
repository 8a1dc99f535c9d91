"""Tables for study.core.grading.credit: list and order grades, the rating from a share."""

from __future__ import annotations

import pytest

from study.core.grading.credit import (
    ListGrade,
    OrderGrade,
    grade_order,
    rating_for_share,
)
from study.core.grading.listing import grade_list


@pytest.mark.parametrize(
    ("share", "rating"),
    [
        (1.0, 3),
        (0.9995, 3),
        (0.99, 2),
        (0.75, 2),
        (0.7499, 1),
        (0.5, 1),
        (0.0, 1),
        (float("nan"), 1),
    ],
)
def test_rating_for_share(share: float, rating: int) -> None:
    assert rating_for_share(share) == rating


FOCUSES = [
    "research, forecasting and strategic advice",
    "wider bilateral and multilateral cooperation",
    "coordination between agencies",
    "stronger specialised agencies and staff",
    "defence industry and external information",
]


@pytest.mark.parametrize(
    ("lines", "items", "ordered", "expected"),
    [
        (["a1", "b2", "c3"], ["A1", "B2", "C3"], False, ListGrade((0, 1, 2), (), 1.0)),
        (["c3", "a1", "b2"], ["A1", "B2", "C3"], False, ListGrade((1, 2, 0), (), 1.0)),
        (["c3", "a1", "b2"], ["A1", "B2", "C3"], True, ListGrade((1, 2, 0), (), 2.5 / 3)),
        (["a1", "c3", "b2"], ["A1", "B2", "C3"], True, ListGrade((0, 2, 1), (), 2.5 / 3)),
        (["a1", "", "b2", "  ", "c3"], ["A1", "B2", "C3"], True, ListGrade((0, 2, 4), (), 1.0)),
        (["- a1", "* b2", "3. c3"], ["A1", "B2", "C3"], True, ListGrade((0, 1, 2), (), 1.0)),
        (["a1", "b2"], ["A1", "B2", "C3"], False, ListGrade((0, 1, None), (), 2 / 3)),
        (["a1", "b2", "zz"], ["A1", "B2", "C3"], False, ListGrade((0, 1, None), ("zz",), 2 / 3)),
        (["a1", "a1"], ["A1", "B2"], False, ListGrade((0, None), ("a1",), 1 / 2)),
        (["a", "b", "c", "d"], ["A", "B"], False, ListGrade((0, 1), ("c", "d"), 1.0)),
        (["a", "x", "y", "z"], ["A", "B"], False, ListGrade((0, None), ("x", "y", "z"), 1 / 3)),
        ([], ["A1", "B2"], False, ListGrade((None, None), (), 0.0)),
        ([], [], False, ListGrade((), (), 1.0)),
        (["x"], [], True, ListGrade((), ("x",), 0.0)),
        (["Hanoy", "Hue"], ["Hanoi", "Hue"], True, ListGrade((0, 1), (), 1.0)),  # a typo
        (
            ["Hue", "Hanoy"],
            ["Hanoi", "Hue"],
            True,
            ListGrade((1, 0), (), (1 + 0.5) / 2),
        ),  # out of place
        (["2013", "31/12/2013"], ["31 December 2013", "2013"], False, ListGrade((1, 0), (), 1.0)),
        (list(reversed(FOCUSES)), FOCUSES, False, ListGrade((4, 3, 2, 1, 0), (), 1.0)),
        (
            ["Coordination between agencies", "defense industry and external information"],
            FOCUSES,
            False,
            ListGrade((None, None, 0, None, 1), (), 2 / 5),
        ),
    ],
)
def test_grade_list(lines: list[str], items: list[str], ordered: bool, expected: ListGrade) -> None:
    result = grade_list(lines, items, ordered)
    assert result.matched == expected.matched
    assert result.extra == expected.extra
    assert result.share == pytest.approx(expected.share)


@pytest.mark.parametrize(
    ("given", "n", "correct", "share"),
    [
        ([0, 1, 2, 3], 4, (True, True, True, True), 1.0),
        ([1, 0, 2, 3], 4, (False, False, True, True), 0.75),
        ([3, 0, 1, 2], 4, (False, False, False, False), 0.75),  # one item moved
        ([3, 2, 1, 0], 4, (False, False, False, False), 0.25),
        ([0, 1], 4, (True, True, False, False), 0.5),
        ([0, 1, 2, 3, 4], 4, (True, True, True, True), 1.0),
        ([0, 0, 1, 2], 3, (True, False, False), 2 / 3),  # not a permutation: never full credit
        ([-1, 7, 1], 3, (False, False, False), 1 / 3),
        ([], 0, (), 1.0),
        ([0], 1, (True,), 1.0),
        ([], 2, (False, False), 0.0),
    ],
)
def test_grade_order(given: list[int], n: int, correct: tuple[bool, ...], share: float) -> None:
    assert grade_order(given, n) == OrderGrade(correct, pytest.approx(share))  # type: ignore[arg-type]
