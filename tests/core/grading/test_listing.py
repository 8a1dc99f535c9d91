"""Typed lists matched item by item by content (study.core.grading.listing)."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from study.core.grading.listing import assign, grade_list

FIELDS_2013 = ["engineering", "army medical", "military observation"]
FIELDS_2005 = ["detecting and destroying bombs and mines", "army medical activities"]
FORMS = ["as individuals", "as units", "at the UN headquarters"]
FOUR_NOS = [
    "no military alliances",
    "no siding with one country against another",
    "no foreign bases or use of Vietnamese territory",
    "no use or threat of force",
]
POSTS = ["Secretary of the Central Military Commission", "General Secretary of the Party"]


@pytest.mark.parametrize(
    ("lines", "items", "share"),
    [
        (["engineering", "army medical", "military observation"], FIELDS_2013, 1.0),
        (["1. engineering", "2) army medical", "- military observation"], FIELDS_2013, 1.0),
        (["engineering, army medical and military observation"], FIELDS_2013, 1.0),  # one line
        (["engineering; army medical"], FIELDS_2013, 2 / 3),
        (["detecting and destroying mines and bombs", "army medical activities"], FIELDS_2005, 1.0),
        (["destroying mines and bombs"], FIELDS_2005, 1 / 2),  # 3 of its 4 words: one spare
        (["detect and destroy a bomb or mine", "medical activity of the army"], FIELDS_2005, 1.0),
        (["army medical"], FIELDS_2005, 1 / 3),  # most of its words: two of three
        (["medical"], FIELDS_2005, 0.0),  # not most
        (["as individuals and as units", "at the UN headquarters"], FORMS, 1.0),
        (["individuals", "headquarters"], FORMS, 1.5 / 3),  # "UN" is missing...
        (["Secretary of the CMC", "General Secretary of the Party"], POSTS, 1.0),  # an acronym
        (["no military alliance", "I forget the rest"], FOUR_NOS, 0.25),  # noise costs nothing
        (["not participating in military alliances"], FOUR_NOS, 0.25),  # "not" is "no"
        (["participating in military alliances"], FOUR_NOS, 2 / 3 / 4),  # "no" is content
    ],
)
def test_content_matching(lines: list[str], items: list[str], share: float) -> None:
    assert grade_list(lines, items, ordered=False).share == pytest.approx(share, abs=0.01)


def test_an_item_of_four_content_words_may_lack_one() -> None:
    items = ["closer strategic interest cohesion", "external resources for defence"]
    grade = grade_list(["strategic interest cohesion"], items, False)
    assert grade.credits[0] == 1.0
    assert "one may be left out" in grade.hows[0]
    # two of four: the spare word counts, so 2 of 3
    assert grade_list(["interest cohesion"], items, False).credits[0] == pytest.approx(2 / 3)
    # three words: none is spare
    assert grade_list(["strategic interest"], ["strategic interest cohesion"], False).share == (
        pytest.approx(2 / 3)
    )


def test_a_negation_is_never_the_spare_word() -> None:
    items = ["no foreign military bases here"]
    assert grade_list(["foreign military bases here"], items, False).share == pytest.approx(0.75)
    assert grade_list(["no foreign military bases"], items, False).share == 1.0


def test_a_head_word_shared_by_the_parts_before_it() -> None:
    items = ["strategic partners", "comprehensive partners", "traditional friends"]
    lines = ["strategic and comprehensive partners", "traditional friends"]
    grade = grade_list(lines, items, False)
    assert grade.share == 1.0
    assert grade.given[:2] == ("strategic partners", "comprehensive partners")
    strands = ["Party diplomacy", "State diplomacy", "people's diplomacy"]
    assert grade_list(["Party, State and people's diplomacy"], strands, False).share == 1.0


def test_and_gives_no_letter_of_an_acronym() -> None:
    items = ["Japan", "South Korea", "the USA", "China"]
    grade = grade_list(["Japan, the United States and China"], items, False)
    assert grade.matched[2] is None  # "United States and" does not spell "USA"
    assert grade.credits[3] == 1.0


def test_a_word_written_in_two_is_the_same_word() -> None:
    items = ["hotlines between navies", "Vietnam International Defence Exhibition"]
    assert grade_list(["hot lines between the navies"], items, False).credits[0] == 1.0
    grade = grade_list(["Viet Nam International Defence Exhibition"], items, False)
    assert grade.credits[1] == 1.0
    assert grade.extra == ()


def test_words_of_the_question_are_not_needed() -> None:
    prompt = "In which forms have personnel served in UN peacekeeping?"
    assert grade_list(["individuals", "headquarters"], FORMS, False, prompt=prompt).share == (
        pytest.approx(2 / 3)
    )


def test_accept_forms_give_other_wordings() -> None:
    accept = [(), ("military medicine",), ("military observers",)]
    lines = ["engineering", "military medicine", "military observers"]
    assert grade_list(lines, FIELDS_2013, False).share < 1.0
    grade = grade_list(lines, FIELDS_2013, False, accept)
    assert grade.share == 1.0
    assert grade.hows[1] == "as “military medicine”"


def test_one_to_one_assignment_beats_first_come() -> None:
    items = ["national interests", "national and ethnic interests"]
    lines = ["national and ethnic interests", "national interests"]
    grade = grade_list(lines, items, False)
    assert grade.matched == (1, 0)
    assert grade.share == 1.0


def test_an_item_split_over_two_lines_counts_once() -> None:
    lines = ["detecting and destroying", "bombs and mines", "army medical activities"]
    grade = grade_list(lines, FIELDS_2005, False)
    assert grade.share == 1.0
    assert grade.extra == ()
    assert grade.given[0] == "detecting and destroying bombs and mines"


def test_a_line_is_cut_only_where_it_helps() -> None:
    items = ["spirit of independence and self-reliance", "resilience"]
    grade = grade_list(["the spirit of independence, self-reliance and resilience"], items, False)
    assert grade.share == 1.0
    assert grade.given == ("the spirit of independence and self-reliance", "resilience")


def test_ordered_lists_credit_the_run_kept_in_order() -> None:
    lines = ["no military alliances", "no siding with one country against another"]
    lines += ["no use or threat of force"]  # the third left out: the fourth is still in order
    assert grade_list(lines, FOUR_NOS, True).share == pytest.approx(3 / 4)
    swapped = [FOUR_NOS[1], FOUR_NOS[0], FOUR_NOS[2], FOUR_NOS[3]]
    grade = grade_list(swapped, FOUR_NOS, True)
    assert grade.share == pytest.approx(3.5 / 4)
    assert "out of order" in " ".join(grade.hows)


def test_guessing_past_the_number_of_items_costs() -> None:
    lines = ["engineering", *[f"guess {n}" for n in range(5)]]
    grade = grade_list(lines, FIELDS_2013, False)
    assert len(grade.extra) == 5
    assert grade.share == pytest.approx(1 / (3 + 2))
    assert "count against" in grade.how


def test_near_misses_on_documents_earn_nothing() -> None:
    items = ["806-NQ/QUTW", "2662-NQ/QUTW"]
    assert grade_list(["807-NQ/QUTW", "2662-NQ/TW"], items, False).share == 0.0
    assert grade_list(["Resolution 806", "2662"], items, False).share == 1.0


def test_the_credit_line_says_how() -> None:
    grade = grade_list(["engineering", "army medical", "observation"], FIELDS_2013, False)
    assert grade.how == "2.5 of 3 items (2 in full, 1 in part) = 83%"
    assert grade.hows[2] == "1 of its 2 words"


def _best(credit: list[list[float]]) -> float:
    rows, cols = len(credit), len(credit[0]) if credit else 0
    best = 0.0
    for perm in itertools.permutations(range(max(rows, cols)), rows):
        best = max(best, sum(credit[i][j] for i, j in enumerate(perm) if j < cols))
    return best


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.integers(0, 5), st.integers(0, 5), st.randoms(use_true_random=False))
def test_assign_finds_the_best_total(rows: int, cols: int, rnd: random.Random) -> None:
    credit = [
        [rnd.choice([0.0, 0.5, 0.75, 1.0, rnd.random()]) for _ in range(cols)] for _ in range(rows)
    ]
    picks = assign(credit)
    assert len(picks) == rows
    used = [j for j in picks if j is not None]
    assert len(used) == len(set(used))
    total = sum(credit[i][j] for i, j in enumerate(picks) if j is not None)
    assert total == pytest.approx(_best(credit) if cols else 0.0)


def test_a_line_passed_over_would_have_earned_nothing() -> None:
    """The fast test (`_apart`) is exact: over every line of the grading corpora and every
    form of its card, a pair it passes over gets WRONG and no content credit."""
    from study.core.grading.answers import Verdict, _judge, _prepare, _words
    from study.core.grading.folding import normalise
    from study.core.grading.matching import _apart, _asked, _by_content
    from tests.grading.corpus import HOLDOUT, list_cases

    passed = 0
    for case in (*list_cases(), *list_cases(HOLDOUT)):
        prompt = _words(case.card.front)
        accept = case.card.item_accept
        forms = [
            f
            for j, item in enumerate(case.card.items)
            for f in (item, *(accept[j] if j < len(accept) else ()))
        ]
        for line in case.lines:
            for part in (line, *line.split(",")):
                gnorm = normalise(part)
                if not gnorm:
                    continue
                for form in forms:
                    answer = _prepare(form)
                    if _apart(part, gnorm, answer):
                        passed += 1
                        assert _judge(part, gnorm, answer, prompt)[0] is Verdict.WRONG
                        assert _by_content(part, form, _asked(prompt))[0] == 0.0
    assert passed > 1000
