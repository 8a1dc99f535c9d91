"""Turning imported cards into a checked deck file, and imported history into progress."""

from __future__ import annotations

import bisect
from collections.abc import Collection, Sequence
from datetime import datetime
from pathlib import Path

from study.core.authoring.interchange.common import Imported, ImportedReview, too_big
from study.core.authoring.interchange.yamlout import card_block, deck_text
from study.core.decks.loader import MAX_BYTES
from study.core.decks.model import Severity
from study.core.decks.parse import parse_deck
from study.core.progress.store import Store
from study.core.scheduling.scheduler import Memory, Rating, Scheduler


def _show(card: dict[str, object]) -> str:
    text = " ".join(str(card.get("front") or card.get("text") or "").split())
    return repr(text[:60] + ("..." if len(text) > 60 else ""))


BATCH = 500
"""Cards checked together by one parse of a deck file (one parse per card took 27 s for 300,000)."""


def build_deck(
    imported: Imported, title: str, deck_id: str, comment: str = ""
) -> tuple[str, list[int]]:
    """The deck file's text and the indexes of the cards kept.

    Bad cards go to ``imported.skipped``. The cards are checked by the deck parser
    itself, BATCH at a time: a card that gives an error is left out with one line,
    the rest are kept as written. The text is then checked against the deck file
    size the loader accepts (ImportRefused past it).
    """
    kept: list[int] = []
    cards = imported.cards
    blocks = [_block(card) for card in cards]  # each card written once
    head = _head(title, deck_id)
    for start in range(0, len(cards), BATCH):
        batch = range(start, min(start + BATCH, len(cards)))
        errors = _errors(head, [blocks[i] for i in batch])
        if errors is None:  # the batch is not a deck at all: check its cards one by one
            errors = {}
            for n, i in enumerate(batch):
                one = _errors(head, [blocks[i]])
                if one is None or one:
                    errors[n] = one[0] if one else "not readable as a deck card"
        for n, i in enumerate(batch):
            if n in errors:
                imported.skip(f"skipped card {_show(cards[i])}: {errors[n]}")
            else:
                kept.append(i)
    text = _text(_head(title, deck_id, comment), [blocks[i] for i in kept])
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise too_big(f"{size / (1 << 20):.1f} MB for {len(kept):,} cards")
    ids = [cards[i].get("id") for i in kept]
    if len(set(ids)) != len(ids):  # pragma: no cover - give_ids makes them unique
        raise ValueError("the imported cards have duplicate ids")
    return text, kept


def _head(title: str, deck_id: str, comment: str = "") -> list[str]:
    """The lines of a deck file before its first card, as ``deck_text`` writes them."""
    return [*deck_text(title, deck_id, [], comment=comment).splitlines()[:-1], "cards:"]


def _block(card: dict[str, object]) -> list[str]:
    """A card's lines in the deck file, as ``deck_text`` writes them."""
    lines, _ = card_block(card)
    return [("  - " if i == 0 else "    ") + line for i, line in enumerate(lines)]


def _text(head: list[str], blocks: list[list[str]]) -> str:
    """The deck file of these card blocks: ``deck_text``'s output, from blocks already written."""
    if not blocks:
        return "\n".join([*head[:-1], "cards: []"]) + "\n"
    lines = list(head)
    for n, block in enumerate(blocks):
        if n:
            lines.append("")
        lines.extend(block)
    return "\n".join(lines) + "\n"


def _errors(head: list[str], blocks: list[list[str]]) -> dict[int, str] | None:
    """The first error of each card that has one (by position), or None if the text is no deck."""
    _, problems = parse_deck(_text(head, blocks), Path("import.yaml"), "import")
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if not errors:
        return {}
    starts = []  # the line each card's block starts on
    line = len(head) + 1
    for block in blocks:
        starts.append(line)
        line += len(block) + 1
    found: dict[int, str] = {}
    for problem in errors:
        if problem.line < starts[0]:
            return None  # an error outside the cards: not a card's fault
        index = bisect.bisect_right(starts, problem.line) - 1
        found.setdefault(index, problem.message)
    return found


def replay_history(
    store: Store,
    scheduler: Scheduler,
    keys: Collection[str],
    deck_id: str,
    ids: Sequence[str],
    history: Sequence[ImportedReview],
) -> tuple[int, int]:
    """Replay imported answers through the scheduler into the store's log; returns (reviews,
    items skipped).

    Only the items in ``keys`` (those of the loaded decks) take answers; items that already
    have progress here are left alone (importing twice never doubles a history). The answers
    keep their original times and ratings, and the due dates they gave there when known
    (Anki's intervals carry its fuzz).
    """
    taken = store.counted_items()
    rows: list[tuple[str, datetime, Rating, int, Memory]] = []
    states: dict[str, Memory] = {}
    skipped: set[str] = set()
    for review in sorted(history, key=lambda r: r.at):
        if review.card >= len(ids):
            continue
        key = f"{deck_id}/{ids[review.card]}" + (f"#{review.variant}" if review.variant else "")
        if key in taken or key not in keys:
            skipped.add(key)
            continue
        before = states.get(key, Memory())
        after = scheduler.replay(before, Rating(review.rating), review.at, review.due)
        states[key] = after
        rows.append((key, review.at, Rating(review.rating), review.duration_ms, after))
    count = store.import_reviews(rows) if rows else 0
    return count, len(skipped)
