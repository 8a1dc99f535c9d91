"""Property tests for study.core.grading.answers (hypothesis, derandomized so runs are
repeatable)."""

from __future__ import annotations

import datetime as dt
import random
import string
import unicodedata
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from study.core.grading.answers import Grade, Verdict, grade_typed, rating_for
from study.core.grading.credit import grade_order, rating_for_share
from study.core.grading.folding import normalise
from study.core.grading.kind import Kind, answer_kind
from study.core.grading.listing import grade_list

SETTINGS = settings(
    derandomize=True, max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

VIETNAMESE = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
PUNCTUATION = " \t\n.,;:!?/-–—()[]'\"*"
ALPHABET = string.ascii_letters + string.digits + VIETNAMESE + VIETNAMESE.upper() + PUNCTUATION
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SAMPLES = [
    "806-NQ/QUTW",
    "53-KL/TW",
    "25-CT/TW",
    "130/2020/QH14",
    "31 December 2013",
    "December 2013",
    "2013",
    "1,000",
    "30%",
    "2.5",
    "Nguyễn Chí Vịnh",
    "Hoàng Xuân Chiến",
    "The Central Military Commission",
    "more friends, fewer enemies",
    "Hanoi",
    "Laos",
    "five",
]

any_text = st.text()
domain_text = st.text(alphabet=ALPHABET, max_size=40)
answers = st.one_of(st.sampled_from(SAMPLES), domain_text)


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@st.composite
def variants(draw: st.DrawFn, text: str) -> str:
    """The text with its case, diacritics, punctuation and spacing changed, never its letters."""
    out = strip_diacritics(text) if draw(st.booleans()) else text
    cases: list[Callable[[str], str]] = [str.upper, str.lower, str.swapcase, str.title, str.strip]
    out = draw(st.sampled_from(cases))(out)
    chars = [
        draw(st.sampled_from(PUNCTUATION)) + draw(st.sampled_from(["", " ", "  "]))
        if c in PUNCTUATION
        else c
        for c in out
    ]
    return (
        draw(st.sampled_from(["", " ", "  ", "\t", "("]))
        + "".join(chars)
        + draw(st.sampled_from(["", " ", ".", "!", "\n"]))
    )


@SETTINGS
@given(any_text, any_text, st.lists(any_text, max_size=3))
def test_never_raises_and_grades_are_well_formed(
    given_text: str, expected: str, accept: list[str]
) -> None:
    normalise(given_text)
    answer_kind(given_text)
    grade = grade_typed(given_text, expected, accept)
    assert grade.expected in [expected, *accept]
    assert 0.0 <= grade.score <= 1.0
    assert (grade.score == 1.0) == (grade.verdict is Verdict.EXACT)
    assert "".join(s.text for s in grade.diff if s.op != "extra") == grade.expected
    assert all(s.text for s in grade.diff)
    assert all(a.op != b.op for a, b in zip(grade.diff, grade.diff[1:], strict=False))
    assert 1 <= rating_for(grade, 3.0) <= 4


@SETTINGS
@given(any_text)
def test_normalise_is_idempotent_and_ignores_case(text: str) -> None:
    norm = normalise(text)
    assert normalise(norm) == norm
    assert normalise(text.upper()) == norm == normalise(text.lower())
    assert norm == norm.strip() and "  " not in norm


@SETTINGS
@given(st.one_of(any_text, answers))
def test_an_answer_is_exact_against_itself(text: str) -> None:
    if any(c.isalnum() for c in text):
        assert grade_typed(text, text).verdict is Verdict.EXACT


@SETTINGS
@given(answers, answers, st.data())
def test_case_diacritics_punctuation_and_spacing_never_change_the_verdict(
    given_text: str, expected: str, data: st.DataObject
) -> None:
    if not normalise(expected):  # an answer of punctuation only is compared as typed
        return
    variant = data.draw(variants(given_text))
    assert grade_typed(variant, expected).verdict is grade_typed(given_text, expected).verdict
    if any(c.isalnum() for c in expected):  # the answer against a variant of itself
        assert grade_typed(data.draw(variants(expected)), expected).verdict is Verdict.EXACT


@SETTINGS
@given(any_text, any_text)
def test_case_change_never_changes_the_verdict_on_any_text(given_text: str, expected: str) -> None:
    verdict = grade_typed(given_text, expected).verdict
    assert grade_typed(given_text.upper(), expected).verdict is verdict
    assert grade_typed(given_text.swapcase(), expected).verdict is verdict


@SETTINGS
@given(domain_text, answers)
def test_diff_keeps_the_given_letters(given_text: str, expected: str) -> None:
    grade = grade_typed(given_text, expected)
    shown = "".join(s.text for s in grade.diff if s.op != "missing")
    assert normalise(shown).replace(" ", "") == normalise(given_text).replace(" ", "")


def date_forms(d: dt.date) -> list[str]:
    month = MONTHS[d.month - 1]
    return [
        f"{d.day}/{d.month}/{d.year}",
        f"{d.day:02}-{d.month:02}-{d.year}",
        f"{d.day}.{d.month}.{d.year}",
        f"{d.day} {month} {d.year}",
        f"{month} {d.day}, {d.year}",
        f"{month[:3]} {d.day}, {d.year}",
        f"{d.year}-{d.month:02}-{d.day:02}",
        f"{d.day} {month[:3]} {d.year}",
        f"ngày {d.day} tháng {d.month} năm {d.year}",
    ]


dates = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2999, 12, 31))


