"""Sitting an exam: answering, skipping, flagging, the countdown, results, history, retakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from study.core.clock import Clock
from study.core.exams.questions import Question, QuestionKind
from study.core.exams.sitting import ExamSession
from study.core.exams.spec import Exam, ExamError, ExamSpec
from study.core.service import Service
from tests.conftest import MovableClock, make_service

DECK = """
title: Documents
id: docs
tags: [documents]
sources:
  - {id: vinh, title: Resolution 806 and its five focuses, author: Nguyen Chi Vinh}
cards:
  - {id: r806-date, type: typed, front: Date of Resolution 806-NQ/QUTW?, back: 31 December 2013,
     tags: [dates], source: {id: vinh, at: opening}, explain: The CMC issued it.}
  - {id: r34-date, type: typed, front: Date of Resolution 34-NQ/TW?, back: 9 January 2023, \
tags: [dates]}
  - {id: r59-date, type: typed, front: Date of Resolution 59-NQ/TW?, back: 24 January 2019, \
tags: [dates]}
  - {id: k57-no, type: typed, front: Number of the conclusion of 15 June 2023?, back: 57-KL/TW, \
tags: [numbers]}
  - {id: body, type: choice, front: Which body issued Resolution 806-NQ/QUTW?, \
answer: The Central Military Commission,
     distractors: [The Politburo, The National Assembly, The Secretariat], tags: [bodies]}
  - {id: focuses, type: list, front: The three focuses, items: [research, cooperation, industry], \
tags: [focuses]}
"""


def typed(prompt: str, answer: str, deck: str = "docs", tags: tuple[str, ...] = ()) -> Question:
    return Question(
        QuestionKind.TYPED,
        (f"{deck}/{prompt}",),
        prompt,
        answers=(answer,),
        decks=(deck,),
        tags=tags,
    )


def session(clock: MovableClock, questions: list[Question], **spec: object) -> ExamSession:
    return ExamSession(Exam(ExamSpec(**spec), tuple(questions)), Clock(clock))  # type: ignore[arg-type]


@pytest.fixture
def svc(tmp_path: Path, clock: MovableClock) -> Service:
    return make_service(tmp_path, {"docs.yaml": DECK}, clock)


def test_answers_skips_flags_and_time_per_question(clock: MovableClock) -> None:
    s = session(clock, [typed("a", "2013"), typed("b", "2014"), typed("c", "2015")])
    assert s.current.prompt == "a" and s.time_left() is None
    clock.advance(seconds=10)
    s.answer(0, "2013")
    s.next()
    clock.advance(seconds=5)
    s.flag()
    s.skip()
    clock.advance(seconds=20)
    s.answer(2, "1999")
    assert s.unanswered == [1] and s.skipped == [1] and s.flagged == {1}
    assert s.next_open() == 1
    s.goto(1)
    clock.advance(seconds=3)
    s.answer(1, "2014")
    result = s.submit()
    assert [m.score for m in result.marks] == [1.0, 1.0, 0.0]
    assert [m.seconds for m in result.marks] == [10.0, 8.0, 20.0]
    assert [m.flagged for m in result.marks] == [False, True, False]
    assert result.score == 2.0 and result.share == pytest.approx(2 / 3)
    assert [m.position for m in result.mistakes] == [2]
    assert result.mistakes[0].given == "1999"


def test_an_answer_can_be_changed_or_taken_back(clock: MovableClock) -> None:
    s = session(clock, [typed("a", "2013")])
    s.answer(0, "2000")
    s.answer(0, "2013")
    assert s.responses == ["2013"]
    s.clear(0)
    assert s.submit().marks[0].response is None


def test_time_up_submits_the_exam_and_unanswered_questions_earn_nothing(
    clock: MovableClock,
) -> None:
    s = session(clock, [typed("a", "2013"), typed("b", "2014")], minutes=1)
    s.answer(0, "2013")
    clock.advance(seconds=45)
    assert s.time_left().total_seconds() == 15  # type: ignore[union-attr]
    assert s.tick() is None
    clock.advance(seconds=30)
    assert s.time_left().total_seconds() == 0  # type: ignore[union-attr]
    assert s.answer(1, "2014") is None  # too late: not kept
    assert s.finished
    result = s.result
    assert result is not None and result.timed_out
    assert [m.score for m in result.marks] == [1.0, 0.0]
    assert result.marks[1].response is None
    assert result.finished - result.started == s.deadline - s.started  # type: ignore[operator]
    assert s.submit() is result


def test_instant_feedback_marks_at_once_and_locks_the_answer(clock: MovableClock) -> None:
    s = session(clock, [typed("a", "2013"), typed("b", "2014")], instant_feedback=True)
    marked = s.answer(0, "2012")
    assert marked is not None and marked.score == 0.0 and marked.question.expected == "2013"
    with pytest.raises(ExamError, match="already marked"):
        s.answer(0, "2013")
    assert session(clock, [typed("a", "2013")]).answer(0, "2013") is None


def test_goto_outside_the_exam_is_refused(clock: MovableClock) -> None:
    s = session(clock, [typed("a", "2013")])
    with pytest.raises(ExamError, match="no question 5"):
        s.goto(4)


def test_breakdown_by_deck_and_tag(clock: MovableClock) -> None:
    s = session(
        clock,
        [typed("a", "1", "d1", ("x", "y")), typed("b", "2", "d1", ("x",)), typed("c", "3", "d2")],
    )
    s.answer(0, "1")
    s.answer(2, "3")
    result = s.submit()
    assert [(t.name, t.questions, t.score) for t in result.breakdown("deck")] == [
        ("d1", 2, 1.0),
        ("d2", 1, 1.0),
    ]
    assert [(t.name, t.questions, t.score) for t in result.breakdown("tag")] == [
        ("x", 2, 1.0),
        ("y", 1, 1.0),
    ]


# --- through the service: history, retakes, reviews -----------------------------------


def sit_half_right(svc: Service, seed: int = 5) -> ExamSession:
    s = svc.build_exam(
        ExamSpec(seed=seed, questions=4, kinds=(QuestionKind.TYPED, QuestionKind.CHOICE))
    )
    for index, q in enumerate(s.questions):
        right = index % 2 == 0
        if q.kind is QuestionKind.CHOICE:
            s.answer(index, q.solution[0] if right else (q.solution[0] + 1) % len(q.options))
        else:
            s.answer(index, q.answers[0] if right else "no idea")
    return s


def test_results_are_kept_and_listed(svc: Service, clock: MovableClock) -> None:
    s = sit_half_right(svc)
    clock.advance(minutes=3)
    result = s.submit()
    assert result.exam_id == 1 and result.score == 2.0
    history = svc.exam_history()
    assert [(h.id, h.questions, h.score, h.title) for h in history] == [(1, 4, 2.0, "all decks")]
    again = svc.exam_result(1)
    assert again is not None
    assert again.exam.questions == result.exam.questions
    assert [m.response for m in again.marks] == [m.response for m in result.marks]
    assert [m.seconds for m in again.marks] == [m.seconds for m in result.marks]
    assert again.exam.spec == result.exam.spec
    assert svc.exam_result(2) is None


def test_retake_mistakes_asks_the_same_items_in_the_same_kinds(svc: Service) -> None:
    result = sit_half_right(svc).submit()
    missed = [(m.question.kind, m.question.items) for m in result.mistakes]
    assert len(missed) == 2
    retake = svc.retake_mistakes(result.exam_id, seed=99)
    assert [(q.kind, q.items) for q in retake.questions] == missed
    assert retake.exam.spec.retake_of == result.exam_id
    assert retake.exam.title == f"mistakes of exam {result.exam_id}"
    for index, q in enumerate(retake.questions):
        retake.answer(index, q.solution[0] if q.kind is QuestionKind.CHOICE else q.answers[0])
    done = retake.submit()
    assert done.score == 2.0
    with pytest.raises(ExamError, match="no mistakes"):
        svc.retake_mistakes(done.exam_id)
    with pytest.raises(ExamError, match="no exam 42"):
        svc.retake_mistakes(42)


def test_a_seed_is_chosen_and_kept_when_none_is_given(svc: Service) -> None:
    s = svc.build_exam(ExamSpec(questions=3))
    assert s.exam.spec.seed is not None
    assert svc.build_exam(ExamSpec(questions=3, seed=s.exam.spec.seed)).questions == s.questions


def test_exams_do_not_touch_the_schedule_by_default(svc: Service) -> None:
    sit_half_right(svc).submit()
    assert svc.store.reviews() == [] and svc.store.memories() == {}


def test_exams_count_as_reviews_when_chosen_first_answer_of_the_day_only(
    tmp_path: Path, clock: MovableClock
) -> None:
    svc = make_service(tmp_path, {"docs.yaml": DECK}, clock, exam_counts_as_review=True)
    first = sit_half_right(svc).submit()
    reviews = svc.store.reviews()
    assert len(reviews) == 4 and {r.mode for r in reviews} == {"exam"}
    ratings = {r.item: r.rating for r in reviews}
    for m in first.marks:
        assert ratings[m.question.items[0]] == (3 if m.right else 1)
        assert svc.store.memory(m.question.items[0]) is not None
    clock.advance(hours=2)
    sit_half_right(svc).submit()
    assert len(svc.store.reviews()) == 4  # the same study day: not counted again
    clock.advance(days=1)
    sit_half_right(svc).submit()
    assert len(svc.store.reviews()) == 8
