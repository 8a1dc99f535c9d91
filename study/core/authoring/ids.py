"""Giving ids to the cards of a deck file that have none: readable, unique, nothing else changed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from study.core.authoring.atomic import atomic_write
from study.core.authoring.deck_text import AuthoringError, _parse, _root, read_deck_text
from study.core.authoring.slug import card_slug, unique_id
from study.core.decks.model import Card, Deck, Severity
from study.core.decks.yamlread import YList, YMap

__all__ = [
    "NewId",
    "plan_ids",
    "write_ids",
]


@dataclass(frozen=True, slots=True)
class NewId:
    """A card that gets an id: where it is, the id it had (derived) and the new one."""

    line: int
    old: str
    new: str


def plan_ids(text: str, path: Path = Path("deck.yaml")) -> tuple[str, list[NewId]]:
    """The text with an ``id:`` inserted in every card that has none, and what changed."""
    src, root = _root(text)
    deck, _ = _parse(text, path)
    cards = root["cards"]
    if not isinstance(cards, YList):
        return text, []
    taken = {str(c["id"]) for c in cards if isinstance(c, YMap) and "id" in c}
    derived = {c.line: c.id for c in deck.cards if not c.id_given} if deck else {}
    edits: list[tuple[int, int, str]] = []
    changes: list[NewId] = []
    for node in cards:
        if not isinstance(node, YMap) or "id" in node or not node:
            continue
        new = unique_id(
            card_slug({k: v for k, v in node.items() if isinstance(v, (str, int))}), taken
        )
        taken.add(new)
        first = min(node.key_marks.values(), key=lambda m: (m.line, m.col))
        at = src.offset(first)
        flow = src.body[src.offset(node.mark)] == "{"
        insert = f"id: {new}, " if flow else f"id: {new}{src.eol}{' ' * (first.col - 1)}"
        edits.append((at, at, insert))
        changes.append(NewId(node.mark.line, derived.get(node.mark.line, ""), new))
    return src.insert(edits), changes


def _same_but_ids(old: Deck, new: Deck) -> bool:
    def strip(card: Card) -> Card:
        return replace(card, id="", id_given=True, line=0)

    return [strip(c) for c in old.cards] == [strip(c) for c in new.cards]


def write_ids(path: Path) -> tuple[Deck, list[NewId]]:
    """Give every card of the file without an id a readable one; nothing else changes."""
    text = read_deck_text(path)
    new_text, changes = plan_ids(text, path)
    old_deck, _ = _parse(text, path)
    if not changes:
        if old_deck is None:
            raise AuthoringError(f"{path}: the deck does not load: run 'study lint {path}'")
        return old_deck, []
    deck, problems = _parse(new_text, path)
    if deck is None or old_deck is None or not _same_but_ids(old_deck, deck):
        errors = [p for p in problems if p.severity is Severity.ERROR]
        raise AuthoringError(
            f"adding ids would change the deck: fix its errors first (run 'study lint {path}')",
            errors,
        )
    atomic_write(path, new_text.encode("utf-8"))
    return deck, changes
