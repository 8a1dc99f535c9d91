"""``study exam`` (sit, print, list and retake mock exams) and ``study plan`` (the exam date).

The prompt loop that sits an exam is in :mod:`study.commands._exam_sitting`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from study.commands._common import (
    CommandError,
    UsageError,
    print_problems,
    refuse_existing,
    service,
    table,
)
from study.commands._exam_sitting import duration, sit
from study.core.exams.exam import ExamError, ExamResult, ExamSpec, Marked, pair_marks
from study.core.exams.paper import paper_html, paper_markdown
from study.core.exams.plan import Forecast, PlanError, check_exam_date, parse_exam_date
from study.core.exams.questions import QuestionKind
from study.core.exams.record import result_to_dict
from study.core.service import Service
from study.core.words import plural, points

KIND_NAMES = {
    "typed": QuestionKind.TYPED,
    "choice": QuestionKind.CHOICE,
    "mc": QuestionKind.CHOICE,
    "truefalse": QuestionKind.TRUE_FALSE,
    "tf": QuestionKind.TRUE_FALSE,
    "true-false": QuestionKind.TRUE_FALSE,
    "list": QuestionKind.LIST,
    "order": QuestionKind.ORDER,
    "match": QuestionKind.MATCH,
    "matching": QuestionKind.MATCH,
}


def resolve_names(svc: Service, names: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split DECK|TAG arguments into deck ids and tags; CommandError for an unknown name."""
    deck_ids = {d.id for d in svc.decks}
    tags = {t for item in svc.items.values() for t in item.card.tags}
    decks_out: list[str] = []
    tags_out: list[str] = []
    for name in names:
        if name not in deck_ids and name not in tags:
            raise UsageError(f"no deck or tag is called {name!r}; 'study decks' lists the decks")
        (decks_out if name in deck_ids else tags_out).append(name)
    return tuple(decks_out), tuple(tags_out)


def _spec(args: argparse.Namespace, svc: Service) -> ExamSpec:
    decks, tags = resolve_names(svc, args.names)
    kinds = tuple(QuestionKind)
    if args.kinds:
        try:
            kinds = tuple(
                dict.fromkeys(
                    KIND_NAMES[k.strip().lower()] for k in args.kinds.split(",") if k.strip()
                )
            )
        except KeyError as exc:
            raise UsageError(
                f"unknown question kind {exc.args[0]!r}; use typed, choice, truefalse, list, "
                "order or match"
            ) from None
    blueprint: list[tuple[str, float]] = []
    for part in (args.blueprint or "").split(","):
        if not part.strip():
            continue
        name, _, weight = part.partition("=")
        try:
            blueprint.append((name.strip(), float(weight)))
        except ValueError:
            raise UsageError(
                f"blueprint part {part!r} must be NAME=SHARE, e.g. documents=0.4"
            ) from None
    return ExamSpec(
        decks,
        tags,
        int(args.questions),
        args.minutes,
        kinds,
        args.seed,
        tuple(blueprint),
        args.feedback,
    )


def cmd_exam(args: argparse.Namespace) -> int:
    """Sit, print, list, show or retake mock exams."""
    svc = service(args)
    print_problems(svc.problems, warnings=False)
    if args.history:
        return _history(svc, args.json)
    if args.show is not None:
        result = svc.exam_result(args.show)
        if result is None:
            raise UsageError(f"there is no exam {args.show}; 'study exam --history' lists them")
        _print_result(result, args.json, sys.stdout)
        return 0
    try:
        if args.retake:
            session = svc.retake_mistakes(_exam_id(svc, args.retake), args.seed)
        else:
            session = svc.build_exam(_spec(args, svc))
    except ExamError as exc:
        raise CommandError(str(exc)) from None
    if args.markdown or args.html:
        for target in (args.markdown, args.html):
            if target and target != "-":
                refuse_existing(Path(target), args.force, "give another FILE")
        for target, render in ((args.markdown, paper_markdown), (args.html, paper_html)):
            if not target:
                continue
            text = render(session.exam)
            if target == "-":
                sys.stdout.write(text)
                continue
            try:
                Path(target).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"cannot write {target}: {exc.strerror or exc}") from None
            count = len(session.questions)
            print(
                f"Wrote {plural(count, 'question')} and the answer key to {target}.",
                file=sys.stderr,
            )
        return 0
    out = sys.stderr if args.json else sys.stdout
    result = sit(session, out, sys.stdin)
    if session.save_error is not None:  # the disk refused it: the result is shown all the same
        _print_result(result, args.json, sys.stdout)
        raise CommandError(f"the exam result was NOT saved: {session.save_error.problem}")
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
        raise UsageError(f"--retake takes an exam number or 'last', not {text!r}") from None


