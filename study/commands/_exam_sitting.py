"""Sitting an exam at a plain prompt: one question at a time, one line per answer.

Enter alone skips, '*' flags (as in the app: 'f' is an answer, False or the option F),
'p' goes to the previous question, 'g N' to question N and 'q' hands the exam in (these
words are read as commands for every kind of question). After the
last question the unanswered and flagged ones are offered again. The end of the input hands
the exam in, so ``printf 'answer\n...' | study exam`` works.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import TextIO

from study.core.exams.marking import ExamResult, Marked, Response
from study.core.exams.paper import key_answer, letter
from study.core.exams.questions import Question, QuestionKind
from study.core.exams.sitting import ExamSession
from study.core.exams.spec import ExamError
from study.core.words import plural

HOW = {
    QuestionKind.TYPED: "type the answer",
    QuestionKind.CHOICE: "a letter",
    QuestionKind.TRUE_FALSE: "T or A true, F or B false",
    QuestionKind.LIST: "the items on one line, separated by ';'",
    QuestionKind.ORDER: "the letters in order, e.g. CABD",
    QuestionKind.MATCH: "the letter for each number in turn, e.g. BADC ('-' for none)",
}
HELP = (
    "Enter alone skips a question, '*' flags it, 'p' goes to the previous one, 'g N' goes to "
    "question N, 'q' hands the exam in now."
)


def duration(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}m{whole % 60:02d}s" if whole >= 60 else f"{whole}s"


def _clock(left: timedelta | None) -> str:
    if left is None:
        return ""
    seconds = int(left.total_seconds())
    return f"[{seconds // 60}:{seconds % 60:02d} left] "


def show_question(session: ExamSession, index: int) -> list[str]:
    """The question as printed: header, text, options."""
    q = session.questions[index]
    flag = " · flagged" if index in session.flagged else ""
    lines = [f"Question {index + 1} of {len(session.questions)} · {q.kind.value}{flag}", q.prompt]
    if q.kind is QuestionKind.TRUE_FALSE:
        lines += ["  A. True", "  B. False"]
    if q.kind is QuestionKind.MATCH:
        lines += [f"  {i + 1}. {left}" for i, left in enumerate(q.lefts)]
    lines += [f"  {letter(i)}. {option}" for i, option in enumerate(q.options)]
    return lines


def parse_response(q: Question, text: str) -> Response:
    """A typed line as an answer to ``q``; ValueError with a hint when it does not fit."""
    text = text.strip()
    n = len(q.options)

    def index_of(token: str) -> int:
        token = token.strip().upper()
        if token.isdigit() and 1 <= int(token) <= max(n, 2):
            return int(token) - 1
        for i in range(max(n, 2)):
            if token == letter(i):
                return i
        raise ValueError(f"{token!r} is not one of the letters")

    if q.kind is QuestionKind.TYPED:
        return text
    if q.kind is QuestionKind.LIST:
        return tuple(part.strip() for part in text.split(";") if part.strip())
    if q.kind is QuestionKind.TRUE_FALSE:
        words = {
            "a": True,
            "true": True,
            "f": False,
            "t": True,
            "yes": True,
            "y": True,
            "1": True,
            "b": False,
            "false": False,
            "no": False,
            "n": False,
            "2": False,
        }
        if text.lower() not in words:
            raise ValueError("answer T or A (true), F or B (false)")
        return words[text.lower()]
    if q.kind is QuestionKind.CHOICE:
        return index_of(text)
    tokens = text.replace(",", " ").split() if (" " in text or "," in text) else list(text)
    if q.kind is QuestionKind.ORDER:
        order = tuple(index_of(t) for t in tokens)
        if sorted(order) != list(range(n)):
            raise ValueError(f"give each of the {plural(n, 'letter')} once")
        return order
    if len(tokens) != len(q.lefts):
        raise ValueError(f"give one letter for each of the {plural(len(q.lefts), 'number')}")
    return tuple(None if t in "-_" else index_of(t) for t in tokens)


class _Input:
    """Lines from standard input; echoed when they do not come from a terminal."""

    def __init__(self, out: TextIO, stream: TextIO) -> None:
        self.out, self.stream = out, stream
        self.tty = stream.isatty() and out is sys.stdout

    def read(self, prompt: str) -> str:
        if self.tty:
            return input(prompt)
        print(prompt, end="", file=self.out, flush=True)
        line = self.stream.readline()
        if not line:
            raise EOFError
        print(line.rstrip("\n"), file=self.out)
        return line.rstrip("\n")


def _feedback(m: Marked) -> str:
    if m.right:
        return "Right."
    part = f"Partly right ({m.score:.0%})" if m.score > 0 else "Wrong"
    return f"{part}: {key_answer(m.question).replace('**', '')}"


def sit(session: ExamSession, out: TextIO, stream: TextIO) -> ExamResult:
    """Ask the questions in turn, then the skipped and flagged ones; hand in at the end of the
    input.

    An exam without any answer is marked but not kept (its result has no id).
    """
    reader = _Input(out, stream)
    limit = session.exam.spec.minutes
    print(
        f"Mock exam: {session.exam.title} · {plural(len(session.questions), 'question')}"
        + (f" · {plural(limit, 'minute')}" if limit else "")
        + f" · seed {session.exam.spec.seed}",
        file=out,
    )
    print(HELP, file=out)
    index: int | None = 0
    reviewing = False
    try:
        while session.tick() is None:
            if index is None:
                reviewing = True
                index = _revisit(session, reader, out)
                if index is None:
                    break
            print(file=out)
            print("\n".join(show_question(session, index)), file=out)
            line = reader.read(
                f"{_clock(session.time_left())}{index + 1}/{len(session.questions)} "
                f"({HOW[session.questions[index].kind]}) > "
            )
            following = _handle(session, index, line, out)
            index = None if reviewing and following == index + 1 else following
    except EOFError:
        print(file=out)
    except _HandIn:
        pass
    if session.tick() is not None:
        print("Time is up: the exam was handed in.", file=out)
    elif not any(r is not None for r in session.responses):
        session.on_submit = None
    return session.submit()


def _handle(session: ExamSession, index: int, line: str, out: TextIO) -> int | None:
    """Act on one line at question ``index``; returns the next question to show (None: the end)."""
    command = line.strip().lower()
    last = len(session.questions) - 1
    if command == "":
        session.goto(min(index + 1, last))
        return index + 1 if index < last else None
    if command == "*":
        state = session.flag(index)
        print("Flagged." if state else "Flag removed.", file=out)
        return index
    if command == "p":
        session.goto(max(index - 1, 0))
        return max(index - 1, 0)
    if command == "q":
        raise _HandIn
    if command == "?":
        print(HELP, file=out)
        return index
    if command.startswith("g ") and command[2:].strip().isdigit():
        target = int(command[2:].strip()) - 1
        if 0 <= target <= last:
            session.goto(target)
            return target
        print(f"There is no question {target + 1}.", file=out)
        return index
    q = session.questions[index]
    try:
        marked = session.answer(index, parse_response(q, line))
    except (ValueError, ExamError) as exc:
        print(f"Not taken: {exc}. Answer with {HOW[q.kind]}.", file=out)
        return index
    if marked is not None:
        print(_feedback(marked), file=out)
    if index < last:
        session.goto(index + 1)
        return index + 1
    return None


class _HandIn(Exception):
    """'q' was typed: hand the exam in now."""


def _revisit(session: ExamSession, reader: _Input, out: TextIO) -> int | None:
    """After the last question: offer the skipped and flagged ones; None hands the exam in."""
    while True:
        left = session.unanswered
        flagged = sorted(session.flagged)
        if not left and not flagged:
            return None
        parts = []
        if left:
            parts.append("unanswered: " + ", ".join(str(i + 1) for i in left))
        if flagged:
            parts.append("flagged: " + ", ".join(str(i + 1) for i in flagged))
        print(file=out)
        print("End of the questions; " + "; ".join(parts) + ".", file=out)
        line = reader.read(
            f"{_clock(session.time_left())}A question number to go back to it, "
            "or Enter to hand in > "
        ).strip()
        if session.tick() is not None:
            return None
        if not line:
            return None
        if line.isdigit() and 1 <= int(line) <= len(session.questions):
            session.goto(int(line) - 1)
            return int(line) - 1
        print(f"Type a number from 1 to {len(session.questions)}, or press Enter.", file=out)
