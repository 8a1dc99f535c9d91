"""Sitting a mock exam: a state machine that a screen or a prompt loop drives.

The session holds the current question, the answers given, the flags and the time spent on
each question. The clock is injected; every call first looks at it, and once the time limit
has passed the exam is submitted as it stands (unanswered questions earn 0) and further
answers are refused. ``on_submit`` (given by the service) saves the result and returns it
with its id. When the disk refuses it (full, read-only, the folder gone) the result is kept
here all the same, unsaved, with the reason in ``save_error``: ``save`` tries again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from study.core.clock import Clock
from study.core.exams.marking import ExamResult, Marked, Response, check_response, mark
from study.core.exams.questions import Question
from study.core.exams.record import ReviewsNotSaved
from study.core.exams.spec import Exam, ExamError
from study.core.progress.store import WriteError


class ExamSession:
    """One sitting of an exam."""

    def __init__(
        self, exam: Exam, clock: Clock, on_submit: Callable[[ExamResult], ExamResult] | None = None
    ) -> None:
        self.exam = exam
        self.clock = clock
        self.on_submit = on_submit
        self.started = clock.now()
        minutes = exam.spec.minutes
        self.deadline: datetime | None = (
            self.started + timedelta(minutes=minutes) if minutes else None
        )
        self.responses: list[Response | None] = [None] * len(exam.questions)
        self.flagged: set[int] = set()
        self.seconds: list[float] = [0.0] * len(exam.questions)
        self.visited: set[int] = {0}
        self.index = 0
        self._shown = self.started
        self.result: ExamResult | None = None
        self.save_error: WriteError | None = None
        """Why the result handed in is not (yet) saved; None once saved, or before the end."""

    # --- where we are --------------------------------------------------------

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, in order."""
        return self.exam.questions

    @property
    def current(self) -> Question:
        """The question on screen."""
        return self.exam.questions[self.index]

    @property
    def finished(self) -> bool:
        """Submitted (by hand or because the time ran out)."""
        return self.result is not None

    @property
    def instant_feedback(self) -> bool:
        """Whether each answer is marked as soon as it is given."""
        return self.exam.spec.instant_feedback

    def time_left(self) -> timedelta | None:
        """Time until the exam is submitted (never negative); None without a time limit."""
        if self.deadline is None:
            return None
        return max(timedelta(0), self.deadline - self.clock.now())

    def answered(self, index: int) -> bool:
        """Whether question ``index`` has an answer."""
        return self.responses[index] is not None

    @property
    def unanswered(self) -> list[int]:
        """Questions without an answer."""
        return [i for i, r in enumerate(self.responses) if r is None]

    @property
    def skipped(self) -> list[int]:
        """Questions seen and left without an answer."""
        return [i for i in self.unanswered if i in self.visited and i != self.index]

    def next_open(self, after: int | None = None) -> int | None:
        """The first unanswered question after ``after`` (default: the current one),
        wrapping round."""
        start = self.index if after is None else after
        n = len(self.responses)
        for step in range(1, n + 1):
            i = (start + step) % n
            if self.responses[i] is None:
                return i
        return None

    # --- moving --------------------------------------------------------------

    def tick(self) -> ExamResult | None:
        """Look at the clock: submit when the time is up. Returns the result once finished."""
        if self.result is None and self.deadline is not None and self.clock.now() >= self.deadline:
            self._submit(timed_out=True)
        return self.result

    def _open(self) -> bool:
        return self.tick() is None

    def _leave(self) -> None:
        now = self.clock.now()
        if self.deadline is not None:
            now = min(now, self.deadline)
        self.seconds[self.index] += max(0.0, (now - self._shown).total_seconds())
        self._shown = now

    def goto(self, index: int) -> Question | None:
        """Show question ``index``; None when the exam is over."""
        if not 0 <= index < len(self.questions):
            raise ExamError(f"there is no question {index + 1}: the exam has {len(self.questions)}")
        if not self._open():
            return None
        self._leave()
        self.index = index
        self.visited.add(index)
        return self.current

    def next(self) -> Question | None:
        """The next question (staying on the last one)."""
        return self.goto(min(self.index + 1, len(self.questions) - 1))

    def previous(self) -> Question | None:
        """The previous question (staying on the first one)."""
        return self.goto(max(self.index - 1, 0))

    def skip(self) -> Question | None:
        """Leave the current question unanswered and show the next one."""
        return self.next()

    def flag(self, index: int | None = None, on: bool | None = None) -> bool:
        """Flag a question to come back to (toggles unless ``on`` is given).

        Returns the new state.
        """
        i = self.index if index is None else index
        state = (i not in self.flagged) if on is None else on
        if self._open():
            (self.flagged.add if state else self.flagged.discard)(i)
        return i in self.flagged

    # --- answering -----------------------------------------------------------

    def answer(self, index: int, response: Response) -> Marked | None:
        """Keep the answer to question ``index`` (replacing an earlier one).

        Returns the marked answer with instant feedback, else None. Raises ExamError for an
        answer that does not fit the question, or one already marked with instant feedback.
        Once the time is up the answer is not kept (check ``finished``).
        """
        if not self._open():
            return None
        question = self.questions[index]
        value = check_response(question, response)
        if self.instant_feedback and self.responses[index] is not None:
            raise ExamError(f"question {index + 1} was already marked")
        self.responses[index] = value
        self.visited.add(index)
        if not self.instant_feedback:
            return None
        self._leave()
        return Marked(
            index,
            question,
            value,
            mark(question, value),
            self.seconds[index],
            index in self.flagged,
        )

    def clear(self, index: int) -> None:
        """Take back the answer to question ``index`` (not once marked with instant feedback)."""
        if self._open() and not self.instant_feedback:
            self.responses[index] = None

    def submit(self) -> ExamResult:
        """Hand in the exam: mark every answer, save the result (via ``on_submit``) and
        return it."""
        if self.tick() is not None:
            assert self.result is not None
            return self.result
        return self._submit(timed_out=False)

    def _submit(self, *, timed_out: bool) -> ExamResult:
        self._leave()
        finished = self.clock.now()
        if timed_out and self.deadline is not None:
            finished = self.deadline
        marks = tuple(
            Marked(i, q, r, mark(q, r), round(self.seconds[i], 3), i in self.flagged)
            for i, (q, r) in enumerate(zip(self.questions, self.responses, strict=False))
        )
        self.result = ExamResult(self.exam, marks, self.started, finished, timed_out)
        self.save()
        return self.result

    def save(self) -> WriteError | None:
        """Save the result handed in (again, after a failure); returns why it is still not saved.

        Nothing is saved twice: ``on_submit`` is given the result as far as it was saved (with
        its id once the exam row is written) and picks up from there.
        """
        if self.result is None or self.on_submit is None:
            return None
        try:
            self.result = self.on_submit(self.result)
        except ReviewsNotSaved as exc:  # the exam row is written: only the reviews are left
            self.result, self.save_error = exc.saved, exc
        except WriteError as exc:
            self.save_error = exc
        else:
            self.save_error = None
        return self.save_error
