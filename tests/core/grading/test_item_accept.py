"""List items with accepted forms, ``{item: ..., accept: [...]}``: parsed, cached, carried into
exam questions and used by the grader."""

from __future__ import annotations

from pathlib import Path

from study.core.decks.cache import decode, encode
from study.core.decks.model import Card
from study.core.decks.parse import parse_deck
from study.core.exams.marking import mark
from study.core.exams.questions import Question, QuestionKind
from study.core.grading.grade import grade_item_list

DECK = """\
title: T
id: d
cards:
  - id: fields
    type: list
    front: In which fields?
    items:
      - engineering
      - {item: army medical, accept: [military medicine]}
      - item: military observation
        accept: [military observers, observers]
"""


def card() -> Card:
    deck, problems = parse_deck(DECK, Path("d.yaml"), "d.yaml")
    assert problems == []
    assert deck is not None
    return deck.cards[0]


def test_items_keep_their_text_and_their_forms() -> None:
    c = card()
    assert c.items == ("engineering", "army medical", "military observation")
    assert c.item_accept == ((), ("military medicine",), ("military observers", "observers"))


def test_a_list_without_forms_has_none() -> None:
    deck, _ = parse_deck(
        "title: T\ncards:\n  - {id: a, type: list, front: f, items: [x, y]}\n", Path("d.yaml"), "d"
    )
    assert deck is not None and deck.cards[0].item_accept == ()


def test_the_cache_keeps_the_forms() -> None:
    deck, problems = parse_deck(DECK, Path("d.yaml"), "d.yaml")
    again, _ = decode(encode(deck, problems), Path("d.yaml"), "d.yaml", "")
    assert again is not None and again.cards[0] == card()


def test_the_grader_takes_the_forms() -> None:
    grade = grade_item_list(card(), ["engineering", "military medicine", "observers"])
    assert grade.share == 1.0


def test_exam_questions_carry_the_forms() -> None:
    c = card()
    q = Question(
        QuestionKind.LIST,
        ("d/fields",),
        c.front,
        answers=c.items,
        accepts=c.item_accept,
    )
    assert Question.from_dict(q.to_dict()) == q
    assert mark(q, ("engineering", "military medicine", "observers")) == 1.0
    assert mark(Question.from_dict({**q.to_dict(), "accepts": None}), ("observers",)) < 1.0
