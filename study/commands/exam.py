"""``study exam`` (sit, print, list and retake mock exams) and ``study plan`` (the exam date).

Sitting an exam here is a plain prompt loop, one question a line, so that it can be
scripted: ``printf 'answer\\n...' | study exam --seed 1 --questions 3``. The end of the input
hands the exam in.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from study.commands._common import CommandError, CommandFactory, print_problems, service, table
from study.core.exam import ExamError, ExamResult, ExamSpec, Marked, Response, pair_marks
from study.core.exam_questions import Question, QuestionKind
from study.core.exam_record import result_to_dict
from study.core.exam_session import ExamSession
from study.core.paper import key_answer, letter, paper_markdown
from study.core.plan import Forecast, PlanError, parse_exam_date
from study.core.service import Service

KIND_NAMES = {"typed": QuestionKind.TYPED, "choice": QuestionKind.CHOICE, "mc": QuestionKind.CHOICE,
              "truefalse": QuestionKind.TRUE_FALSE, "tf": QuestionKind.TRUE_FALSE,
              "true-false": QuestionKind.TRUE_FALSE, "list": QuestionKind.LIST,
              "order": QuestionKind.ORDER, "match": QuestionKind.MATCH, "matching": QuestionKind.MATCH}
HOW = {
    QuestionKind.TYPED: "type the answer",
    QuestionKind.CHOICE: "a letter",
    QuestionKind.TRUE_FALSE: "A true, B false",
    QuestionKind.LIST: "the items on one line, separated by ';'",
    QuestionKind.ORDER: "the letters in order, e.g. CABD",
    QuestionKind.MATCH: "the letter for each number in turn, e.g. BADC ('-' for none)",
}
HELP = ("Enter alone skips a question, 'f' flags it, 'p' goes to the previous one, 'g N' goes to "
        "question N, 'q' hands the exam in now.")


def register(command: CommandFactory) -> None:
    """Add ``study exam`` and ``study plan``."""
    p = command("exam", cmd_exam, "sit a mock exam, print one to Markdown, list past exams or retake mistakes")
    p.add_argument("names", nargs="*", metavar="DECK|TAG", help="decks or tags to draw from (default: all)")
    p.add_argument("--questions", "-n", type=_positive(int), default=20, metavar="N",
                   help="number of questions (default 20)")
    p.add_argument("--minutes", "-m", type=_positive(float), metavar="M", help="time limit in minutes")
    p.add_argument("--seed", type=int, metavar="S", help="the same seed gives the same exam")
    p.add_argument("--kinds", metavar="K,K", help="question kinds: typed, choice, truefalse, list, order, "
                   "match (default: all)")
    p.add_argument("--blueprint", metavar="T=W,...", help="share of questions per deck or tag, "
                   "e.g. documents=0.4,timeline=0.2")
    p.add_argument("--feedback", action="store_true", help="mark each answer at once (default: at the end)")
    p.add_argument("--markdown", metavar="FILE", help="write the exam and its answer key to FILE ('-': "
                   "standard output) instead of sitting it")
    p.add_argument("--history", action="store_true", help="list past exams with their scores")
    p.add_argument("--show", type=int, metavar="ID", help="print the result of past exam ID")
    p.add_argument("--retake", metavar="ID", help="an exam of the questions missed in exam ID ('last': the "
                   "latest exam)")
    p.add_argument("--json", action="store_true", help="machine-readable output (the questions are "
                   "then asked on standard error)")
    p = command("plan", cmd_plan, "set the exam date; see the readiness forecast and the daily plan")
    p.add_argument("names", nargs="*", metavar="DECK|TAG", help="decks or tags the exam covers (default: all)")
    p.add_argument("--exam", metavar="YYYY-MM-DD", help="set the exam date (kept for the app)")
    p.add_argument("--target", type=_share, default=0.9, metavar="R",
                   help="recall to aim for on the exam day, 0-1 (default 0.9)")
    p.add_argument("--clear", action="store_true", help="forget the exam date")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be more than 0")
        return value
    return parse


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number such as 0.9") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and 1, e.g. 0.9")
    return value


def resolve_names(svc: Service, names: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split DECK|TAG arguments into deck ids and tags; CommandError for an unknown name."""
    deck_ids = {d.id for d in svc.decks}
    tags = {t for item in svc.items.values() for t in item.card.tags}
    decks_out: list[str] = []
    tags_out: list[str] = []
    for name in names:
        if name not in deck_ids and name not in tags:
            raise CommandError(f"no deck or tag is called {name!r}; 'study decks' lists the decks")
        (decks_out if name in deck_ids else tags_out).append(name)
    return tuple(decks_out), tuple(tags_out)


