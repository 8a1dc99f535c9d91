"""The card browser's command-line twin: ``study cards QUERY`` lists the cards a query finds,
``study suspend|unsuspend|unbury|forget QUERY`` acts on them (the query language is
``study.core.review.search``'s, as in the app's browser)."""

from __future__ import annotations

import argparse
import json
import sys

from study.commands._common import CommandError, UsageError, service
from study.core.review.browse import CardIndex
from study.core.review.card_actions import Action, cards
from study.core.review.search import Query, QueryError, check_decks, parse


def _found(args: argparse.Namespace, name: str) -> tuple[CardIndex, Query, list[int]]:
    """The index of every card and what the query finds in it (a bad query: exit 2)."""
    text = " ".join(args.query)
    try:
        query = parse(text)
        index = service(args, reconcile=True).card_index()
        check_decks(query, index.folders)
    except QueryError as exc:
        raise UsageError(f"study {name}: bad query at {exc}") from None
    return index, query, index.search(query)


HEADER = ("item", "state", "due", "stab.", "recall", "lapses", "last", "card")


def cmd_cards(args: argparse.Namespace) -> int:
    """List the cards a query finds."""
    index, query, found = _found(args, "cards")
    rows = index.rows(found[: args.limit] if args.limit is not None else found)
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], indent=2, ensure_ascii=False))
    else:
        now = index.clock.now()
        lines: list[tuple[str, ...]] = [HEADER]
        for row in rows:
            card, _deck, *rest = row.cells(index.clock, now)
            lines.append((row.item.key, *rest, card[:70]))
        widths = [max(len(line[n]) for line in lines) for n in range(len(HEADER) - 1)]
        for line in lines:
            print("  ".join([*(c.ljust(w) for c, w in zip(line, widths, strict=False)), line[-1]]))
    more = f", {len(rows):,} listed" if len(rows) < len(found) else ""
    what = f" match {query.text.strip()!r} (of {len(index):,})" if query.terms else ""
    print(f"{cards(len(found))}{what}{more}.", file=sys.stderr)
    return 0


def cmd_act(args: argparse.Namespace) -> int:
    """Suspend, unsuspend, unbury or forget the cards a query finds."""
    action = Action(args.action)
    index, query, found = _found(args, action.value)
    if not found:
        print(f"No card matches {query.text.strip()!r}: nothing was changed.", file=sys.stderr)
        return 0
    if action is Action.FORGET and not args.yes:
        question = (
            f"Forget {cards(len(found))} (reset to new; their answers stay in the log)? [y/N] "
        )
        if not sys.stdin.isatty():
            raise CommandError(
                f"forget would reset {cards(len(found))}: add --yes (there is no terminal to ask)"
            )
        try:
            reply = input(question)
        except EOFError:
            reply = ""
        if reply.strip().lower() not in ("y", "yes"):
            print("Nothing was changed.", file=sys.stderr)
            return 1
    print(index.act(action, found).describe())
    return 0
