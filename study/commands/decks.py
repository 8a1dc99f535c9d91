"""Reading the decks: ``study lint``, ``study decks`` and ``study due``."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from study.commands._common import check_names, print_problems, service, table
from study.core.decks.model import Severity
from study.core.words import plural

if TYPE_CHECKING:
    import argparse


def cmd_lint(args: argparse.Namespace) -> int:
    """Check deck files; exit 1 when there are errors."""
    svc = service(args, args.paths or None)
    problems = svc.loaded.problems
    errors = [p for p in problems if p.severity is Severity.ERROR]
    cards = sum(len(d.cards) for d in svc.decks)
    if args.json:
        print(
            json.dumps(
                {
                    "decks": len(svc.decks),
                    "cards": cards,
                    "errors": len(errors),
                    "warnings": len(problems) - len(errors),
                    "problems": [p.to_dict() for p in problems],
                },
                indent=2,
            )
        )
    else:
        for problem in problems:
            print(problem)
        status = (
            "ok"
            if not problems
            else f"{plural(len(errors), 'error')}, {plural(len(problems) - len(errors), 'warning')}"
        )
        print(
            f"{plural(len(svc.decks), 'deck')}, {plural(cards, 'card')}: {status}", file=sys.stderr
        )
    return 1 if errors else 0


def cmd_decks(args: argparse.Namespace) -> int:
    """List the decks with their counts."""
    svc = service(args, reconcile=True)
    summaries = svc.summaries()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": s.deck.id,
                        "title": s.deck.title,
                        "file": s.deck.display,
                        "cards": s.cards,
                        "items": s.counts.total,
                        "new": s.counts.new,
                        "learning": s.counts.learning,
                        "due": s.counts.due,
                        "suspended": s.counts.suspended,
                        "buried": s.counts.buried,
                        "mastery": round(s.counts.mastery, 3),
                    }
                    for s in summaries
                ],
                indent=2,
            )
        )
    else:
        rows = [
            (
                s.deck.id,
                s.cards,
                s.counts.total,
                s.counts.new,
                s.counts.learning,
                s.counts.due,
                s.counts.suspended,
                s.counts.buried,
                f"{s.counts.mastery:.0%}",
            )
            for s in summaries
        ]
        header = ("deck", "cards", "items", "new", "learn", "due", "suspended", "buried", "mastery")
        print(table(header, rows))
    print_problems(svc.problems, warnings=False)
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    """List the items due by the end of today."""
    svc = service(args, reconcile=True)
    check_names(svc, args.deck, args.tag)
    due = svc.due_items(svc.scope(args.deck)[0], args.tag)
    if args.json:
        print(
            json.dumps(
                [
                    {"item": i.key, "due": m.due.isoformat() if m.due else None, "prompt": i.prompt}
                    for i, m in due
                ],
                indent=2,
            )
        )
    elif not due:
        print("Nothing is due today.")
    else:
        now = svc.clock.now()
        for item, memory in due:
            when = (
                "now"
                if memory.due and memory.due <= now
                else svc.clock.local(memory.due).strftime("%H:%M")  # type: ignore[arg-type]
            )
            print(f"{when:>5}  {item.key}  {item.prompt[:70]}")
    print_problems(svc.problems, warnings=False)
    return 0