def _spec(args: argparse.Namespace, svc: Service) -> ExamSpec:
    decks, tags = resolve_names(svc, args.names)
    kinds = tuple(QuestionKind)
    if args.kinds:
        try:
            kinds = tuple(dict.fromkeys(KIND_NAMES[k.strip().lower()] for k in args.kinds.split(",") if k.strip()))
        except KeyError as exc:
            raise CommandError(f"unknown question kind {exc.args[0]!r}; use typed, choice, truefalse, list, "
                               "order or match") from None
    blueprint: list[tuple[str, float]] = []
    for part in (args.blueprint or "").split(","):
        if not part.strip():
            continue
        name, _, weight = part.partition("=")
        try:
            blueprint.append((name.strip(), float(weight)))
        except ValueError:
            raise CommandError(f"blueprint part {part!r} must be NAME=SHARE, e.g. documents=0.4") from None
    return ExamSpec(decks, tags, int(args.questions), args.minutes, kinds, args.seed, tuple(blueprint),
                    args.feedback)


def cmd_exam(args: argparse.Namespace) -> int:
    """Sit, print, list, show or retake mock exams."""
    svc = service(args)
    print_problems(svc.problems, warnings=False)
    if args.history:
        return _history(svc, args.json)
    if args.show is not None:
        result = svc.exam_result(args.show)
        if result is None:
            raise CommandError(f"there is no exam {args.show}; 'study exam --history' lists them")
        _print_result(result, args.json, sys.stdout)
        return 0
    try:
        if args.retake:
            session = svc.retake_mistakes(_exam_id(svc, args.retake), args.seed)
        else:
            session = svc.build_exam(_spec(args, svc))
    except ExamError as exc:
        raise CommandError(str(exc)) from None
    if args.markdown:
        text = paper_markdown(session.exam)
        if args.markdown == "-":
            sys.stdout.write(text)
        else:
            try:
                Path(args.markdown).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"cannot write {args.markdown}: {exc.strerror or exc}") from None
            print(f"Wrote {len(session.questions)} questions and the answer key to {args.markdown}.",
                  file=sys.stderr)
        return 0
    out = sys.stderr if args.json else sys.stdout
    result = sit(session, out, sys.stdin)
    if not result.exam_id:
        print("No answer was given: the exam was not kept.", file=out)
        if not args.json:
            return 0
    _print_result(result, args.json, sys.stdout)
    return 0


def _exam_id(svc: Service, text: str) -> int:
    if text == "last":
        rows = svc.exam_history(1)
        if not rows:
            raise CommandError("no exam has been taken yet")
        return rows[0].id
    try:
        return int(text)
    except ValueError:
        raise CommandError(f"--retake takes an exam number or 'last', not {text!r}") from None


