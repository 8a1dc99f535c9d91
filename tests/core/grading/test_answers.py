"""Tables for study.core.grading.answers: typed grading, the diff, the rating of a typed answer.

Normalisation and kinds are in ``test_kind``, lists, orders and shares in ``test_credit``."""

from __future__ import annotations

import time

import pytest

from study.core.grading.answers import Grade, Segment, Verdict, grade_typed, rating_for
from study.core.grading.kind import Kind, answer_kind

EXACT, CLOSE, WRONG = Verdict.EXACT, Verdict.CLOSE, Verdict.WRONG


DOCUMENTS = [
    ("806-NQ/QUTW", "806-NQ/QUTW", EXACT),
    ("No. 806 NQ/QUTW", "806-NQ/QUTW", EXACT),
    ("no 806-nq/qutw", "806-NQ/QUTW", EXACT),
    ("806/NQ-QUTW", "806-NQ/QUTW", EXACT),
    ("806 NQ QUTW", "806-NQ/QUTW", EXACT),
    ("806-NQQUTW", "806-NQ/QUTW", EXACT),
    ("Resolution 806-NQ/QUTW", "806-NQ/QUTW", EXACT),
    ("Nghị quyết số 806-NQ/QUTW", "806-NQ/QUTW", EXACT),
    ("807-NQ/QUTW", "806-NQ/QUTW", WRONG),
    ("806-NQ/QUTV", "806-NQ/QUTW", WRONG),
    ("806-NQ/TW", "806-NQ/QUTW", WRONG),
    ("86-NQ/QUTW", "806-NQ/QUTW", WRONG),
    ("8060-NQ/QUTW", "806-NQ/QUTW", WRONG),
    ("806", "806-NQ/QUTW", EXACT),  # a document by its number
    ("Resolution 806", "806-NQ/QUTW", EXACT),
    ("Directive 806", "806-NQ/QUTW", WRONG),  # NQ is a resolution
    ("Resolution 807", "806-NQ/QUTW", WRONG),
    ("Directive 25", "25-CT/TW", EXACT),
    ("Resolution 25", "25-CT/TW", WRONG),
    ("Resolution 130", "130/2020/QH14", EXACT),
    ("Resolution 131", "130/2020/QH14", WRONG),
    ("53-KL/TW", "53-KL/TW", EXACT),
    ("53 KL TW", "53-KL/TW", EXACT),
    ("35-KL/TW", "53-KL/TW", WRONG),
    ("25-CT/TW", "25-CT/TW", EXACT),
    ("25-NQ/TW", "25-CT/TW", WRONG),
    ("130/2020/QH14", "130/2020/QH14", EXACT),
    ("130 2020 QH14", "130/2020/QH14", EXACT),
    ("No. 130/2020/QH14", "130/2020/QH14", EXACT),
    ("130/2020/QH15", "130/2020/QH14", WRONG),
    ("130/2021/QH14", "130/2020/QH14", WRONG),
    ("1302020/QH14", "130/2020/QH14", WRONG),
]

