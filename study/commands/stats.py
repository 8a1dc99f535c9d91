"""``study stats``: the statistics as a readable report with small text charts, or as JSON."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Sequence

from study.charts import columns, day_label, duration, hbar, heatmap_text, percent
from study.commands._common import UsageError, print_problems, service
from study.core.stats.compute import FORECAST_DAYS, HEATMAP_DAYS, MATURE_DAYS, TIME_DAYS
from study.core.stats.figures import Mastery, Rate, Scope, Stats
from study.core.words import plural, points

TAGS_SHOWN = 12
"""Tags listed in the text report (all of them are in ``--json``)."""
BAR = 20
"""Width of the horizontal bars."""


def scope_of(args: argparse.Namespace, deck_ids: set[str], tags: set[str]) -> Scope:
    """The scope asked for, checked against the loaded decks and tags."""
    if args.deck is not None and args.deck not in deck_ids:
        raise UsageError(f"no deck with id {args.deck!r}; 'study decks' lists them")
    if args.tag is not None and args.tag not in tags:
        raise UsageError(f"no card has the tag {args.tag!r}; check its spelling in the deck files")
    return Scope(args.deck, args.tag)


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the statistics of all decks, a deck or a tag."""
    svc = service(args)
    tags = {tag for item in svc.items.values() for tag in item.card.tags}
    stats = svc.stats(scope_of(args, {deck.id for deck in svc.decks}, tags))
    if args.json:
        print(json.dumps(stats.to_dict(), indent=2, ensure_ascii=False))
    else:
        print("\n".join(report(stats)))
    print_problems(svc.problems, warnings=False)
    return 0


def report(stats: Stats) -> list[str]:
    """The whole report, as lines."""
    lines = [
        (
            f"Statistics for {stats.scope.label()} on {stats.today:%a %d %b %Y} "
            f"(desired retention {stats.target:.0%})"
        )
    ]
    for section in (_states, _activity, _forecast, _retention, _time, _hardest, _mastery, _exams):
        lines.append("")
        lines.extend(section(stats))
    return lines


def _states(stats: Stats) -> Iterator[str]:
    s = stats.states
    yield f"Cards: {s.total} in all"
    yield (
        f"  new {s.new} · learning {s.learning} · young {s.young} · mature {s.mature} · "
        f"suspended {s.suspended} (leeches {s.leech})"
    )
    yield f"  (mature: in review with a stability of {MATURE_DAYS} days or more)"


def _activity(stats: Stats) -> Iterator[str]:
    a = stats.activity
    last_year = sum(d.value for d in a.days)
    yield (
        f"Activity: {plural(last_year, 'answer')} in the last {HEATMAP_DAYS} days; "
        f"streak {_days(a.current_streak)} (longest {_days(a.longest_streak)})"
    )
    if not a.total:
        yield "  No answers yet."
        return
    yield from ("  " + line for line in heatmap_text(a.days))
    yield "      less · ░ ▒ ▓ █ more"


def _forecast(stats: Stats) -> Iterator[str]:
    values = [d.value for d in stats.forecast]
    week = sum(values[:7])
    overdue = f" ({stats.overdue} overdue)" if stats.overdue else ""
    yield (
        f"Due: {values[0]} today{overdue}, {values[1]} tomorrow, {week} in 7 days, "
        f"{sum(values)} in {FORECAST_DAYS} days"
    )
    if sum(values):
        yield from _column_chart(
            values, [day_label(stats.forecast[0].day, stats.today), f"+{len(values) - 1}d"]
        )


def _retention(stats: Stats) -> Iterator[str]:
    r = stats.retention
    yield f"True retention (reviews of cards in review passed; target {r.target:.0%})"
    if not r.overall.total:
        yield "  No reviews of cards in review yet."
        return
    yield _rate_line(r.overall, r.target, 10)
    yield "  by interval:"
    yield from (_rate_line(rate, r.target, 10) for rate in r.by_interval)
    yield "  by deck:"
    width = max((len(rate.label) for rate in r.by_deck), default=0)
    yield from (_rate_line(rate, r.target, width) for rate in r.by_deck)


def _time(stats: Stats) -> Iterator[str]:
    t = stats.time
    recent = sum(d.value for d in t.days)
    yield (
        f"Time: {duration(recent)} in the last {TIME_DAYS} days; {duration(t.total_ms)} in all; "
        f"{duration(t.per_day_ms)} per study day; {duration(t.per_answer_ms)} per answer"
    )
    if recent:
        minutes = [d.value / 60000 for d in t.days]
        yield from _column_chart(minutes, [f"-{len(minutes) - 1}d", "today"], unit="m")


