"""Validation of deck files into the card model: where a deck is parsed.

``parse_deck`` turns one file's text into a Deck and a list of Problems; a bad
card is reported and left out, a bad header leaves the whole file out. Every
problem points at the offending key or value. Here: the file and its header
(title, id, tags, sources); one card is checked in ``card``, one key in ``field``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from study.core.decks.card import _card
from study.core.decks.field import (
    ID,
    MAX_INVISIBLE,
    Invalid,
    _check_keys,
    _invisible_message,
    _mark_of,
    _tags,
    _text,
    _where,
)
from study.core.decks.model import (
    Card,
    Deck,
    Problem,
    Severity,
    Source,
    cloze_numbers,
)
from study.core.decks.safe_text import find_invisible
from study.core.decks.yamlread import Mark, YamlError, YList, YMap, read_yaml

DECK_KEYS = ("title", "id", "description", "tags", "sources", "cards")
SOURCE_KEYS = ("id", "title", "author", "publication", "date", "url")


def _sources(node: YMap, report: Callable[[str, Mark], None]) -> dict[str, Source]:
    value = node.get("sources")
    if value is None:
        return {}
    if not isinstance(value, YList):
        raise Invalid("'sources' must be a list of {id: ..., title: ...}", _where(node, "sources"))
    sources: dict[str, Source] = {}
    for item, mark in zip(value, value.marks, strict=False):
        try:
            if not isinstance(item, YMap):
                raise Invalid("a source must be a mapping with at least an 'id'", mark)
            _check_keys(item, SOURCE_KEYS, "a source")
            source = Source(**{k: _text(item, k, required=k == "id") for k in SOURCE_KEYS})
            if source.id in sources:
                raise Invalid(f"duplicate source id {source.id!r}", _where(item, "id"))
            sources[source.id] = source
        except Invalid as exc:
            report(exc.message, exc.mark)
    return sources


def parse_deck(
    text: str, path: Path, display: str, group: str = ""
) -> tuple[Deck | None, list[Problem]]:
    """Validate one deck file's text. Returns the deck (None if unusable) and its problems."""
    problems: list[Problem] = []

    def report(message: str, mark: Mark, severity: Severity = Severity.ERROR) -> None:
        problems.append(Problem(display, mark.line, mark.col, message, severity))

    try:
        root, root_mark = read_yaml(text)
        if root is None:
            raise Invalid("the file is empty: a deck needs 'title' and 'cards'", root_mark)
        if not isinstance(root, YMap):
            raise Invalid(
                "a deck must be a mapping with 'title' and 'cards' at the top level", root_mark
            )
        _check_keys(root, DECK_KEYS, "a deck")
        title = _text(root, "title", required=True)
        description = _text(root, "description")
        deck_id = _text(root, "id") or path.stem
        if not ID.fullmatch(deck_id):
            raise Invalid(
                f"deck id {deck_id!r}: use letters, digits, '-', '_' and '.'", _where(root, "id")
            )
        deck_tags = _tags(root)
        sources = _sources(root, report)
        cards_node = root.get("cards")
        if not isinstance(cards_node, YList):
            what = "missing 'cards'" if cards_node is None else "'cards' must be a list of cards"
            raise Invalid(f"{what}: add 'cards:' with one '- ...' per card", _where(root, "cards"))
    except YamlError as exc:
        report(exc.message, exc.mark)
        return None, problems
    except Invalid as exc:
        report(exc.message, exc.mark)
        return None, problems
    cards: list[Card] = []
    seen: dict[str, int] = {}
    guids: dict[str, int] = {}
    for node, mark in zip(cards_node, cards_node.marks, strict=False):
        raw_id = node.get("id") if isinstance(node, YMap) else None
        if isinstance(raw_id, (str, int)) and str(raw_id) in seen:
            report(
                f"duplicate card id {str(raw_id)!r}, first at line {seen[str(raw_id)]}: make it "
                "unique",
                _where(node, "id"),  # type: ignore[arg-type]
            )
            continue
        if isinstance(raw_id, (str, int)):
            seen[str(raw_id)] = mark.line
        try:
            card = _card(node, mark, deck_id, sources, deck_tags)
        except Invalid as exc:
            report(exc.message, exc.mark)
            continue
        if not card.id_given and card.id in seen:
            report(f"this card repeats the card at line {seen[card.id]}: remove one", mark)
            continue
        seen[card.id] = card.line
        if card.guid and card.guid in guids:
            report(
                f"guid {card.guid!r} is also on the card at line {guids[card.guid]}: Anki would "
                "take both for one note; remove one",
                _where(node, "guid") if isinstance(node, YMap) else mark,
            )
            continue
        if card.guid:
            guids[card.guid] = card.line
        if not card.id_given:
            report(
                "card has no 'id': its progress is lost if its text changes; "
                "run 'study ids --write' to add ids",
                mark,
                Severity.WARNING,
            )
        cards.append(card)
    if not cards_node:
        report("the deck has no cards yet", _where(root, "cards"), Severity.WARNING)
    for at in find_invisible(text)[:MAX_INVISIBLE]:
        report(_invisible_message(text[at]), _mark_of(text, at), Severity.WARNING)
    deck = Deck(
        id=deck_id,
        title=title,
        path=path,
        display=display,
        group=group,
        description=description,
        tags=deck_tags,
        sources=tuple(sources.values()),
        cards=tuple(cards),
    )
    return deck, problems


__all__ = [
    "cloze_numbers",
    "parse_deck",
]