DATES = [
    (given, "31 December 2013", EXACT)
    for given in [
        "31/12/2013",
        "31-12-2013",
        "31.12.2013",
        "31 December 2013",
        "31st December 2013",
        "December 31, 2013",
        "Dec 31, 2013",
        "2013-12-31",
        "31 Dec 2013",
        "31 dec. 2013",
        "the 31st of December, 2013",
        "December 31st 2013",
        "ngày 31 tháng 12 năm 2013",
        "31 / 12 / 2013",
        "31/12/2013.",
        "2013 December 31",
    ]
] + [
    ("30/12/2013", "31 December 2013", WRONG),
    ("31/12/2012", "31 December 2013", WRONG),
    ("31/11/2013", "31 December 2013", WRONG),
    ("12/31/2013", "31 December 2013", EXACT),  # month first: the only reading
    ("12/32/2013", "31 December 2013", WRONG),
    ("by 2015", "2015", EXACT),
    ("since 2014", "2014", EXACT),
    ("since 2013", "2014", WRONG),
    ("December 2013", "31 December 2013", WRONG),  # less precise
    ("2013", "31 December 2013", WRONG),
    ("31 December 13", "31 December 2013", WRONG),
    ("1/12/2013", "1 December 2013", EXACT),
    ("12/1/2013", "1 December 2013", WRONG),
    ("01/12/2013", "1 December 2013", EXACT),
    ("December 2013", "December 2013", EXACT),
    ("Dec 2013", "December 2013", EXACT),
    ("12/2013", "December 2013", EXACT),
    ("12-2013", "December 2013", EXACT),
    ("2013-12", "December 2013", EXACT),
    ("tháng 12 năm 2013", "December 2013", EXACT),
    ("2013", "December 2013", WRONG),  # less precise
    ("31 December 2013", "December 2013", WRONG),  # compared at the expected precision only
    ("November 2013", "December 2013", WRONG),
    ("11/2013", "December 2013", WRONG),
    ("2013", "2013", EXACT),
    ("in 2013", "2013", EXACT),
    ("2,013", "2013", EXACT),
    ("năm 2013", "2013", EXACT),
    ("2014", "2013", WRONG),
    ("2031", "2013", WRONG),
    ("December 2013", "2013", WRONG),
    ("31/12/2013", "31/12/2013", EXACT),
    ("31 December 2013", "31/12/2013", EXACT),
    ("29/02/2012", "29 February 2012", EXACT),
    ("29/02/2013", "29/02/2013", EXACT),  # an invalid expected date is compared as typed
]

NUMBERS = [
    ("1000", "1,000", EXACT),
    ("1 000", "1,000", EXACT),
    ("1,000", "1,000", EXACT),
    ("1.000", "1,000", EXACT),  # Vietnamese thousands separator
    ("one thousand", "1,000", EXACT),
    ("1001", "1,000", WRONG),
    ("100", "1,000", WRONG),
    ("10000", "1,000", WRONG),
    ("30 per cent", "30%", EXACT),
    ("30 percent", "30%", EXACT),
    ("30%", "30%", EXACT),
    ("30", "30%", EXACT),  # the unit may be left out...
    ("30%", "30", WRONG),  # ...not added
    ("31%", "30%", WRONG),
    ("3%", "30%", WRONG),
    ("5", "five", EXACT),
    ("five", "5", EXACT),
    ("Five", "5", EXACT),
    ("twenty-five", "25", EXACT),
    ("one hundred and five", "105", EXACT),
    ("two million", "2,000,000", EXACT),
    ("2 million", "2,000,000", EXACT),
    ("1.5 million", "1,500,000", EXACT),
    ("6", "5", WRONG),
    ("2.5", "2.5", EXACT),
    ("2,5", "2.5", EXACT),  # decimal comma
    ("2.50", "2.5", EXACT),
    ("25", "2.5", WRONG),
    ("2.6", "2.5", WRONG),
    ("about 5", "5", WRONG),
    ("", "5", WRONG),
]

