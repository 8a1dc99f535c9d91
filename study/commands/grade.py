"""``study grade DECK CARD``: grade an answer read from standard input, as the study screen does.

For deck authors: it shows whether an answer (a wording from another text, a short form) is
accepted, so that ``accept`` forms can be checked before anyone studies the card.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from study.commands._common import UsageError, print_problems, service

if TYPE_CHECKING:
    import argparse

    from study.core.decks.model import Card
    from study.core.grading.answers import Grade
    from study.core.grading.credit import ListGrade


def _find(args: argparse.Namespace) -> Card:
    from study.core.decks.model import CardType

    svc = service(args)
    print_problems(svc.problems, warnings=False)
    deck = next((d for d in svc.decks if d.id == args.deck), None)
    if deck is None:
        raise UsageError(f"study grade: no deck with id {args.deck!r}; 'study decks' lists them")
    card = next((c for c in deck.cards if c.id == args.card), None)
    if card is None:
        raise UsageError(f"study grade: deck {deck.id!r} has no card with id {args.card!r}")
    if card.type not in (CardType.TYPED, CardType.LIST):
        raise UsageError(
            f"study grade: {card.key} is a {card.type.value} card; "
            "only typed and list cards are graded from text"
        )
    return card


def cmd_grade(args: argparse.Namespace) -> int:
    """Grade standard input against the card; print the verdict, the share and what matched."""
    from study.core.decks.model import CardType

    card = _find(args)
    text = sys.stdin.read()
    if card.type is CardType.TYPED:
        result = _typed(card, text.strip())
    else:
        result = _list(card, text.splitlines())
    if args.json:
        import json

        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print("\n".join(_lines(result)))
    return 0


def _typed(card: Card, given: str) -> dict[str, object]:
    from study.core.decks.model import expand
    from study.core.exams.marking import CLOSE_CREDIT
    from study.core.grading.answers import Verdict
    from study.core.grading.grade import grade_item_typed

    grade: Grade = grade_item_typed(expand(card)[0], given)
    verdict = {Verdict.EXACT: "right", Verdict.CLOSE: "close"}.get(grade.verdict, "wrong")
    share = {"right": 1.0, "close": CLOSE_CREDIT}.get(verdict, 0.0)
    return {
        "card": card.key,
        "type": card.type.value,
        "verdict": verdict,
        "share": share,
        "given": given,
        "expected": card.back,
        "matched": grade.expected,
        "read_as": grade.read_as,
    }


def _list(card: Card, lines: list[str]) -> dict[str, object]:
    from study.core.grading.credit import rating_for_share
    from study.core.grading.grade import grade_item_list

    grade: ListGrade = grade_item_list(card, lines)
    verdict = {3: "right", 2: "close"}.get(rating_for_share(grade.share), "wrong")
    return {
        "card": card.key,
        "type": card.type.value,
        "verdict": verdict,
        "share": round(grade.share, 4),
        "ordered": card.ordered,
        "items": [
            {
                "item": item,
                "line": None if line is None else line + 1,
                "given": grade.given[j] if line is not None else "",
                "credit": round(grade.credits[j], 4),
                "how": grade.hows[j],
            }
            for j, (item, line) in enumerate(zip(card.items, grade.matched, strict=False))
        ],
        "unmatched": list(grade.extra),
        "how": grade.how,
    }


def _lines(result: dict[str, object]) -> list[str]:
    share = result["share"]
    assert isinstance(share, float)
    out = [f"{result['verdict']}  (share {share:.0%})"]
    if result["type"] == "typed":
        out.append(f"expected: {result['expected']}")
        if result["matched"] != result["expected"]:
            out.append(f"matched the accepted form: {result['matched']}")
        if result["read_as"]:
            out.append(f"read as {result['read_as']}")
        return out
    items = result["items"]
    assert isinstance(items, list)
    for n, entry in enumerate(items, 1):
        credit = entry["credit"]
        mark = "✓" if credit >= 0.999 else "½" if credit > 0 else "✗"
        if entry["line"] is None:
            out.append(f"{mark} {n}. {entry['item']}   missing")
        else:
            out.append(
                f"{mark} {n}. {entry['item']}   <- line {entry['line']}: "
                f"{entry['given']} ({entry['how']}, credit {credit:.2f})"
            )
    unmatched = result["unmatched"]
    assert isinstance(unmatched, list)
    out.extend(f"  matched no item: {text}" for text in unmatched)
    out.append(f"credit: {result['how']}")
    return out
