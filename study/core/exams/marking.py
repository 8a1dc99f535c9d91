"""Marking an exam: where an exam is marked.

Per question, from 0 to 1: a typed answer earns 1 when exact, 0.75 when close (a small slip);
choice and true/false 1 or 0; a list the share of :func:`~study.core.grading.listing.grade_list`;
an order the share of :func:`~study.core.grading.credit.grade_order`; matching the share of
right pairs; no answer 0. ``ExamResult`` is a finished exam, marked, with its points per deck
or tag (``ScoreTally``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeAlias

from study.core.exams.questions import Question, QuestionKind
from study.core.exams.spec import Exam, ExamError, ExamSpec
from study.core.grading.answers import Verdict, grade_typed
from study.core.grading.credit import grade_order
from study.core.grading.listing import grade_list
from study.core.words import plural

Response: TypeAlias = str | int | bool | tuple[str, ...] | tuple[int, ...] | tuple[int | None, ...]
"""An answer: TYPED text; CHOICE the option's index; TRUE_FALSE a bool; LIST the lines typed;
ORDER the option indices in the order given; MATCH the option chosen for each left (or None)."""


CLOSE_CREDIT = 0.75
"""Credit for a typed answer with a small slip (the same as a close line in a list)."""


def check_response(question: Question, response: Response) -> Response:
    """The response in its normal form for the question's kind; ExamError when it does not fit."""
    kind = question.kind
    if kind is QuestionKind.TYPED and isinstance(response, str):
        return response
    if kind is QuestionKind.TRUE_FALSE and isinstance(response, bool):
        return response
    if kind is QuestionKind.CHOICE and isinstance(response, int) and not isinstance(response, bool):
        if 0 <= response < len(question.options):
            return response
        raise ExamError(f"choose an option from 1 to {len(question.options)}")
    if kind is QuestionKind.LIST:
        if isinstance(response, str):
            return tuple(response.splitlines())
        if isinstance(response, tuple) and all(isinstance(r, str) for r in response):
            return response
    n = len(question.options)
    if kind is QuestionKind.ORDER and isinstance(response, tuple):
        if (
            sorted(r for r in response if isinstance(r, int)) == list(range(n))
            and len(response) == n
        ):
            return response
        raise ExamError(f"give each of the {plural(n, 'item')} once, in order")
    if kind is QuestionKind.MATCH and isinstance(response, tuple):
        if len(response) == len(question.lefts) and all(
            r is None or (isinstance(r, int) and 0 <= r < n) for r in response
        ):
            return response
        raise ExamError(
            f"give an option (or none) for each of the {plural(len(question.lefts), 'question')}"
        )
    raise ExamError(f"that is not an answer to a {kind.value} question")


def mark(question: Question, response: Response | None) -> float:
    """The credit an answer earns, from 0 to 1 (0 when unanswered)."""
    if response is None:
        return 0.0
    kind = question.kind
    if kind is QuestionKind.TYPED:
        grade = grade_typed(
            str(response), question.answers[0], question.answers[1:], prompt=question.prompt
        )
        return {Verdict.EXACT: 1.0, Verdict.CLOSE: CLOSE_CREDIT}.get(grade.verdict, 0.0)
    if kind in (QuestionKind.CHOICE, QuestionKind.TRUE_FALSE):
        return float(not isinstance(response, tuple) and int(response) == question.solution[0])
    assert isinstance(response, tuple)
    if kind is QuestionKind.LIST:
        lines = [str(r) for r in response]
        return grade_list(
            lines, question.answers, question.ordered, question.accepts, question.prompt
        ).share
    if kind is QuestionKind.ORDER:
        position = {option: p for p, option in enumerate(question.solution)}
        return grade_order([position[int(str(r))] for r in response], len(question.options)).share
    right = sum(r == s for r, s in zip(response, question.solution, strict=False))
    return right / len(question.solution)


def pair_marks(question: Question, response: Response | None) -> list[bool]:
    """MATCH: whether each left got its right option (all False when unanswered)."""
    if not isinstance(response, tuple):
        return [False] * len(question.lefts)
    return [r == s for r, s in zip(response, question.solution, strict=False)]


def describe(question: Question, response: Response | None) -> str:
    """The answer given, as one line of text ('' when unanswered)."""
    if response is None:
        return ""
    kind = question.kind
    if kind is QuestionKind.TYPED:
        return str(response)
    if kind is QuestionKind.TRUE_FALSE:
        return "true" if response else "false"
    if kind is QuestionKind.CHOICE and isinstance(response, int):
        return question.options[response]
    assert isinstance(response, tuple)
    if kind is QuestionKind.LIST:
        return "; ".join(str(r).strip() for r in response if str(r).strip())
    if kind is QuestionKind.ORDER:
        return "; ".join(question.options[int(str(r))] for r in response)
    return "; ".join("—" if r is None else question.options[int(r)] for r in response)


@dataclass(frozen=True, slots=True)
class Marked:
    """One question of a finished exam: the answer given and what it earned."""

    position: int
    question: Question
    response: Response | None
    score: float
    seconds: float
    flagged: bool = False

    @property
    def answered(self) -> bool:
        """Whether an answer was given."""
        return self.response is not None

    @property
    def right(self) -> bool:
        """Full marks."""
        return self.score >= 0.999

    @property
    def given(self) -> str:
        """The answer given, as text."""
        return describe(self.question, self.response)


@dataclass(frozen=True, slots=True)
class ScoreTally:
    """Points per deck or tag."""

    name: str
    questions: int
    score: float

    @property
    def share(self) -> float:
        """Points over questions."""
        return self.score / self.questions if self.questions else 0.0


@dataclass(frozen=True, slots=True)
class ExamResult:
    """A finished exam, marked."""

    exam: Exam
    marks: tuple[Marked, ...]
    started: datetime
    finished: datetime
    timed_out: bool = False
    exam_id: int = 0
    """Its id in the store (0 until saved)."""

    @property
    def score(self) -> float:
        """Points, with partial credit."""
        return sum(m.score for m in self.marks)

    @property
    def total(self) -> int:
        """Questions asked."""
        return len(self.marks)

    @property
    def share(self) -> float:
        """Score over questions (0 to 1)."""
        return self.score / self.total if self.total else 0.0

    @property
    def mistakes(self) -> list[Marked]:
        """Questions without full marks (wrong, partly right or unanswered)."""
        return [m for m in self.marks if not m.right]

    def breakdown(self, by: str) -> list[ScoreTally]:
        """Points per deck (``by='deck'``) or per tag (``by='tag'``), most questions first."""
        totals: dict[str, list[float]] = {}
        for m in self.marks:
            for name in m.question.decks if by == "deck" else m.question.tags:
                entry = totals.setdefault(name, [0, 0.0])
                entry[0] += 1
                entry[1] += m.score
        tallies = [ScoreTally(name, int(n), s) for name, (n, s) in totals.items()]
        return sorted(tallies, key=lambda t: (-t.questions, t.name))

    def retake_spec(self, seed: int | None = None) -> ExamSpec:
        """An exam of this one's mistakes: the same items, the same kinds of question."""
        return replace(
            self.exam.spec,
            retake=tuple((m.question.kind, m.question.items) for m in self.mistakes),
            retake_of=self.exam_id or None,
            seed=seed,
            blueprint=(),
            questions=len(self.mistakes),
        )