TEXTS = [
    ("Nguyễn Chí Vịnh", "Nguyễn Chí Vịnh", EXACT),
    ("nguyen chi vinh", "Nguyễn Chí Vịnh", EXACT),
    ("NGUYEN CHI VINH", "Nguyễn Chí Vịnh", EXACT),
    ("Nguyen  Chi   Vinh.", "Nguyễn Chí Vịnh", EXACT),
    ("Nguyen Chi Vin", "Nguyễn Chí Vịnh", CLOSE),
    ("Nguyen Chi Vinhh", "Nguyễn Chí Vịnh", CLOSE),
    ("Nguyen Chi", "Nguyễn Chí Vịnh", WRONG),
    ("Hoang Xuan Chien", "Hoàng Xuân Chiến", EXACT),
    ("Hoang Xuan Chein", "Hoàng Xuân Chiến", CLOSE),
    ("Hoang Xuan Chinh", "Hoàng Xuân Chiến", CLOSE),
    ("Phan Van Giang", "Hoàng Xuân Chiến", WRONG),
    ("Da Nang", "Đà Nẵng", EXACT),
    ("Ha Noi", "Hanoi", EXACT),  # spaces do not count
    ("Viet Nam", "Vietnam", EXACT),
    ("Hanoy", "Hanoi", CLOSE),  # 5 letters: one edit
    ("Hanoiii", "Hanoi", WRONG),  # two edits on 5 letters
    ("Hnaoi", "Hanoi", WRONG),  # a transposition is two edits
    ("Lao", "Laos", WRONG),  # under 5 letters: exact only
    ("Bali", "Mali", WRONG),
    ("China", "Ghana", WRONG),
    ("defense", "defence", EXACT),  # spelling variants
    ("organization", "organisation", EXACT),
    ("diplomasy", "diplomacy", CLOSE),
    ("diplomcy", "diplomacy", CLOSE),
    ("dplomcy", "diplomacy", CLOSE),  # 9 letters: two edits
    ("dplmcy", "diplomacy", WRONG),
    ("central military commission", "The Central Military Commission", EXACT),
    ("The Politburo", "Politburo", EXACT),
    ("a politburo", "Politburo", EXACT),
    ("Central Militery Comission", "The Central Military Commission", CLOSE),
    ("Politburo", "The Central Military Commission", WRONG),
    ("The", "The", EXACT),
    ("more friends, fewer enemies", "more friends, fewer enemies", EXACT),
    ("more friend, fewer enemies", "more friends, fewer enemies", EXACT),  # another form
    ("fewer friends, more enemies", "more friends, fewer enemies", WRONG),
    (
        "International integration and defense diplomacy",
        "international integration and defence diplomacy to 2020 and beyond",
        WRONG,
    ),
    (
        "international integration and defense diplomacy to 2020 and beyond",
        "international integration and defence diplomacy to 2020 and beyond",
        EXACT,
    ),
    (
        "international integration and defence diplomacy to 2030 and beyond",
        "international integration and defence diplomacy to 2020 and beyond",
        WRONG,
    ),  # numbers differ
    ("1,000 troops", "1000 troops", EXACT),
    ("1001 troops", "1000 troops", WRONG),
    ("group 11 2", "group 1 12", WRONG),
    ("", "Hanoi", WRONG),
    ("   ", "Hanoi", WRONG),
    ("?!", "Hanoi", WRONG),
]


@pytest.mark.parametrize(("given", "expected", "verdict"), DOCUMENTS + DATES + NUMBERS + TEXTS)
def test_grade_typed(given: str, expected: str, verdict: Verdict) -> None:
    grade = grade_typed(given, expected)
    assert grade.verdict is verdict
    assert grade.expected == expected
    assert (grade.score == 1.0) == (verdict is EXACT)
    assert 0.0 <= grade.score <= 1.0


@pytest.mark.parametrize(
    ("given", "expected"),
    [(g, e) for g, e, v in DOCUMENTS + DATES + NUMBERS if v is WRONG and g],
)
def test_structured_answers_are_never_close(given: str, expected: str) -> None:
    assert answer_kind(expected) is not Kind.TEXT or expected == "29/02/2013"
    # whatever the typo, a wrong figure stays wrong
    for variant in (given, given + "x", given[:-1]):
        assert grade_typed(variant, expected).verdict is not CLOSE