@SETTINGS
@given(dates, dates, st.data())
def test_dates_in_every_form(first: dt.date, second: dt.date, data: st.DataObject) -> None:
    expected = data.draw(st.sampled_from(date_forms(first)))
    assert answer_kind(expected) is Kind.DATE
    for form in date_forms(first):
        assert grade_typed(form, expected).verdict is Verdict.EXACT, form
    for form in date_forms(second):
        assert grade_typed(form, expected).verdict is (
            Verdict.EXACT if first == second else Verdict.WRONG
        )
    month_year = f"{MONTHS[first.month - 1]} {first.year}"
    assert grade_typed(month_year, expected).verdict is Verdict.WRONG  # less precise
    assert grade_typed(f"{first.month}/{first.year}", month_year).verdict is Verdict.EXACT
    assert grade_typed(str(first.year), month_year).verdict is Verdict.WRONG


@SETTINGS
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=-1000, max_value=1000))
def test_numbers_by_value_and_never_close(n: int, delta: int) -> None:
    expected = f"{n:,}"
    forms = [str(n), f"{n:,}", f"{n:,}".replace(",", " "), f"{n:,}".replace(",", ".")]
    for form in forms:
        assert grade_typed(form, expected).verdict is Verdict.EXACT, form
    other = n + delta
    if other >= 0 and delta:
        for form in (str(other), f"{other:,}"):
            assert grade_typed(form, expected).verdict is Verdict.WRONG
    assert grade_typed(f"{n}%", f"{n}%").verdict is Verdict.EXACT
    assert grade_typed(f"{n} per cent", f"{n}%").verdict is Verdict.EXACT


codes = st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=5)


@SETTINGS
@given(
    st.integers(min_value=1, max_value=9999),
    codes,
    codes,
    st.integers(min_value=1, max_value=50),
    st.data(),
)
def test_document_numbers(
    number: int, kind: str, issuer: str, delta: int, data: st.DataObject
) -> None:
    expected = f"{number}-{kind}/{issuer}"
    assert answer_kind(expected) is Kind.DOCUMENT
    for form in (
        f"No. {number} {kind}/{issuer}",
        f"no {number}-{kind.lower()}/{issuer.lower()}",
        f"{number}/{kind}-{issuer}",
        f"{number} {kind} {issuer}",
    ):
        assert grade_typed(form, expected).verdict is Verdict.EXACT
    wrong = data.draw(
        st.sampled_from(
            [
                f"{number + delta}-{kind}/{issuer}",
                f"{number}{delta}-{kind}/{issuer}",
                f"{number}-{kind}/{issuer}X",
            ]
        )
    )
    assert grade_typed(wrong, expected).verdict is Verdict.WRONG


@SETTINGS
@given(answers, any_text)
def test_structured_answers_are_exact_or_wrong(expected: str, given_text: str) -> None:
    if answer_kind(expected) is not Kind.TEXT:
        assert grade_typed(given_text, expected).verdict is not Verdict.CLOSE
        for edit in (given_text + "1", expected + "1", expected[:-1], "9" + expected):
            assert grade_typed(edit, expected).verdict is not Verdict.CLOSE


