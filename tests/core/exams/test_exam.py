"""Mock exams: question generation for every kind, marking, blueprint and seeds."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from study.core.decks.model import CardType, Item
from study.core.exams.maker import QuestionMaker
from study.core.exams.marking import check_response, mark
from study.core.exams.questions import Question, QuestionKind
from study.core.exams.spec import ExamError, ExamSpec, build_exam
from study.core.grading.answers import Verdict, grade_typed
from study.core.grading.folding import normalise
from study.core.grading.kind import Kind, answer_kind
from study.core.grading.listing import grade_list
from study.core.service import Service
from tests.conftest import MovableClock, make_service

DOCS = """
title: Documents
id: docs
tags: [documents]
sources:
  - {id: vinh, title: Resolution 806 and its five focuses, author: Nguyen Chi Vinh, date: "2014"}
cards:
  - {id: r806-no, type: typed, front: Number of the CMC resolution on defence diplomacy (2013)?, \
back: 806-NQ/QUTW,
     tags: [numbers], source: {id: vinh, at: opening}, explain: It covers integration to 2020.}
  - {id: r34-no, type: typed, front: Number of the Politburo resolution of 9 January 2023?, \
back: 34-NQ/TW, tags: [numbers]}
  - {id: r59-no, type: typed, front: Number of the Politburo resolution on integration (2019)?, \
back: 59-NQ/TW, tags: [numbers]}
  - {id: k53-no, type: typed, front: Number of the conclusion of 28 April 2023?, back: 53-KL/TW, \
tags: [numbers]}
  - {id: k57-no, type: typed, front: Number of the conclusion of 15 June 2023?, back: 57-KL/TW, \
tags: [numbers]}
  - {id: d25-no, type: typed, front: Number of the directive on multilateral diplomacy?, \
back: 25-CT/TW, tags: [numbers]}
  - {id: r806-date, type: typed, front: Date of Resolution 806-NQ/QUTW?, back: 31 December 2013, \
accept: [31/12/2013],
     tags: [dates], source: vinh}
  - {id: r34-date, type: typed, front: Date of Resolution 34-NQ/TW?, back: 9 January 2023, \
tags: [dates]}
  - {id: r59-date, type: typed, front: Date of Resolution 59-NQ/TW?, back: 24 January 2019, \
tags: [dates]}
  - {id: k53-date, type: typed, front: Date of Conclusion 53-KL/TW?, back: 28 April 2023, \
tags: [dates]}
  - {id: k57-date, type: typed, front: Date of Conclusion 57-KL/TW?, back: 15 June 2023, \
tags: [dates]}
  - {id: d25-date, type: typed, front: Date of Directive 25-CT/TW?, back: 8 August 2018, \
tags: [dates]}
  - {id: r806-body, type: choice, front: Which body issued Resolution 806-NQ/QUTW?, \
answer: The Central Military Commission,
     distractors: [The Politburo, The National Assembly, The Secretariat]}
  - {id: focuses, type: list, front: The five focuses, items: [research and advice, \
wider cooperation,
     coordination, stronger agencies, defence industry]}
  - {id: timeline, type: order, front: Put the documents in order, items: [Directive 25 (2018), \
Resolution 59 (2019),
     Resolution 34 (2023), Conclusion 57 (2023)]}
"""

PEOPLE = """
title: People and years
id: people
tags: [people]
cards:
  - {id: vinh, front: Who wrote the article on the five focuses?, back: Nguyen Chi Vinh, \
reverse: true}
  - {id: lan, front: Who wrote the 2013 Communist Review article?, back: Hoang Ky Lan}
  - {id: chien, front: Who wrote the 2023-2024 article on defence diplomacy?, \
back: Hoang Xuan Chien}
  - {id: giang, front: Who was Minister of National Defence in 2024?, back: Phan Van Giang}
  - {id: y-notify, type: typed, \
front: Year Viet Nam told the UN it was preparing for peacekeeping?, back: "2005", tags: [years]}
  - {id: y-decide, type: typed, front: Year of the decision to join UN peacekeeping?, \
back: "2013", tags: [years]}
  - {id: y-first, type: typed, front: Year of the first peacekeeping deployment?, back: "2014", \
tags: [years]}
  - {id: motto, text: "Viet Nam wants {{c1::more friends}}, {{c2::fewer enemies}}."}
