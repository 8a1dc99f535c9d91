"""Turning imported cards into a checked deck file, and imported history into progress."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from study.core.deck import parse_deck
from study.core.interchange.common import Imported, Review
from study.core.interchange.yamlout import deck_text
from study.core.model import Severity
from study.core.scheduling import Memory, Rating

if TYPE_CHECKING:
    from study.core.service import Service


def _show(card: dict[str, object]) -> str:
    text = " ".join(str(card.get("front") or card.get("text") or "").split())
    return repr(text[:60] + ("..." if len(text) > 60 else ""))


def build_deck(
    imported: Imported, title: str, deck_id: str, comment: str = ""
) -> tuple[str, list[int]]:
    """The deck file's text and the indexes of the cards kept.

    Bad cards go to ``imported.skipped``.
    """
    kept: list[int] = []
    for index, card in enumerate(imported.cards):
        _, problems = parse_deck(deck_text(title, deck_id, [card]), Path("import.yaml"), "import")
        errors = [p.message for p in problems if p.severity is Severity.ERROR]
        if errors:
            imported.skipped.append(f"skipped card {_show(card)}: {errors[0]}")
        else:
            kept.append(index)
    text = deck_text(title, deck_id, [imported.cards[i] for i in kept], comment=comment)
    deck, problems = parse_deck(text, Path(f"{deck_id}.yaml"), f"{deck_id}.yaml")
    errors = [str(p) for p in problems if p.severity is Severity.ERROR]
    if deck is None or errors:  # pragma: no cover - each card passed on its own
        raise ValueError(f"the imported deck does not validate: {errors[:1]}")
    return text, kept


def replay_history(
    service: Service, deck_id: str, ids: Sequence[str], history: Sequence[Review]
) -> tuple[int, int]:
    """Replay imported answers through the scheduler into the log; returns (reviews, items skipped).

    Items that already have progress here are left alone (importing twice never
    doubles a history). The answers keep their original times and ratings.
    """
    taken = service.store.counted_items()
    keys = set(service.items)
    rows: list[tuple[str, object, Rating, int, Memory]] = []
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
        after = service.scheduler.replay(before, Rating(review.rating), review.at, None)
        states[key] = after
        rows.append((key, review.at, Rating(review.rating), review.duration_ms, after))
    count = service.store.import_reviews(rows) if rows else 0  # type: ignore[arg-type]
    return count, len(skipped)
