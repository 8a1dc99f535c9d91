"""Keeping progress when a card without an id is edited; finding orphaned progress.

A card without an ``id`` is keyed on a hash of its text, so editing the text gives
it a new key and, on its own, a fresh start. ``carry_over`` (run after each load)
prevents that:

1. it remembers the normalised text of every card without an id (``card_text``),
   so an old version can still be compared once the file has changed;
2. it finds *orphaned* cards: progress (a state, a flag or a counted review) under a
   key that no loaded deck has any more, and whose text it remembers;
3. it pairs each with a card of the same deck and type that has no progress yet,
   when their texts are close enough (similarity >= ``THRESHOLD``), best pairs first;
4. it moves the progress: the old reviews are copied under the new key with their
   original times and ratings and the originals are cancelled by undo rows. The log
   stays append-only and a rebuild from it gives the same states; ``item_alias``
   records each move.

Nothing is carried inside a deck file that has errors (a card left out by an error
would look deleted). What was carried is returned, to be shown to the user.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from rapidfuzz import fuzz

from study.core.clock import Clock
from study.core.decks.model import Card, Deck, LoadResult, expand
from study.core.progress.store import Store
from study.core.words import plural

THRESHOLD = 0.8
"""Least similarity of two versions of a card (0-1) for its progress to be carried over."""


@dataclass(frozen=True, slots=True)
class Carried:
    """Progress carried from an old version of a card to its edited version."""

    old: str
    """The old card key (``deck/hXXXXXXXX``)."""
    new: str
    """The card key the progress now belongs to."""
    similarity: float
    items: int
    """How many study items (sides, deletions) were moved."""
    renamed: bool = False
    """True when only the id changed (``study ids --write``), not the text."""

    def __str__(self) -> str:
        why = "id added" if self.renamed else f"edited card, {self.similarity:.0%} similar"
        return (
            f"progress carried over: {self.old} -> {self.new} ({why}, {plural(self.items, 'item')})"
        )


def content(card: Card) -> str:
    """A card's comparable text: its question and answer parts, folded and without punctuation."""
    parts = [card.front, card.text, card.back, card.answer, *card.items]
    text = unicodedata.normalize("NFKD", " ".join(p for p in parts if p).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def similarity(a: str, b: str) -> float:
    """How alike two normalised texts are, from 0 to 1."""
    return float(fuzz.ratio(a, b)) / 100


def _card_of(item_key: str) -> str:
    return item_key.split("#", 1)[0]


def _variant(item_key: str) -> str:
    return item_key.split("#", 1)[1] if "#" in item_key else ""


def orphans(store: Store, items: Collection[str]) -> list[str]:
    """Item keys with progress that none of ``items`` (the loaded item keys) is (sorted)."""
    return sorted(store.counted_items() - set(items))


def _clean_decks(loaded: LoadResult) -> set[str]:
    """Ids of decks whose file loaded without errors."""
    bad = {p.path for p in loaded.problems if p.severity >= 2}
    return {d.id for d in loaded.decks if d.display not in bad}


def remember(store: Store, clock: Clock, decks: Collection[Deck]) -> None:
    """Store the text of every loaded card without an id that is not remembered yet."""
    known = store.card_texts()
    rows = [
        (card.key, str(card.type), content(card))
        for deck in decks
        for card in deck.cards
        if not card.id_given and card.key not in known
    ]
    if rows:
        store.remember_card_texts(rows, clock.now())


def _pairs(
    store: Store, loaded: LoadResult, items: Collection[str], progress: set[str]
) -> list[tuple[float, str, Card, list[str]]]:
    """Candidate (similarity, old card key, new card, old item keys), best first."""
    texts = store.card_texts()
    clean = _clean_decks(loaded)
    lost: dict[str, list[str]] = {}
    for key in progress - set(items):
        lost.setdefault(_card_of(key), []).append(key)
    fresh: dict[tuple[str, str], list[Card]] = {}
    for deck in loaded.decks:
        if deck.id not in clean:
            continue
        for card in deck.cards:
            if not any(item.key in progress for item in expand(card)):
                fresh.setdefault((deck.id, str(card.type)), []).append(card)
    pairs = []
    for old_key, items in lost.items():
        if old_key not in texts:
            continue
        kind, old_text = texts[old_key]
        for card in fresh.get((old_key.split("/", 1)[0], kind), []):
            score = similarity(old_text, content(card))
            if score >= THRESHOLD:
                pairs.append((score, old_key, card, items))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2].key))
    return pairs


def carry_over(
    store: Store, clock: Clock, loaded: LoadResult, items: Collection[str]
) -> list[Carried]:
    """Carry progress from orphaned versions of edited cards to their new versions (see above).

    ``loaded``: the decks that loaded and the problems found; ``items``: their item keys.
    """
    remember(store, clock, loaded.decks)
    progress = store.counted_items()
    done: list[Carried] = []
    used_old: set[str] = set()
    used_new: set[str] = set()
    for score, old_key, card, old_items in _pairs(store, loaded, items, progress):
        if old_key in used_old or card.key in used_new:
            continue
        variants = {item.variant: item.key for item in expand(card)}
        moves = [
            (key, variants[_variant(key)]) for key in sorted(old_items) if _variant(key) in variants
        ]
        if not moves:
            continue
        store.carry_over(moves, round(score, 3), clock.now())
        used_old.add(old_key)
        used_new.add(card.key)
        done.append(Carried(old_key, card.key, round(score, 3), len(moves)))
    return done


def move_renamed(
    store: Store, clock: Clock, deck_id: str, renames: dict[str, str]
) -> list[Carried]:
    """Move progress of cards whose id changed but not their text (``study ids --write``)."""
    progress = store.counted_items()
    done = []
    for old_id, new_id in renames.items():
        old_key, new_key = f"{deck_id}/{old_id}", f"{deck_id}/{new_id}"
        moves = [
            (key, new_key + key[len(old_key) :])
            for key in sorted(progress)
            if _card_of(key) == old_key
        ]
        if moves:
            store.carry_over(moves, 1.0, clock.now())
            done.append(Carried(old_key, new_key, 1.0, len(moves), renamed=True))
    return done


__all__ = [
    "THRESHOLD",
    "Carried",
    "carry_over",
    "content",
    "move_renamed",
    "orphans",
    "remember",
    "similarity",
]