"""


@pytest.fixture
def svc(tmp_path: Path, clock: MovableClock) -> Service:
    return make_service(tmp_path, {"docs.yaml": DOCS, "people.yaml": PEOPLE}, clock)


def maker(svc: Service, seed: int = 1) -> QuestionMaker:
    return QuestionMaker(svc.items.values(), {d.id: d for d in svc.decks}, random.Random(seed))


def single(svc: Service) -> list[Item]:
    return [i for i in svc.items.values() if i.card.type not in (CardType.LIST, CardType.ORDER)]


def exam(svc: Service, **spec: object) -> tuple[Question, ...]:
    built = build_exam(
        ExamSpec(**spec),
        list(svc.items.values()),
        svc.items.values(),  # type: ignore[arg-type]
        {d.id: d for d in svc.decks},
    )
    return built.questions


# --- distractors ---------------------------------------------------------------


def test_choice_distractors_are_never_right_never_repeated_and_of_the_same_kind(
    svc: Service,
) -> None:
    seen_kinds = set()
    for seed in range(5):
        make = maker(svc, seed)
        for item in single(svc):
            question = make.make(QuestionKind.CHOICE, item)
            if question is None:
                continue
            right = question.options[question.solution[0]]
            assert right == item.answer
            wrong = [o for i, o in enumerate(question.options) if i != question.solution[0]]
            assert len(wrong) >= 2
            assert len({normalise(o) for o in question.options}) == len(question.options)
            for option in wrong:
                assert grade_typed(option, item.answer, item.card.accept).verdict is Verdict.WRONG
                if not item.card.distractors:
                    assert answer_kind(option) is answer_kind(item.answer)
            seen_kinds.add(answer_kind(item.answer))
    assert {Kind.DOCUMENT, Kind.DATE, Kind.YEAR, Kind.TEXT} <= seen_kinds


def test_a_date_in_another_format_is_not_a_distractor(tmp_path: Path, clock: MovableClock) -> None:
    deck = DOCS.replace("back: 9 January 2023,", "back: 31/12/2013,")  # the same date as r806-date
    svc = make_service(tmp_path, {"docs.yaml": deck}, clock)
    item = svc.items["docs/r806-date"]
    for seed in range(10):
        question = maker(svc, seed).make(QuestionKind.CHOICE, item)
        assert question is not None
        assert not any(normalise(o) == normalise("31/12/2013") for o in question.options)


def test_a_choice_card_uses_its_own_distractors(svc: Service) -> None:
    question = maker(svc).make(QuestionKind.CHOICE, svc.items["docs/r806-body"])
    assert question is not None
    assert set(question.options) == {
        "The Central Military Commission",
        "The Politburo",
        "The National Assembly",
        "The Secretariat",
    }


def test_years_get_nearby_years_when_few_years_exist(tmp_path: Path, clock: MovableClock) -> None:
    svc = make_service(tmp_path, {"people.yaml": PEOPLE}, clock)
    question = maker(svc).make(QuestionKind.CHOICE, svc.items["people/y-first"])
    assert question is not None and len(question.options) == 4
    assert all(answer_kind(o) is Kind.YEAR for o in question.options)
    assert len(set(question.options)) == 4


# --- the other kinds -------------------------------------------------------------


def test_true_false_is_either_the_fact_or_a_swapped_answer_of_the_same_kind(svc: Service) -> None:
    item = svc.items["docs/r806-date"]
    truths = set()
    for seed in range(20):
        q = maker(svc, seed).make(QuestionKind.TRUE_FALSE, item)
        assert q is not None
        truths.add(q.solution[0])
        assert q.statement in q.prompt
        if q.solution == (1,):
            assert q.statement == item.answer
        else:
            assert answer_kind(q.statement) is Kind.DATE
            assert grade_typed(q.statement, item.answer, item.card.accept).verdict is Verdict.WRONG
        assert mark(q, True) == float(q.solution == (1,))
        assert mark(q, False) == float(q.solution == (0,))
    assert truths == {0, 1}


def test_true_false_on_a_cloze_fills_the_blank(svc: Service) -> None:
    q = maker(svc, 3).make(QuestionKind.TRUE_FALSE, svc.items["people/motto#c1"])
    assert q is not None
    assert (
        q.prompt.startswith("Viet Nam wants ")
        and "fewer enemies" in q.prompt
        and "[" not in q.prompt
    )


def test_list_questions_earn_partial_credit(svc: Service) -> None:
    q = maker(svc).make(QuestionKind.LIST, svc.items["docs/focuses"])
    assert q is not None and "(5 items)" in q.prompt
    assert mark(q, ("research and advice", "wider cooperation")) == pytest.approx(0.4)
    assert mark(q, ("research and advice", "wider cooperation", "nonsense")) == pytest.approx(
        grade_list(["research and advice", "wider cooperation", "nonsense"], q.answers, False).share
    )
    assert mark(q, tuple(q.answers)) == 1.0
    assert mark(q, None) == 0.0


def test_order_questions_are_shuffled_and_credit_relative_order(svc: Service) -> None:
    item = svc.items["docs/timeline"]
    for seed in range(5):
        q = maker(svc, seed).make(QuestionKind.ORDER, item)
        assert q is not None
        assert q.options != item.card.items and sorted(q.options) == sorted(item.card.items)
        assert [q.options[i] for i in q.solution] == list(item.card.items)
        assert mark(q, q.solution) == 1.0
        one_moved = (q.solution[1], q.solution[0], *q.solution[2:])
        assert mark(q, one_moved) == pytest.approx(0.75)


def test_matching_pairs_items_of_one_kind_of_answer(svc: Service) -> None:
    make = maker(svc, 2)
    item = svc.items["docs/r806-date"]
    partners = make.partners(item, list(svc.items.values()))
    assert len(partners) == 3
    q = make.make(QuestionKind.MATCH, item, partners)
    assert q is not None and "date" in q.prompt
    assert all(answer_kind(a) is Kind.DATE for a in q.options)
    assert len({normalise(a) for a in q.options}) == 4
    assert [q.options[s] for s in q.solution] == list(q.answers)
    assert mark(q, q.solution) == 1.0
    half = (q.solution[0], q.solution[1], None, None)
    assert mark(q, half) == 0.5


def test_typed_marks_exact_close_and_wrong(svc: Service) -> None:
    q = maker(svc).make(QuestionKind.TYPED, svc.items["docs/r806-date"])
    assert q is not None
    assert mark(q, "31 December 2013") == 1.0
    assert mark(q, "31/12/2013") == 1.0
    assert mark(q, "30 December 2013") == 0.0
    lan = maker(svc).make(QuestionKind.TYPED, svc.items["people/lan"])
    assert lan is not None
    assert mark(lan, "Hoang Ky Lann") == 0.75


def test_long_free_text_answers_are_not_asked_as_typed(tmp_path: Path, clock: MovableClock) -> None:
    deck = PEOPLE.replace(
        "back: Hoang Ky Lan}", "back: A colonel who was deputy director of the strategy institute}"
    )
    svc = make_service(tmp_path, {"people.yaml": deck}, clock)
    assert QuestionKind.TYPED not in maker(svc).possible(svc.items["people/lan"])
    assert QuestionKind.TYPED in maker(svc).possible(svc.items["people/giang"])


def test_responses_that_do_not_fit_are_refused(svc: Service) -> None:
    q = maker(svc).make(QuestionKind.CHOICE, svc.items["docs/r806-body"])
    assert q is not None
    with pytest.raises(ExamError):
        check_response(q, 7)
    with pytest.raises(ExamError):
        check_response(q, "The Politburo")
    order = maker(svc).make(QuestionKind.ORDER, svc.items["docs/timeline"])
    assert order is not None
    with pytest.raises(ExamError):
        check_response(order, (0, 0, 1, 2))
    assert check_response(order, (3, 2, 1, 0)) == (3, 2, 1, 0)


# --- the exam as a whole -----------------------------------------------------------


def test_the_same_seed_gives_the_same_exam(svc: Service) -> None:
    first = exam(svc, seed=7, questions=10)
    assert first == exam(svc, seed=7, questions=10)
    assert first != exam(svc, seed=8, questions=10)
    assert len(first) == 10


def test_one_question_per_note_and_only_the_chosen_kinds(svc: Service) -> None:
    for seed in range(5):
        questions = exam(svc, seed=seed, questions=30)
        notes = [key.split("#")[0] for q in questions for key in q.items]
        assert len(notes) == len(set(notes))
    questions = exam(svc, seed=1, questions=30, kinds=(QuestionKind.CHOICE, QuestionKind.LIST))
    assert {q.kind for q in questions} == {QuestionKind.CHOICE, QuestionKind.LIST}


def test_every_kind_appears_in_a_large_exam(svc: Service) -> None:
    kinds = {q.kind for seed in range(3) for q in exam(svc, seed=seed, questions=15)}
    assert kinds == set(QuestionKind)


def test_a_blueprint_shares_the_questions_among_topics(svc: Service) -> None:
    questions = exam(
        svc,
        seed=3,
        questions=10,
        kinds=(QuestionKind.TYPED,),
        blueprint=(("dates", 0.6), ("people", 0.4)),
    )
    dates = sum("dates" in q.tags for q in questions)
    people = sum("people" in q.decks for q in questions)
    assert (dates, people) == (6, 4)


def test_a_blueprint_topic_must_exist(svc: Service) -> None:
    with pytest.raises(ExamError, match="nothing"):
        exam(svc, seed=1, blueprint=(("nothing", 0.5),))


def test_no_question_can_be_made(svc: Service) -> None:
    with pytest.raises(ExamError, match="no order question"):
        build_exam(
            ExamSpec(kinds=(QuestionKind.ORDER,), seed=1),
            [svc.items["people/lan"]],
            svc.items.values(),
            {},
        )


def test_questions_carry_their_source_and_note(svc: Service) -> None:
    q = maker(svc).make(QuestionKind.TYPED, svc.items["docs/r806-no"])
    assert q is not None
    assert q.sources == ("“Resolution 806 and its five focuses”, Nguyen Chi Vinh, 2014 — opening",)
    assert q.explain == "It covers integration to 2020."
    assert Question.from_dict(q.to_dict()) == q


def test_matching_never_leaves_the_exam_short_of_questions(svc: Service) -> None:
    notes = len({i.note_key for i in svc.items.values()})
    for seed in range(6):
        questions = exam(svc, seed=seed, questions=notes)
        assert len(questions) == notes
        assert all(q.kind is not QuestionKind.MATCH for q in questions)
    assert any(q.kind is QuestionKind.MATCH for q in exam(svc, seed=0, questions=notes - 6))


def test_what_a_question_asks_for() -> None:
    from study.core.review.choices import cue

    assert cue("Who signed the 2018 strategy?") == "who"
    assert cue("Which country hosted ADMM-7?") == "where"
    assert cue("To which years does the period belong?") == "when"
    assert cue("How many ministers attended?") == "how many"
    assert cue("What kind of community will it build?") == ""


@pytest.mark.parametrize(
    ("answer", "asks", "other", "other_asks", "fits"),
    [
        ("1930-1975", "when", "Singapore", "where", False),  # a place for years
        ("1930-1975", "", "1975-2025", "", True),
        ("A sharing and connected community.", "", "Prime Minister Nguyen Tan Dung", "who", False),
        ("A sharing and connected community.", "", "The Moscow Security Conference", "", False),
        ("A sharing and connected community.", "", "A programme of defence exchanges.", "", True),
        ("Logistic support.", "", "The fourth.", "", False),  # an ordinal only for an ordinal
        ("3 years and 5 years", "", "194 out of 200", "", False),
        ("A conclusion", "", "A resolution", "", True),
        ("Hotlines", "", "Dialogue between the navies of the member countries, yearly", "", False),
    ],
)
def test_distractors_have_the_answers_shape(
    answer: str, asks: str, other: str, other_asks: str, fits: bool
) -> None:
    from study.core.review.choices import same_shape

    assert same_shape(answer, asks, other, other_asks) is fits


SHAPES = """\
title: Shapes
id: shapes
cards:
  - {id: where, front: Which country hosted the meeting?, back: Singapore}
  - {id: who, front: Who opened the meeting?, back: Prime Minister Nguyen Tan Dung}
  - id: kind
    front: What kind of community will the cooperation build?
    back: A sharing and connected community
  - {id: k2, front: What kind of programme was agreed?, back: A programme of defence exchanges}
  - id: k3
    front: What kind of support framework was set up?
    back: A framework of logistic support
  - {id: k4, front: What kind of relations are sought?, back: A network of practical relations}
  - {id: cl, text: "The meeting agreed on {{c1::a network of hotlines}} between navies."}
"""


def test_a_choice_question_draws_only_answers_of_its_shape(
    tmp_path: Path, clock: MovableClock
) -> None:
    svc = make_service(tmp_path, {"shapes.yaml": SHAPES}, clock)
    kind = svc.items["shapes/kind"]
    for seed in range(5):
        question = maker(svc, seed).make(QuestionKind.CHOICE, kind)
        assert question is not None
        wrong = set(question.options) - {kind.answer}
        assert wrong <= {
            "A programme of defence exchanges",
            "A framework of logistic support",
            "A network of practical relations",
        }  # no place, no person, no cloze fragment


@pytest.mark.parametrize(
    ("score", "shown"), [(2.967, "3"), (2.5, "2.5"), (2.25, "2.3"), (8.0, "8"), (0.0, "0")]
)
def test_scores_show_one_decimal_at_most(score: float, shown: str) -> None:
    from study.core.words import plural, points

    assert points(score) == shown
    assert (plural(1, "question"), plural(2, "minute")) == ("1 question", "2 minutes")
