"""True/false questions read as one whole claim with its answer, on every bundled card."""

from __future__ import annotations

import random

import pytest

from study.core.decks.loader import load_decks
from study.core.decks.model import CardType, Item, expand
from study.core.exams.claims import answer_text, claim, question_text
from study.core.exams.maker import QuestionMaker
from study.core.exams.questions import SINGLE, QuestionKind
from study.core.paths import bundled_decks


def test_a_question_and_an_answer_make_one_sentence() -> None:
    assert (
        claim("Which body issued Resolution 806-NQ/QUTW?", "the Central Military Commission")
        == "The answer to “Which body issued Resolution 806-NQ/QUTW?” is "
        "“the Central Military Commission”."
    )


def test_typing_hints_and_full_stops_are_left_out() -> None:
    assert question_text("Which resolution is dated 9 January 2023? (give its number)") == (
        "Which resolution is dated 9 January 2023?"
    )
    assert question_text("At which Dialogue (ordinal) did he speak?") == (
        "At which Dialogue did he speak?"
    )
    assert question_text("Which resolution?  (number) ") == "Which resolution?"
    assert question_text("Capital of\nVietnam:") == "Capital of Vietnam"
    assert question_text("Three colours (any order)") == "Three colours (any order)"
    assert answer_text("By maximising internal strength.") == "By maximising internal strength"
    assert answer_text("And so on...") == "And so on..."


def test_the_reverse_side_claims_the_question() -> None:
    assert claim("Hanoi", "Capital of Vietnam?", reverse=True) == (
        "“Hanoi” is the answer to “Capital of Vietnam?”."
    )


@pytest.fixture(scope="module")
def bundled_items() -> tuple[list[Item], QuestionMaker]:
    decks = load_decks([bundled_decks()]).decks
    items = [i for d in decks for c in d.cards for i in expand(c) if c.type in SINGLE]
    return items, QuestionMaker(items, {d.id: d for d in decks}, random.Random(17))


def test_every_bundled_true_false_question_is_a_claim_with_its_answer(
    bundled_items: tuple[list[Item], QuestionMaker],
) -> None:
    items, maker = bundled_items
    bad, seen = [], {0: 0, 1: 0}
    for item in items:
        for _ in range(2):  # true and false ones (the maker draws which)
            q = maker.make(QuestionKind.TRUE_FALSE, item)
            if q is None:
                continue
            seen[q.solution[0]] += 1
            text = q.prompt
            if item.card.type is CardType.CLOZE:
                ok = "[" not in text and answer_text(q.statement) in text
            else:
                ok = text == claim(item.prompt, q.statement, reverse=item.variant == "r")
                ok = ok and "\n" not in text and "Proposed answer" not in text
                ok = ok and f"“{answer_text(q.statement)}”" in text and text.endswith(".")
                ok = ok and not any(h in text for h in ("(give its number)", "(ordinal)"))
            if not ok:
                bad.append(f"{item.key}: {text}")
    assert not bad, "\n".join(bad[:20])
    assert seen[0] > 50 and seen[1] > 50, seen