@SETTINGS
@given(st.lists(any_text, max_size=6), st.lists(any_text, max_size=6), st.booleans())
def test_grade_list_is_well_formed(lines: list[str], items: list[str], ordered: bool) -> None:
    result = grade_list(lines, items, ordered)
    assert 0.0 <= result.share <= 1.0
    assert len(result.matched) == len(items)
    used = [i for i in result.matched if i is not None]
    assert all(0 <= i < len(lines) for i in used)  # a line holding several items serves several
    assert len(result.credits) == len(result.given) == len(result.hows) == len(items)
    assert all(0.0 <= c <= 1.0 for c in result.credits)
    assert all(
        (c > 0) == (m is not None) for c, m in zip(result.credits, result.matched, strict=False)
    )
    assert 1 <= rating_for_share(result.share) <= 3


@SETTINGS
@given(
    st.lists(
        st.one_of(
            st.sampled_from(SAMPLES), domain_text.filter(lambda t: any(c.isalnum() for c in t))
        ),
        max_size=6,
        unique_by=normalise,
    ),
    st.booleans(),
    st.randoms(use_true_random=False),
)
def test_grade_list_full_marks(items: list[str], ordered: bool, rnd: random.Random) -> None:
    assert grade_list(items, items, ordered).share == 1.0
    assert grade_list([i.upper() for i in items], items, ordered).matched == tuple(
        range(len(items))
    )
    shuffled = list(enumerate(items))
    rnd.shuffle(shuffled)
    result = grade_list([text for _, text in shuffled], items, ordered=False)
    if all(grade_typed(a, b).verdict is Verdict.WRONG for a in items for b in items if a != b):
        assert result.share == 1.0


@SETTINGS
@given(st.permutations(list(range(8))).flatmap(lambda p: st.tuples(st.just(p), st.integers(0, 8))))
def test_grade_order_permutations(case: tuple[list[int], int]) -> None:
    perm, cut = case
    n = len(perm)
    result = grade_order(perm, n)
    assert len(result.correct) == n
    assert 0.0 <= result.share <= 1.0
    assert (result.share == 1.0) == (perm == list(range(n))) == all(result.correct)
    assert (
        result.share >= sum(result.correct) / n
    )  # relative order credits at least the right places
    assert grade_order(list(range(n)), n).share == 1.0
    assert grade_order(perm[:cut], n).share <= 1.0


@SETTINGS
@given(st.lists(st.integers()), st.integers(min_value=-3, max_value=20))
def test_grade_order_never_raises(values: list[int], n: int) -> None:
    result = grade_order(values, n)
    assert 0.0 <= result.share <= 1.0
    assert len(result.correct) == max(n, 0)


@SETTINGS
@given(st.floats(allow_nan=True), st.floats(allow_nan=True))
def test_ratings_stay_in_range_and_monotone(a: float, b: float) -> None:
    assert rating_for_share(a) in (1, 2, 3)
    if a <= b:
        assert rating_for_share(a) <= rating_for_share(b)
    for verdict in Verdict:
        assert rating_for(Grade(verdict, "x", 0.5, ()), a) in (1, 2, 3, 4)


def test_huge_and_odd_inputs_are_graded() -> None:
    """Odd and huge answers get a verdict (their time is printed by ``benchmarks/grading.py``:
    the suite runs on shared machines, so it asserts no time)."""
    odd = [
        "",
        " ",
        "\x00\x01\x1b[31m",
        "🎉🇻🇳",
        "a" * 100_000,
        "1" * 100_000,
        "ab " * 30_000,
        "nine " * 20_000,
        "9" * 5_000 + " million",
        "%" * 1000,
        "\u0301" * 1000,
    ]
    for given_text in odd:
        for expected in ["806-NQ/QUTW", "31 December 2013", "1,000", "Hanoi", *odd[:4]]:
            assert grade_typed(given_text, expected).verdict in Verdict
            assert grade_typed(expected, given_text).verdict in Verdict
        assert 0.0 <= grade_list([given_text, given_text], ["Hanoi", given_text], True).share <= 1
