"""Mock exams in the progress database: each finished exam and its answers.

The tables (``exam``, ``exam_answer``) are made by the store's migrations; this module
reads and writes them. It is apart from ``store`` because nothing here is needed to study
cards (and the app's start does not import it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from study.core.progress.store import Store, from_ms, to_ms


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