def test_accept_alternatives_pick_the_best() -> None:
    grade = grade_typed("CMC", "The Central Military Commission", ["CMC", "Quân ủy Trung ương"])
    assert (grade.verdict, grade.expected) == (EXACT, "CMC")
    grade = grade_typed(
        "quan uy trung uong", "The Central Military Commission", ["CMC", "Quân ủy Trung ương"]
    )
    assert (grade.verdict, grade.expected) == (EXACT, "Quân ủy Trung ương")
    grade = grade_typed(
        "Quan uy Trung uon", "The Central Military Commission", ["Quân ủy Trung ương"]
    )
    assert (grade.verdict, grade.expected) == (CLOSE, "Quân ủy Trung ương")
    grade = grade_typed("31/12/2013", "31 December 2013", ["2013-12-31"])
    assert (grade.verdict, grade.expected) == (EXACT, "31 December 2013")  # ties keep the first
    grade = grade_typed("Politburo", "The Central Military Commission", ["CMC"])
    assert grade.verdict is WRONG


def test_wrong_grade_is_against_the_closest_answer() -> None:
    grade = grade_typed("Quan doi", "The Central Military Commission", ["Quân ủy"])
    assert grade.expected == "Quân ủy"


@pytest.mark.parametrize(
    ("given", "expected", "diff"),
    [
        ("Hanoi", "Hanoi", (Segment("Hanoi", "equal"),)),
        (
            "hanoi",
            "Hà Nội",
            (Segment("Hà", "equal"), Segment(" ", "missing"), Segment("Nội", "equal")),
        ),
        ("nguyen chi vinh", "Nguyễn Chí Vịnh", (Segment("Nguyễn Chí Vịnh", "equal"),)),
        (
            "Nguyen Chi Vin",
            "Nguyễn Chí Vịnh",
            (Segment("Nguyễn Chí Vịn", "equal"), Segment("h", "missing")),
        ),
        (
            "Hanoy",
            "Hanoi",
            (Segment("Hano", "equal"), Segment("y", "extra"), Segment("i", "missing")),
        ),
        (
            "807-NQ/QUTW",
            "806-NQ/QUTW",
            (
                Segment("80", "equal"),
                Segment("7", "extra"),
                Segment("6", "missing"),
                Segment("-NQ/QUTW", "equal"),
            ),
        ),
        ("806/NQ-QUTW", "806-NQ/QUTW", (Segment("806-NQ/QUTW", "equal"),)),
        ("", "Hanoi", (Segment("Hanoi", "missing"),)),
        (
            "Politburo",
            "The Central Military Commission",  # unlike answers: diffed by word
            (Segment("Politburo", "extra"), Segment("The Central Military Commission", "missing")),
        ),
        (
            "the central commission",
            "The Central Military Commission",
            (
                Segment("The Central ", "equal"),
                Segment("Military ", "missing"),
                Segment("Commission", "equal"),
            ),
        ),
    ],
)
def test_diff(given: str, expected: str, diff: tuple[Segment, ...]) -> None:
    assert grade_typed(given, expected).diff == diff


@pytest.mark.parametrize(
    ("verdict", "seconds", "rating"),
    [
        (EXACT, 2.0, 4),
        (EXACT, 6.0, 4),
        (EXACT, 6.1, 3),
        (EXACT, 60.0, 3),
        (CLOSE, 1.0, 2),
        (CLOSE, 30.0, 2),
        (WRONG, 1.0, 1),
        (WRONG, 30.0, 1),
    ],
)
def test_rating_for(verdict: Verdict, seconds: float, rating: int) -> None:
    assert rating_for(Grade(verdict, "x", 1.0, ()), seconds) == rating


def test_rating_for_custom_fast_seconds() -> None:
    grade = Grade(EXACT, "x", 1.0, ())
    assert rating_for(grade, 9.0, fast_seconds=10.0) == 4
    assert rating_for(grade, 3.0, fast_seconds=2.0) == 3


def test_grading_is_fast() -> None:
    cases = [(g, e) for g, e, _ in DOCUMENTS + DATES + NUMBERS + TEXTS]
    start = time.perf_counter()
    for _ in range(5):
        for given, expected in cases:
            grade_typed(given + " ", expected)
    per_grade = (time.perf_counter() - start) / (5 * len(cases))
    assert per_grade < 0.001
