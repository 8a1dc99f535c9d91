"""Keeping exam results: saving them, reading them back, and (if chosen) counting them as reviews.

This module is the one writer of the ``exam`` and ``exam_answer`` tables (made by the
store's migrations), through the store's transaction: the rows (``ExamRow``,
``ExamAnswerRow``, ``save_exam``, ``exam_history``, ``exam_detail``) and the results made of
them (``save_result``, ``load_result``, ``record_reviews``).

A result is stored as one ``exam`` row and one ``exam_answer`` row per question, with the
question as asked and the answer as given (JSON), so a past exam reads the same after its
decks have changed.

When ``Config.exam_counts_as_review`` is on, each answered question also goes through the
scheduler as a review (mode ``exam``), unless its item already had a scheduled answer that
study day: only the first answer of the day counts. Full marks rate Good, at least 0.75 Hard,
less Again; each pair of a matching question rates its own item (Good or Again). Unanswered
questions are not recorded.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from study.core.clock import Clock
from study.core.config import Config
from study.core.exams.marking import ExamResult, Marked, Response, pair_marks
from study.core.exams.questions import Question, QuestionKind
from study.core.exams.spec import Exam, ExamSpec
from study.core.grading.credit import rating_for_share
from study.core.progress.store import Store, WriteError, from_ms, to_ms
from study.core.scheduling.scheduler import Rating, Scheduler


@dataclass(frozen=True, slots=True)
class ExamRow:
    """One stored mock exam (``id`` is 0 before it is saved)."""

    id: int
    started: datetime
    finished: datetime
    title: str
    spec: str
    questions: int
    score: float
    timed_out: bool = False


@dataclass(frozen=True, slots=True)
class ExamAnswerRow:
    """One question of a stored exam and the answer given (``question``/``response`` are JSON)."""

    position: int
    kind: str
    items: tuple[str, ...]
    question: str
    response: str | None
    score: float
    duration_ms: int
    flagged: bool = False


def _exam_row(r: sqlite3.Row | tuple[object, ...]) -> ExamRow:
    return ExamRow(
        int(str(r[0])),
        from_ms(int(str(r[1]))),  # type: ignore[arg-type]
        from_ms(int(str(r[2]))),  # type: ignore[arg-type]
        str(r[3]),
        str(r[4]),
        int(str(r[5])),
        float(str(r[6])),
        bool(r[7]),
    )


def save_exam(store: Store, exam: ExamRow, answers: Iterable[ExamAnswerRow]) -> int:
    """Store a finished exam and its answers in one transaction; returns its id."""
    with store.transaction() as db:
        cursor = db.execute(
            "INSERT INTO exam (started, finished, title, spec, questions, score, timed_out) "
            "VALUES (?,?,?,?,?,?,?)",
            (
                to_ms(exam.started),
                to_ms(exam.finished),
                exam.title,
                exam.spec,
                exam.questions,
                exam.score,
                int(exam.timed_out),
            ),
        )
        exam_id = int(cursor.lastrowid or 0)
        db.executemany(
            "INSERT INTO exam_answer VALUES (?,?,?,?,?,?,?,?,?)",
            (
                (
                    exam_id,
                    a.position,
                    a.kind,
                    " ".join(a.items),
                    a.question,
                    a.response,
                    a.score,
                    a.duration_ms,
                    int(a.flagged),
                )
                for a in answers
            ),
        )
        return exam_id


def exam_history(store: Store, limit: int | None = None) -> list[ExamRow]:
    """Past exams, newest first."""
    rows = store.db.execute(
        "SELECT id, started, finished, title, spec, questions, score, timed_out "
        "FROM exam ORDER BY finished DESC, id DESC LIMIT ?",
        (limit or -1,),
    )
    return [_exam_row(r) for r in rows]


def exam_detail(store: Store, exam_id: int) -> tuple[ExamRow, list[ExamAnswerRow]] | None:
    """One stored exam and its answers in question order (None if there is no such exam)."""
    row = store.db.execute(
        "SELECT id, started, finished, title, spec, questions, score, timed_out "
        "FROM exam WHERE id = ?",
        (exam_id,),
    ).fetchone()
    if row is None:
        return None
    answers = store.db.execute(
        "SELECT position, kind, items, question, response, score, duration_ms, "
        "flagged FROM exam_answer WHERE exam = ? ORDER BY position",
        (exam_id,),
    )
    return _exam_row(row), [
        ExamAnswerRow(r[0], r[1], tuple(r[2].split()), r[3], r[4], r[5], r[6], bool(r[7]))
        for r in answers
    ]


class ReviewsNotSaved(WriteError):
    """The exam was saved (``saved``: the result with its id) but not counted as reviews."""

    def __init__(self, saved: ExamResult, cause: WriteError) -> None:
        super().__init__(cause.problem, retry=cause.retry)
        self.saved = saved


def response_to_json(response: Response | None) -> str | None:
    """The stored form of an answer."""
    if response is None:
        return None
    return json.dumps(
        list(response) if isinstance(response, tuple) else response, ensure_ascii=False
    )


def response_from_json(kind: QuestionKind, text: str | None) -> Response | None:
    """The answer :func:`response_to_json` stored."""
    if text is None:
        return None
    value = json.loads(text)
    if kind is QuestionKind.TYPED:
        return str(value)
    if kind is QuestionKind.TRUE_FALSE:
        return bool(value)
    if kind is QuestionKind.CHOICE:
        return int(value)
    if kind is QuestionKind.LIST:
        return tuple(str(v) for v in value)
    if kind is QuestionKind.ORDER:
        return tuple(int(v) for v in value)
    return tuple(None if v is None else int(v) for v in value)


def save_result(store: Store, result: ExamResult) -> ExamResult:
    """Store a finished exam; returns it with its id."""
    exam = ExamRow(
        0,
        result.started,
        result.finished,
        result.exam.title,
        json.dumps(result.exam.spec.to_dict(), ensure_ascii=False),
        result.total,
        round(result.score, 4),
        result.timed_out,
    )
    answers = [
        ExamAnswerRow(
            m.position,
            m.question.kind.value,
            m.question.items,
            json.dumps(m.question.to_dict(), ensure_ascii=False),
            response_to_json(m.response),
            round(m.score, 4),
            round(m.seconds * 1000),
            m.flagged,
        )
        for m in result.marks
    ]
    return replace(result, exam_id=save_exam(store, exam, answers))


def load_result(store: Store, exam_id: int) -> ExamResult | None:
    """A stored exam, marked as it was (None if there is no such exam)."""
    found = exam_detail(store, exam_id)
    if found is None:
        return None
    row, answers = found
    questions = [Question.from_dict(json.loads(a.question)) for a in answers]
    marks = tuple(
        Marked(
            a.position,
            q,
            response_from_json(q.kind, a.response),
            a.score,
            a.duration_ms / 1000,
            a.flagged,
        )
        for a, q in zip(answers, questions, strict=False)
    )
    exam = Exam(ExamSpec.from_dict(json.loads(row.spec)), tuple(questions))
    return ExamResult(exam, marks, row.started, row.finished, row.timed_out, row.id)


def _ratings(m: Marked) -> list[tuple[str, Rating]]:
    """The rating each item of an answered question earns."""
    if not m.answered:
        return []
    if m.question.kind is QuestionKind.MATCH:
        return [
            (key, Rating.GOOD if ok else Rating.AGAIN)
            for key, ok in zip(m.question.items, pair_marks(m.question, m.response), strict=False)
        ]
    return [(key, Rating(rating_for_share(m.score))) for key in m.question.items]


def record_reviews(
    result: ExamResult, store: Store, scheduler: Scheduler, config: Config, clock: Clock
) -> int:
    """Count the exam's answers as reviews (first answer of the day only); returns how many."""
    now = clock.now()
    day_start, _ = clock.day_bounds(now, config.day_starts_at)
    done = store.studied_since(day_start)
    recorded = 0
    for m in result.marks:
        for key, rating in _ratings(m):
            if key in done:
                continue
            store.record_answer(
                key,
                now,
                rating,
                round(m.seconds * 1000),
                m.given,
                scheduler,
                config.leech_lapses,
                mode="exam",
            )
            done.add(key)
            recorded += 1
    return recorded


