"""``study exam``: sit, print, list and retake mock exams.

The prompt loop that sits an exam is in :mod:`study.commands._exam_sitting`, the result's
report in :mod:`study.commands.exam_report`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from study.commands._common import (
    CommandError,
    UsageError,
    print_problems,
    refuse_existing,
    resolve_names,
    service,
    table,
)
from study.commands._exam_sitting import duration, sit
from study.commands.exam_report import print_result
from study.core.exams.paper import paper_html, paper_markdown
from study.core.exams.questions import QuestionKind
from study.core.exams.spec import ExamError, ExamSpec
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
        print_result(result, args.json, sys.stdout)
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
        print_result(result, args.json, sys.stdout)
        raise CommandError(f"the exam result was NOT saved: {session.save_error.problem}")
    if not result.exam_id:
        print("No answer was given: the exam was not kept.", file=out)
        if not args.json:
            return 0
    print_result(result, args.json, sys.stdout)
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
