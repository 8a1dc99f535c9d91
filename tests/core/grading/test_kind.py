"""Tables for study.core.grading.folding and kind: the normal form, and kinds of answer."""

from __future__ import annotations

import pytest

from study.core.grading.folding import normalise
from study.core.grading.kind import Kind, answer_kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nguyễn Chí Vịnh", "nguyen chi vinh"),
        ("HOÀNG XUÂN CHIẾN", "hoang xuan chien"),
        ("Đà Nẵng", "da nang"),
        ("đ Đ", "d d"),
        ("  806-NQ/QUTW  ", "806 nq qutw"),
        ("130/2020/QH14", "130 2020 qh 14"),
        ("30%", "30 percent"),
        ("30 per cent", "30 percent"),
        ("31st", "31 st"),
        ("a\t\n  b", "a b"),
        ("!!!", ""),
        ("", ""),
        ("Ｆｕｌｌ１２", "full 12"),  # full width
        ("Nguye\u0302\u0303n", "nguyen"),  # combining marks
        ("straße", "strasse"),
        ("٣٠", "30"),  # Arabic-Indic digits
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("806-NQ/QUTW", Kind.DOCUMENT),
        ("53-KL/TW", Kind.DOCUMENT),
        ("25-CT/TW", Kind.DOCUMENT),
        ("130/2020/QH14", Kind.DOCUMENT),
        ("No. 806-NQ/QUTW", Kind.DOCUMENT),
        ("Decree 22/2021/ND-CP", Kind.DOCUMENT),
        ("31 December 2013", Kind.DATE),
        ("31/12/2013", Kind.DATE),
        ("2013-12-31", Kind.DATE),
        ("December 31, 2013", Kind.DATE),
        ("December 2013", Kind.DATE),
        ("12/2013", Kind.DATE),
        ("2013", Kind.YEAR),
        ("1,000", Kind.NUMBER),
        ("1000", Kind.YEAR),  # a bare year-like number reads as a year
        ("5000", Kind.NUMBER),
        ("30%", Kind.NUMBER),
        ("30 per cent", Kind.NUMBER),
        ("2.5", Kind.NUMBER),
        ("five", Kind.NUMBER),
        ("1.5 million", Kind.NUMBER),
        ("Nguyễn Chí Vịnh", Kind.TEXT),
        ("The Central Military Commission", Kind.TEXT),
        ("2013-2020", Kind.TEXT),
        ("5-year plan", Kind.TEXT),
        ("32/13/2013", Kind.TEXT),  # not a valid date
        ("", Kind.TEXT),
        ("more friends, fewer enemies", Kind.TEXT),
    ],
)
def test_answer_kind(text: str, kind: Kind) -> None:
    assert answer_kind(text) is kind
