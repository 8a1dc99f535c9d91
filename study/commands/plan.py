"""``study plan``: set the exam date; the readiness forecast and the daily plan."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from study.commands._common import (
    CommandError,
    UsageError,
    print_problems,
    resolve_names,
    service,
    table,
)
from study.core.exams.plan import Forecast, PlanError, check_exam_date, parse_exam_date
from study.core.words import plural


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