def keep_result(
    result: ExamResult, store: Store, scheduler: Scheduler, config: Config, clock: Clock
) -> ExamResult:
    """Keep a finished exam; count it as reviews if the settings say so (``record_reviews``).

    Raises WriteError when the disk refuses it (ReviewsNotSaved once the exam row is
    written); given the result again, it writes only what is missing: an exam that has
    its id is not stored twice, and an item already answered that day is not counted again.
    """
    saved = result if result.exam_id else save_result(store, result)
    if config.exam_counts_as_review:
        try:
            record_reviews(saved, store, scheduler, config, clock)
        except WriteError as exc:
            raise ReviewsNotSaved(saved, exc) from None
    return saved


def result_to_dict(result: ExamResult) -> dict[str, object]:
    """A JSON-ready form of a result, every question with the answer given and the right one."""

    def tallies(by: str) -> list[dict[str, object]]:
        return [
            {
                "name": t.name,
                "questions": t.questions,
                "score": round(t.score, 4),
                "share": round(t.share, 4),
            }
            for t in result.breakdown(by)
        ]

    return {
        "id": result.exam_id or None,
        "title": result.exam.title,
        "started": result.started.isoformat(),
        "finished": result.finished.isoformat(),
        "timed_out": result.timed_out,
        "questions": result.total,
        "score": round(result.score, 4),
        "share": round(result.share, 4),
        "spec": result.exam.spec.to_dict(),
        "by_deck": tallies("deck"),
        "by_tag": tallies("tag"),
        "answers": [
            {
                "position": m.position + 1,
                "kind": m.question.kind.value,
                "items": list(m.question.items),
                "prompt": m.question.prompt,
                "given": m.given if m.answered else None,
                "response": json.loads(response_to_json(m.response) or "null"),
                "expected": m.question.expected,
                "score": round(m.score, 4),
                "seconds": round(m.seconds, 1),
                "flagged": m.flagged,
                "sources": list(m.question.sources),
                "explain": m.question.explain,
            }
            for m in result.marks
        ],
    }