def _history(svc: Service, as_json: bool) -> int:
    rows = svc.exam_history()
    if as_json:
        print(json.dumps([{"id": r.id, "started": r.started.isoformat(), "finished": r.finished.isoformat(),
                           "title": r.title, "questions": r.questions, "score": r.score,
                           "share": round(r.score / r.questions, 4) if r.questions else 0.0,
                           "timed_out": r.timed_out} for r in rows], indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("No exams yet: 'study exam' starts one.")
        return 0
    print(table(("exam", "date", "questions", "score", "%", "time", "covering"),
                [(r.id, f"{svc.clock.local(r.finished):%Y-%m-%d %H:%M}", r.questions, f"{r.score:g}",
                  f"{r.score / r.questions:.0%}" if r.questions else "-",
                  _duration((r.finished - r.started).total_seconds()) + (" (time up)" if r.timed_out else ""),
                  r.title) for r in rows]))
    return 0


# --- sitting an exam ---------------------------------------------------------------

def _duration(seconds: float) -> str:
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
        words = {"a": True, "true": True, "t": True, "yes": True, "y": True, "1": True,
                 "b": False, "false": False, "no": False, "n": False, "2": False}
        if text.lower() not in words:
            raise ValueError("answer A (true) or B (false)")
        return words[text.lower()]
    if q.kind is QuestionKind.CHOICE:
        return index_of(text)
    tokens = text.replace(",", " ").split() if (" " in text or "," in text) else list(text)
    if q.kind is QuestionKind.ORDER:
        order = tuple(index_of(t) for t in tokens)
        if sorted(order) != list(range(n)):
            raise ValueError(f"give each of the {n} letters once")
        return order
    if len(tokens) != len(q.lefts):
        raise ValueError(f"give one letter for each of the {len(q.lefts)} numbers")
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
    """Ask the questions in turn, then the skipped and flagged ones; hand in at the end of the input.

    An exam without any answer is marked but not kept (its result has no id).
    """
    reader = _Input(out, stream)
    limit = session.exam.spec.minutes
    print(f"Mock exam: {session.exam.title} · {len(session.questions)} questions"
          + (f" · {limit:g} minutes" if limit else "") + f" · seed {session.exam.spec.seed}", file=out)
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
            line = reader.read(f"{_clock(session.time_left())}{index + 1}/{len(session.questions)} "
                               f"({HOW[session.questions[index].kind]}) > ")
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
    if command == "f":
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
        line = reader.read(f"{_clock(session.time_left())}A question number to go back to it, "
                           "or Enter to hand in > ").strip()
        if session.tick() is not None:
            return None
        if not line:
            return None
        if line.isdigit() and 1 <= int(line) <= len(session.questions):
            session.goto(int(line) - 1)
            return int(line) - 1
        print(f"Type a number from 1 to {len(session.questions)}, or press Enter.", file=out)


# --- results -------------------------------------------------------------------

def _print_result(result: ExamResult, as_json: bool, out: TextIO) -> None:
    if as_json:
        print(json.dumps(result_to_dict(result), indent=2, ensure_ascii=False), file=out)
    else:
        print("\n".join(report(result)), file=out)


def report(result: ExamResult) -> list[str]:
    """The result as text: score, breakdown, time per question, every mistake."""
    spent = (result.finished - result.started).total_seconds()
    title = f"Exam {result.exam_id}" if result.exam_id else "Exam"
    lines = ["", f"{title}: {result.exam.title} · {result.total} questions · {_duration(spent)}"
             + (" · time ran out" if result.timed_out else ""),
             f"Score: {result.score:.4g} / {result.total} ({result.share:.0%})", ""]
    for by, label in (("deck", "deck"), ("tag", "tag")):
        tallies = result.breakdown(by)
        if tallies:
            lines.append(table((label, "questions", "score", "%"),
                               [(t.name, t.questions, f"{t.score:.3g}", f"{t.share:.0%}") for t in tallies[:12]]))
            lines.append("")
    lines.append(table(("question", "kind", "score", "time", ""),
                       [(m.position + 1, m.question.kind.value, f"{m.score:.2g}", _duration(m.seconds),
                         ("flagged " if m.flagged else "") + ("" if m.answered else "unanswered"))
                        for m in result.marks]))
    mistakes = result.mistakes
    lines += ["", f"Mistakes: {len(mistakes)}" if mistakes else "No mistakes."]
    for m in mistakes:
        lines += [""] + _mistake(m)
    if mistakes and result.exam_id:
        lines += ["", f"Retake them: study exam --retake {result.exam_id}"]
    return lines


def _mistake(m: Marked) -> list[str]:
    q = m.question
    prompt = q.prompt.replace("\n", " ")
    lines = [f"{m.position + 1}. [{q.kind.value}, {m.score:.0%}] {prompt}"]
    if q.kind is QuestionKind.MATCH:
        given = m.response if isinstance(m.response, tuple) else (None,) * len(q.lefts)
        for left, ok, choice, right in zip(q.lefts, pair_marks(q, m.response), given, q.answers):
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


# --- the exam date --------------------------------------------------------------

def cmd_plan(args: argparse.Namespace) -> int:
    """Set the exam date and print the forecast and the daily plan."""
    svc = service(args)
    print_problems(svc.problems, warnings=False)
    if args.clear:
        svc.set_exam_date(None)
        print("The exam date is cleared.", file=sys.stderr)
        return 0
    day: date | None = None
    if args.exam:
        try:
            day = parse_exam_date(args.exam)
        except ValueError as exc:
            raise CommandError(f"--exam: {exc}") from None
    decks, tags = resolve_names(svc, args.names)
    try:
        forecast = svc.forecast(day, args.target, decks, tags)
    except PlanError as exc:
        raise CommandError(str(exc)) from None
    if day is not None:
        svc.set_exam_date(day)
    if args.json:
        print(json.dumps(forecast.to_dict(), indent=2, ensure_ascii=False))
    else:
        print("\n".join(plan_report(forecast, svc.config.new_per_day)))
    return 0


def plan_report(f: Forecast, new_limit: int) -> list[str]:
    """The forecast and the plan as text."""
    left = {0: "today", 1: "tomorrow"}.get(f.days_left, f"in {f.days_left} days")
    lines = [f"Exam on {f.exam_date:%A %d %B %Y}: {left}. Target recall {f.target:.0%}.",
             f"{f.items} items, {f.new_items} never studied.",
             (f"Expected score if you stop now: {f.expected_score:.0%}; if you keep the plan: "
              f"{f.planned_score:.0%}.")]
    if f.days:
        lines.append(f"Plan: {f.new_per_day} new item(s) a day (your limit: {new_limit}), about "
                     f"{f.reviews_per_day:.0f} review(s) a day (at most {f.peak_reviews:.0f}).")
    lines.append("")
    rows = [(r.name, r.items, r.new, f"{r.recall:.0%}", f"{r.planned:.0%}", r.below) for r in f.decks]
    lines.append(table(("deck", "items", "new", "now", "on plan", "below target"), rows))
    if f.tags:
        lines += ["", "Weakest tags:"]
        rows = [(r.name, r.items, r.new, f"{r.recall:.0%}", f"{r.planned:.0%}", r.below) for r in f.tags[:10]]
        lines.append(table(("tag", "items", "new", "now", "on plan", "below target"), rows))
    if f.days:
        lines += ["", table(("day", "new", "reviews"),
                            [(f"{d.day:%a %d %b}", d.new, f"{d.reviews:.0f}") for d in f.days[:14]])]
        if len(f.days) > 14:
            lines.append(f"... and {len(f.days) - 14} more day(s) ('--json' lists them all)")
    if f.warnings:
        lines += [""] + [f"Warning: {w}" for w in f.warnings]
    return lines