def _history(svc: Service, as_json: bool) -> int:
    rows = svc.exam_history()
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "started": r.started.isoformat(),
                        "finished": r.finished.isoformat(),
                        "title": r.title,
                        "questions": r.questions,
                        "score": r.score,
                        "share": round(r.score / r.questions, 4) if r.questions else 0.0,
                        "timed_out": r.timed_out,
                    }
                    for r in rows
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    if not rows:
        print("No exams yet: 'study exam' starts one.")
        return 0
    print(
        table(
            ("exam", "date", "questions", "score", "%", "time", "covering"),
            [
                (
                    r.id,
                    f"{svc.clock.local(r.finished):%Y-%m-%d %H:%M}",
                    r.questions,
                    points(r.score),
                    f"{r.score / r.questions:.0%}" if r.questions else "-",
                    duration((r.finished - r.started).total_seconds())
                    + (" (time up)" if r.timed_out else ""),
                    r.title,
                )
                for r in rows
            ],
        )
    )
    return 0


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
            # a date in the past or too far ahead: a bad argument
            check_exam_date(day, svc.clock.study_day(svc.clock.now(), svc.config.day_starts_at))
        except (ValueError, PlanError) as exc:
            raise UsageError(f"--exam: {exc}") from None
    kept, today = svc.exam_date, svc.clock.study_day(svc.clock.now(), svc.config.day_starts_at)
    if day is None and kept is not None and kept < today:
        raise CommandError(
            f"the exam date {kept.isoformat()} has passed: set the next one with "
            "'study plan --exam DATE', or remove it with 'study plan --clear'"
        )
    decks, tags = resolve_names(svc, args.names)
    try:
        forecast = svc.forecast(day, args.target, decks, tags)
    except PlanError as exc:
        raise CommandError(str(exc)) from None
    if day is not None:
        svc.set_exam_date(day)
    if args.target is not None:
        svc.set_exam_target(args.target)
        print(
            f"Target recall {args.target:.0%} saved: this plan, the app's and the next ones "
            "aim at it.",
            file=sys.stderr,
        )
    if args.json:
        print(json.dumps(forecast.to_dict(), indent=2, ensure_ascii=False))
    else:
        print("\n".join(plan_report(forecast, svc.config.new_per_day)))
    return 0


def plan_report(f: Forecast, new_limit: int) -> list[str]:
    """The forecast and the plan as text."""
    left = {0: "today", 1: "tomorrow"}.get(f.days_left, f"in {plural(f.days_left, 'day')}")
    lines = [
        f"Exam on {f.exam_date:%A %d %B %Y}: {left}. Target recall {f.target:.0%}.",
        f"{plural(f.items, 'item')}, {f.new_items} never studied.",
        (
            f"Expected score if you stop now: {f.expected_score:.0%}; if you keep the plan: "
            f"{f.planned_score:.0%}."
        ),
    ]
    if f.days:
        lines.append(
            f"Plan: {plural(f.new_per_day, 'new item')} a day (your limit: {new_limit}), about "
            f"{plural(round(f.reviews_per_day), 'review')} a day (at most {f.peak_reviews:.0f})."
        )
    lines.append("")
    rows = [
        (r.name, r.items, r.new, f"{r.recall:.0%}", f"{r.planned:.0%}", r.below) for r in f.decks
    ]
    lines.append(table(("deck", "items", "new", "now", "on plan", "below target"), rows))
    if f.tags:
        lines += ["", "Weakest tags:"]
        rows = [
            (r.name, r.items, r.new, f"{r.recall:.0%}", f"{r.planned:.0%}", r.below)
            for r in f.tags[:10]
        ]
        lines.append(table(("tag", "items", "new", "now", "on plan", "below target"), rows))
    if f.days:
        lines += [
            "",
            table(
                ("day", "new", "reviews"),
                [(f"{d.day:%a %d %b}", d.new, f"{d.reviews:.0f}") for d in f.days[:14]],
            ),
        ]
        if len(f.days) > 14:
            lines.append(
                f"... and {plural(len(f.days) - 14, 'more day')} ('--json' lists them all)"
            )
    if f.warnings:
        lines += [""] + [f"Warning: {w}" for w in f.warnings]
    return lines
