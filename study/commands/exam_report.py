"""The result of a mock exam as text: score, breakdown, time per question, every mistake."""

from __future__ import annotations

import json
from typing import TextIO

from study.commands._common import table
from study.commands._exam_sitting import duration
from study.core.exams.marking import ExamResult, Marked, pair_marks
from study.core.exams.questions import QuestionKind
from study.core.exams.record import result_to_dict
from study.core.words import plural, points


def print_result(result: ExamResult, as_json: bool, out: TextIO) -> None:
    """The result on ``out``: as text, or as the JSON of the exam record."""
    if as_json:
        print(json.dumps(result_to_dict(result), indent=2, ensure_ascii=False), file=out)
    else:
        print("\n".join(report(result)), file=out)


def report(result: ExamResult) -> list[str]:
    """The result as text: score, breakdown, time per question, every mistake."""
    spent = (result.finished - result.started).total_seconds()
    title = f"Exam {result.exam_id}" if result.exam_id else "Exam"
    lines = [
        "",
        f"{title}: {result.exam.title} · {plural(result.total, 'question')} · {duration(spent)}"
        + (" · time ran out" if result.timed_out else ""),
        f"Score: {points(result.score)} / {result.total} ({result.share:.0%})",
        "",
    ]
    for by, label in (("deck", "deck"), ("tag", "tag")):
        tallies = result.breakdown(by)
        if tallies:
            lines.append(
                table(
                    (label, "questions", "score", "%"),
                    [
                        (t.name, t.questions, points(t.score), f"{t.share:.0%}")
                        for t in tallies[:12]
                    ],
                )
            )
            lines.append("")
    lines.append(
        table(
            ("question", "kind", "score", "time", ""),
            [
                (
                    m.position + 1,
                    m.question.kind.value,
                    f"{m.score:.2g}",
                    duration(m.seconds),
                    ("flagged " if m.flagged else "") + ("" if m.answered else "unanswered"),
                )
                for m in result.marks
            ],
        )
    )
    mistakes = result.mistakes
    lines += ["", f"Mistakes: {len(mistakes)}" if mistakes else "No mistakes."]
    for m in mistakes:
        lines += ["", *_mistake(m)]
    if mistakes and result.exam_id:
        lines += ["", f"Retake them: study exam --retake {result.exam_id}"]
    return lines


def _mistake(m: Marked) -> list[str]:
    q = m.question
    prompt = q.prompt.replace("\n", " ")
    lines = [f"{m.position + 1}. [{q.kind.value}, {m.score:.0%}] {prompt}"]
    if q.kind is QuestionKind.MATCH:
        given = m.response if isinstance(m.response, tuple) else (None,) * len(q.lefts)
        for left, ok, choice, right in zip(
            q.lefts, pair_marks(q, m.response), given, q.answers, strict=False
        ):
            if not ok:
                picked = "—" if choice is None else q.options[int(choice)]
                lines.append(f"   {left}\n     given: {picked}\n     right: {right}")
    else:
        lines.append(f"   given: {m.given or '(no answer)'}")
        lines.append(f"   right: {q.expected}")
    lines += [f"   source: {source}" for source in q.sources]
    if q.explain:
        lines.append(f"   note: {q.explain}")
    return lines