def _hardest(stats: Stats) -> Iterator[str]:
    yield "Hardest cards (studied: lowest recall now, then most lapses and Again answers)"
    if not stats.hardest:
        studied = stats.states.learning + stats.states.young + stats.states.mature
        yield (
            "  None: no studied card is below the target, lapsed or answered Again."
            if studied
            else "  None studied yet."
        )
        return
    yield "  recall  lapses  agains  card"
    for hard in stats.hardest:
        yield f"  {hard.recall:>6.0%}  {hard.lapses:>6}  {hard.agains:>6}  {hard.key}"
        yield f"                          {_cut(' '.join(hard.prompt.split()), 60)}"


def _mastery(stats: Stats) -> Iterator[str]:
    yield f"Mastery (predicted recall now at least {stats.target:.0%})"
    if not stats.mastery_by_deck:
        yield "  No cards."
        return
    yield "  by deck:"
    yield from _mastery_lines(stats.mastery_by_deck)
    shown = stats.mastery_by_tag[:TAGS_SHOWN]
    more = len(stats.mastery_by_tag) - len(shown)
    if not shown:
        yield "  by tag: no card has a tag."
        return
    yield f"  by tag ({len(shown)} largest" + (f", {more} more in --json):" if more else "):")
    yield from _mastery_lines(shown)


def _exams(stats: Stats) -> Iterator[str]:
    yield "Mock exams"
    if not stats.exams:
        yield "  None taken yet."
    else:
        scores = [e.share * 100 for e in stats.exams[-60:]]
        yield f"  {len(stats.exams)} taken; last {scores[-1]:.0f}%, best {max(scores):.0f}%"
        if len(scores) > 1:
            first = stats.exams[-len(scores)].finished
            yield from _column_chart(
                scores,
                [f"{first:%d %b}", f"{stats.exams[-1].finished:%d %b}"],
                maximum=100,
                unit="%",
            )
        for exam in stats.exams[-5:]:
            yield (
                f"  {exam.finished:%Y-%m-%d}  {exam.share:>4.0%}  "
                f"{points(exam.score)}/{exam.questions}  "
                f"{_cut(exam.title, 40)}"
            )
    plan = stats.exam_forecast
    if plan is None:
        yield "  No exam date set."
        return
    yield (
        f"  Exam day {plan.exam_date:%a %d %b %Y} (in {_days(plan.days_left)}): predicted score "
        f"{plan.expected_score:.0%} if you stop now, {plan.planned_score:.0%} if you keep the plan"
    )
    yield (
        f"  The plan: {plan.new_per_day} new a day, about "
        f"{plural(round(plan.reviews_per_day), 'review')} a day "
        f"(at most {plan.peak_reviews:.0f} on one day)"
    )
    yield from (f"  ! {warning}" for warning in plan.warnings)


# --- helpers -----------------------------------------------------------------


def _column_chart(
    values: Sequence[float], ends: Sequence[str], *, maximum: float | None = None, unit: str = ""
) -> Iterator[str]:
    top = maximum if maximum is not None else max(values, default=0)
    rows = columns(values, 4, top)
    label = f"{top:.0f}{unit}"
    pad = len(label)
    for index, row in enumerate(rows):
        yield f"  {label if index == 0 else '':>{pad}} ▕{row}"
    left, right = ends
    gap = max(1, len(values) - len(left) - len(right))
    yield f"  {'':>{pad}}  {left}{' ' * gap}{right}"


def _rate_line(rate: Rate, target: float, width: int) -> str:
    if rate.rate is None:
        return f"    {rate.label:<{width}}  {_bar(0)}      -"
    mark = " " if rate.rate >= target else "!"
    return (
        f"    {rate.label:<{width}}  {_bar(rate.rate)} {percent(rate.rate):>6}{mark} "
        f"({rate.passed}/{rate.total})"
    )


def _mastery_lines(rows: Sequence[Mastery]) -> Iterator[str]:
    width = max((len(m.name) for m in rows), default=0)
    for m in rows:
        yield f"    {m.name:<{width}}  {_bar(m.share)} {m.share:>4.0%}  ({m.mastered}/{m.total})"


def _bar(share: float) -> str:
    return f"▕{hbar(share, BAR)}▏"


def _days(count: int) -> str:
    return plural(count, "day")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
